import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeFileAtomic, BACKUP_SUFFIX } from '../../../src/devhosts/core/atomicWrite';
import { applySshConfig, planSshConfig, removeSshConfig, writeSshConfig, displayPath, userConfigPath } from '../../../src/devhosts/configFiles';
import { START_MARKER } from '../../../src/devhosts/core/merge';

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
});
