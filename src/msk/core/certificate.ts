import { X509Certificate } from 'node:crypto';
import type { CertificateCheck } from './types';

/**
 * The opt-in mTLS check: from a client-certificate secret, read ONLY the certificate's validity. Lambda's Kafka
 * client-certificate secret is JSON `{ "certificate": PEM chain, "privateKey": PEM, "privateKeyPassword"? }`.
 * The private key is never parsed, returned, logged or kept: we pull the `certificate` field out and drop the rest,
 * and every error message is generic (JSON.parse errors quote the input, so they are never passed on).
 */
export const EXPIRY_WARNING_DAYS = 30;
const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export function certificatePemsFromSecret(secretString: string | undefined): string[] {
  if (!secretString) throw new Error('the secret has no SecretString');
  let certificateField: unknown;
  try {
    certificateField = (JSON.parse(secretString) as { certificate?: unknown }).certificate;
  } catch {
    throw new Error('the secret is not the JSON Lambda expects ({"certificate": …, "privateKey": …})');
  }
  if (typeof certificateField !== 'string') throw new Error('the secret has no "certificate" field');
  const pems = certificateField.match(PEM_CERT) ?? [];
  if (pems.length === 0) throw new Error('the "certificate" field holds no PEM certificate');
  return pems;
}

/** Checks the chain's earliest expiry (the leaf usually, but an expiring intermediate breaks the handshake too). */
export function checkCertificateSecret(secretArn: string, secretString: string | undefined, nowMs: number, warnDays = EXPIRY_WARNING_DAYS): CertificateCheck {
  try {
    const certs = certificatePemsFromSecret(secretString).map((pem) => new X509Certificate(pem));
    const earliest = certs.reduce((a, b) => (Date.parse(b.validTo) < Date.parse(a.validTo) ? b : a));
    const notAfter = Date.parse(earliest.validTo);
    const daysLeft = Math.floor((notAfter - nowMs) / 86_400_000);
    return { secretArn, subject: earliest.subject.replace(/\n/g, ', '), notAfter: new Date(notAfter).toISOString(), daysLeft, expiringSoon: daysLeft < warnDays };
  } catch (err) {
    const message = err instanceof Error && /^the /.test(err.message) ? err.message : 'the certificate could not be parsed';
    return { secretArn, error: message };
  }
}

export function certificateText(c: CertificateCheck): string {
  if (c.error) return `certificate check failed: ${c.error}`;
  if ((c.daysLeft ?? 0) < 0) return `client certificate EXPIRED on ${c.notAfter?.slice(0, 10)}`;
  return `client certificate expires ${c.notAfter?.slice(0, 10)} (${c.daysLeft} days${c.expiringSoon ? ' — renew soon' : ''})`;
}
