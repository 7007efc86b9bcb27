// Figure 4 — API economy: calls a feature makes against the fewest its APIs allow for the same data (1.0 is
// the goal). Calls are counted by OpsDeck's own CallCounter (real SDK clients over HTTP against moto) or, where
// moto cannot hold the data cheaply, by aws-sdk-client-mock's call log (said so in `what`).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { factoryFor, sharedAws, ts } from './aws.mjs';
import { figure, round } from './lib.mjs';
import { minimumDiscoveryCalls, seedDevHosts } from './seed.mjs';

const sum = (o) => Object.values(o).reduce((a, b) => a + b, 0);
export const DEVHOST_REGIONS = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-northeast-1', 'ap-southeast-2'];

async function devhostsEconomy(ctx) {
  const aws = await sharedAws(ctx);
  await aws.reset();
  aws.latencyMs = 0;
  const seeded = await seedDevHosts(aws.endpoint, DEVHOST_REGIONS, { hosts: 2 });
  ctx.shared.devhostsSeeded = true; // the parallelism figure reuses this account (nothing else touches EC2)
  const { factory, counter } = factoryFor(DEVHOST_REGIONS, aws.endpoint);
  const inv = await ts('src/devhosts/service.ts').discoverDevHosts(factory, { regions: DEVHOST_REGIONS });
  const failed = inv.regions.filter((r) => r.error);
  if (failed.length) throw new Error(`dev-host discovery failed in ${failed.map((r) => `${r.region}: ${r.error}`).join('; ')}`);
  const found = inv.regions.reduce((a, r) => a + r.hosts.length, 0);
  const min = DEVHOST_REGIONS.map((r) => minimumDiscoveryCalls(seeded[r]));
  const minimum = min.reduce((a, m) => a + m.total, 0);
  return figure({
    what: `dev-host discovery, ${DEVHOST_REGIONS.length} Regions × (2 Mac hosts, 2 instances, 1 bastion), moto`,
    value: counter.count() / DEVHOST_REGIONS.length, unit: 'calls/Region',
    baseline: minimum / DEVHOST_REGIONS.length, baselineOf: 'minimum the EC2 APIs allow (DescribeHosts, DescribeInstances ×2, DescribeImages)',
    budget: { max: 1, on: 'ratio', text: 'API economy: dev-host discovery at the minimum (ratio 1.0)' },
    detail: { made: counter.byOperation(), minimumPerRegion: min[0], hostsFound: found },
  });
}

/**
 * The same discovery at a scale moto cannot show: 1,000 Mac hosts in one Region, each reporting its instance in
 * DescribeHosts `Instances` (real EC2 does; moto does not), through aws-sdk-client-mock paging like EC2.
 */
async function devhostsAtScale() {
  const HOSTS = 1000;
  const region = 'us-east-1';
  const { mockClient } = await import('aws-sdk-client-mock');
  const { EC2Client, DescribeHostsCommand, DescribeInstancesCommand, DescribeImagesCommand } = await import('@aws-sdk/client-ec2');
  const hosts = Array.from({ length: HOSTS }, (_, i) => ({
    HostId: `h-${i.toString(16).padStart(17, '0')}`, State: 'available', AvailabilityZone: `${region}a`,
    HostProperties: { InstanceType: 'mac2.metal' }, Instances: [{ InstanceId: `i-${i.toString(16).padStart(17, '0')}`, InstanceType: 'mac2.metal' }],
  }));
  const instances = hosts.map((h, i) => ({ InstanceId: h.Instances[0].InstanceId, InstanceType: 'mac2.metal', State: { Name: 'running' }, Placement: { HostId: h.HostId }, ImageId: `ami-${i % 3}`, Tags: [{ Key: 'Name', Value: `mac-${i}` }] }));
  const page = (all, input, max) => {
    const start = Number(input.NextToken ?? 0);
    const end = start + Math.min(input.MaxResults ?? max, max);
    return { items: all.slice(start, end), NextToken: end < all.length ? String(end) : undefined };
  };
  const ec2 = mockClient(EC2Client);
  try {
    ec2.on(DescribeHostsCommand).callsFake((input) => {
      const p = page(hosts, input, 500);
      return { Hosts: p.items, NextToken: p.NextToken };
    });
    ec2.on(DescribeInstancesCommand).callsFake((input) => {
      const f = Object.fromEntries((input.Filters ?? []).map((x) => [x.Name, x.Values]));
      if (Object.values(f).some((v) => v.length > 200)) throw new Error('EC2 takes at most 200 values per filter');
      let all = [];
      if (f['instance-id']) all = instances.filter((i) => f['instance-id'].includes(i.InstanceId));
      else if (f['instance-type']) all = instances.filter((i) => f['instance-type'].includes(i.InstanceType));
      const p = page(all, input, 1000);
      return { Reservations: p.items.length ? [{ Instances: p.items }] : [], NextToken: p.NextToken };
    });
    ec2.on(DescribeImagesCommand).callsFake((input) => ({ Images: (input.Filters?.[0]?.Values ?? []).map((id) => ({ ImageId: id, Name: 'amzn-ec2-macos-14.3-20240101' })) }));
    const inv = await ts('src/devhosts/service.ts').discoverDevHosts(ts('test/unit/batch/fakeBatch.ts').testFactory(), { regions: [region] });
    if (inv.regions[0].error) throw new Error(inv.regions[0].error);
    const made = {};
    for (const call of ec2.calls()) {
      const op = call.args[0].constructor.name.replace(/Command$/, '');
      made[op] = (made[op] ?? 0) + 1;
    }
    const min = minimumDiscoveryCalls({ hosts: HOSTS, instances: HOSTS, amis: 3 });
    return figure({
      what: `dev-host discovery at scale: ${HOSTS} Mac hosts in one Region (aws-sdk-client-mock; moto omits DescribeHosts Instances)`,
      value: sum(made), unit: 'calls', baseline: min.total, baselineOf: 'minimum (instances by one instance-type filter, 1,000 per page)',
      budget: { max: 1, on: 'ratio', text: 'API economy: dev-host discovery at scale at the minimum (ratio 1.0)' },
      detail: { made, minimum: min, instancesFound: inv.regions[0].instances.length },
    });
  } finally {
    ec2.restore();
  }
}

/** The unit tests' 10,000-job scenario: q00 holds 2,495 RUNNABLE jobs, q01–q19 100 SUBMITTED/150 PENDING/145 RUNNABLE each. */
function batchWorld(fake, now) {
  const ago = (min) => now - min * 60_000;
  const { q, c, j } = fake;
  const queues = Array.from({ length: 20 }, (_, i) => q(`q${String(i).padStart(2, '0')}`, [i % 2 ? 'ce-spot' : 'ce-od', 'ce-od']));
  const ces = [c('ce-od'), c('ce-spot', { state: 'DISABLED', statusReason: 'paused' })];
  const jobs = Array.from({ length: 2495 }, (_, k) => j(`q00-r${k}`, 'q00', 'RUNNABLE', ago(20 + (k % 900))));
  const jobCounts = [{ SUBMITTED: 0, PENDING: 0, RUNNABLE: 2495 }];
  const external = [];
  for (let i = 1; i < 20; i++) {
    const name = `q${String(i).padStart(2, '0')}`;
    for (let k = 0; k < 100; k++) jobs.push(j(`${name}-s${k}`, name, 'SUBMITTED', ago(30 + k)));
    for (let k = 0; k < 145; k++) jobs.push(j(`${name}-r${k}`, name, 'RUNNABLE', ago(60 + k)));
    for (let k = 0; k < 150; k++) {
      const dep = k % 2 ? `${name}-r${k % 145}` : `${name}-up${k % 10}`;
      jobs.push(j(`${name}-p${k}`, name, 'PENDING', ago(90 + k), { dependsOn: [{ jobId: dep }] }));
    }
    for (let k = 0; k < 10; k++) external.push(j(`${name}-up${k}`, 'upstream', 'PENDING', ago(1000), { dependsOn: [{ jobId: `${name}-root` }] }));
    external.push(j(`${name}-root`, 'upstream', 'FAILED', ago(2000)));
    jobCounts.push({ SUBMITTED: 100, PENDING: 150, RUNNABLE: 145 });
  }
  return { queues, ces, jobs, external, jobCounts, detailJobs: 2495 + 19 * 295, dependencyLevels: [95, 19] };
}

export { batchWorld };

async function batchEconomy() {
  const fake = ts('test/unit/batch/fakeBatch.ts');
  const now = Date.UTC(2026, 10, 26, 12, 0, 0);
  const w = batchWorld(fake, now);
  const mock = fake.fakeBatch({ queues: w.queues, ces: w.ces, jobs: [...w.jobs, ...w.external] });
  try {
    const report = await ts('src/batch/service.ts').batchHealth(fake.testFactory(), { regions: ['us-east-1'], thresholds: { defaultMinutes: 15 }, now });
    const made = {};
    for (const call of mock.calls()) {
      const name = call.args[0].constructor.name.replace(/Command$/, '');
      made[name] = (made[name] ?? 0) + 1;
    }
    const min = ts('src/batch/core/callPlan.ts').minimumCalls({ queues: 20, computeEnvironments: 2, jobCounts: w.jobCounts, detailJobs: w.detailJobs, dependencyLevels: w.dependencyLevels });
    return figure({
      what: 'Batch health, 10,000 jobs in 20 queues (aws-sdk-client-mock pages the way AWS does; moto cannot hold 10,000 jobs cheaply nor pages ListJobs)',
      value: sum(made), unit: 'calls', baseline: min.total, baselineOf: 'minimum (src/batch/core/callPlan.ts: page sizes 100/1000, DescribeJobs ≤ 100 ids)',
      budget: { max: 1, on: 'ratio', text: 'API economy: Batch health at the minimum (ratio 1.0)' },
      detail: { made, minimum: min, stuckJobs: report.stuckCount },
    });
  } finally {
    mock.restore();
  }
}

async function layersEconomy(ctx) {
  const aws = await sharedAws(ctx);
  aws.latencyMs = 0;
  const regions = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'sa-east-1'];
  const layers = ts('src/layers/service.ts');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-bench-layer-'));
  try {
    fs.mkdirSync(path.join(dir, 'nodejs'));
    fs.writeFileSync(path.join(dir, 'nodejs/index.js'), 'module.exports = "bench";');
    const zip = await layers.buildLayer({ source: dir, kind: 'none' });
    const target = { name: `bench-economy-${Date.now()}`, compatibleRuntimes: [], compatibleArchitectures: [], permissions: [], s3Staging: {} };
    const { factory, counter } = factoryFor(regions, aws.endpoint);
    const first = await layers.publishLayer(factory, target, zip, regions);
    if (!first.results.every((r) => r.action === 'published')) throw new Error(`first publish: ${JSON.stringify(first.results.map((r) => r.error ?? r.action))}`);
    counter.reset();
    const rerun = await layers.publishLayer(factory, target, zip, regions);
    if (!rerun.results.every((r) => r.action === 'skipped')) throw new Error(`re-publish did not skip: ${JSON.stringify(rerun.results.map((r) => r.action))}`);
    return figure({
      what: `layer re-publish with nothing changed, ${regions.length} Regions, moto`,
      value: counter.count() / regions.length, unit: 'calls/Region',
      baseline: 2, baselineOf: 'minimum: ListLayerVersions (MaxItems 1) + GetLayerVersion (CodeSha256 is only in GetLayerVersion)',
      budget: { max: 1, on: 'ratio', text: 'API economy: unchanged layer re-publish at the minimum (ratio 1.0)' },
      detail: { made: counter.byOperation(), published: 0 },
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * MSK health for 1,000 Kafka-triggered functions in one Region, through aws-sdk-client-mock: moto cannot create
 * Kafka event source mappings, and its GetMetricData took longer than the 15 s request timeout for one call of
 * 500 queries on this machine. The mocks page the way AWS does (ListEventSourceMappings ≤ 100 per page,
 * ListMetrics 500 per page, GetMetricData rejects more than 500 queries) and answer one datapoint per query.
 */
async function mskEconomy() {
  const FUNCTIONS = 1000;
  const region = 'us-east-1';
  const { mockClient } = await import('aws-sdk-client-mock');
  const { LambdaClient, ListEventSourceMappingsCommand } = await import('@aws-sdk/client-lambda');
  const { CloudWatchClient, ListMetricsCommand, GetMetricDataCommand } = await import('@aws-sdk/client-cloudwatch');
  const names = Array.from({ length: FUNCTIONS }, (_, i) => `consumer-${String(i).padStart(4, '0')}`);
  const mappings = names.map((name, i) => ({
    UUID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, State: 'Enabled', LastProcessingResult: 'OK',
    FunctionArn: `arn:aws:lambda:${region}:123456789012:function:${name}`,
    EventSourceArn: `arn:aws:kafka:${region}:123456789012:cluster/bench/6f1c2b9e-4d1a-4c3e-9f0a-000000000001-1`,
    Topics: [`topic-${name}`], AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: name }, BatchSize: 100,
  }));
  const now = Date.now();
  const lambda = mockClient(LambdaClient);
  const cw = mockClient(CloudWatchClient);
  try {
    lambda.on(ListEventSourceMappingsCommand).callsFake((input) => {
      const start = Number(input.Marker ?? 0);
      const end = start + Math.min(input.MaxItems ?? 100, 100);
      return { EventSourceMappings: mappings.slice(start, end), NextMarker: end < mappings.length ? String(end) : undefined };
    });
    cw.on(ListMetricsCommand).callsFake((input) => {
      const start = Number(input.NextToken ?? 0);
      const end = start + 500;
      const metrics = names.map((n) => ({ Namespace: 'AWS/Lambda', MetricName: 'OffsetLag', Dimensions: [{ Name: 'FunctionName', Value: n }] }));
      return { Metrics: metrics.slice(start, end), NextToken: end < metrics.length ? String(end) : undefined };
    });
    cw.on(GetMetricDataCommand).callsFake((input) => {
      if (input.MetricDataQueries.length > 500) throw new Error('GetMetricData takes at most 500 queries');
      return { MetricDataResults: input.MetricDataQueries.map((q) => ({ Id: q.Id, Timestamps: [new Date(now - 120_000)], Values: [5], StatusCode: 'Complete' })) };
    });
    const report = await ts('src/msk/service.ts').mskHealth(ts('test/unit/batch/fakeBatch.ts').testFactory(), { regions: [region], now });
    if (report.regions[0].error) throw new Error(`mskHealth: ${report.regions[0].error}`);
    const made = {};
    for (const m of [lambda, cw]) for (const call of m.calls()) {
      const op = call.args[0].constructor.name.replace(/Command$/, '');
      made[op] = (made[op] ?? 0) + 1;
    }
    const queries = FUNCTIONS * 4; // OffsetLag, Duration, Errors, Invocations per function
    const minimum = { ListEventSourceMappings: Math.ceil(FUNCTIONS / 100), ListMetrics: Math.ceil(FUNCTIONS / 500), GetMetricData: Math.ceil(queries / 500) };
    const judged = report.regions[0].functions.length;
    return figure({
      what: `MSK consumer health, ${FUNCTIONS} functions × 4 metrics (aws-sdk-client-mock: moto lacks Kafka mappings and is too slow at 500-query GetMetricData)`,
      value: sum(made), unit: 'calls', baseline: sum(minimum),
      baselineOf: 'minimum: ⌈1,000/100⌉ ListEventSourceMappings + ⌈1,000/500⌉ ListMetrics + ⌈4,000 queries/500⌉ GetMetricData',
      budget: { max: 1, on: 'ratio', text: 'API economy: MSK health at the minimum (ratio 1.0)' },
      detail: {
        made, minimum, functionsJudged: judged,
        getMetricStatisticsWouldNeed: queries,
        metricCallsVsGetMetricStatistics: `${made.GetMetricData ?? 0} GetMetricData vs ${queries} GetMetricStatistics (${round(queries / Math.max(1, made.GetMetricData ?? 0), 0)}× fewer)`,
      },
    });
  } finally {
    lambda.restore();
    cw.restore();
  }
}

export async function economyFigures(ctx) {
  const out = {};
  const parts = { 'economy.devhosts': devhostsEconomy, 'economy.devhostsAtScale': devhostsAtScale, 'economy.batch': batchEconomy, 'economy.msk': mskEconomy, 'economy.layers': layersEconomy };
  for (const [key, fn] of Object.entries(parts)) {
    try {
      out[key] = await fn(ctx);
    } catch (err) {
      ctx.log(`${key} FAILED: ${err.stack ?? err}`);
      out[key] = { error: String(err.message ?? err) };
    }
  }
  return out;
}
