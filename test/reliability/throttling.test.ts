import * as assert from 'assert';
import { AllocateHostsCommand, DescribeImagesCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { BatchClient, CreateJobQueueCommand, RegisterJobDefinitionCommand, SubmitJobCommand } from '@aws-sdk/client-batch';
import { LambdaClient, ListLayerVersionsCommand } from '@aws-sdk/client-lambda';
import { discoverDevHosts } from '../../src/devhosts/service';
import { batchHealth } from '../../src/batch/service';
import { layerStatus, listVersions, publishLayer, type LayerTarget } from '../../src/layers/service';
import { CreateLaunchTemplateCommand, CreateSubnetCommand, CreateVpcCommand } from '@aws-sdk/client-ec2';
import { mskHealth } from '../../src/msk/service';
import { describeFleets, launchFleet, loadFleetFacts } from '../../src/fleets/service';
import { LaunchLedger } from '../../src/fleets/core/clientToken';
import { fleetReferences } from '../../src/fleets/core/overrides';
import type { FleetRequest } from '../../src/fleets/core/types';
import { requireTool } from '../support/tools';
import { motoEndpoint, motoFactory, resetMoto } from '../support/aws';
import { dupes, rejectionGuard, startFaulty, type FaultyAws } from './support/faulty';

/**
 * Every feature's discovery under 30% throttling of every call (seeded, so the same calls are hit on every
 * run), with the real SDK clients of the ClientFactory at the default settings (src/aws/retryPolicy.ts:
 * adaptive, 10 attempts for throttling errors, opsdeck.maxAttempts 3 for the rest): the result must be exactly
 * the fault-free result — nothing missing, nothing doubled, no Region turned into an error — and no promise may
 * be left rejected and unhandled.
 */
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
const RATE = 0.3;
export const faultTotals = { injected: 0, survived: 0 };

describe('reliability: every discovery under 30% throttling ends complete and correct', function () {
  this.timeout(240_000);
  let aws: FaultyAws;
  const guard = rejectionGuard();

  before(async () => {
    await resetMoto();
    aws = await startFaulty({ seed: 30, rules: [{ kind: 'throttle', rate: RATE }] });
  });
  after(async () => {
    guard.dispose();
    await aws?.stop();
    console.log(`      throttling suite: ${faultTotals.injected} throttles injected, all survived: ${faultTotals.survived === faultTotals.injected}`);
  });
  afterEach(async () => {
    await new Promise((r) => setTimeout(r, 50));
    guard.assertNone();
  });

  /** Runs `work` without faults (the reference), then with them; returns both and the faults injected. */
  /**
   * Runs `work` without faults (the reference), then `rounds` times with them (each round draws new faults from
   * the seeded stream); every faulted result must equal the reference. Returns the last faulted result.
   */
  async function baselineThenFaulted<T>(work: () => Promise<T>, rounds = 3, a: FaultyAws = aws): Promise<{ clean: T; faulted: T; injected: number }> {
    a.hook.enabled = false;
    const clean = await work();
    a.hook.enabled = true;
    const before = a.hook.stats.injected;
    let faulted = clean;
    for (let round = 1; round <= rounds; round++) {
      faulted = await work();
      assert.deepStrictEqual(faulted, clean, `round ${round}: the same result as without faults`);
    }
    const injected = a.hook.stats.injected - before;
    faultTotals.injected += injected;
    return { clean, faulted, injected };
  }

  it('Mac dev hosts: 3 Regions × 12 hosts with instances and bastions', async () => {
    const { factory: seedFactory } = motoFactory(REGIONS);
    for (const region of REGIONS) {
      const ec2 = seedFactory.client(EC2Client, region);
      const ami = (await ec2.send(new DescribeImagesCommand({ MaxResults: 5 }))).Images![0].ImageId!;
      const alloc = await ec2.send(new AllocateHostsCommand({ AvailabilityZone: `${region}a`, InstanceType: 'mac2.metal', Quantity: 12 }));
      for (const [n, hostId] of alloc.HostIds!.entries()) {
        await ec2.send(new RunInstancesCommand({ ImageId: ami, InstanceType: 'mac2.metal', MinCount: 1, MaxCount: 1, Placement: { HostId: hostId, Tenancy: 'host' }, TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: `mac-${region}-${n}` }] }] }));
      }
      await ec2.send(new RunInstancesCommand({ ImageId: ami, InstanceType: 't3.micro', MinCount: 2, MaxCount: 2, TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Role', Value: 'bastion' }] }] }));
    }
    seedFactory.dispose();

    const run = async () => {
      const { factory } = aws.factory(REGIONS);
      try {
        return await discoverDevHosts(factory, { regions: REGIONS });
      } finally {
        factory.dispose();
      }
    };
    const { clean, faulted, injected } = await baselineThenFaulted(run);
    assert.ok(injected > 0, 'faults were injected');
    for (const r of faulted.regions) assert.strictEqual(r.error, undefined, `${r.region}: ${r.error}`);
    const ids = (inv: typeof clean) => inv.regions.flatMap((r) => [...r.hosts.map((h) => h.hostId), ...r.instances.map((i) => i.instanceId), ...r.bastions.map((b) => b.instanceId)]);
    assert.strictEqual(ids(clean).length, REGIONS.length * (12 + 12 + 2));
    assert.deepStrictEqual(dupes(ids(faulted)), [], 'nothing doubled');
    assert.deepStrictEqual(faulted, clean, 'the same inventory as without faults');
    faultTotals.survived += injected;
  });

  it('Batch health: 2 Regions × 3 queues × 8 jobs, compute environments', async () => {
    const endpoint = motoEndpoint();
    const seed = await import('../../scripts/demo/seed-batch.mjs');
    await seed.freezeJobs(endpoint); // jobs stay SUBMITTED: the reference and the faulted run see the same
    const regions = REGIONS.slice(0, 2);
    try {
      for (const region of regions) {
        const batch = new BatchClient({ region, endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
        const pre = await seed.batchPrerequisites(endpoint, region);
        await seed.createComputeEnvironment(batch, pre, 'ce-a', { maxvCpus: 16, instanceTypes: ['m5'] });
        await seed.createComputeEnvironment(batch, pre, 'ce-off', { state: 'DISABLED', maxvCpus: 16, instanceTypes: ['c5'] });
        const def = await batch.send(new RegisterJobDefinitionCommand({ jobDefinitionName: 'rel', type: 'container', containerProperties: { image: 'busybox', command: ['true'], resourceRequirements: [{ type: 'VCPU', value: '1' }, { type: 'MEMORY', value: '512' }] } }));
        for (const [q, ce] of [['q1', 'ce-a'], ['q2', 'ce-off'], ['q3', 'ce-a']]) {
          await batch.send(new CreateJobQueueCommand({ jobQueueName: q, state: 'ENABLED', priority: 1, computeEnvironmentOrder: [{ order: 1, computeEnvironment: ce }] }));
          for (let j = 0; j < 8; j++) await batch.send(new SubmitJobCommand({ jobName: `${q}-${j}`, jobQueue: q, jobDefinition: def.jobDefinitionArn }));
        }
        batch.destroy();
      }
      const now = Date.now() + 7 * 86_400_000; // everything counts as stuck, so every rule runs
      const run = async () => {
        const { factory } = aws.factory(regions);
        try {
          const { calls: _calls, ...report } = await batchHealth(factory, { regions, thresholds: { defaultMinutes: 15 }, now });
          void _calls;
          return report;
        } finally {
          factory.dispose();
        }
      };
      const { clean, faulted, injected } = await baselineThenFaulted(run);
      assert.ok(injected > 0, 'faults were injected');
      for (const r of faulted.regions) assert.strictEqual(r.error, undefined, `${r.region}: ${r.error}`);
      const jobIds = (rep: typeof clean) => rep.regions.flatMap((r) => r.queues.flatMap((q) => q.stuck.map((s) => s.job.jobId)));
      assert.strictEqual(jobIds(clean).length, regions.length * 3 * 8);
      assert.deepStrictEqual(dupes(jobIds(faulted)), [], 'no job doubled');
      assert.deepStrictEqual(faulted, clean, 'the same report as without faults');
      faultTotals.survived += injected;
    } finally {
      await seed.unsetJobTransition(endpoint);
    }
  });

  it('Lambda layers: status and version lists in 3 Regions, and a publish under throttling makes no duplicate', async () => {
    const target = (name: string): LayerTarget => ({ name, compatibleRuntimes: ['nodejs20.x'], compatibleArchitectures: ['x86_64'], permissions: [], s3Staging: {} });
    const zipOf = (text: string) => {
      const bytes = Buffer.from(`PK-not-really-a-zip-${text}`);
      return { bytes, codeSha256: require('crypto').createHash('sha256').update(bytes).digest('base64') as string };
    };
    aws.hook.enabled = false;
    const { factory: seedFactory } = aws.factory(REGIONS);
    for (const name of ['rel-a', 'rel-b']) for (const v of [1, 2, 3]) await publishLayer(seedFactory, target(name), zipOf(`${name}-${v}`), REGIONS);
    seedFactory.dispose();

    const run = async () => {
      const { factory } = aws.factory(REGIONS);
      try {
        const status = await Promise.all(['rel-a', 'rel-b', 'rel-missing'].map((n) => layerStatus(factory, n, REGIONS)));
        const versions = await Promise.all(REGIONS.map((r) => listVersions(factory, 'rel-b', r)));
        return { status, versions };
      } finally {
        factory.dispose();
      }
    };
    const { clean, faulted, injected } = await baselineThenFaulted(run);
    assert.ok(injected > 0, 'faults were injected');
    for (const s of faulted.status) for (const o of s.observations) assert.strictEqual(o.error, undefined, `${o.region}: ${o.error}`);
    assert.deepStrictEqual(faulted.versions.map((v) => v.map((x) => x.version)), REGIONS.map(() => [3, 2, 1]));
    assert.deepStrictEqual(faulted, clean, 'the same status as without faults');
    faultTotals.survived += injected;

    // Publishing a new version under the same throttling: every Region ends with exactly one v4.
    const before = aws.hook.stats.injected;
    const { factory } = aws.factory(REGIONS);
    const report = await publishLayer(factory, target('rel-a'), zipOf('rel-a-4'), REGIONS);
    const injectedHere = aws.hook.stats.injected - before;
    faultTotals.injected += injectedHere;
    assert.deepStrictEqual(report.results.map((r) => [r.region, r.action, r.version]), REGIONS.map((r) => [r, 'published', 4]), JSON.stringify(report.results.map((r) => r.error)));
    aws.hook.enabled = false;
    for (const region of REGIONS) {
      const list = await factory.client(LambdaClient, region).send(new ListLayerVersionsCommand({ LayerName: 'rel-a' }));
      assert.deepStrictEqual(list.LayerVersions?.map((v) => v.Version), [4, 3, 2, 1], `${region}: no duplicate version`);
    }
    faultTotals.survived += injectedHere;
    factory.dispose();
    aws.hook.enabled = true;
  });

  it('MSK consumers: mappings (overlay: moto lacks Kafka mappings), metrics and verdicts in 2 Regions', async function () {
    requireTool(this, 'openssl', ['openssl']);
    const { kafkaMappingsHandler } = await import('../../scripts/overlay/kafkaMappings.mjs');
    const { seed } = await import('../../scripts/demo/seed-msk.mjs');
    const state: Record<string, unknown> = {};
    const regions = ['us-east-1', 'us-west-2'];
    const msk = await startFaulty({ seed: 31, rules: [{ kind: 'throttle', rate: RATE }], handlers: [kafkaMappingsHandler(state)] });
    try {
      msk.hook.enabled = false;
      await seed({ endpoint: msk.overlay.endpoint, motoEndpoint: motoEndpoint(), regions, overlayState: state });
      const now = Date.now();
      const run = async () => {
        const { factory } = msk.factory(regions);
        try {
          const { calls: _calls, ...report } = await mskHealth(factory, { regions, now, checkCertificates: true });
          void _calls;
          return report;
        } finally {
          factory.dispose();
        }
      };
      const { faulted, injected } = await baselineThenFaulted(run, 3, msk);
      assert.ok(injected > 0, 'faults were injected');
      for (const r of faulted.regions) assert.strictEqual(r.error, undefined, `${r.region}: ${r.error}`);
      const uuids = faulted.regions.flatMap((r) => r.functions.flatMap((f) => f.mappings.map((m) => m.mapping.uuid)));
      assert.ok(uuids.length >= 5, `mappings found: ${uuids.length}`);
      assert.deepStrictEqual(dupes(uuids), [], 'no mapping doubled');
      faultTotals.survived += injected;
    } finally {
      await msk.stop();
    }
  });

  it('Outposts fleets: instance types (paged), launch template and subnet facts, and the fleet list', async () => {
    const { outpostsHandler, articleOutpostState } = await import('../../scripts/overlay/outposts.mjs');
    const region = 'us-west-2';
    const { factory: seedFactory } = motoFactory([region]);
    const ec2 = seedFactory.client(EC2Client, region);
    const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.71.0.0/16' }));
    const subnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc.Vpc!.VpcId!, CidrBlock: '10.71.1.0/24', AvailabilityZone: `${region}a` }))).Subnet!.SubnetId!;
    const ami = (await ec2.send(new DescribeImagesCommand({ MaxResults: 5 }))).Images![0].ImageId!;
    const lt = await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'rel-throttle-lt', LaunchTemplateData: { ImageId: ami } }));
    const request = {
      Type: 'instant',
      LaunchTemplateConfigs: [{ LaunchTemplateSpecification: { LaunchTemplateId: lt.LaunchTemplate!.LaunchTemplateId!, Version: '1' }, Overrides: [{ InstanceType: 'm5.large', SubnetId: subnetId }, { InstanceType: 'c5.2xlarge', SubnetId: subnetId }] }],
      TargetCapacitySpecification: { TotalTargetCapacity: 1, DefaultTargetCapacityType: 'on-demand' },
    } as unknown as FleetRequest;
    for (let i = 0; i < 3; i++) await launchFleet(seedFactory, region, { ...request, TargetCapacitySpecification: { TotalTargetCapacity: i + 1, DefaultTargetCapacityType: 'on-demand' } } as unknown as FleetRequest, { ledger: new LaunchLedger(), saveLedger: () => {} });
    seedFactory.dispose();
    const fl = await startFaulty({ seed: 32, rules: [{ kind: 'throttle', rate: RATE }], handlers: [outpostsHandler(articleOutpostState({ region, subnetIds: [subnetId] }))] });
    try {
      const run = async () => {
        const { factory } = fl.factory([region]);
        try {
          const facts = await loadFleetFacts(factory, region, fleetReferences(request), { outposts: true });
          const list = await describeFleets(factory, region);
          return { facts: JSON.parse(JSON.stringify(facts, (_k, v) => (v instanceof Map ? [...v.entries()].sort() : v))) as unknown, fleets: list.map((f) => ({ ...f })).sort((a, b) => a.fleetId.localeCompare(b.fleetId)) };
        } finally {
          factory.dispose();
        }
      };
      const { faulted, injected } = await baselineThenFaulted(run, 1, fl); // one faulted round: DescribeInstanceTypes pages are slow in moto
      assert.ok(injected > 0, 'faults were injected');
      assert.ok(faulted.fleets.length >= 3);
      assert.deepStrictEqual(dupes(faulted.fleets.map((f) => f.fleetId)), [], 'no fleet doubled');
      faultTotals.survived += injected;
    } finally {
      await fl.stop();
    }
  });
});
