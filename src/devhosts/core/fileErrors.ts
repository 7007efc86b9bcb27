import * as fs from 'fs';
import * as path from 'path';

/**
 * File errors around the SSH config, in words: what failed, on which path, and what to do — instead of Node's
 * `EACCES: permission denied, open '/x/.ssh/.config.123.tmp'`. Pure Node (no editor), shared by the VS Code
 * commands and the CLI; each says how the user changes the path (a setting, or a CLI flag).
 */
export type ConfigFileRole = 'sshConfig' | 'managedConfig';
export type FileOperation = 'read' | 'write' | 'delete';

/** How the user points OpsDeck at another file, per role (a phrase that follows "or "). */
export interface PathHints {
  readonly sshConfig: string;
  readonly managedConfig: string;
}

export const SETTING_FOR_ROLE: Readonly<Record<ConfigFileRole, string>> = {
  sshConfig: 'opsdeck.devHosts.sshConfigFile',
  managedConfig: 'opsdeck.devHosts.managedConfigPath',
};

export const VSCODE_PATH_HINTS: PathHints = {
  sshConfig: 'set opsdeck.devHosts.sshConfigFile (else remote.SSH.configFile is used) to a file you can write',
  managedConfig: 'set opsdeck.devHosts.managedConfigPath to a file you can write',
};

export const CLI_PATH_HINTS: PathHints = {
  sshConfig: 'pass --config with a file you can write',
  managedConfig: 'pass --managed with a file you can write',
};

/** Error codes this module explains; anything else keeps its own message (prefixed with what failed). */
export const EXPLAINED_CODES = ['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'ENOENT', 'EISDIR', 'ENOTDIR', 'ELOOP'] as const;

export interface FileProblem {
  readonly code: string;
  readonly operation: FileOperation;
  /** The file OpsDeck meant to read, write or delete (not a temp file). */
  readonly file: string;
  readonly role: ConfigFileRole;
  /** What is wrong, e.g. "the folder /x/.ssh is read-only for this user". */
  readonly reason: string;
  /** What to do about it, before the "or <hint>" part (may be empty). */
  readonly fix: string;
}

/**
 * An SSH config file could not be read, written or deleted. `message` is for the editor (names the setting);
 * `withHints(CLI_PATH_HINTS)` gives the CLI's version. `name` is what src/aws/errors.ts recognises to offer an
 * "Open Settings" button for `setting`.
 */
export class LocalFileError extends Error {
  override readonly name = 'LocalFileError';
  readonly code: string;
  readonly setting: string;
  constructor(readonly problem: FileProblem, hints: PathHints = VSCODE_PATH_HINTS, options?: { cause?: unknown }) {
    super(describeProblem(problem, hints), options);
    this.code = problem.code;
    this.setting = SETTING_FOR_ROLE[problem.role];
  }
  withHints(hints: PathHints): LocalFileError {
    return new LocalFileError(this.problem, hints, { cause: this.cause });
  }
}

const VERB: Record<FileOperation, string> = { read: 'read', write: 'write', delete: 'delete' };

export function describeProblem(p: FileProblem, hints: PathHints): string {
  const hint = hints[p.role];
  const todo = p.fix ? `${p.fix}, or ${hint}` : capitalize(hint);
  return `Cannot ${VERB[p.operation]} ${p.file}: ${p.reason} (${p.code}). ${todo}. Nothing was changed.`;
}

function capitalize(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

/** The deepest existing ancestor of `p` (itself if it exists), and whether it is a folder. */
async function nearestExisting(p: string): Promise<{ path: string; isDir: boolean } | undefined> {
  let cur = path.resolve(p);
  for (;;) {
    try {
      const st = await fs.promises.stat(cur);
      return { path: cur, isDir: st.isDirectory() };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') return undefined;
    }
    const up = path.dirname(cur);
    if (up === cur) return undefined;
    cur = up;
  }
}

async function canAccess(p: string, mode: number): Promise<boolean> {
  try {
    await fs.promises.access(p, mode);
    return true;
  } catch {
    return false;
  }
}

/**
 * Turns a Node file error met while reading, writing or deleting `file` into a LocalFileError, looking at the
 * file system to say which path is at fault. Errors without a file-system code come back unchanged.
 */
export async function explainFileError(err: unknown, operation: FileOperation, file: string, role: ConfigFileRole): Promise<unknown> {
  if (err instanceof LocalFileError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (!code || typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) {
    // writeFileAtomic's own "is not a regular file" check: a folder (or device) where the file should be.
    if (err instanceof Error && / is not a regular file$/.test(err.message)) return explainFileError(Object.assign(new Error(err.message), { code: 'EISDIR' }), operation, file, role);
    return err;
  }
  const abs = path.resolve(file);
  const dir = path.dirname(abs);
  const reason = async (): Promise<{ reason: string; fix: string }> => {
    switch (code) {
      case 'EACCES':
      case 'EPERM': {
        const near = await nearestExisting(dir);
        const folder = near?.isDir ? near.path : dir;
        if (near?.isDir && !(await canAccess(folder, fs.constants.X_OK))) {
          return { reason: `the folder ${folder} cannot be opened by this user`, fix: `Fix its permissions (chmod u+rwx ${folder})` };
        }
        const fileExists = await fs.promises.stat(abs).then(() => true, () => false);
        if (operation === 'read' || (fileExists && !(await canAccess(abs, fs.constants.R_OK)))) {
          return { reason: 'the file is not readable by this user', fix: `Fix its permissions (chmod u+rw ${abs})` };
        }
        if (code === 'EPERM') {
          return { reason: `the system does not allow changes in ${folder} (a lock such as chattr +i or chflags uchg, or macOS privacy settings)`, fix: 'Remove the lock' };
        }
        return { reason: `the folder ${folder} is read-only for this user`, fix: `Fix its permissions (chmod u+w ${folder})` };
      }
      case 'EROFS': {
        const near = await nearestExisting(dir);
        return { reason: `${near?.path ?? dir} is on a read-only file system`, fix: 'Remount it read-write' };
      }
      case 'ENOSPC':
        return { reason: 'the disk is full', fix: 'Free some space and try again' };
      case 'EDQUOT':
        return { reason: 'your disk quota is used up', fix: 'Free some space and try again' };
      case 'ENOENT':
        return { reason: `the folder ${dir} does not exist and could not be created (a dangling link in the path?)`, fix: `Create ${dir}` };
      case 'EISDIR':
        return { reason: 'it is a folder, not a file', fix: '' };
      case 'ENOTDIR': {
        const near = await nearestExisting(dir);
        const blocker = near && !near.isDir ? near.path : dir;
        return { reason: `${blocker} is a file, not a folder`, fix: `Move ${blocker} away` };
      }
      case 'ELOOP':
        return { reason: 'the path has a loop of symbolic links', fix: 'Fix the links' };
      default:
        return { reason: firstLine((err as Error).message ?? String(err)), fix: '' };
    }
  };
  return new LocalFileError({ code, operation, file: abs, role, ...(await reason()) }, VSCODE_PATH_HINTS, { cause: err });
}

function firstLine(s: string): string {
  const line = s.split('\n')[0].trim();
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
