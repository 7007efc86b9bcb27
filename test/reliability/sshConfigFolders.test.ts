import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { motoEndpoint } from '../support/aws';
import { toolPath } from '../support/tools';
import { runCli, type CliRun } from './support/cli';

/**
 * `opsdeck ssh-config --write` where the folders are read-only, in the way (a file where a folder should be)
 * or missing: a clear sentence naming the path, exit code 1, no stack trace and nothing written — or, for
 * missing folders, the folders made private (0700) and the files 0600. Root ignores permission bits, so as
 * root the CLI runs as `nobody` through setpriv.
 */
const isRoot = process.getuid?.() === 0;


describe('reliability: SSH config write into read-only, blocked or missing folders', function () {
  this.timeout(60_000);
  let dir: string;
  const creds = { AWS_ACCESS_KEY_ID: 'AKIAOPSDECKTEST00001', AWS_SECRET_ACCESS_KEY: 'testing-secret-not-real' };
  const write = (config: string, managed: string) => ['ssh-config', '--write', '--yes', '--config', config, '--managed', managed, '--bastion-host', 'bastion.example.com', '--endpoint-url', motoEndpoint(), '--region', 'us-east-1'];
  const snapshot = (root: string): string[] => fs.readdirSync(root, { recursive: true }).map(String).sort();

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-rel-folders-'));
    fs.chmodSync(dir, 0o755);
  });
  afterEach(() => {
    fs.chmodSync(path.join(dir), 0o755);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The CLI as an unprivileged user (root ignores permission bits: as root it runs as `nobody` through setpriv). */
  async function runUnprivileged(ctx: Mocha.Context, args: string[]): Promise<CliRun> {
    if (!isRoot) return runCli(args, { ...creds, HOME: dir });
    const setpriv = toolPath(['setpriv']);
    if (!setpriv) ctx.skip();
    return runCli(args, { ...creds, HOME: dir }, 60_000, { cmd: setpriv!, args: ['--reuid=65534', '--regid=65534', '--clear-groups'] });
  }
  const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

  it('read-only ~/.ssh: a clear message naming the folder and what to do, exit 1, the config untouched', async function () {
    const ro = path.join(dir, 'ssh');
    fs.mkdirSync(ro);
    fs.writeFileSync(path.join(ro, 'config'), 'Host mine\n  HostName mine.example.com\n', { mode: 0o644 });
    fs.chmodSync(ro, 0o555);
    const before = snapshot(dir);
    const r = await runUnprivileged(this, write(path.join(ro, 'config'), path.join(ro, 'opsdeck', 'config')));
    const out = r.stdout + r.stderr;
    assert.strictEqual(r.code, 1, out);
    assert.match(r.stderr, new RegExp(`error: Cannot write ${escape(path.join(ro, 'opsdeck', 'config'))}: the folder ${escape(ro)} is read-only for this user \\(EACCES\\)\\. Fix its permissions \\(chmod u\\+w ${escape(ro)}\\), or pass --managed with a file you can write\\. Nothing was changed\\.`), out);
    assert.doesNotMatch(r.stderr, /permission denied, |\.tmp/, 'not Node\'s raw message, no temp file name');
    assert.doesNotMatch(out, /^\s+at .+:\d+:\d+\)?$/m, 'no stack trace');
    assert.deepStrictEqual(snapshot(dir), before, 'nothing written');
    assert.strictEqual(fs.readFileSync(path.join(ro, 'config'), 'utf8'), 'Host mine\n  HostName mine.example.com\n');
  });

  it('read-only ~/.ssh but a writable managed folder: the managed file is taken back, nothing changed anywhere', async function () {
    const ro = path.join(dir, 'ssh');
    const rw = path.join(dir, 'rw');
    fs.mkdirSync(ro);
    fs.mkdirSync(rw);
    fs.chmodSync(rw, 0o777);
    fs.writeFileSync(path.join(ro, 'config'), 'Host mine\n', { mode: 0o644 });
    fs.chmodSync(ro, 0o555);
    const before = snapshot(dir);
    const r = await runUnprivileged(this, write(path.join(ro, 'config'), path.join(rw, 'opsdeck', 'config')));
    const out = r.stdout + r.stderr;
    assert.strictEqual(r.code, 1, out);
    assert.match(r.stderr, new RegExp(`Cannot write ${escape(path.join(ro, 'config'))}: the folder ${escape(ro)} is read-only for this user \\(EACCES\\)\\. .*pass --config with a file you can write\\. Nothing was changed\\.`), out);
    assert.deepStrictEqual(snapshot(dir), before, 'no managed file, no opsdeck folder, no backup, no temp');
  });

  it('an unreadable config: "Cannot read", the file named, exit 1, nothing written', async function () {
    const ssh = path.join(dir, 'ssh');
    fs.mkdirSync(ssh);
    fs.chmodSync(ssh, 0o777);
    fs.writeFileSync(path.join(ssh, 'config'), 'Host mine\n', { mode: 0o600 }); // root's file: nobody cannot read it
    if (!isRoot) fs.chmodSync(path.join(ssh, 'config'), 0o000);
    const before = snapshot(dir);
    const r = await runUnprivileged(this, write(path.join(ssh, 'config'), path.join(ssh, 'opsdeck', 'config')));
    if (!isRoot) fs.chmodSync(path.join(ssh, 'config'), 0o600);
    const out = r.stdout + r.stderr;
    assert.strictEqual(r.code, 1, out);
    assert.match(r.stderr, new RegExp(`Cannot read ${escape(path.join(ssh, 'config'))}: the file is not readable by this user \\(EACCES\\)\\. Fix its permissions`), out);
    assert.deepStrictEqual(snapshot(dir), before, 'nothing written');
  });

  it('a file where the folder should be: a clear message, exit 1, nothing written', async () => {
    fs.writeFileSync(path.join(dir, 'ssh'), 'not a folder');
    const before = snapshot(dir);
    const r = await runCli(write(path.join(dir, 'ssh', 'config'), path.join(dir, 'ssh', 'opsdeck', 'config')), { ...creds, HOME: dir });
    const out = r.stdout + r.stderr;
    assert.strictEqual(r.code, 1, out);
    assert.match(r.stderr, new RegExp(`Cannot write .*: ${escape(path.join(dir, 'ssh'))} is a file, not a folder \\(ENOTDIR\\)\\. Move it away|is a file, not a folder`), out);
    assert.ok(r.stderr.includes(path.join(dir, 'ssh')), `the message names the path: ${r.stderr}`);
    assert.doesNotMatch(out, /^\s+at .+:\d+:\d+\)?$/m, 'no stack trace');
    assert.deepStrictEqual(snapshot(dir), before, 'nothing written');
  });

  it('missing folders: made private (0700), files 0600, the config written', async () => {
    const config = path.join(dir, 'missing', 'deep', 'config');
    const managed = path.join(dir, 'missing', 'opsdeck', 'config');
    const r = await runCli(write(config, managed), { ...creds, HOME: dir });
    assert.notStrictEqual(r.code, 1, r.stdout + r.stderr); // 0, or 3 when ssh -G is missing on this machine
    assert.match(fs.readFileSync(config, 'utf8'), /^# --- START OPSDECK/);
    assert.strictEqual((fs.statSync(config).mode & 0o777).toString(8), '600');
    assert.strictEqual((fs.statSync(managed).mode & 0o777).toString(8), '600');
    assert.strictEqual((fs.statSync(path.dirname(managed)).mode & 0o777).toString(8), '700');
  });
});

