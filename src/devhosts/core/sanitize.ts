/**
 * Everything that comes from AWS (tags, names) or from settings is untrusted text on its way into an OpenSSH
 * config file, where a newline starts a new directive, `#` a comment, quotes regroup arguments and `%` expands
 * tokens. Each helper here either returns a value that stays on its line and means what it says, or rejects it
 * with a reason; every change is reported so the caller can log it.
 */

export const MAX_ALIAS_LENGTH = 63;

export interface SanitizeNote {
  readonly field: string;
  readonly original: string;
  readonly result: string | null;
  readonly reason: string;
}

/** C0/C1 controls, DEL, line/paragraph separators and bidi overrides that can hide text in an editor. */
const UNSAFE_SOURCE = '[\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u200b-\\u200f\\u202a-\\u202e\\u2066-\\u2069\\ufeff]';
const UNSAFE_CHARS = new RegExp(UNSAFE_SOURCE, 'g');
const HAS_UNSAFE = new RegExp(UNSAFE_SOURCE);

export function stripControl(text: string): string {
  return text.replace(UNSAFE_CHARS, ' ');
}

/**
 * A Host alias: letters, digits, `.`, `_`, `-` only (no wildcard, negation, space or token characters), starting
 * with a letter or digit (a leading `-` would read as an ssh option on a command line), at most 63 characters.
 * Accents are folded ("Café" → "Cafe"); anything else becomes `-`. Returns "" when nothing usable remains.
 */
export function sanitizeAlias(raw: string): string {
  const folded = raw.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  let s = folded.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/-{2,}/g, '-').replace(/\.{2,}/g, '.');
  s = s.replace(/^[^A-Za-z0-9]+/, '').slice(0, MAX_ALIAS_LENGTH).replace(/[^A-Za-z0-9]+$/, '');
  return s;
}

/** One-line, printable text for a `#` comment (the Name tag shown next to its entry), capped in length. */
export function commentText(raw: string, max = 120): string {
  const s = stripControl(raw).replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

const HOSTNAME = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$/;
const IPV6 = /^[0-9A-Fa-f:]+(?:%[A-Za-z0-9]+)?$/;

/** A HostName from AWS (IP or DNS name): accepted only if it is exactly that, else null. */
export function safeHostName(raw: string | undefined): string | null {
  if (!raw) return null;
  if (IPV4.test(raw) || (raw.includes(':') && IPV6.test(raw) && !raw.includes('%')) || (raw.length <= 253 && HOSTNAME.test(raw))) return raw;
  return null;
}

/** A login user name: POSIX/AD-ish characters only. `%` is refused (ssh versions differ on expanding it in User). */
export function safeUser(raw: string | undefined): string | null {
  if (!raw) return null;
  return /^[A-Za-z0-9_][A-Za-z0-9._@\\-]{0,63}$/.test(raw) ? raw : null;
}

export function safeInstanceId(raw: string | undefined): string | null {
  return raw && /^i-[0-9a-f]{8,32}$/.test(raw) ? raw : null;
}

/** AWS profile and Region names as they appear on an `aws` command line inside ProxyCommand. */
export function safeProfile(raw: string | undefined): string | null {
  return raw && /^[A-Za-z0-9_.+=@-]{1,128}$/.test(raw) && !raw.startsWith('-') ? raw : null;
}

export function safeRegion(raw: string | undefined): string | null {
  return raw && /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/.test(raw) ? raw : null;
}

/**
 * A file path for IdentityFile / Include: controls and double quotes are refused; `%` is doubled because
 * IdentityFile expands tokens; the result is double-quoted when it holds spaces. `~` stays (ssh expands it).
 */
export function quotePath(raw: string | undefined, expandsTokens: boolean): string | null {
  if (!raw || HAS_UNSAFE.test(raw) || raw.includes('"')) return null;
  const escaped = expandsTokens ? raw.replace(/%/g, '%%') : raw;
  return /[\s#'\\]/.test(escaped) ? `"${escaped}"` : escaped;
}
