import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AllocateHostsCommand, DescribeHostsCommand, DescribeImagesCommand, EC2Client, RunInstancesCommand, ReleaseHostsCommand, StopInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { motoFactory, resetMoto } from '../../support/aws';
import { requireTool } from '../../support/tools';
import { describeHostNow, discoverDevHosts, MAC_HOST_TYPE_FILTER, macTypes, releaseHost } from '../../../src/devhosts/service';
import { instancesOnHosts } from '../../../src/devhosts/service/discovery';
import { renderSshConfig } from '../../../src/devhosts/core/render';
import { resolveIdentities } from '../../../src/devhosts/core/identities';
import { recheckRelease, releasability } from '../../../src/devhosts/core/releaseRule';
import { writeSshConfig } from '../../../src/devhosts/configFiles';
import { checkWithSsh } from '../../../src/devhosts/sshCheck';

const REGIONS = ['us-east-1', 'eu-west-1'];
const HOSTILE = 'evil\n  ProxyCommand touch /tmp/pwned';

interface Seeded { hosts: Record<string, string[]>; macs: Record<string, string[]>; bastions: Record<string, string> }

async function seed(): Promise<Seeded> {
  const { factory } = motoFactory(REGIONS);
  const out: Seeded = { hosts: {}, macs: {}, bastions: {} };
  for (const region of REGIONS) {
    const ec2 = factory.client(EC2Client, region);
    const ami = (await ec2.send(new DescribeImagesCommand({ MaxResults: 5 }))).Images![0].ImageId!;
    const alloc = await ec2.send(new AllocateHostsCommand({ AvailabilityZone: `${region}a`, InstanceType: 'mac2.metal', Quantity: 3, TagSpecifications: [{ ResourceType: 'dedicated-host', Tags: [{ Key: 'Name', Value: `team-${region}` }] }] }));
    await ec2.send(new AllocateHostsCommand({ AvailabilityZone: `${region}a`, InstanceType: 'c5.large', Quantity: 1 })); // not a Mac: must not show
    out.hosts[region] = alloc.HostIds!;
    out.macs[region] = [];
    const names = ['macos1', region === 'us-east-1' ? HOSTILE : 'macos1'];
    for (let n = 0; n < 2; n++) {
      const r = await ec2.send(new RunInstancesCommand({ ImageId: ami, InstanceType: 'mac2.metal', MinCount: 1, MaxCount: 1, Placement: { HostId: alloc.HostIds![n], Tenancy: 'host' }, TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: names[n] }] }] }));
      out.macs[region].push(r.Instances![0].InstanceId!);
    }
    await ec2.send(new RunInstancesCommand({ ImageId: ami, InstanceType: 'mac2.metal', MinCount: 1, MaxCount: 1, TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'not-on-a-host' }] }] }));
    const b = await ec2.send(new RunInstancesCommand({ ImageId: ami, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Role', Value: 'bastion' }, { Key: 'Name', Value: `bastion-${region}` }] }] }));
    out.bastions[region] = b.Instances![0].InstanceId!;
  }
  factory.dispose();
  return out;
}

describe('devhosts: discovery against moto (real SDK over HTTP)', () => {
  let seeded: Seeded;
  before(async () => {
    await resetMoto();
    seeded = await seed();
  });

  it('moto gap, stated: DescribeHosts reports no Instances list and no NextToken (real EC2 does); our emulator fallback is used', async () => {
    const { factory } = motoFactory(REGIONS);
    const out = await factory.client(EC2Client, 'us-east-1').send(new DescribeHostsCommand({ MaxResults: 5 }));
    assert.strictEqual(out.Hosts?.[0].Instances, undefined, 'if moto starts reporting Instances, instances are kept by the ids the hosts report (the real-EC2 path) here too');
  });

  it('finds Mac hosts, their instances and bastions in both Regions with 4 calls per Region, Regions in parallel', async () => {
    const { factory, counter } = motoFactory(REGIONS);
    const inv = await discoverDevHosts(factory, { regions: REGIONS });
    for (const region of REGIONS) {
      const r = inv.regions.find((x) => x.region === region)!;
      assert.strictEqual(r.error, undefined);
      assert.deepStrictEqual(r.hosts.map((h) => h.hostId).sort(), [...seeded.hosts[region]].sort(), 'only the Mac hosts');
      assert.deepStrictEqual(r.instances.map((i) => i.instanceId).sort(), [...seeded.macs[region]].sort(), 'only instances on those hosts');
      assert.deepStrictEqual(r.bastions.map((b) => b.instanceId), [seeded.bastions[region]]);
      const h0 = r.hosts.find((h) => h.hostId === seeded.hosts[region][0])!;
      assert.deepStrictEqual(h0.instanceIds, [seeded.macs[region][0]]);
      assert.strictEqual(r.instances.find((i) => i.instanceId === seeded.macs[region][0])?.hostId, seeded.hosts[region][0]);
      assert.deepStrictEqual({ hosts: counter.count('DescribeHosts', region), instances: counter.count('DescribeInstances', region), images: counter.count('DescribeImages', region) }, { hosts: 1, instances: 2, images: 1 });
    }
    assert.strictEqual(counter.all.length, 8);
  });

  it('the real-EC2 path on moto: one instance-type query, kept by the ids the hosts report; a reported id it misses is fetched by instance-id', async () => {
    const { factory, counter } = motoFactory(REGIONS);
    const ec2 = factory.client(EC2Client, 'us-east-1');
    const [h0, h1] = seeded.hosts['us-east-1'];
    const [m0, m1] = seeded.macs['us-east-1'];
    // What real EC2 sends: each host lists its instances. h1 also lists an id no query returns (gone meanwhile).
    const hosts = [
      { HostId: h0, HostProperties: { InstanceType: 'mac2.metal' }, Instances: [{ InstanceId: m0, InstanceType: 'mac2.metal' }] },
      { HostId: h1, HostProperties: { InstanceType: 'mac2.metal' }, Instances: [{ InstanceId: m1 }, { InstanceId: 'i-0000000000000dead' }] },
    ];
    const found = await instancesOnHosts(ec2, hosts);
    assert.deepStrictEqual(found.map((i) => i.InstanceId).sort(), [m0, m1].sort(), 'the Mac instance on no host and the bastion are not shown');
    assert.deepStrictEqual(counter.byOperation(), { DescribeInstances: 2 }, 'the type query, then the one missing id');
  });

  it('moto honours the DescribeHosts instance-type wildcard discovery sends: a Mac type newer than the SDK is found, c5 is not', async () => {
    const { factory } = motoFactory(['us-west-2']);
    const ec2 = factory.client(EC2Client, 'us-west-2');
    const future = await ec2.send(new AllocateHostsCommand({ AvailabilityZone: 'us-west-2a', InstanceType: 'mac9-m9ultra.metal', Quantity: 1 }));
    await ec2.send(new AllocateHostsCommand({ AvailabilityZone: 'us-west-2a', InstanceType: 'c5.large', Quantity: 1 }));
    assert.ok(!macTypes().includes('mac9-m9ultra.metal'));
    const listed = await ec2.send(new DescribeHostsCommand({ Filter: [{ Name: 'instance-type', Values: [MAC_HOST_TYPE_FILTER] }] }));
    assert.deepStrictEqual(listed.Hosts?.map((h) => h.HostId), future.HostIds);
    const inv = await discoverDevHosts(factory, { regions: ['us-west-2'], skipBastions: true });
    assert.deepStrictEqual(inv.regions[0].hosts.map((h) => [h.hostId, h.instanceType]), [[future.HostIds![0], 'mac9-m9ultra.metal']]);
  });

  it('describeHostNow: the host as EC2 reports it now, with an instance started on it after discovery', async () => {
    const { factory, counter } = motoFactory(['us-east-1']);
    const ec2 = factory.client(EC2Client, 'us-east-1');
    // A host of its own, so the seeded ones stay as the other tests expect.
    const spare = (await ec2.send(new AllocateHostsCommand({ AvailabilityZone: 'us-east-1b', InstanceType: 'mac2.metal', Quantity: 1 }))).HostIds![0];
    const before = await describeHostNow(factory, 'us-east-1', spare);
    assert.deepStrictEqual([before.host?.hostId, before.instances.length], [spare, 0]);
    const ami = (await ec2.send(new DescribeImagesCommand({ MaxResults: 5 }))).Images![0].ImageId!;
    const run = await ec2.send(new RunInstancesCommand({ ImageId: ami, InstanceType: 'mac2.metal', MinCount: 1, MaxCount: 1, Placement: { HostId: spare, Tenancy: 'host' } }));
    const now = await describeHostNow(factory, 'us-east-1', spare);
    assert.deepStrictEqual(now.instances.map((i) => i.instanceId), [run.Instances![0].InstanceId]);
    assert.match(recheckRelease(now.host, now.instances, new Date(Date.now() + 25 * 3600_000)) ?? '', /must be stopped or terminated first/);
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [run.Instances![0].InstanceId!] }));
    assert.strictEqual(counter.count('DescribeHosts', 'us-east-1'), 2, 'one DescribeHosts per check');
    await ec2.send(new ReleaseHostsCommand({ HostIds: [spare] }));
  });

  it('generates a config for the discovered inventory that the real OpenSSH parses as intended (ssh -G), hostile Name included', async function () {
    const ssh = requireTool(this, 'OpenSSH client', ['ssh']);
    const { factory } = motoFactory(REGIONS);
    const inv = await discoverDevHosts(factory, { regions: REGIONS });
    const { identities } = resolveIdentities(undefined);
    const r = renderSshConfig(inv, { mode: 'bastion', identities });
    assert.strictEqual(r.skipped.length, 0, JSON.stringify(r.skipped));
    assert.strictEqual(r.entries.filter((e) => e.kind === 'mac').length, 8);
    assert.ok(r.collisions.length >= 1, 'macos1 exists in both Regions: one is renamed');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-int-'));
    try {
      const userConfig = path.join(dir, 'config');
      fs.writeFileSync(userConfig, 'Host *\n  User root\n  ProxyCommand touch /tmp/should-not-apply\n');
      await writeSshConfig({ userConfig, managedPath: path.join(dir, 'opsdeck', 'config'), managedText: r.text, placement: 'include' });
      const check = await checkWithSsh(r.entries, userConfig, { ssh });
      assert.deepStrictEqual(check.failures, []);
      // Our Include is at the top, so the user's later `Host *` cannot override what we set (User, ProxyJump…).
      assert.deepStrictEqual(check.mismatches.filter((m) => !m.alias.startsWith('bastion')), []);
      // But bastion entries set no ProxyCommand, so the user's catch-all one applies to them: reported with its
      // file and line, not silently overridden (a corporate proxy there can be deliberate).
      const bastionAliases = r.entries.filter((e) => e.kind === 'bastion').map((e) => e.alias).sort();
      assert.deepStrictEqual(check.mismatches.map((m) => m.alias).sort(), bastionAliases);
      assert.ok(check.mismatches.every((m) => m.keyword === 'proxycommand' && m.culprit === `${userConfig}:6: ProxyCommand touch /tmp/should-not-apply (in "Host *")`));
      // Now a user `Host *` ABOVE our block wins: reported with file and line.
      fs.writeFileSync(userConfig, `Host *\n  User root\n${fs.readFileSync(userConfig, 'utf8')}`);
      const check2 = await checkWithSsh(r.entries.filter((e) => e.kind === 'mac').slice(0, 3), userConfig, { ssh });
      assert.strictEqual(check2.mismatches.length, 3);
      assert.ok(check2.mismatches.every((m) => m.keyword === 'user' && m.actual === 'root' && m.culprit === `${userConfig}:2: User root (in "Host *")`), JSON.stringify(check2.mismatches));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('release: the 24-hour rule refuses a fresh host; moto releases an empty one when asked', async () => {
    const { factory } = motoFactory(REGIONS);
    const inv = await discoverDevHosts(factory, { regions: ['us-east-1'] });
    const r = inv.regions[0];
    const empty = r.hosts.find((h) => h.instanceIds.length === 0)!;
    const busy = r.hosts.find((h) => h.instanceIds.length > 0)!;
    assert.strictEqual(releasability(empty, [], new Date()).kind, 'wait');
    assert.strictEqual(releasability(busy, r.instances.filter((i) => i.hostId === busy.hostId), new Date(Date.now() + 25 * 3600_000)).kind, 'blocked');
    await factory.client(EC2Client, 'us-east-1').send(new StopInstancesCommand({ InstanceIds: busy.instanceIds as string[] }));
    const out = await releaseHost(factory, 'us-east-1', empty.hostId);
    assert.deepStrictEqual(out, { hostId: empty.hostId, released: true });
    const after = await discoverDevHosts(factory, { regions: ['us-east-1'] });
    assert.ok(!after.regions[0].hosts.some((h) => h.hostId === empty.hostId), 'released hosts are hidden');
  });
});
