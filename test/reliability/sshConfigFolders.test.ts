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

  it('read-only ~/.ssh: a clear message naming the folder, exit 1, the config untouched', async function () {
    const ro = path.join(dir, 'ssh');
    fs.mkdirSync(ro);
    fs.writeFileSync(path.join(ro, 'config'), 'Host mine\n  HostName mine.example.com\n', { mode: 0o644 });
    fs.chmodSync(ro, 0o555);
    const before = snapshot(dir);
    let r: CliRun;
    if (isRoot) {
      const setpriv = toolPath(['setpriv']);
      if (!setpriv) this.skip();
      r = await runCli(write(path.join(ro, 'config'), path.join(ro, 'opsdeck', 'config')), { ...creds, HOME: dir }, 60_000, { cmd: setpriv!, args: ['--reuid=65534', '--regid=65534', '--clear-groups'] });
    } else {
      r = await runCli(write(path.join(ro, 'config'), path.join(ro, 'opsdeck', 'config')), { ...creds, HOME: dir });
    }
    const out = r.stdout + r.stderr;
    assert.strictEqual(r.code, 1, out);
    assert.match(r.stderr, /permission denied|read-only|not writable|EACCES/i, out);
    assert.ok(r.stderr.includes(ro), `the message names the folder: ${r.stderr}`);
    assert.doesNotMatch(out, /^\s+at .+:\d+:\d+\)?$/m, 'no stack trace');
    assert.deepStrictEqual(snapshot(dir), before, 'nothing written');
    assert.strictEqual(fs.readFileSync(path.join(ro, 'config'), 'utf8'), 'Host mine\n  HostName mine.example.com\n');
  });

  it('a file where the folder should be: a clear message, exit 1, nothing written', async () => {
    fs.writeFileSync(path.join(dir, 'ssh'), 'not a folder');
    const before = snapshot(dir);
    const r = await runCli(write(path.join(dir, 'ssh', 'config'), path.join(dir, 'ssh', 'opsdeck', 'config')), { ...creds, HOME: dir });
    const out = r.stdout + r.stderr;
    assert.strictEqual(r.code, 1, out);
    assert.match(r.stderr, /not a (folder|directory)|ENOTDIR/i, out);
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

