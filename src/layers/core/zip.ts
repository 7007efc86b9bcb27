import { createHash } from 'crypto';
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';

/**
 * Deterministic layer zips: the same files always give the same bytes, hence the same SHA-256, which is what
 * Lambda reports as `CodeSha256` and what lets a publish skip Regions that already have this content.
 * What makes it deterministic:
 *   - entries sorted by path (byte order of the UTF-8 path), '/' separators, no directory entries;
 *   - every timestamp 1980-01-01 00:00:00 (the DOS epoch). fflate encodes DOS time from *local* date parts,
 *     so the Date is built from local parts too and the bytes do not depend on the machine's time zone;
 *   - modes normalised to 0644, or 0755 when any execute bit is set, and symlinks kept as links (0777);
 *   - "made by Unix", fixed compression level, no extra fields or comments.
 * fflate is the zip encoder; the bytes are stable for a given fflate version (pinned by the lockfile).
 */
export interface ZipEntry {
  /** Path inside the zip, '/'-separated, no leading slash. */
  readonly path: string;
  readonly data: Uint8Array;
  /** POSIX mode bits of the source file (only the execute bits matter). */
  readonly mode?: number;
  /** True when `data` is the target of a symbolic link. */
  readonly symlink?: boolean;
}

export const FIXED_MTIME = (): Date => new Date(1980, 0, 1, 0, 0, 0);
const UNIX = 3;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

export function normalisedMode(entry: Pick<ZipEntry, 'mode' | 'symlink'>): number {
  if (entry.symlink) return S_IFLNK | 0o777;
  return S_IFREG | ((entry.mode ?? 0o644) & 0o111 ? 0o755 : 0o644);
}

export function compareZipPaths(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Rejects paths that would escape /opt or collide once normalised. */
export function checkZipPath(p: string): string | undefined {
  if (!p || p.startsWith('/') || p.includes('\\')) return `"${p}" must be a relative path with "/" separators`;
  if (p.split('/').some((s) => s === '..' || s === '.' || s === '')) return `"${p}" has an empty, "." or ".." segment`;
  return undefined;
}

export function deterministicZip(entries: readonly ZipEntry[], level: 6 | 9 = 6): Uint8Array {
  const sorted = [...entries].sort((a, b) => compareZipPaths(a.path, b.path));
  for (let i = 0; i < sorted.length; i++) {
    const bad = checkZipPath(sorted[i].path);
    if (bad) throw new Error(`Cannot zip ${bad}.`);
    if (i > 0 && sorted[i - 1].path === sorted[i].path) throw new Error(`Cannot zip: "${sorted[i].path}" appears twice.`);
  }
  const chunks: Uint8Array[] = [];
  let failure: Error | undefined;
  const zip = new Zip((err, chunk) => {
    if (err) failure = err;
    else chunks.push(chunk);
  });
  const mtime = FIXED_MTIME();
  for (const e of sorted) {
    // Symlinks and empty files are stored; everything else deflated.
    const file = e.symlink || e.data.length === 0 ? new ZipPassThrough(e.path) : new ZipDeflate(e.path, { level });
    file.mtime = mtime;
    file.os = UNIX;
    file.attrs = normalisedMode(e) << 16;
    zip.add(file);
    file.push(e.data, true);
  }
  zip.end();
  if (failure) throw failure;
  const size = chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Base64 SHA-256, the encoding Lambda uses for `CodeSha256`. */
export function sha256Base64(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64');
}
