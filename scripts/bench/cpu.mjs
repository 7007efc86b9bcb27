// Figure 6 — CPU work in OpsDeck's pure modules on large inputs, each against a trivial baseline measured in
// the same run: JSON.parse of the same input serialized (what merely reading that much data costs). Timed
// interleaved (subject, baseline, subject, …); medians.
import { ts } from './aws.mjs';
import { batchWorld } from './economy.mjs';
import { figure, round, timePair } from './lib.mjs';

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);

async function pair(what, subject, input, reps, extra = {}) {
  const text = JSON.stringify(input);
  const t = await timePair(subject, () => JSON.parse(text), { reps, warmup: 2 });
  return figure({
    what, value: round(t.subject.median, 2), unit: 'ms', baseline: round(t.baseline.median, 2),
    baselineOf: `JSON.parse of the input serialized (${round(text.length / 1024 / 1024, 2)} MiB)`,
    detail: { reps, subjectSamples: t.subject.samples, baselineSamples: t.baseline.samples, ...extra },
  });
}

/** 10,000 Mac instances on 10,000 hosts over 4 Regions (Mac hosts hold one instance each), one bastion per Region. */
function devhostsInventory(n = 10_000) {
  const regions = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2'];
  return {
    regions: regions.map((region, r) => {
      const per = n / regions.length;
      const instances = Array.from({ length: per }, (_, k) => ({
        instanceId: `i-${(r * per + k).toString(16).padStart(17, '0')}`, region, hostId: `h-${(r * per + k).toString(16).padStart(17, '0')}`,
        instanceType: 'mac2.metal', state: k % 7 ? 'running' : 'stopped', name: `mac-${region}-${k % 500}`, // duplicate names: alias collisions
        privateIp: `10.${r}.${(k >> 8) & 255}.${k & 255}`, vpcId: `vpc-${r}`, imageId: `ami-${k % 5}`, macosVersion: 'macOS 14.3',
        launchTime: new Date(NOW - k * 60_000).toISOString(), tags: { Name: `mac-${region}-${k % 500}`, Team: 'ios' },
      }));
      return {
        region,
        hosts: instances.map((i) => ({ hostId: i.hostId, region, instanceType: 'mac2.metal', state: 'available', allocationTime: i.launchTime, tags: {}, instanceIds: [i.instanceId] })),
        instances,
        bastions: [{ instanceId: `i-bastion${r}`, region, state: 'running', vpcId: `vpc-${r}`, publicDns: `bastion-${r}.example.com`, publicIp: `203.0.113.${r + 1}` }],
      };
    }),
  };
}

async function sshConfig(reps) {
  const render = ts('src/devhosts/core/render.ts');
  const merge = ts('src/devhosts/core/merge.ts');
  const { resolveIdentities, DEFAULT_IDENTITIES } = ts('src/devhosts/core/identities.ts');
  const inventory = devhostsInventory();
  const { identities } = resolveIdentities(DEFAULT_IDENTITIES);
  // The user's ~/.ssh/config: their own entries around OpsDeck's managed region from the last refresh.
  const own = Array.from({ length: 200 }, (_, i) => `Host own-${i}\n  HostName 192.0.2.${i % 250}\n  User me\n`).join('\n');
  const previous = render.renderSshConfig(devhostsInventory(9_000), { mode: 'bastion', identities }).text;
  const userConfig = Buffer.from(`${own}\n${merge.regionText(previous, '\n')}\n${own}`, 'latin1');
  let last;
  const subject = () => {
    const r = render.renderSshConfig(inventory, { mode: 'bastion', identities });
    last = { entries: r.entries.length, merged: merge.mergeRegion(userConfig, r.text) };
  };
  const f = await pair('render + merge SSH config for 10,000 Mac instances (bastion mode, alias collisions)', subject, inventory, reps);
  f.detail.entries = last.entries;
  f.detail.mergeAction = last.merged.action;
  f.detail.configKiB = round(last.merged.content.length / 1024, 0);
  return f;
}

async function batchEvaluate(reps) {
  const fake = ts('test/unit/batch/fakeBatch.ts');
  const svc = ts('src/batch/service.ts');
  const { evaluateRegion } = ts('src/batch/core/evaluate.ts');
  const w = batchWorld(fake, NOW);
  const queues = w.queues.map((q) => svc.toQueue(q, 'us-east-1'));
  const computeEnvironments = w.ces.map((c) => svc.toComputeEnvironment(c));
  const jobs = new Map(queues.map((q) => [q.arn, []]));
  for (const j of w.jobs) jobs.get(j.jobQueue)?.push(svc.toSummary(j, j.jobQueue, j.status));
  const details = [...w.jobs, ...w.external].filter((j) => j.status !== 'SUBMITTED').map((j) => svc.toDetail(j));
  const input = { region: 'us-east-1', queues, computeEnvironments, jobs, details, now: NOW, thresholds: { defaultMinutes: 15 } };
  let stuck = 0;
  const subject = () => {
    stuck = evaluateRegion(input).queues.reduce((n, q) => n + q.stuck.length, 0);
  };
  const f = await pair('evaluate 10,000 Batch jobs in 20 queues (all rules, dependency chains)', subject, { ...input, jobs: [...jobs] }, reps);
  f.detail.stuck = stuck;
  return f;
}

/** 1,000 mappings × a 60-minute window at 60 s: lag, invocations and errors series in every shape the rules see. */
async function mskJudge(reps) {
  const { evaluate } = ts('src/msk/core/verdict.ts');
  const { DEFAULT_THRESHOLDS } = ts('src/msk/core/types.ts');
  const end = NOW;
  const t = Array.from({ length: 60 }, (_, i) => end - (60 - i) * 60_000);
  const shapes = [
    (i) => 100 + i * 100, // rising: WARN
    (i) => Math.max(0, Math.round(8 + 3 * Math.sin(i / 2.3))), // small, fluctuating: OK
    (i) => (i < 40 ? 400 + i * 20 : 1200), // flat, no invocations at the end: STALLED
    (i) => (i % 7 === 0 ? null : 5000 - i * 50), // falling with gaps: OK
  ];
  const inputs = Array.from({ length: 1000 }, (_, k) => {
    const shape = shapes[k % shapes.length];
    return {
      state: k % 50 === 0 ? 'Disabled' : 'Enabled',
      lastProcessingResult: k % 97 === 0 ? 'PROBLEM: Function call failed' : 'OK',
      lag: { t, v: t.map((_, i) => shape(i)) },
      invocations: { t, v: t.map((_, i) => (k % 4 === 2 && i >= 40 ? 0 : 40)) },
      errors: { t, v: t.map((_, i) => (k % 13 === 0 && i > 30 ? 2 : 0)) },
      thresholds: DEFAULT_THRESHOLDS, now: end, periodSeconds: 60,
    };
  });
  const verdicts = {};
  const subject = () => {
    for (const k of Object.keys(verdicts)) delete verdicts[k];
    for (const input of inputs) {
      const v = evaluate(input).verdict;
      verdicts[v] = (verdicts[v] ?? 0) + 1;
    }
  };
  const f = await pair('judge 1,000 consumer-lag series (60 min at 60 s, Burrow window rules)', subject, inputs, reps);
  f.detail.verdicts = { ...verdicts };
  return f;
}

/** A CreateFleet file with 300 overrides (EC2 Fleet's maximum) over 3 launch templates, with Region facts. */
async function fleetValidate(reps) {
  const { validateFleet } = ts('src/fleets/core/validate.ts');
  const families = ['c5', 'c6i', 'm5', 'm6i', 'r5', 'r6i', 'c7g', 'm7g', 'r7g', 't3'];
  const sizes = ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge', 'metal', 'medium'];
  const types = families.flatMap((f) => sizes.map((s, i) => [`${f}.${s}`, { vcpus: 2 ** Math.min(i + 1, 7), memoryMiB: 4096 * 2 ** Math.min(i, 6) }]));
  const outpostArn = 'arn:aws:outposts:us-west-2:111111111111:outpost/op-0000ffff0000fffff';
  const facts = {
    region: 'us-west-2',
    instanceTypes: new Map(types),
    launchTemplates: new Map([0, 1, 2].map((k) => [`lt-0${k}0654c96462292e8`, { id: `lt-0${k}0654c96462292e8`, name: `lt-${k}`, defaultVersion: 1, latestVersion: 3, subnetId: 'subnet-0op' }])),
    subnets: new Map([['subnet-0op', { subnetId: 'subnet-0op', outpostArn }]]),
    outposts: new Map([[outpostArn, { outpostId: 'op-0000ffff0000fffff', outpostArn, configuredTypes: new Map(types.slice(0, 30).map(([t, f]) => [t, f.vcpus])), available: new Map(types.slice(0, 30).map(([t], i) => [t, i % 4])) }]]),
  };
  const fleet = {
    TargetCapacitySpecification: { TotalTargetCapacity: 50, OnDemandTargetCapacity: 50, SpotTargetCapacity: 0, DefaultTargetCapacityType: 'on-demand' },
    OnDemandOptions: { AllocationStrategy: 'prioritized', MinTargetCapacity: 10 },
    LaunchTemplateConfigs: [0, 1, 2].map((k) => ({
      LaunchTemplateSpecification: { LaunchTemplateId: `lt-0${k}0654c96462292e8`, Version: '1' },
      Overrides: Array.from({ length: 100 }, (_, i) => ({ InstanceType: types[(k * 100 + i) % types.length][0], WeightedCapacity: 1 + (i % 4) * 0.5, Priority: k * 100 + i + 1, ...(i % 10 === 0 ? { SubnetId: 'subnet-0op' } : {}) })),
    })),
    Type: 'instant',
  };
  const text = JSON.stringify(fleet, null, 2);
  let diagnostics = 0;
  const subject = () => {
    diagnostics = validateFleet(text, facts).diagnostics.length;
  };
  const t = await timePair(subject, () => JSON.parse(text), { reps, warmup: 2 });
  return figure({
    what: 'validate a CreateFleet file with 300 overrides against Region + Outpost facts (with exact ranges)', value: round(t.subject.median, 2), unit: 'ms',
    baseline: round(t.baseline.median, 3), baselineOf: `JSON.parse of the same file (${round(text.length / 1024, 0)} KiB)`,
    detail: { reps, subjectSamples: t.subject.samples, baselineSamples: t.baseline.samples, diagnostics },
  });
}

export async function cpuFigures(ctx) {
  const reps = ctx.quick ? 5 : 11;
  const out = {};
  const parts = { 'cpu.sshConfig': sshConfig, 'cpu.batchEvaluate': batchEvaluate, 'cpu.mskJudge': mskJudge, 'cpu.fleetValidate': fleetValidate };
  for (const [key, fn] of Object.entries(parts)) {
    try {
      out[key] = await fn(key === 'cpu.sshConfig' ? Math.min(reps, 5) : reps); // sshConfig takes seconds per run
      ctx.log(`${key}: ${out[key].value} ms vs ${out[key].baseline} ms`);
    } catch (err) {
      ctx.log(`${key} FAILED: ${err.stack ?? err}`);
      out[key] = { error: String(err.message ?? err) };
    }
  }
  return out;
}
