import { CallCounter } from './callCounter';
import { ClientFactory } from './clientFactory';
import { createCredentialProvider } from './credentials';
import type { AwsConnectionSettings } from './target';

export interface AwsRuntimeOptions {
  readonly settings: AwsConnectionSettings;
  readonly version: string;
  readonly mfaCodeProvider?: (mfaSerial: string) => Promise<string>;
  readonly counter?: CallCounter;
  readonly onCall?: ConstructorParameters<typeof ClientFactory>[0]['onCall'];
  readonly onAttempt?: ConstructorParameters<typeof ClientFactory>[0]['onAttempt'];
}

/** Builds the client factory for one profile + endpoint; a profile or endpoint change builds a new one. */
export function createClientFactory(options: AwsRuntimeOptions): ClientFactory {
  const credentials = createCredentialProvider({ profile: options.settings.profile, mfaCodeProvider: options.mfaCodeProvider });
  return new ClientFactory({
    settings: options.settings,
    credentials,
    version: options.version,
    counter: options.counter,
    onCall: options.onCall,
    onAttempt: options.onAttempt,
  });
}

export { CallCounter };
export { homeRegion } from './target';
