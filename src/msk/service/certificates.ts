import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mapWithConcurrency } from '../../aws/cancellation';
import type { ClientFactory } from '../../aws/clientFactory';
import { toActionableError } from '../../aws/errors';
import { checkCertificateSecret } from '../core/certificate';
import type { CertificateCheck } from '../core/types';

/**
 * The opt-in mTLS expiry check (needs secretsmanager:GetSecretValue). Each distinct secret is read once; the
 * SecretString goes straight into the pure parser, which keeps only the certificate's dates and subject. Nothing
 * of the response is logged or returned (SDK errors are reduced to their actionable message, which never
 * contains the secret).
 */
export async function checkClientCertificates(factory: ClientFactory, region: string, secretArns: readonly string[], now: number, warnDays: number, signal?: AbortSignal): Promise<Map<string, CertificateCheck>> {
  const client = factory.client(SecretsManagerClient, region);
  const unique = [...new Set(secretArns)];
  const checks = await mapWithConcurrency(unique, 4, async (arn): Promise<CertificateCheck> => {
    try {
      const res = await client.send(new GetSecretValueCommand({ SecretId: arn }), { abortSignal: signal });
      return checkCertificateSecret(arn, res.SecretString, now, warnDays);
    } catch (err) {
      if ((err as Error)?.name === 'AbortError') throw err;
      return { secretArn: arn, error: toActionableError(err, { region, action: 'secretsmanager:GetSecretValue' }).message };
    }
  });
  return new Map(checks.map((c) => [c.secretArn, c]));
}
