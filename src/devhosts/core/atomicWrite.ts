import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * Atomic file replacement for files people care about (their SSH config). Pure Node, no editor or AWS code,
 * usable on its own:
 *
 *   await writeFileAtomic('/home/me/.ssh/config', bytes, { backup: true });
 *
 * - writes a temp file in the same folder (same filesystem, so rename is atomic), fsyncs it, renames it over the
 *   target, then fsyncs the folder: a crash leaves either the old or the new file, never half of one;
 * - the temp file has the final mode (and owner) before its first byte is written, so a crash never leaves a
 *   copy of the config readable by more people than the config itself;
 * - temp files are named `.<file>.opsdeck-<host>-<pid>-<random>.tmp`; a writer killed mid-write (SIGKILL, power
 *   loss) leaves one behind, and the next write to that folder removes it once its writer is dead (same host) or
 *   it is older than STALE_TEMP_MS — never the temp file of a writer that is still running;
 * - on failure nothing is left: no temp file, no backup made by this call, no folder made by this call;
 * - keeps the existing file's mode (new files get `mode`, default 0600; created folders 0700);
 * - follows a symlinked target (dotfile managers) and replaces the file it points to, not the link;
 * - `backup: true` copies the current file to `<file>.opsdeck-backup` once, before the first change, and never
 *   overwrites that first backup;
 * - writes nothing when the bytes are already identical (no mtime change), unless `force`.
 */
export interface AtomicWriteOptions {
  /** Mode for a new file (default 0o600). An existing file keeps its mode. */
  readonly mode?: number;
  /** Mode for folders created on the way (default 0o700). */
  readonly dirMode?: number;
  /** true: `<file>.opsdeck-backup`; a string: that path. Made only if the target exists and no backup exists yet. */
  readonly backup?: boolean | string;
  /** Write even when the content is unchanged. */
  readonly force?: boolean;
}

export interface AtomicWriteResult {
  readonly path: string;
  readonly written: boolean;
  readonly created: boolean;
  readonly mode: number;
  readonly backupPath?: string;
  /** The top folder this write had to create (for undoing it), if any. */
  readonly createdDir?: string;
}

export const BACKUP_SUFFIX = '.opsdeck-backup';
/** A temp file this old is stale whatever its pid says (pids are reused, hosts share home folders over NFS). */
export const STALE_TEMP_MS = 5 * 60_000;

/** Short, stable tag of this machine, so a writer on another host sharing the folder is judged by age only. */
const HOST_TAG = createHash('sha256').update(os.hostname()).digest('hex').slice(0, 8);

export function tempName(base: string, pid = process.pid, host = HOST_TAG): string {
  return `.${base}.opsdeck-${host}-${pid}-${randomBytes(6).toString('hex')}.tmp`;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Which temp files in a folder belong to writes of `base`, with their writer (current and pre-0.1 names). */
export function parseTempName(base: string, name: string): { host?: string; pid: number } | undefined {
  const b = escapeRe(base);
  const current = new RegExp(`^\\.${b}\\.opsdeck-([0-9a-f]{8})-(\\d+)-[0-9a-f]{12}\\.tmp$`).exec(name);
  if (current) return { host: current[1], pid: Number(current[2]) };
  const legacy = new RegExp(`^\\.${b}\\.(\\d+)\\.[0-9a-f]{12}\\.tmp$`).exec(name);
  if (legacy) return { pid: Number(legacy[1]) };
  return undefined;
}

/** Whether a process exists (EPERM: it does, owned by someone else). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface StaleTempOptions {
  readonly now?: number;
  readonly isAlive?: (pid: number) => boolean;
  readonly host?: string;
}

/**
 * Removes the temp files that earlier writes of `base` left in `dir` when their writer died: the writer's pid is
 * gone (same host), or the file is older than STALE_TEMP_MS. Never fails the write: errors are ignored.
 * Returns the names removed.
 */
export async function removeStaleTemps(dir: string, base: string, options: StaleTempOptions = {}): Promise<string[]> {
  const { now = Date.now(), isAlive = processAlive, host = HOST_TAG } = options;
  let names: string[];
  try {
    names = await fs.promises.readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const owner = parseTempName(base, name);
    if (!owner) continue;
    const file = path.join(dir, name);
    try {
      const st = await fs.promises.lstat(file);
      if (!st.isFile()) continue;
      const old = now - st.mtimeMs > STALE_TEMP_MS;
      const dead = (owner.host === undefined || owner.host === host) && !isAlive(owner.pid);
      if (!old && !dead) continue; // a live writer's, or another host's that is still young
      await fs.promises.unlink(file);
      removed.push(name);
    } catch { /* gone already, or not ours to delete: leave it */ }
  }
  return removed;
}

export async function writeFileAtomic(file: string, data: string | Buffer, options: AtomicWriteOptions = {}): Promise<AtomicWriteResult> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const target = await resolveTarget(file);
  const dir = path.dirname(target);
  await removeStaleTemps(dir, path.basename(target));
  const existing = await statOrUndefined(target);
  if (existing && !existing.isFile()) throw new Error(`${target} is not a regular file`);
  const mode = existing ? existing.mode & 0o7777 : options.mode ?? 0o600;
  if (existing && !options.force) {
    const current = await fs.promises.readFile(target);
    if (current.equals(bytes)) return { path: target, written: false, created: false, mode };
  }
  const createdDir = await fs.promises.mkdir(dir, { recursive: true, mode: options.dirMode ?? 0o700 });

  let backupPath: string | undefined;
  let temp: string | undefined;
  try {
    if (existing && options.backup) {
      const wanted = typeof options.backup === 'string' ? options.backup : `${target}${BACKUP_SUFFIX}`;
      if (!(await statOrUndefined(wanted))) {
        // COPYFILE_EXCL: never clobber the first backup, even if two writers race.
        try {
          await fs.promises.copyFile(target, wanted, fs.constants.COPYFILE_EXCL);
          backupPath = wanted;
          await fs.promises.chmod(wanted, mode & 0o600 || 0o600);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        }
      }
    }

    temp = path.join(dir, tempName(path.basename(target)));
    // Owner-only at creation; owner and exact mode are set before the first byte, so the temp file is never
    // more readable than the final file (a 0644 config gets 0644 before its bytes, a 0600 one stays 0600).
    const handle = await fs.promises.open(temp, 'wx', 0o600);
    try {
      if (existing && process.platform !== 'win32') {
        try { await handle.chown(existing.uid, existing.gid); } catch { /* not ours to change: keep our own */ }
      }
      await handle.chmod(mode);
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(temp, target);
  } catch (err) {
    // Nothing changed: no temp file, no backup made by this call, no folder made by this call.
    if (temp) await fs.promises.rm(temp, { force: true }).catch(() => undefined);
    if (backupPath) await removeBackupIfOriginalIntact(target, backupPath);
    if (createdDir) await removeEmptyFolders(dir, createdDir);
    throw err;
  }
  await fsyncDir(dir);
  return { path: target, written: true, created: !existing, mode, backupPath, createdDir };
}

/** The backup this call made goes only while the file still holds what the backup holds (another writer may have changed it since). */
async function removeBackupIfOriginalIntact(target: string, backupPath: string): Promise<void> {
  try {
    const [now, saved] = await Promise.all([fs.promises.readFile(target), fs.promises.readFile(backupPath)]);
    if (now.equals(saved)) await fs.promises.rm(backupPath, { force: true });
  } catch { /* keep it: a spare backup is harmless */ }
}

/** Removes `dir` and its parents up to and including `top`, as long as they are empty (folders this call made). */
export async function removeEmptyFolders(dir: string, top: string): Promise<void> {
  for (let cur = dir; ; cur = path.dirname(cur)) {
    try {
      await fs.promises.rmdir(cur);
    } catch {
      return;
    }
    if (cur === top || path.dirname(cur) === cur) return;
  }
}

/** Follows symlinks (even dangling ones) so the link itself survives and its target is replaced. */
async function resolveTarget(file: string): Promise<string> {
  let current = path.resolve(file);
  for (let hops = 0; hops < 40; hops++) {
    let link: string;
    try {
      link = await fs.promises.readlink(current);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EINVAL' || code === 'ENOENT' || code === 'UNKNOWN') return current;
      throw err;
    }
    current = path.resolve(path.dirname(current), link);
  }
  throw new Error(`${file}: too many levels of symbolic links`);
}

async function statOrUndefined(p: string): Promise<fs.Stats | undefined> {
  try {
    return await fs.promises.stat(p);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  let h: fs.promises.FileHandle | undefined;
  try {
    h = await fs.promises.open(dir, 'r');
    await h.sync();
  } catch { /* some filesystems refuse fsync on folders; the rename already happened */ } finally {
    await h?.close();
  }
}

/**
 * Advisory lock around a read-modify-write of a file (two VS Code windows, or a window and the CLI, writing the
 * same SSH config): `<file>.opsdeck-lock` next to it, created with O_EXCL semantics (written whole under a temp
 * name, then hard-linked into place, so a reader never sees a half-written lock), holding
 * `{ pid, host, time, nonce }`. The second writer waits (bounded) and then runs; it never interleaves its read and
 * rename with the first writer's, so neither loses the other's update.
 *
 * A lock is stale, and taken over, when its writer is dead (same host: the pid is gone, e.g. SIGKILL) or it is
 * older than `staleMs` (another host sharing the home folder, or a reused pid). Takeover renames the stale lock
 * aside first and checks it was the one judged stale, so two writers taking over at once cannot both win.
 * Other programs (the user's editor) do not take this lock: it orders OpsDeck's writers among themselves; the
 * re-read under the lock is what keeps an edit the user saved before it.
 */
export const LOCK_SUFFIX = '.opsdeck-lock';
export const LOCK_WAIT_MS = 10_000;
export const LOCK_STALE_MS = 30_000;

export interface FileLockOptions {
  /** How long to wait for another writer before giving up (default LOCK_WAIT_MS). */
  readonly waitMs?: number;
  /** A lock older than this is stale whatever its pid says (default LOCK_STALE_MS). */
  readonly staleMs?: number;
  readonly isAlive?: (pid: number) => boolean;
}

export interface LockHolder { readonly pid: number; readonly host: string; readonly time: number; readonly nonce: string }

/** Thrown when another writer held the lock for the whole wait. Nothing was read or written. */
export class FileLockedError extends Error {
  readonly code = 'ELOCKED';
  constructor(readonly file: string, readonly holder: LockHolder | undefined, waitedMs: number) {
    const who = holder ? `process ${holder.pid}${holder.host === HOST_TAG ? '' : ' on another machine'}, since ${new Date(holder.time).toISOString()}` : 'another process';
    super(`Another OpsDeck window (or the opsdeck CLI) is writing ${file} (${who}). Waited ${Math.round(waitedMs / 1000)} s; nothing was changed. Try again in a moment. If no OpsDeck is running, delete ${file}${LOCK_SUFFIX}.`);
    this.name = 'FileLockedError';
  }
}

export function lockPath(target: string): string {
  return `${target}${LOCK_SUFFIX}`;
}

async function readHolder(lock: string): Promise<LockHolder | undefined> {
  try {
    const v = JSON.parse(await fs.promises.readFile(lock, 'utf8')) as Partial<LockHolder>;
    if (typeof v.pid === 'number' && typeof v.host === 'string' && typeof v.time === 'number' && typeof v.nonce === 'string') return v as LockHolder;
  } catch { /* gone, or not ours: judged by its age below */ }
  return undefined;
}

function isStale(holder: LockHolder | undefined, mtimeMs: number, staleMs: number, isAlive: (pid: number) => boolean): boolean {
  const now = Date.now();
  if (!holder) return now - mtimeMs > staleMs;
  if (holder.host === HOST_TAG && !isAlive(holder.pid)) return true;
  return now - Math.max(holder.time, mtimeMs) > staleMs;
}

/** One attempt: true when the lock is ours. Throws on file errors other than "someone holds it". */
async function tryCreateLock(lock: string, me: LockHolder): Promise<boolean> {
  const dir = path.dirname(lock);
  const temp = path.join(dir, tempName(path.basename(lock)));
  await fs.promises.writeFile(temp, JSON.stringify(me), { flag: 'wx', mode: 0o600 });
  try {
    await fs.promises.link(temp, lock);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw err;
    // No hard links here (some network or FAT filesystems): fall back to O_EXCL on the lock itself.
    try {
      await fs.promises.writeFile(lock, JSON.stringify(me), { flag: 'wx', mode: 0o600 });
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    }
  } finally {
    await fs.promises.rm(temp, { force: true }).catch(() => undefined);
  }
}

/** A takeover guard is held for a read and an unlink: one older than this was left by a crashed writer. */
const GUARD_STALE_MS = 5_000;

/**
 * Removes a lock judged stale. Takeovers are serialised by a second lock, `<lock>.takeover`: renaming the stale
 * lock aside and putting back a live one that replaced it meanwhile leaves a moment with no lock, in which a third
 * writer gets in while the live holder goes on (seen: 12 writers racing for one stale lock, two inside at once).
 * Under the guard the lock is read and judged again: only the very lock judged stale (same nonce), still stale, is
 * removed. Without the guard nobody removes anything. True when the lock is gone: try to take it at once; false:
 * wait as for a live lock (someone else is taking over).
 */
async function takeOver(lock: string, judged: LockHolder | undefined, me: LockHolder, staleMs: number, isAlive: (pid: number) => boolean): Promise<boolean> {
  const guard = `${lock}.takeover`;
  if (!(await tryCreateLock(guard, me))) {
    const st = await fs.promises.stat(guard).catch(() => undefined);
    if (st && Date.now() - st.mtimeMs > GUARD_STALE_MS) await fs.promises.rm(guard, { force: true }).catch(() => undefined);
    return false;
  }
  try {
    const now = await readHolder(lock);
    const st = await fs.promises.stat(lock).catch(() => undefined);
    if (!st) return true; // released meanwhile
    if (now?.nonce !== judged?.nonce || !isStale(now, st.mtimeMs, staleMs, isAlive)) return false; // replaced: judge again
    await fs.promises.rm(lock, { force: true });
    return true;
  } finally {
    await fs.promises.rm(guard, { force: true }).catch(() => undefined);
  }
}

/**
 * Runs `fn` holding the lock of `file` (see LOCK_SUFFIX). Creates the file's folder (0700) if needed for the lock
 * and removes it again if it is still empty afterwards. Waits up to `waitMs` (with jitter), then throws
 * FileLockedError. The lock is released when `fn` settles, whatever it did.
 */
export async function withFileLock<T>(file: string, fn: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const { waitMs = LOCK_WAIT_MS, staleMs = LOCK_STALE_MS, isAlive = processAlive } = options;
  const target = await resolveTarget(file);
  const lock = lockPath(target);
  const dir = path.dirname(lock);
  const createdDir = await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
  const me: LockHolder = { pid: process.pid, host: HOST_TAG, time: Date.now(), nonce: randomBytes(8).toString('hex') };
  const started = Date.now();
  let delay = 5;
  let holder: LockHolder | undefined;
  try {
    await removeStaleTemps(dir, path.basename(lock));
    await removeStaleTemps(dir, `${path.basename(lock)}.takeover`);
    for (;;) {
      if (await tryCreateLock(lock, { ...me, time: Date.now() })) break;
      holder = await readHolder(lock);
      const st = await fs.promises.stat(lock).catch(() => undefined);
      if (!st) continue; // released between our attempt and the look
      if (isStale(holder, st.mtimeMs, staleMs, isAlive) && (await takeOver(lock, holder, me, staleMs, isAlive))) continue;
      const waited = Date.now() - started;
      if (waited >= waitMs) throw new FileLockedError(target, holder, waited);
      await new Promise((r) => setTimeout(r, Math.min(delay + Math.random() * delay, waitMs - waited + 1)));
      delay = Math.min(delay * 2, 100);
    }
  } catch (err) {
    if (createdDir) await removeEmptyFolders(dir, createdDir);
    throw err;
  }
  try {
    return await fn();
  } finally {
    const still = await readHolder(lock);
    if (still?.nonce === me.nonce) await fs.promises.rm(lock, { force: true }).catch(() => undefined);
    if (createdDir) await removeEmptyFolders(dir, createdDir);
  }
}
