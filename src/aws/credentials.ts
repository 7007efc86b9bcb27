import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider } from '@smithy/types';

export interface CredentialOptions {
  readonly profile?: string;
  /** Asked when a role_arn profile has mfa_serial; the extension shows an input box, the CLI reads stdin. */
  readonly mfaCodeProvider?: (mfaSerial: string) => Promise<string>;
}

/**
 * Credentials exactly as the AWS CLI resolves them: env keys, SSO (sso_session and legacy), profiles with
 * role_arn/source_profile, credential_process, web identity, container and instance metadata.
 * `ignoreCache` makes the SDK re-read ~/.aws/config and credentials, so edits are seen without a reload.
 */
export function createCredentialProvider(options: CredentialOptions): AwsCredentialIdentityProvider {
  return fromNodeProviderChain({
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.mfaCodeProvider ? { mfaCodeProvider: options.mfaCodeProvider } : {}),
    ignoreCache: true,
  });
}
