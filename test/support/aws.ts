import { CallCounter } from '../../src/aws/callCounter';
import { ClientFactory } from '../../src/aws/clientFactory';
import type { AwsConnectionSettings } from '../../src/aws/target';

/** Static test credentials: moto accepts any; a real chain must never be used by tests. */
export const TEST_CREDENTIALS = { accessKeyId: 'AKIATESTOPSDECK00001', secretAccessKey: 'opsdeck-test-secret-key-not-real-000000' };

export function motoEndpoint(): string {
  const endpoint = process.env.OPSDECK_TEST_ENDPOINT;
  if (!endpoint) throw new Error('OPSDECK_TEST_ENDPOINT is not set: run integration tests through mocha --config .mocharc.integration.json');
  return endpoint;
}

/** A real ClientFactory (real SDK clients over HTTP) pointed at moto, with a call counter. */
export function motoFactory(regions: string[], endpoint = motoEndpoint(), overrides: Partial<AwsConnectionSettings> = {}): { factory: ClientFactory; counter: CallCounter } {
  const counter = new CallCounter();
  const factory = new ClientFactory({
    settings: { regions, endpointUrl: endpoint, maxAttempts: 3, requestTimeoutMs: 15_000, ...overrides },
    credentials: async () => TEST_CREDENTIALS,
    version: 'test',
    counter,
  });
  return { factory, counter };
}

/** Clears all moto state, so each suite starts from an empty account. */
export async function resetMoto(endpoint = motoEndpoint()): Promise<void> {
  await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
}
