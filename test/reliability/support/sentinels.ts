/**
 * Sentinel secrets: values that look exactly like real ones, planted where secrets live, then searched for in
 * every output. Assertion messages never print the output itself (that would leak into the test log):
 * they say which sentinel and where.
 */
export const SENTINEL = {
  accessKeyId: 'AKIAOPSDECKSENTNL7Q2Z',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYsentinelK1',
  sessionToken: 'IQoJb3JpZ2luX2VjEOPSDECKSENTINELsessionTOKENxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/+abcdefghijklmnopqrstuvwxyz==',
  privateKey: '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\nOPSDECKSENTINELPRIVATEKEYMATERIALopsdeckSENTINEL0000000000000000000000\n-----END OPENSSH PRIVATE KEY-----',
  ssoAccessToken: 'aoaAAAAAGsentinelSSOaccessTOKENopsdeck0123456789abcdefghijklmnopqrstuvwxyz',
} as const;

/** Distinctive slices too: a leak of half a key is still a leak. */
const NEEDLES: Array<[string, string]> = [
  ['access key id', SENTINEL.accessKeyId],
  ['secret access key', SENTINEL.secretAccessKey],
  ['secret access key (tail)', 'CYsentinelK1'],
  ['session token', SENTINEL.sessionToken.slice(10, 60)],
  ['private key body', 'OPSDECKSENTINELPRIVATEKEYMATERIAL'],
  ['SSO access token', SENTINEL.ssoAccessToken.slice(8, 40)],
];

/** Which sentinels appear in `text` (names only). */
export function leaks(text: string): string[] {
  return NEEDLES.filter(([, needle]) => text.includes(needle)).map(([name]) => name);
}
