import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FileLockedError, removeEmptyFolders, withFileLock, writeFileAtomic, type AtomicWriteOptions, type AtomicWriteResult, type FileLockOptions } from './core/atomicWrite';
import { explainFileError, type ConfigFileRole } from './core/fileErrors';
import { findRegion, includeLine, linesBeforeRegion, mergeRegion, removeRegion, type MergeResult } from './core/merge';
import { shadowedAliases } from './core/sshEffective';

/**
 * Where OpsDeck's SSH config lives and how it reaches the user's config: the file I/O around the pure merge.
 * Node only (no editor, no AWS), shared by the VS Code commands and the CLI.
 */
export type Placement = 'include' | 'inplace';

export const DEFAULT_MANAGED_PATH = '~/.ssh/opsdeck/config';
export const DEFAULT_USER_CONFIG = '~/.ssh/config';

export function expandHome(p: string, home = os.homedir()): string {
  if (p === '~') return home;
  if (p.startsWith('~/') || p.startsWith('~\\')) return path.join(home, p.slice(2));
  return path.resolve(p);
}

/** `~/…` when under the home folder, so the Include line reads the same on every machine of a dotfiles repo. */
export function displayPath(abs: string, home = os.homedir()): string {
  const rel = path.relative(home, abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? `~/${rel.split(path.sep).join('/')}` : abs;
}

/** The config Remote-SSH uses: `remote.SSH.configFile` if set, else ~/.ssh/config. */
export function userConfigPath(remoteSshConfigFile: string | undefined, home = os.homedir()): string {
  return expandHome(remoteSshConfigFile?.trim() || DEFAULT_USER_CONFIG, home);
}

export interface ApplyRequest {
  readonly userConfig: string;
  readonly managedPath: string;
  readonly managedText: string;
  readonly placement: Placement;
}

export interface ApplyPlan {
  readonly request: ApplyRequest;
  readonly user: MergeResult;
  readonly userExists: boolean;
  /** Whether the managed file's bytes differ (include placement only). */
  readonly managedChanged: boolean;
  /** True when OpsDeck's region is not in the user's file yet: ask before the first change. */
  readonly firstTime: boolean;
  readonly warnings: readonly string[];
}

export interface ApplyResult extends ApplyPlan {
  readonly userWrite?: AtomicWriteResult;
  readonly managedWrite?: AtomicWriteResult;
}

/**
 * File errors (permission denied, read-only or full disk, a file where a folder should be…) come out of every
 * function below as a LocalFileError (core/fileErrors.ts): what failed, on which path, what to do, and that
 * nothing was changed.
 */
async function readIfExists(file: string, role: ConfigFileRole): Promise<Buffer | undefined> {
  try {
    return await fs.promises.readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // ENOTDIR: a file where a parent folder should be: for reading, the config simply is not there.
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw await explainFileError(err, 'read', file, role);
  }
}

async function write(file: string, data: string | Buffer, role: ConfigFileRole, options: AtomicWriteOptions): Promise<AtomicWriteResult> {
  try {
    return await writeFileAtomic(file, data, options);
  } catch (err) {
    throw await explainFileError(err, 'write', file, role);
  }
}

/** Computes what a write would change, without touching anything. Throws MarkerError on broken markers. */
export async function planSshConfig(request: ApplyRequest): Promise<ApplyPlan> {
  const current = await readIfExists(request.userConfig, 'sshConfig');
  const body = request.placement === 'include' ? includeLine(displayPath(request.managedPath)) : request.managedText;
  const user = mergeRegion(current ?? Buffer.alloc(0), body);
  let managedChanged = false;
  if (request.placement === 'include') {
    const existing = await readIfExists(request.managedPath, 'managedConfig');
    managedChanged = !existing || !existing.equals(Buffer.from(request.managedText, 'utf8'));
  }
  const warnings: string[] = [];
  const before = linesBeforeRegion(user.content);
  if (current) {
    const region = findRegion(current.toString('latin1'));
    const aliases = [...request.managedText.matchAll(/^Host (\S+)$/gm)].map((m) => m[1]);
    warnings.push(...shadowedAliases({ file: request.userConfig, text: current.toString('utf8'), skip: region ? [{ from: region.startLine, to: region.endLine }] : [] }, aliases));
  }
  if (before.length) warnings.push(`${request.userConfig}: line(s) ${before.slice(0, 5).join(', ')} come before OpsDeck's block; ssh uses the first value it finds, so they can override it, and Remote-SSH may not list included hosts. Move the block to the top if hosts misbehave.`);
  return { request, user, userExists: !!current, managedChanged, firstTime: user.action === 'inserted', warnings };
}

/**
 * Runs a read-modify-write of the user's config (and the managed file) holding OpsDeck's lock on the user's
 * config (core/atomicWrite.ts withFileLock): two windows (or a window and the CLI) writing at once take turns, the
 * later one waits and then writes over a fresh read. Lock problems come out as a FileLockedError (another writer
 * held it for the whole wait) or a LocalFileError (the folder cannot hold a lock file).
 */
async function underLock<T>(userConfig: string, fn: () => Promise<T>, options?: FileLockOptions): Promise<T> {
  let inside = false;
  try {
    return await withFileLock(userConfig, () => { inside = true; return fn(); }, options);
  } catch (err) {
    if (inside || err instanceof FileLockedError) throw err;
    // A folder nobody may write to (read-only ~/.ssh) holds no lock for anyone: go on unlocked, as before locks.
    // The managed file may still be writable, and if the user's file must change, its write explains the folder.
    if (['EACCES', 'EPERM', 'EROFS'].includes((err as NodeJS.ErrnoException).code ?? '')) return fn();
    throw await explainFileError(err, 'write', userConfig, 'sshConfig');
  }
}

/**
 * Performs a plan: the managed file first (so the Include never points at nothing), then the user's file. If the
 * user's file cannot be written, the managed file is put back as it was, so a failure changes nothing. All of it
 * happens under the lock, over a fresh read of the user's file: an edit saved since planning (by the user or by
 * another OpsDeck window) is kept, never clobbered by the plan's older copy.
 */
export async function applySshConfig(plan: ApplyPlan, options?: FileLockOptions): Promise<ApplyResult> {
  const { request } = plan;
  return underLock(request.userConfig, async () => {
    const now = await readIfExists(request.userConfig, 'sshConfig');
    const user = mergeRegion(now ?? Buffer.alloc(0), request.placement === 'include' ? includeLine(displayPath(request.managedPath)) : request.managedText);
    let managedWrite: AtomicWriteResult | undefined;
    let managedBefore: Buffer | undefined;
    if (request.placement === 'include') {
      if (user.changed) managedBefore = await readIfExists(request.managedPath, 'managedConfig');
      managedWrite = await write(request.managedPath, request.managedText, 'managedConfig', { mode: 0o600, dirMode: 0o700 });
    }
    let userWrite: AtomicWriteResult | undefined;
    if (user.changed) {
      try {
        userWrite = await write(request.userConfig, user.content, 'sshConfig', { mode: 0o600, dirMode: 0o700, backup: true });
      } catch (err) {
        if (managedWrite?.written) await restoreManaged(request.managedPath, managedBefore, managedWrite);
        throw err;
      }
    }
    return { ...plan, user, userExists: !!now, userWrite, managedWrite };
  }, options);
}

/** Undoes the managed file's write: the old bytes back, or the new file (and the folders made for it) gone. */
async function restoreManaged(managedPath: string, before: Buffer | undefined, written: AtomicWriteResult): Promise<void> {
  try {
    if (before) {
      await writeFileAtomic(managedPath, before, { force: true });
    } else if (written.created) {
      await fs.promises.unlink(written.path);
      // The folders that write made (~/.ssh/opsdeck), if empty now; never folders that were already there.
      if (written.createdDir) await removeEmptyFolders(path.dirname(written.path), written.createdDir);
    }
  } catch { /* best effort: the error about the user's file is what the user needs to see */ }
}

export async function writeSshConfig(request: ApplyRequest, options?: FileLockOptions): Promise<ApplyResult> {
  return applySshConfig(await planSshConfig(request), options);
}

/** Undo: takes OpsDeck's block out of the user's config and deletes the managed file. Everything else stays. */
export async function removeSshConfig(userConfig: string, managedPath: string, options?: FileLockOptions): Promise<{ removed: boolean; managedDeleted: boolean }> {
  if (!fs.existsSync(path.dirname(path.resolve(userConfig)))) return removeUnlocked(userConfig, managedPath); // nothing to lock, nothing to remove there
  return underLock(userConfig, () => removeUnlocked(userConfig, managedPath), options);
}

async function removeUnlocked(userConfig: string, managedPath: string): Promise<{ removed: boolean; managedDeleted: boolean }> {
  const current = await readIfExists(userConfig, 'sshConfig');
  // Check the managed file can be deleted before touching the user's file, so a failure changes nothing.
  const managedDir = path.dirname(path.resolve(managedPath));
  if (fs.existsSync(managedPath)) {
    try {
      await fs.promises.access(managedDir, fs.constants.W_OK | fs.constants.X_OK);
    } catch (err) {
      throw await explainFileError(err, 'delete', managedPath, 'managedConfig');
    }
  }
  let removed = false;
  if (current) {
    const r = removeRegion(current);
    if (r.changed) {
      await write(userConfig, r.content, 'sshConfig', { backup: true });
      removed = true;
    }
  }
  let managedDeleted = false;
  try {
    await fs.promises.unlink(managedPath);
    managedDeleted = true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw await explainFileError(err, 'delete', managedPath, 'managedConfig');
  }
  return { removed, managedDeleted };
}
