import * as assert from 'assert';
import { allStuck, buildReport, chunk, evaluateRegion, isStuck, mergeJobPages, thresholdFor, unknownDependencies } from '../../../src/batch/core/evaluate';
import { minimumCalls } from '../../../src/batch/core/callPlan';
import { formatAge } from '../../../src/batch/core/format';
import { shapesFor } from '../../../src/batch/core/instanceTypes';
import { alertText, newlyStuck, nextPollDelayMs } from '../../../src/batch/core/polling';
import { describeTimeLimitPlan, parseDuration, planTimeLimitActions, validateTimeLimitSeconds } from '../../../src/batch/core/timeLimit';
import { ce, detail, minutesAgo, NOW, queue, summary } from './fixtures';

describe('batch thresholds', () => {
  const q = queue({ name: 'etl' });
  const table: Array<[string, Parameters<typeof thresholdFor>[1], number]> = [
    ['default', { defaultMinutes: 15 }, 15],
    ['per-queue by name', { defaultMinutes: 15, perQueue: { etl: 120 } }, 120],
    ['per-queue by ARN wins over name', { defaultMinutes: 15, perQueue: { etl: 120, [q.arn]: 5 } }, 5],
    ['other queue override ignored', { defaultMinutes: 30, perQueue: { other: 1 } }, 30],
    ['invalid override ignored', { defaultMinutes: 30, perQueue: { etl: -4 } }, 30],
    ['invalid default falls back to 15', { defaultMinutes: 0 }, 15],
  ];
  for (const [name, t, want] of table) it(name, () => assert.strictEqual(thresholdFor(q, t), want));

  const stuckTable: Array<[number | undefined, number, boolean]> = [[minutesAgo(16), 15, true], [minutesAgo(15), 15, false], [minutesAgo(14), 15, false], [undefined, 15, false], [minutesAgo(121), 120, true]];
  for (const [createdAt, threshold, want] of stuckTable) it(`createdAt ${createdAt === undefined ? 'missing' : `${(NOW - createdAt) / 60000}m ago`}, threshold ${threshold} → ${want}`, () => assert.strictEqual(isStuck({ createdAt }, NOW, threshold), want));
});

describe('batch pagination merge', () => {
  it('keeps each job once and its furthest status', () => {
    const pages = [
      [summary({ jobId: 'a', status: 'PENDING' }), summary({ jobId: 'b', status: 'PENDING' })],
      [summary({ jobId: 'b', status: 'PENDING' }), summary({ jobId: 'c', status: 'PENDING' })], // page shifted: b again
      [summary({ jobId: 'a', status: 'RUNNABLE' })], // a moved on between calls
      [summary({ jobId: 'c', status: 'SUBMITTED' })],
    ];
    const merged = mergeJobPages(pages);
    assert.deepStrictEqual(merged.map((j) => `${j.jobId}:${j.status}`).sort(), ['a:RUNNABLE', 'b:PENDING', 'c:PENDING']);
  });
  it('chunks by 100', () => {
    assert.deepStrictEqual(chunk(Array.from({ length: 250 }, (_, i) => i)).map((c) => c.length), [100, 100, 50]);
    assert.deepStrictEqual(chunk([]), []);
  });
  it('only PENDING jobs contribute unknown dependencies', () => {
    const ids = unknownDependencies([detail({ jobId: 'p', status: 'PENDING', dependsOn: ['x', 'y', 'k'] }), detail({ jobId: 'r', status: 'RUNNABLE', dependsOn: ['z'] })], new Set(['k']));
    assert.deepStrictEqual(ids, ['x', 'y']);
  });
});

describe('batch region evaluation', () => {
  const etl = queue({ name: 'etl' });
  const ok = queue({ name: 'ok', computeEnvironments: [ce().arn] });
  const report = evaluateRegion({
    region: 'us-east-1',
    queues: [ok, etl],
    computeEnvironments: [ce({ state: 'DISABLED', statusReason: 'off' })],
    jobs: new Map([
      [etl.arn, [summary({ jobId: 'r1', queueArn: etl.arn, createdAt: minutesAgo(372) }), summary({ jobId: 'r2', queueArn: etl.arn, createdAt: minutesAgo(3) }), summary({ jobId: 's1', status: 'SUBMITTED', queueArn: etl.arn, createdAt: minutesAgo(40) })]],
      [ok.arn, []],
    ]),
    details: [detail({ jobId: 'r1' })],
    now: NOW,
    thresholds: { defaultMinutes: 15 },
  });
  it('counts in-transit jobs and keeps only those over the threshold, oldest first', () => {
    const q = report.queues.find((x) => x.queue.name === 'etl')!;
    assert.deepStrictEqual(q.inTransit, { SUBMITTED: 1, PENDING: 0, RUNNABLE: 2 });
    assert.deepStrictEqual(q.stuck.map((s) => s.job.jobId), ['r1', 's1']);
    assert.strictEqual(formatAge(q.stuck[0].ageMs), '6h 12m');
    assert.strictEqual(q.stuck[0].findings[0].code, 'NO_USABLE_COMPUTE_ENVIRONMENT');
  });
  it('sorts queues with stuck jobs first and totals the report', () => {
    assert.deepStrictEqual(report.queues.map((q) => q.queue.name), ['etl', 'ok']);
    const full = buildReport([report], NOW);
    assert.strictEqual(full.stuckCount, 2);
    assert.strictEqual(allStuck(full).length, 2);
  });
});

describe('batch instance catalog', () => {
  const table: Array<[string, string | undefined]> = [
    ['m5.large', '2/8192'], ['c5.4xlarge', '16/32768'], ['r5.24xlarge', '96/786432'], ['m5', '96/393216'], ['t3.medium', '2/4096'], ['m5.metal', '96/393216'], ['m5.99xlarge', undefined], ['zz1.large', undefined],
  ];
  for (const [t, want] of table) it(`${t} → ${want}`, () => { const s = shapesFor(t); assert.strictEqual(s ? `${s[0].vcpus}/${s[0].memoryMiB}` : undefined, want); });
  it('optimal stands for c4, m4 and r4', () => assert.deepStrictEqual(shapesFor('optimal')!.map((s) => s.vcpus), [36, 64, 64]));
});

describe('batch RUNNABLE time limit planning', () => {
  it('validates 600–86400 whole seconds', () => {
    assert.deepStrictEqual([599, 600, 86_400, 86_401, 700.5].map((n) => Boolean(validateTimeLimitSeconds(n))), [true, false, false, true, true]);
  });
  it('parses durations', () => assert.deepStrictEqual(['30m', '2h', '900', '10 min', 'x'].map(parseDuration), [1800, 7200, 900, 600, undefined]));
  it('replaces chosen reasons and keeps the others', () => {
    const q = queue({ timeLimitActions: [{ reason: 'CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY', state: 'RUNNABLE', maxTimeSeconds: 600, action: 'CANCEL' }, { reason: 'MISCONFIGURATION:SERVICE_ROLE_PERMISSIONS', state: 'RUNNABLE', maxTimeSeconds: 900, action: 'CANCEL' }] });
    const plan = planTimeLimitActions(q, 3600, ['CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY', 'MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT']);
    assert.deepStrictEqual(plan.map((a) => `${a.reason}=${a.maxTimeSeconds}/${a.action}`), ['MISCONFIGURATION:SERVICE_ROLE_PERMISSIONS=900/CANCEL', 'CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY=3600/CANCEL', 'MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT=3600/CANCEL']);
    assert.match(describeTimeLimitPlan(q, plan).join('\n'), /was CANCEL after 600 s/);
  });
  it('uses TERMINATE for SageMaker queues and refuses reasons Batch cannot time-limit', () => {
    assert.strictEqual(planTimeLimitActions(queue({ jobQueueType: 'SAGEMAKER_TRAINING' }), 600)[0].action, 'TERMINATE');
    assert.throws(() => planTimeLimitActions(queue(), 600, ['UNDETERMINED']), /cannot attach/);
    assert.throws(() => planTimeLimitActions(queue(), 60), /600–86400/);
  });
});

describe('batch polling', () => {
  const table: Array<[number, { failures: number; throttled: number }, number, number]> = [
    [300, { failures: 0, throttled: 0 }, 0.5, 300_000],
    [300, { failures: 0, throttled: 2 }, 0.5, 1_200_000],
    [300, { failures: 9, throttled: 0 }, 0.5, 4_800_000],
    [10, { failures: 0, throttled: 0 }, 0.5, 60_000],
    [300, { failures: 0, throttled: 0 }, 0, 270_000],
    [300, { failures: 0, throttled: 0 }, 1, 330_000],
  ];
  for (const [interval, state, r, want] of table) it(`interval ${interval}s ${JSON.stringify(state)} rnd ${r} → ${want} ms`, () => assert.strictEqual(nextPollDelayMs(interval, state, () => r), want));
  it('notifies only about newly stuck jobs', () => {
    assert.deepStrictEqual(newlyStuck(undefined, ['a']), ['a']);
    assert.deepStrictEqual(newlyStuck(new Set(['a', 'b']), ['a', 'b', 'c']), ['c']);
    assert.deepStrictEqual(newlyStuck(new Set(['a']), ['a']), []);
  });
  it('status bar text', () => {
    assert.strictEqual(alertText(0), undefined);
    assert.strictEqual(alertText(3), '$(warning) Batch: 3 stuck');
  });
});

describe('batch minimum call formula', () => {
  it('one queue, empty', () => assert.deepStrictEqual(minimumCalls({ queues: 1, computeEnvironments: 1, jobCounts: [{ SUBMITTED: 0, PENDING: 0, RUNNABLE: 0 }], detailJobs: 0 }).total, 1 + 1 + 3));
  it('pages of 1000 per status and batches of 100', () => {
    const m = minimumCalls({ queues: 2, computeEnvironments: 3, jobCounts: [{ SUBMITTED: 1000, PENDING: 1001, RUNNABLE: 0 }, { SUBMITTED: 0, PENDING: 0, RUNNABLE: 2500 }], detailJobs: 3501, dependencyLevels: [150, 1] });
    assert.deepStrictEqual(m, { DescribeJobQueues: 1, DescribeComputeEnvironments: 1, ListJobs: 1 + 2 + 1 + 1 + 1 + 3, DescribeJobs: 36 + 2 + 1, total: 1 + 1 + 9 + 39 });
  });
});
