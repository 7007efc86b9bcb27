import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { writeFileAtomic, BACKUP_SUFFIX, STALE_TEMP_MS, parseTempName, removeStaleTemps, tempName } from '../../../src/devhosts/core/atomicWrite';
import { applySshConfig, planSshConfig, removeSshConfig, writeSshConfig, displayPath, userConfigPath } from '../../../src/devhosts/configFiles';
import { CLI_PATH_HINTS, LocalFileError, explainFileError } from '../../../src/devhosts/core/fileErrors';
import { START_MARKER } from '../../../src/devhosts/core/merge';
import { toActionableError } from '../../../src/aws/errors';

describe('devhosts: atomic writes and the config files', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-aw-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const mode = (p: string): number => fs.statSync(p).mode & 0o777;

  it('creates new files 0600 in new folders 0700, whatever the umask', async () => {
    const old = process.umask(0o022);
    try {
      const file = path.join(dir, 'a', 'b', 'config');
      const r = await writeFileAtomic(file, 'x');
      assert.deepStrictEqual([r.written, r.created, mode(file), mode(path.dirname(file))], [true, true, 0o600, 0o700]);
    } finally { process.umask(old); }
  });

  it('keeps an existing mode, backs up once before the first change, leaves no temp files', async () => {
    const file = path.join(dir, 'config');
    fs.writeFileSync(file, 'original');
    fs.chmodSync(file, 0o640);
    const r1 = await writeFileAtomic(file, 'second', { backup: true });
    const r2 = await writeFileAtomic(file, 'third', { backup: true });
    assert.strictEqual(r1.backupPath, file + BACKUP_SUFFIX);
    assert.strictEqual(r2.backupPath, undefined);
    assert.strictEqual(fs.readFileSync(file + BACKUP_SUFFIX, 'utf8'), 'original');
    assert.strictEqual(fs.readFileSync(file, 'utf8'), 'third');
    assert.strictEqual(mode(file), 0o640);
    assert.deepStrictEqual(fs.readdirSync(dir).sort(), ['config', `config${BACKUP_SUFFIX}`]);
  });

  it('writes nothing (same inode, same mtime) when the bytes are unchanged', async () => {
    const file = path.join(dir, 'config');
    fs.writeFileSync(file, 'same');
    const past = new Date('2020-01-01T00:00:00Z');
    fs.utimesSync(file, past, past);
    const before = fs.statSync(file);
    const r = await writeFileAtomic(file, 'same', { backup: true });
    const after = fs.statSync(file);
    assert.strictEqual(r.written, false);
    assert.deepStrictEqual([after.ino, after.mtimeMs], [before.ino, before.mtimeMs]);
    assert.ok(!fs.existsSync(file + BACKUP_SUFFIX));
  });

  it('replaces the file a symlink points to and keeps the link', async () => {
    const real = path.join(dir, 'dotfiles-config');
    const link = path.join(dir, 'config');
    fs.writeFileSync(real, 'a');
    fs.symlinkSync(real, link);
    await writeFileAtomic(link, 'b');
    assert.ok(fs.lstatSync(link).isSymbolicLink());
    assert.strictEqual(fs.readFileSync(real, 'utf8'), 'b');
  });

  it('refuses a non-file target and cleans up its temp file on failure', async () => {
    await assert.rejects(writeFileAtomic(dir, 'x'), /not a regular file/);
    const ro = path.join(dir, 'ro');
    fs.mkdirSync(ro);
    fs.writeFileSync(path.join(ro, 'config'), 'a');
    fs.chmodSync(ro, 0o500);
    try {
      if (process.getuid?.() === 0) return; // root ignores folder permissions
      await assert.rejects(writeFileAtomic(path.join(ro, 'config'), 'b'));
      assert.deepStrictEqual(fs.readdirSync(ro), ['config']);
    } finally { fs.chmodSync(ro, 0o700); }
  });

  it('include placement: managed file + one Include at the top, byte-identical rerun, undo', async () => {
    const userConfig = path.join(dir, 'ssh', 'config');
    const managed = path.join(dir, 'ssh', 'opsdeck', 'config');
    fs.mkdirSync(path.dirname(userConfig));
    const original = 'Host *\n  ServerAliveInterval 5\n# mine\n';
    fs.writeFileSync(userConfig, original, { mode: 0o644 });
    const req = { userConfig, managedPath: managed, managedText: 'Host macos1\n  HostName 10.0.0.1\n', placement: 'include' as const };
    const plan = await planSshConfig(req);
    assert.strictEqual(plan.firstTime, true);
    const r = await applySshConfig(plan);
    assert.ok(r.userWrite?.backupPath);
    const text = fs.readFileSync(userConfig, 'utf8');
    assert.ok(text.startsWith(`${START_MARKER}\nInclude ${managed}\n`));
    assert.ok(text.endsWith(original));
    assert.strictEqual(mode(userConfig), 0o644);
    assert.strictEqual(mode(managed), 0o600);
    assert.strictEqual(mode(path.dirname(managed)), 0o700);
    const mtimes = [fs.statSync(userConfig).mtimeMs, fs.statSync(managed).mtimeMs];
    await new Promise((res) => setTimeout(res, 20));
    const again = await writeSshConfig(req);
    assert.strictEqual(again.user.changed, false);
    assert.strictEqual(again.managedWrite?.written, false);
    assert.deepStrictEqual([fs.statSync(userConfig).mtimeMs, fs.statSync(managed).mtimeMs], mtimes);
    const undo = await removeSshConfig(userConfig, managed);
    assert.deepStrictEqual(undo, { removed: true, managedDeleted: true });
    assert.strictEqual(fs.readFileSync(userConfig, 'utf8'), original);
  });

  it('in-place placement keeps the whole config between the markers; a missing user file is created 0600', async () => {
    const userConfig = path.join(dir, 'new', 'config');
    const r = await writeSshConfig({ userConfig, managedPath: path.join(dir, 'unused'), managedText: 'Host a\n  HostName 1.1.1.1\n', placement: 'inplace' });
    assert.strictEqual(r.userWrite?.created, true);
    assert.strictEqual(mode(userConfig), 0o600);
    assert.match(fs.readFileSync(userConfig, 'utf8'), /Host a\n {2}HostName 1\.1\.1\.1\n# --- END/);
    assert.ok(!fs.existsSync(path.join(dir, 'unused')));
  });

  it('broken markers: stop, explain, change nothing', async () => {
    const userConfig = path.join(dir, 'config');
    const broken = `${START_MARKER}\nInclude x\n`;
    fs.writeFileSync(userConfig, broken);
    await assert.rejects(writeSshConfig({ userConfig, managedPath: path.join(dir, 'm'), managedText: 'x', placement: 'include' }), /no END marker/);
    assert.strictEqual(fs.readFileSync(userConfig, 'utf8'), broken);
    assert.ok(!fs.existsSync(path.join(dir, 'm')));
  });

  it('resolves remote.SSH.configFile and displays home paths with ~', () => {
    assert.strictEqual(userConfigPath(undefined, '/home/u'), '/home/u/.ssh/config');
    assert.strictEqual(userConfigPath('~/work/ssh_config', '/home/u'), '/home/u/work/ssh_config');
    assert.strictEqual(userConfigPath('  ', '/home/u'), '/home/u/.ssh/config');
    assert.strictEqual(displayPath('/home/u/.ssh/opsdeck/config', '/home/u'), '~/.ssh/opsdeck/config');
    assert.strictEqual(displayPath('/etc/ssh/x', '/home/u'), '/etc/ssh/x');
  });

  describe('temp files left by a killed writer', () => {
    const deadPid = (): number => spawnSync(process.execPath, ['-e', '']).pid!; // exited and reaped
    const hostOf = (name: string): string => parseTempName('config', name)!.host!;
    const touch = (name: string, ageMs = 0): string => {
      const p = path.join(dir, name);
      fs.writeFileSync(p, 'partial');
      if (ageMs) fs.utimesSync(p, new Date(Date.now() - ageMs), new Date(Date.now() - ageMs));
      return name;
    };

    it('the next write removes temps whose writer is dead or that are old; never a live writer\'s, another file\'s or a stranger\'s', async () => {
      const ours = hostOf(tempName('config'));
      const dead = deadPid();
      const hex = 'a1b2c3d4e5f6';
      const gone = [
        touch(`.config.opsdeck-${ours}-${dead}-${hex}.tmp`), // killed writer on this machine
        touch(`.config.opsdeck-${ours}-${process.pid}-${hex}.tmp`, STALE_TEMP_MS + 60_000), // old: pid since reused
        touch(`.config.opsdeck-0badc0de-${dead}-${hex}.tmp`, STALE_TEMP_MS + 60_000), // another host, old
        touch(`.config.${dead}.${hex}.tmp`), // the name earlier versions used
      ];
      const kept = [
        touch(`.config.opsdeck-${ours}-${process.pid}-${hex}.tmp`.replace(hex, 'ffffffffffff')), // a live writer's
        touch(`.config.opsdeck-0badc0de-${dead}-${hex}.tmp`.replace(hex, 'eeeeeeeeeeee')), // another host, young: its pid means nothing here
        touch(`.known_hosts.opsdeck-${ours}-${dead}-${hex}.tmp`), // another file's temp
        touch('.config.swp'), touch('config.tmp'), touch(`.config.${dead}.tmp`),
      ];
      fs.writeFileSync(path.join(dir, 'config'), 'old');
      await writeFileAtomic(path.join(dir, 'config'), 'new');
      const left = fs.readdirSync(dir);
      for (const g of gone) assert.ok(!left.includes(g), `${g} removed`);
      for (const k of kept) assert.ok(left.includes(k), `${k} kept`);
      assert.strictEqual(left.filter((n) => n.startsWith('.config.opsdeck-') && !kept.includes(n)).length, 0, 'and the write left none of its own');
    });

    it('an unchanged write tidies up too; a live pid stays until the file is old', async () => {
      const ours = hostOf(tempName('config'));
      fs.writeFileSync(path.join(dir, 'config'), 'same');
      const stale = touch(`.config.opsdeck-${ours}-${deadPid()}-0123456789ab.tmp`);
      const r = await writeFileAtomic(path.join(dir, 'config'), 'same');
      assert.strictEqual(r.written, false);
      assert.ok(!fs.existsSync(path.join(dir, stale)));
      const live = touch(`.config.opsdeck-${ours}-${process.pid}-0123456789ab.tmp`);
      assert.deepStrictEqual(await removeStaleTemps(dir, 'config', { now: Date.now() + STALE_TEMP_MS - 1000 }), []);
      assert.deepStrictEqual(await removeStaleTemps(dir, 'config', { now: Date.now() + STALE_TEMP_MS + 1000 }), [live]);
    });

    it('a temp file has the final mode before its first byte (0644 kept under umask 077, 0600 for the SSH config)', async () => {
      const realOpen = fs.promises.open;
      const seen: number[] = [];
      (fs.promises as { open: unknown }).open = async (...args: Parameters<typeof fs.promises.open>) => {
        const h = await realOpen(...args);
        const realWrite = h.writeFile.bind(h);
        h.writeFile = async (...w: Parameters<typeof h.writeFile>) => {
          seen.push((await h.stat()).mode & 0o777);
          return realWrite(...w);
        };
        return h;
      };
      const old = process.umask(0o077);
      try {
        const shared = path.join(dir, 'shared');
        fs.writeFileSync(shared, 'a');
        fs.chmodSync(shared, 0o644);
        await writeFileAtomic(shared, 'b');
        await writeFileAtomic(path.join(dir, 'ssh', 'config'), 'Host a\n', { mode: 0o600 });
      } finally {
        process.umask(old);
        (fs.promises as { open: unknown }).open = realOpen;
      }
      assert.deepStrictEqual(seen.map((m) => m.toString(8)), ['644', '600']);
    });
  });

  describe('file errors: a clear message, nothing changed', () => {
    const errno = (code: string, syscall = 'open', p = '/x'): NodeJS.ErrnoException => Object.assign(new Error(`${code}: fake, ${syscall} '${p}'`), { code, syscall, path: p });
    const listing = (root: string): string[] => fs.readdirSync(root, { recursive: true }).map(String).sort();
    /** Makes every open() of a temp file in `dir` fail with `code` (root ignores permission bits, so faults are injected). */
    async function withFailingTemp<T>(code: string, work: () => Promise<T>): Promise<T> {
      const realOpen = fs.promises.open;
      (fs.promises as { open: unknown }).open = async (...args: Parameters<typeof fs.promises.open>) => {
        if (/\.opsdeck-[0-9a-f]{8}-\d+-[0-9a-f]{12}\.tmp$/.test(String(args[0]))) throw errno(code, 'open', String(args[0]));
        return realOpen(...args);
      };
      try { return await work(); } finally { (fs.promises as { open: unknown }).open = realOpen; }
    }

    const table: Array<[string, RegExp]> = [
      ['EACCES', /: the folder .+ is read-only for this user \(EACCES\)\. Fix its permissions \(chmod u\+w .+\), or set opsdeck\.devHosts\.sshConfigFile/],
      ['EPERM', /: the system does not allow changes in .+ \(EPERM\)\. Remove the lock, or set opsdeck\.devHosts\.sshConfigFile/],
      ['EROFS', /: .+ is on a read-only file system \(EROFS\)\. Remount it read-write, or set/],
      ['ENOSPC', /: the disk is full \(ENOSPC\)\. Free some space and try again, or set/],
      ['EDQUOT', /: your disk quota is used up \(EDQUOT\)/],
    ];
    for (const [code, message] of table) {
      it(`${code} while writing the SSH config: says what, where and what to do; no temp, no backup, same file`, async () => {
        const userConfig = path.join(dir, 'ssh', 'config');
        fs.mkdirSync(path.dirname(userConfig));
        fs.writeFileSync(userConfig, 'Host mine\n');
        const before = listing(dir);
        const err = await withFailingTemp(code, () => writeSshConfig({ userConfig, managedPath: path.join(dir, 'unused'), managedText: 'Host a\n', placement: 'inplace' }).then(() => undefined, (e: unknown) => e));
        assert.ok(err instanceof LocalFileError, String(err));
        assert.match(err.message, new RegExp(`^Cannot write ${userConfig.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
        assert.match(err.message, message);
        assert.match(err.message, /Nothing was changed\.$/);
        assert.doesNotMatch(err.message, /\.tmp|fake/, 'no temp file name, no raw Node text');
        assert.deepStrictEqual(listing(dir), before, 'no temp file, no backup');
        assert.strictEqual(fs.readFileSync(userConfig, 'utf8'), 'Host mine\n');
        const cli = err.withHints(CLI_PATH_HINTS).message;
        assert.match(cli, /pass --config with a file you can write/);
        assert.doesNotMatch(cli, /opsdeck\.devHosts/);
        const a = toActionableError(err);
        assert.deepStrictEqual([a.kind, a.code, a.message, a.remedy], ['fileAccess', code, err.message, { kind: 'openSettings', setting: 'opsdeck.devHosts.sshConfigFile' }]);
      });
    }

    it('include placement: the managed file is written first, and put back when the user\'s config then fails', async () => {
      const userConfig = path.join(dir, 'ssh', 'config');
      const managed = path.join(dir, 'managed', 'opsdeck', 'config');
      fs.mkdirSync(path.dirname(userConfig));
      fs.writeFileSync(userConfig, 'Host mine\n');
      const realRename = fs.promises.rename;
      (fs.promises as { rename: unknown }).rename = async (from: fs.PathLike, to: fs.PathLike) => {
        if (String(to) === userConfig) throw errno('EACCES', 'rename', String(from));
        return realRename(from, to);
      };
      const before = listing(dir);
      try {
        await assert.rejects(writeSshConfig({ userConfig, managedPath: managed, managedText: 'Host a\n', placement: 'include' }), /Cannot write .*ssh\/config: the folder .*ssh is read-only for this user/);
        assert.deepStrictEqual(listing(dir), before, 'the managed file and the folders made for it are gone again');
        fs.mkdirSync(path.dirname(managed), { recursive: true });
        fs.writeFileSync(managed, 'Host previous\n');
        await assert.rejects(writeSshConfig({ userConfig, managedPath: managed, managedText: 'Host a\n', placement: 'include' }), LocalFileError);
        assert.strictEqual(fs.readFileSync(managed, 'utf8'), 'Host previous\n', 'the managed file\'s old content is back');
      } finally {
        (fs.promises as { rename: unknown }).rename = realRename;
      }
      assert.strictEqual(fs.readFileSync(userConfig, 'utf8'), 'Host mine\n');
    });

    it('folders made for a write are removed again when it fails', async () => {
      const file = path.join(dir, 'a', 'b', 'config');
      await withFailingTemp('ENOSPC', () => assert.rejects(writeFileAtomic(file, 'x'), { code: 'ENOSPC' }));
      assert.deepStrictEqual(fs.readdirSync(dir), []);
    });

    it('a file where a folder should be, a folder where the file should be, a missing folder: named in words', async () => {
      fs.writeFileSync(path.join(dir, 'ssh'), 'not a folder');
      await assert.rejects(writeSshConfig({ userConfig: path.join(dir, 'ssh', 'config'), managedPath: path.join(dir, 'm'), managedText: 'Host a\n', placement: 'inplace' }),
        new RegExp(`Cannot write .*: ${path.join(dir, 'ssh').replace(/[/.]/g, '\\$&')} is a file, not a folder \\(ENOTDIR\\)\\. Move .* away, or set opsdeck\\.devHosts\\.sshConfigFile`));
      fs.mkdirSync(path.join(dir, 'cfg'));
      await assert.rejects(writeSshConfig({ userConfig: path.join(dir, 'cfg'), managedPath: path.join(dir, 'm'), managedText: 'Host a\n', placement: 'inplace' }),
        /Cannot read .*cfg: it is a folder, not a file \(EISDIR\)\. Set opsdeck\.devHosts\.sshConfigFile/);
      const missing = await explainFileError(errno('ENOENT', 'open'), 'write', path.join(dir, 'gone', 'config'), 'managedConfig') as LocalFileError;
      assert.match(missing.message, /the folder .*gone does not exist and could not be created .*opsdeck\.devHosts\.managedConfigPath/);
      const unreadable = await explainFileError(errno('EACCES', 'open'), 'read', path.join(dir, 'x'), 'sshConfig') as LocalFileError;
      assert.match(unreadable.message, /^Cannot read .*x: the file is not readable by this user \(EACCES\)\. Fix its permissions \(chmod u\+rw .*\), or set/);
      const other = new Error('boom');
      assert.strictEqual(await explainFileError(other, 'write', '/x', 'sshConfig'), other, 'non-file errors pass through');
    });
  });
});
