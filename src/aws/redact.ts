/**
 * Removes secrets from text before it reaches a log, a notification or test output: access keys, secret keys,
 * session tokens, SSO access tokens and PEM private keys.
 */
const PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, '[REDACTED PRIVATE KEY]'],
  [/\b(A3T[A-Z0-9]|AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12,}\b/g, '[REDACTED KEY ID]'],
  [/((?:aws_)?secret_?access_?key|secretAccessKey|SecretAccessKey)(["'\s:=]+)[A-Za-z0-9/+=]{20,}/gi, '$1$2[REDACTED]'],
  [/((?:aws_)?session_?token|sessionToken|SessionToken|accessToken|refreshToken|X-Amz-Security-Token)(["'\s:=]+)[A-Za-z0-9/+=%._-]{16,}/gi, '$1$2[REDACTED]'],
  [/(Authorization["'\s:=]+)[^\n"']+/gi, '$1[REDACTED]'],
  // Bare secrets, without a key name in front (AWS error messages quote tokens back, e.g. "The security token
  // … is invalid"): session/SSO tokens are long base64 runs; a secret access key is 40 base64 characters with
  // mixed case (pure hex, like a SHA-1, is left alone). Found by test/reliability/secrets.test.ts.
  [/(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{100,}={0,2}(?![A-Za-z0-9/+=])/g, '[REDACTED TOKEN]'],
  [/(?<![A-Za-z0-9/+=])(?=[A-Za-z0-9/+]{0,39}[A-Z])(?=[A-Za-z0-9/+]{0,39}[a-z])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g, '[REDACTED SECRET]'],
];

export function redactSecrets(text: string, extraSecrets: readonly string[] = []): string {
  let out = text;
  for (const secret of extraSecrets) {
    if (secret && secret.length >= 8) out = out.split(secret).join('[REDACTED]');
  }
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
