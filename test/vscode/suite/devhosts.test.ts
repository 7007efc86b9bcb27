// Mac Dev Hosts inside the real extension host: the tree (Region → host with the 24-hour countdown → instance
// with its SSH alias; bastions), SSH config generation into temp files (first write, byte-identical rerun,
// checked with the real ssh -G), Connect's Remote-SSH URI, Copy SSH Command and the release rule, against moto
// seeded by the demo seed (scripts/demo/seed-devhosts.mjs).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { seed } from '../../../scripts/demo/seed-devhosts.mjs';

const REGIONS = ['us-east-1', 'eu-west-1'];

interface GenerateOutcome { written: boolean; userConfig: string; managedPath: string; entries: number; check?: { checked: number; mismatches: unknown[]; failures: unknown[] } }

describe('devhosts (extension host)', function () {
  this.timeout(120_000);
  const endpoint = process.env.OPSDECK_TEST_ENDPOINT ?? '';
  const opsdeck = () => vscode.workspace.getConfiguration('opsdeck');
  const saved: Record<string, unknown> = {};
  const keys = ['endpointUrl', 'regions', 'devHosts.managedConfigPath', 'devHosts.sshConfigFile', 'devHosts.bastionHost'];
  let dir: string;
  let tree: string;

  before(async function () {
    if (!endpoint) {
      if (process.env.CI === 'true') throw new Error('OPSDECK_TEST_ENDPOINT is not set (moto) under CI=true');
      console.warn('  !!! SKIPPED devhosts extension-host tests: OPSDECK_TEST_ENDPOINT (moto) is not set');
      this.skip();
    }
    process.env.AWS_ACCESS_KEY_ID = 'testing';
    process.env.AWS_SECRET_ACCESS_KEY = 'testing';
    await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-exthost-devhosts-'));
    const demo = (await seed({ endpoint, regions: REGIONS, workspace: dir, log: () => undefined })) as Record<string, string>;
    fs.writeFileSync(demo['remote.SSH.configFile'], '# my own config\nHost github.com\n\tUser git\n', { mode: 0o600 });
    for (const k of keys) saved[k] = opsdeck().inspect(k)?.globalValue;
    await opsdeck().update('endpointUrl', endpoint, vscode.ConfigurationTarget.Global);
    await opsdeck().update('regions', REGIONS, vscode.ConfigurationTarget.Global);
    await opsdeck().update('devHosts.managedConfigPath', demo['opsdeck.devHosts.managedConfigPath'], vscode.ConfigurationTarget.Global);
    // Never the real ~/.ssh/config: OpsDeck's own override points at the temp file (remote.SSH.configFile is
    // unregistered when Remote-SSH is not installed, so it cannot be relied on here).
    await opsdeck().update('devHosts.sshConfigFile', demo['opsdeck.devHosts.sshConfigFile'], vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    if (!endpoint) return;
    for (const k of keys) await opsdeck().update(k, saved[k], vscode.ConfigurationTarget.Global);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows Region → Dedicated Host (type, AZ, state, 24-hour countdown) → instance (state, IP, ssh alias); bastions apart', async () => {
    const out = (await vscode.commands.executeCommand('opsdeck.devHosts.refresh')) as { tree: string[] } | undefined;
    assert.ok(out, 'opsdeck.devHosts.refresh returned nothing: see the OpsDeck log');
    tree = out.tree.join('\n');
    assert.match(tree, /^us-east-1 — 3 Mac hosts · 1 bastion \[devhostRegion\]$/m);
    assert.match(tree, /^eu-west-1 — 2 Mac hosts · 1 bastion \[devhostRegion\]$/m);
    assert.match(tree, /^ {2}spare-m2pro — mac2-m2pro\.metal · us-east-1a · available · releasable in (24h 0m|23h 5\dm) \[devhostHost:available:held\]$/m);
    assert.match(tree, /^ {2}ios-ci-host-1 — mac2\.metal · us-east-1a · available · releasable in .* \[devhostHost:available:held\]$/m);
    assert.match(tree, /^ {4}ios-build-01 — running · 10\.\d+\.\d+\.\d+ · ssh ios-build-01 \[devhostInstance:running:alias\]$/m);
    assert.match(tree, /^ {4}Anna’s Mac \(dev\) — running · .* · ssh Anna-s-Mac-dev \[devhostInstance:running:alias\]$/m);
    // Two instances named macos1 in eu-west-1: one keeps the name, the other gets -<last 8 of its id>.
    const macos1 = tree.split('\n').filter((l) => /^ {4}macos1 — /.test(l));
    assert.equal(macos1.length, 2, tree);
    assert.deepEqual(macos1.map((l) => /ssh (macos1(?:-[0-9a-f]{8})?) \[/.exec(l)?.[1]?.length ?? 0).sort((a, b) => a - b), [6, 15], tree);
    assert.ok(macos1.some((l) => /— stopped · .*\[devhostInstance:stopped:alias\]$/.test(l)), tree);
    assert.match(tree, /^ {4}No instance on this host \[message\]$/m);
    assert.match(tree, /^ {4}bastion-us-east-1 — running · ec2-[\d-]+\.compute-1\.amazonaws\.com · serves admin as ec2-user via bastion-us-east-1, developer as developer via bastion-us-east-1-developer \[devhostBastion\]$/m);
  });

  it('a bastion host set in settings appears under each Region\'s Bastions node, "from settings", with the identities it serves', async () => {
    await opsdeck().update('devHosts.bastionHost', 'bastion.example.com', vscode.ConfigurationTarget.Global);
    try {
      const out = (await vscode.commands.executeCommand('opsdeck.devHosts.refresh')) as { tree: string[] };
      const text = out.tree.join('\n');
      assert.match(text, /^us-east-1 — 3 Mac hosts · 1 bastion \[devhostRegion\]$/m);
      assert.match(text, /^eu-west-1 — 2 Mac hosts · 1 bastion \[devhostRegion\]$/m);
      const nodes = out.tree.filter((l) => /^ {4}bastion\.example\.com — /.test(l));
      assert.deepEqual(nodes, REGIONS.map(() => '    bastion.example.com — from settings · serves admin as ec2-user via bastion, developer as developer via bastion-developer [devhostBastion]'), text);
      assert.doesNotMatch(text, /bastion-us-east-1/, 'no tag lookup when the host is set');
    } finally {
      await opsdeck().update('devHosts.bastionHost', undefined, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('opsdeck.devHosts.refresh');
    }
  });

  it('generates the SSH config: managed file + Include at the top, checked with ssh -G; a rerun writes nothing', async () => {
    const first = (await vscode.commands.executeCommand('opsdeck.devHosts.generateSshConfig', { yes: true, quiet: true })) as GenerateOutcome;
    assert.ok(first, 'generate returned nothing: see the OpsDeck log');
    assert.ok(first.userConfig.startsWith(dir), `must edit the temp config, not ${first.userConfig}`);
    assert.equal(first.written, true);
    const managed = fs.readFileSync(first.managedPath, 'utf8');
    assert.match(managed, /^Host ios-build-01\n {2}HostName 10\.[\d.]+\n {2}User ec2-user\n/m);
    assert.match(managed, /^ {2}ProxyJump %r@bastion-us-east-1-developer$/m);
    const user = fs.readFileSync(first.userConfig, 'utf8');
    assert.match(user, /^# --- START OPSDECK MAC DEV HOSTS.*\nInclude \S+\n# --- END OPSDECK MAC DEV HOSTS ---\n/);
    if (fs.existsSync(first.userConfig + '.opsdeck-backup')) assert.equal(fs.readFileSync(first.userConfig + '.opsdeck-backup', 'utf8'), '# my own config\nHost github.com\n\tUser git\n');
    if (first.check) assert.deepEqual(first.check.failures, []);
    const mtime = fs.statSync(first.managedPath).mtimeMs;
    const again = (await vscode.commands.executeCommand('opsdeck.devHosts.generateSshConfig', { yes: true, quiet: true })) as GenerateOutcome;
    assert.equal(again.written, false);
    assert.equal(fs.statSync(first.managedPath).mtimeMs, mtime);
  });

  it('Connect builds the Remote-SSH URI for the instance\'s alias and user (one per identity)', async () => {
    const id = /ios-build-01 — running/.test(tree) ? (await instanceId('ios-build-01')) : '';
    const uri = await vscode.commands.executeCommand('opsdeck.devHosts.connect', { instanceId: id }, { dryRun: true, identity: 'admin' });
    assert.equal(uri, 'vscode-remote://ssh-remote+ios-build-01/Users/ec2-user');
    const dev = await vscode.commands.executeCommand('opsdeck.devHosts.connect', { instanceId: id }, { dryRun: true, identity: 'developer' });
    assert.equal(dev, 'vscode-remote://ssh-remote+ios-build-01-developer/Users/developer');
  });

  it('Release refuses a host inside its 24-hour minimum without asking', async () => {
    const hostId = await hostIdOf('spare-m2pro');
    const released = await vscode.commands.executeCommand('opsdeck.devHosts.releaseHost', { hostId });
    assert.equal(released, false);
  });

  it('Release re-checks the host with EC2 before asking: a stale view that says "releasable" is refused without a question', async () => {
    const hostId = await hostIdOf('spare-m2pro');
    // What a view loaded long ago would hold: allocated 3 days ago, empty. EC2 says it was allocated minutes ago.
    const stale = { hostId, region: 'us-east-1', availabilityZone: 'us-east-1a', instanceType: 'mac2-m2pro.metal', state: 'available', allocationTime: new Date(Date.now() - 3 * 86_400_000).toISOString(), tags: {}, instanceIds: [] };
    const released = await vscode.commands.executeCommand('opsdeck.devHosts.releaseHost', { host: stale });
    assert.equal(released, false);
    const { EC2Client, DescribeHostsCommand } = await import('@aws-sdk/client-ec2');
    const ec2 = new EC2Client({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    const out = await ec2.send(new DescribeHostsCommand({ HostIds: [hostId] }));
    ec2.destroy();
    assert.equal(out.Hosts?.[0].State, 'available', 'not released');
  });

  async function instanceId(name: string): Promise<string> {
    const { EC2Client, DescribeInstancesCommand } = await import('@aws-sdk/client-ec2');
    const ec2 = new EC2Client({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    const out = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:Name', Values: [name] }] }));
    ec2.destroy();
    return out.Reservations![0].Instances![0].InstanceId!;
  }
  async function hostIdOf(name: string): Promise<string> {
    const { EC2Client, DescribeHostsCommand } = await import('@aws-sdk/client-ec2');
    const ec2 = new EC2Client({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    const out = await ec2.send(new DescribeHostsCommand({}));
    ec2.destroy();
    return out.Hosts!.find((h) => h.Tags?.some((t) => t.Key === 'Name' && t.Value === name))!.HostId!;
  }
});
