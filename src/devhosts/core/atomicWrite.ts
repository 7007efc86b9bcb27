import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/**
 * Atomic file replacement for files people care about (their SSH config). Pure Node, no editor or AWS code,
 * usable on its own:
 *
 *   await writeFileAtomic('/home/me/.ssh/config', bytes, { backup: true });
 *
 * - writes a temp file in the same folder (same filesystem, so rename is atomic), fsyncs it, renames it over the
 *   target, then fsyncs the folder: a crash leaves either the old or the new file, never half of one;
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
}

export const BACKUP_SUFFIX = '.opsdeck-backup';

export async function writeFileAtomic(file: string, data: string | Buffer, options: AtomicWriteOptions = {}): Promise<AtomicWriteResult> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const target = await resolveTarget(file);
  const existing = await statOrUndefined(target);
  if (existing && !existing.isFile()) throw new Error(`${target} is not a regular file`);
  const mode = existing ? existing.mode & 0o7777 : options.mode ?? 0o600;
  if (existing && !options.force) {
    const current = await fs.promises.readFile(target);
    if (current.equals(bytes)) return { path: target, written: false, created: false, mode };
  }
  const dir = path.dirname(target);
  await fs.promises.mkdir(dir, { recursive: true, mode: options.dirMode ?? 0o700 });

  let backupPath: string | undefined;
  if (existing && options.backup) {
    const wanted = typeof options.backup === 'string' ? options.backup : `${target}${BACKUP_SUFFIX}`;
    if (!(await statOrUndefined(wanted))) {
      // COPYFILE_EXCL: never clobber the first backup, even if two writers race.
      try {
        await fs.promises.copyFile(target, wanted, fs.constants.COPYFILE_EXCL);
        await fs.promises.chmod(wanted, mode & 0o600 || 0o600);
        backupPath = wanted;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
  }

  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await fs.promises.open(temp, 'wx', mode);
  try {
    try {
      await handle.writeFile(bytes);
      // The umask may have narrowed the mode given to open(); set it exactly.
      await handle.chmod(mode);
      if (existing && process.platform !== 'win32') {
        try { await handle.chown(existing.uid, existing.gid); } catch { /* not ours to change: keep our own */ }
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(temp, target);
  } catch (err) {
    await fs.promises.rm(temp, { force: true });
    throw err;
  }
  await fsyncDir(dir);
  return { path: target, written: true, created: !existing, mode, backupPath };
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
