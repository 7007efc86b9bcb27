import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../../support/cli';
import { motoEndpoint, resetMoto } from '../../support/aws';
import { seed } from '../../../scripts/demo/seed-devhosts.mjs';

const REGIONS = ['us-east-1', 'eu-west-1'];

// ssh-config --print writes the file body straight to process.stdout: capture that too.
const cli = (args: string[]) =>
  runCli(args, { extraArgs: ['--endpoint-url', motoEndpoint(), ...REGIONS.flatMap((r) => ['--region', r])], captureProcessStdout: true });

describe('devhosts: opsdeck hosts / opsdeck ssh-config against moto', function () {
  this.timeout(60_000);
  let dir: string;
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };

  before(async () => {
    await resetMoto();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-cli-'));
    await seed({ endpoint: motoEndpoint(), regions: REGIONS, workspace: dir, log: () => undefined });
    process.env.AWS_ACCESS_KEY_ID = 'testing';
    process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  });
  after(() => {
    process.env.AWS_ACCESS_KEY_ID = saved.id;
    process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('hosts --json: only JSON on stdout, hosts with their instances and the 24-hour clock, bastions', async () => {
    const r = await cli(['hosts', '--json']);
    assert.strictEqual(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { regions: { region: string; hosts: { name: string; release: { label: string }; instances: { name: string }[] }[]; bastions: unknown[] }[] };
    const use1 = out.regions.find((x) => x.region === 'us-east-1')!;
    assert.strictEqual(use1.hosts.length, 3);
    assert.match(use1.hosts.find((h) => h.name === 'spare-m2pro')!.release.label, /^releasable in (24h 0m|23h \d+m)$/);
    assert.deepStrictEqual(use1.hosts.find((h) => h.name === 'ios-ci-host-1')!.instances.map((i) => i.name), ['ios-build-01']);
    assert.strictEqual(use1.bastions.length, 1);
  });

  it('hosts --bastion-host: no tag lookup; every Region lists the configured bastion "from settings" with the identities it serves', async () => {
    const r = await cli(['hosts', '--bastion-host', 'bastion.example.com']);
    assert.strictEqual(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n').filter((l) => /^ {2}bastion /.test(l));
    assert.deepStrictEqual(lines, REGIONS.map(() => '  bastion "bastion.example.com"  from settings · serves admin as ec2-user via bastion, developer as developer via bastion-developer'));
    assert.doesNotMatch(r.stdout, /bastion-us-east-1/, 'the tagged bastion is not looked up');
    const json = await cli(['hosts', '--json', '--bastion-host', 'bastion.example.com']);
    const out = JSON.parse(json.stdout) as { regions: { bastions: { name: string; fromSetting?: boolean; serves: { alias: string }[] }[] }[] };
    for (const region of out.regions) {
      assert.deepStrictEqual(region.bastions.map((b) => [b.name, b.fromSetting, b.serves.map((s) => s.alias)]), [['bastion.example.com', true, ['bastion', 'bastion-developer']]]);
    }
  });

  it('ssh-config --print (ssm mode, one identity) prints the managed file and changes nothing', async () => {
    const r = await cli(['ssh-config', '--print', '--mode', 'ssm', '--identity', 'admin', '--config', path.join(dir, 'never')]);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Host ios-build-01\n {2}HostName i-[0-9a-f]+\n {2}User ec2-user\n/m);
    assert.match(r.stdout, /ProxyCommand aws ssm start-session --target %h --document-name AWS-StartSSHSession --parameters portNumber=%p --region us-east-1\n/);
    assert.doesNotMatch(r.stdout, /Host .*-developer/);
    assert.match(r.stderr, /sanitized alias .*Anna’s Mac \(dev\)/);
    assert.ok(!fs.existsSync(path.join(dir, 'never')));
  });

  it('ssh-config --write: refuses the first change without consent, then writes, reruns unchanged, and --remove restores the bytes', async () => {
    const config = path.join(dir, 'config');
    const original = 'Host github.com\r\n\tUser git\r\n# no final newline';
    fs.writeFileSync(config, original);
    const args = ['--config', config, '--managed', path.join(dir, 'opsdeck', 'config')];
    const refused = await cli(['ssh-config', '--write', ...args]);
    assert.strictEqual(refused.code, 1);
    assert.match(refused.stderr, /--yes/);
    assert.strictEqual(fs.readFileSync(config, 'utf8'), original);
    const written = await cli(['ssh-config', '--write', '--yes', ...args]);
    assert.strictEqual(written.code, 0, written.stderr + written.stdout);
    assert.match(written.stdout, /OpsDeck block added at the top \(lines 1–3\)/);
    assert.match(written.stdout, /backup of the original: .*config\.opsdeck-backup/);
    assert.match(written.stdout, /ssh -G: all \d+ entries resolve as intended|ssh -G found/);
    assert.ok(fs.readFileSync(config, 'utf8').endsWith(original));
    assert.ok(fs.readFileSync(config, 'utf8').includes('\r\nInclude '), 'the inserted lines use the file\'s CRLF');
    const again = await cli(['ssh-config', '--write', ...args]);
    assert.strictEqual(again.code, 0, again.stderr);
    assert.match(again.stdout, /opsdeck\/config: unchanged\n.*config: unchanged/s);
    const removed = await cli(['ssh-config', '--remove', ...args]);
    assert.strictEqual(removed.code, 0);
    assert.strictEqual(fs.readFileSync(config, 'utf8'), original);
  });

  it('usage errors exit 2', async () => {
    assert.strictEqual((await cli(['ssh-config', '--mode', 'telnet'])).code, 2);
    assert.strictEqual((await cli(['ssh-config', '--print', '--write'])).code, 2);
  });
});
