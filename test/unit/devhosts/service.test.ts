import * as assert from 'assert';
import { mockClient, type AwsStub } from 'aws-sdk-client-mock';
import { DescribeHostsCommand, DescribeImagesCommand, DescribeInstancesCommand, EC2Client, ReleaseHostsCommand, type Host, type Instance } from '@aws-sdk/client-ec2';
import { ClientFactory } from '../../../src/aws/clientFactory';
import { configuredBastion, describeHostNow, discoverDevHosts, MAC_HOST_TYPE_FILTER, macTypes, releaseHost } from '../../../src/devhosts/service';

function factory(): { factory: ClientFactory } {
  return { factory: new ClientFactory({ settings: { regions: ['us-east-1'], maxAttempts: 1, requestTimeoutMs: 5000 }, credentials: async () => ({ accessKeyId: 'a', secretAccessKey: 'b' }), version: 't' }) };
}

const id = (n: number): string => `i-${n.toString(16).padStart(17, '0')}`;

describe('devhosts: discovery service (aws-sdk-client-mock)', () => {
  // Created when this suite runs and restored after it: another file mocks EC2Client too.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let ec2: AwsStub<any, any, any>;
  before(() => { ec2 = mockClient(EC2Client); });
  after(() => ec2.restore());
  afterEach(() => ec2.reset());

  it('builds the Mac type list from the SDK enum, not a hard-coded list', () => {
    const t = macTypes();
    assert.ok(t.includes('mac1.metal') && t.includes('mac2.metal'));
    assert.ok(t.every((x) => x.startsWith('mac')));
  });

  it('pages DescribeHosts, then fetches the hosts\' 450 instances with one instance-type query (not instance-id batches), AMI names once', async () => {
    const hosts: Host[] = Array.from({ length: 450 }, (_, n) => ({ HostId: `h-${n}`, State: 'available', AllocationTime: new Date('2026-11-25T00:00:00Z'), HostProperties: { InstanceType: n % 2 ? 'mac2.metal' : 'mac1.metal' }, Instances: [{ InstanceId: id(n), InstanceType: n % 2 ? 'mac2.metal' : 'mac1.metal' }] }));
    hosts.push({ HostId: 'h-released', State: 'released', HostProperties: { InstanceType: 'mac2-m2.metal' }, Instances: [] });
    ec2.on(DescribeHostsCommand).callsFake((input: { NextToken?: string }) => (input.NextToken ? { Hosts: hosts.slice(300) } : { Hosts: hosts.slice(0, 300), NextToken: 'p2' }));
    ec2.on(DescribeInstancesCommand).callsFake((input: { Filters: { Name: string; Values: string[] }[]; MaxResults?: number }) => {
      const f = input.Filters[0];
      if (f.Name === 'tag:Role') return { Reservations: [{ Instances: [{ InstanceId: 'i-0bbbbbbbbbbbbbbbb', State: { Name: 'running' }, PublicIpAddress: '3.3.3.3', Tags: [{ Key: 'Role', Value: 'bastion' }] }] }] };
      assert.strictEqual(f.Name, 'instance-type');
      assert.deepStrictEqual(f.Values, ['mac1.metal', 'mac2.metal'], 'the types the (unreleased) hosts report');
      assert.strictEqual(input.MaxResults, 1000);
      return { Reservations: [{ Instances: Array.from({ length: 450 }, (_, n): Instance => ({ InstanceId: id(n), InstanceType: n % 2 ? 'mac2.metal' : 'mac1.metal', State: { Name: 'running' }, ImageId: 'ami-1', PrivateIpAddress: '10.0.0.1' })) }] };
    });
    ec2.on(DescribeImagesCommand).resolves({ Images: [{ ImageId: 'ami-1', Name: 'amzn-ec2-macos-14.3.1-20240227-arm64' }] });
    const inv = await discoverDevHosts(factory().factory, { regions: ['us-east-1'] });
    const r = inv.regions[0];
    assert.strictEqual(r.error, undefined);
    assert.strictEqual(r.hosts.length, 450, 'released hosts are left out');
    assert.strictEqual(r.instances.length, 450);
    assert.strictEqual(r.instances[0].macosVersion, 'macOS 14.3.1');
    assert.strictEqual(r.instances[7].hostId, 'h-7');
    assert.strictEqual(r.bastions.length, 1);
    // aws-sdk-client-mock replaces send(), so count its recorded calls rather than the factory's middleware.
    assert.deepStrictEqual([ec2.commandCalls(DescribeHostsCommand).length, ec2.commandCalls(DescribeInstancesCommand).length, ec2.commandCalls(DescribeImagesCommand).length], [2, 2, 1]);
    const hostCall = ec2.commandCalls(DescribeHostsCommand)[0].args[0].input;
    assert.strictEqual(hostCall.Filter?.[0].Name, 'instance-type');
    assert.deepStrictEqual(hostCall.Filter?.[0].Values, ['mac*'], 'a wildcard, not the SDK\'s list of types');
    assert.strictEqual(hostCall.MaxResults, 500);
  });

  it('finds a Mac host of a type newer than the installed SDK (DescribeHosts filtered like EC2, with its * wildcard)', async () => {
    const future = 'mac9-m9ultra.metal';
    assert.ok(!macTypes().includes(future), 'the test needs a type the SDK does not know');
    const all: Host[] = [
      { HostId: 'h-new', State: 'available', HostProperties: { InstanceType: future }, Instances: [{ InstanceId: id(1), InstanceType: future }] },
      { HostId: 'h-c5', State: 'available', HostProperties: { InstanceType: 'c5.large' }, Instances: [] },
    ];
    // EC2 filter values: exact, or `*` / `?` wildcards.
    const matches = (value: string | undefined, patterns: string[]): boolean => !!value && patterns.some((p) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(value));
    ec2.on(DescribeHostsCommand).callsFake((input: { Filter?: { Name: string; Values: string[] }[] }) => {
      const f = input.Filter?.find((x) => x.Name === 'instance-type');
      return { Hosts: all.filter((h) => !f || matches(h.HostProperties?.InstanceType, f.Values)) };
    });
    ec2.on(DescribeInstancesCommand).callsFake((input: { Filters: { Name: string; Values: string[] }[] }) => {
      const f = input.Filters[0];
      assert.deepStrictEqual([f.Name, f.Values], ['instance-type', [future]], 'the type the host reports');
      return { Reservations: [{ Instances: [{ InstanceId: id(1), InstanceType: future, State: { Name: 'running' }, Placement: { HostId: 'h-new' } }] }] };
    });
    const r = (await discoverDevHosts(factory().factory, { regions: ['us-east-1'], skipBastions: true, amiNames: false })).regions[0];
    assert.deepStrictEqual(r.hosts.map((h) => h.hostId), ['h-new'], 'the new Mac type is found; the c5 host is not');
    assert.deepStrictEqual(r.instances.map((i) => [i.instanceId, i.instanceType]), [[id(1), future]]);
    assert.strictEqual(MAC_HOST_TYPE_FILTER, 'mac*');
  });

  it('misses no instance a host reports and shows no Mac instance that no listed host claims', async () => {
    ec2.on(DescribeHostsCommand).resolves({
      Hosts: [
        { HostId: 'h-1', State: 'available', HostProperties: { InstanceType: 'mac2.metal' }, Instances: [{ InstanceId: id(1), InstanceType: 'mac2.metal' }, { InstanceId: id(2) }] },
        // Set up for a family: its known types are asked for.
        { HostId: 'h-2', State: 'available', HostProperties: { InstanceFamily: 'mac2-m2pro' }, Instances: [{ InstanceId: id(3) }] },
      ],
    });
    const typeQuery: string[][] = [];
    ec2.on(DescribeInstancesCommand).callsFake((input: { Filters: { Name: string; Values: string[] }[] }) => {
      const f = input.Filters[0];
      if (f.Name === 'instance-type') {
        typeQuery.push(f.Values);
        return {
          Reservations: [{
            Instances: [
              { InstanceId: id(1), InstanceType: 'mac2.metal', Placement: { HostId: 'h-1' } },
              { InstanceId: id(3), InstanceType: 'mac2-m2pro.metal', Placement: { HostId: 'h-2' } },
              // Terminated an hour ago, still visible, no longer on the host's list.
              { InstanceId: id(8), InstanceType: 'mac2.metal', State: { Name: 'terminated' }, Placement: { HostId: 'h-1' } },
              // On a host that is not listed (released, or not ours).
              { InstanceId: id(9), InstanceType: 'mac2.metal', Placement: { HostId: 'h-other' } },
            ],
          }],
        };
      }
      assert.strictEqual(f.Name, 'instance-id');
      assert.deepStrictEqual(f.Values, [id(2)], 'only the reported id the type query did not return');
      return { Reservations: [{ Instances: [{ InstanceId: id(2), InstanceType: 'mac9.metal', Placement: { HostId: 'h-1' } }] }] };
    });
    const r = (await discoverDevHosts(factory().factory, { regions: ['us-east-1'], skipBastions: true, amiNames: false })).regions[0];
    assert.deepStrictEqual(r.instances.map((i) => i.instanceId).sort(), [id(1), id(2), id(3)]);
    assert.deepStrictEqual(typeQuery, [['mac2-m2pro.*', 'mac2.metal']], 'a family host: its family as a wildcard, not the SDK\'s types');
    assert.deepStrictEqual(r.hosts.map((h) => [h.hostId, h.instanceIds]), [['h-1', [id(1), id(2)]], ['h-2', [id(3)]]]);
  });

  it('links instances by Placement.HostId where the hosts report no Instances (moto), and asks nothing when hosts are empty', async () => {
    ec2.on(DescribeHostsCommand).resolves({ Hosts: [{ HostId: 'h-1', State: 'available', HostProperties: { InstanceType: 'mac2.metal' } }] });
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [{ InstanceId: id(1), InstanceType: 'mac2.metal', Placement: { HostId: 'h-1' } }, { InstanceId: id(2), InstanceType: 'mac2.metal', Placement: { HostId: 'h-gone' } }] }] });
    const r = (await discoverDevHosts(factory().factory, { regions: ['us-east-1'], skipBastions: true, amiNames: false })).regions[0];
    assert.deepStrictEqual(r.instances.map((i) => [i.instanceId, i.hostId]), [[id(1), 'h-1']]);
    ec2.reset();
    ec2.on(DescribeHostsCommand).resolves({ Hosts: [{ HostId: 'h-1', State: 'available', HostProperties: { InstanceType: 'mac2.metal' }, Instances: [] }] });
    await discoverDevHosts(factory().factory, { regions: ['us-east-1'], skipBastions: true, amiNames: false });
    assert.strictEqual(ec2.commandCalls(DescribeInstancesCommand).length, 0, 'hosts with no instances: no DescribeInstances');
  });

  it('one Region failing gives an error entry; the others still load; Regions run in parallel', async () => {
    let inFlight = 0;
    let peak = 0;
    ec2.on(DescribeHostsCommand).callsFake(async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 20));
      inFlight--;
      return { Hosts: [] };
    });
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    const { factory: f } = factory();
    const inv = await discoverDevHosts(f, { regions: ['us-east-1', 'eu-west-1', 'ap-south-1'], amiNames: false });
    assert.strictEqual(peak, 3);
    assert.ok(inv.regions.every((r) => !r.error));
    ec2.reset();
    ec2.on(DescribeHostsCommand).rejects(Object.assign(new Error('User is not authorized'), { name: 'UnauthorizedOperation' }));
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    const bad = await discoverDevHosts(factory().factory, { regions: ['us-east-1'] });
    assert.match(bad.regions[0].error ?? '', /Access denied in us-east-1.*ec2:DescribeHosts/);
  });

  it('skips the bastion lookup when a bastion host is set, and lists that host as every Region\'s bastion', async () => {
    ec2.on(DescribeHostsCommand).resolves({ Hosts: [] });
    const inv = await discoverDevHosts(factory().factory, { regions: ['us-east-1', 'eu-west-1'], bastionHost: 'bastion.example.com' });
    assert.deepStrictEqual([ec2.commandCalls(DescribeHostsCommand).length, ec2.commandCalls(DescribeInstancesCommand).length], [2, 0]);
    assert.deepStrictEqual(inv.regions.map((r) => r.bastions), [[configuredBastion('bastion.example.com', 'us-east-1')], [configuredBastion('bastion.example.com', 'eu-west-1')]]);
    assert.deepStrictEqual(inv.regions[0].bastions[0], { instanceId: '', region: 'us-east-1', name: 'bastion.example.com', state: 'configured', fromSetting: true });
    ec2.reset();
    ec2.on(DescribeHostsCommand).resolves({ Hosts: [] });
    const none = await discoverDevHosts(factory().factory, { regions: ['us-east-1'], skipBastions: true });
    assert.deepStrictEqual(none.regions[0].bastions, [], 'skipBastions alone lists none');
  });

  it('describeHostNow: one DescribeHosts by id for an empty host; its instances when it lists some; undefined when gone', async () => {
    ec2.on(DescribeHostsCommand).resolves({ Hosts: [{ HostId: 'h-1', State: 'available', AllocationTime: new Date('2026-01-01T00:00:00Z'), HostProperties: { InstanceType: 'mac2.metal' }, Instances: [] }] });
    const empty = await describeHostNow(factory().factory, 'us-east-1', 'h-1');
    assert.deepStrictEqual([empty.host?.hostId, empty.instances.length], ['h-1', 0]);
    assert.deepStrictEqual(ec2.commandCalls(DescribeHostsCommand)[0].args[0].input, { HostIds: ['h-1'] });
    assert.deepStrictEqual([ec2.commandCalls(DescribeHostsCommand).length, ec2.commandCalls(DescribeInstancesCommand).length], [1, 0]);
    ec2.reset();
    ec2.on(DescribeHostsCommand).resolves({ Hosts: [{ HostId: 'h-1', State: 'available', HostProperties: { InstanceType: 'mac2.metal' }, Instances: [{ InstanceId: id(4), InstanceType: 'mac2.metal' }] }] });
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [{ InstanceId: id(4), InstanceType: 'mac2.metal', State: { Name: 'pending' } }] }] });
    const busy = await describeHostNow(factory().factory, 'us-east-1', 'h-1');
    assert.deepStrictEqual(busy.instances.map((i) => [i.instanceId, i.state, i.hostId]), [[id(4), 'pending', 'h-1']]);
    ec2.reset();
    ec2.on(DescribeHostsCommand).rejects(Object.assign(new Error('gone'), { name: 'InvalidHostID.NotFound' }));
    assert.deepStrictEqual(await describeHostNow(factory().factory, 'us-east-1', 'h-1'), { instances: [] });
  });

  it('release reads Unsuccessful instead of trusting the call', async () => {
    ec2.on(ReleaseHostsCommand).resolves({ Successful: [], Unsuccessful: [{ ResourceId: 'h-1', Error: { Code: 'Client.InvalidHost.Occupied', Message: 'busy' } }] });
    const r = await releaseHost(factory().factory, 'us-east-1', 'h-1');
    assert.deepStrictEqual(r, { hostId: 'h-1', released: false, error: 'Client.InvalidHost.Occupied: busy' });
  });
});
