import * as assert from 'assert';
import { CancelJobCommand, DescribeComputeEnvironmentsCommand, DescribeJobQueuesCommand, DescribeJobsCommand, ListJobsCommand, UpdateJobQueueCommand, type JobDetail } from '@aws-sdk/client-batch';
import { minimumCalls } from '../../../src/batch/core/callPlan';
import { evaluateRegion } from '../../../src/batch/core/evaluate';
import { planTimeLimitActions } from '../../../src/batch/core/timeLimit';
import { batchHealth, cancelJobs, setTimeLimitActions, toDetail, toQueue } from '../../../src/batch/service';
import { c, fakeBatch, j, q, testFactory } from './fakeBatch';

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);
const ago = (min: number): number => NOW - min * 60_000;
const opts = { regions: ['us-east-1'], thresholds: { defaultMinutes: 15 }, now: NOW };

type Mock = ReturnType<typeof fakeBatch>;
const counts = (mock: Mock) => ({
  DescribeJobQueues: mock.commandCalls(DescribeJobQueuesCommand).length,
  DescribeComputeEnvironments: mock.commandCalls(DescribeComputeEnvironmentsCommand).length,
  ListJobs: mock.commandCalls(ListJobsCommand).length,
  DescribeJobs: mock.commandCalls(DescribeJobsCommand).length,
});

describe('batch service (aws-sdk-client-mock: AWS-style pagination that moto does not implement)', () => {
  let mock: Mock | undefined;
  afterEach(() => mock?.restore());

  it('follows ListJobs nextToken to the last page: no job missed or counted twice', async () => {
    const jobs = Array.from({ length: 2345 }, (_, i) => j(`r${i}`, 'etl', 'RUNNABLE', ago(30 + (i % 500))));
    mock = fakeBatch({ queues: [q('etl', ['ce'])], ces: [c('ce')], jobs, listPage: 1000 });
    const report = await batchHealth(testFactory(), opts);
    const stuck = report.regions[0].queues[0].stuck;
    assert.strictEqual(stuck.length, 2345);
    assert.strictEqual(new Set(stuck.map((s) => s.job.jobId)).size, 2345);
    const listCalls = mock.commandCalls(ListJobsCommand).filter((call) => call.args[0].input.jobStatus === 'RUNNABLE');
    assert.deepStrictEqual(listCalls.map((call) => call.args[0].input.nextToken ?? null), [null, '1000', '2000']);
    // DescribeJobs never gets more than 100 ids (the fake would throw) and is called ceil(2345/100) times
    assert.strictEqual(mock.commandCalls(DescribeJobsCommand).length, 24);
  });

  it('paginates DescribeJobQueues (maxResults 100) and batches compute environments by 100', async () => {
    const queues = Array.from({ length: 150 }, (_, i) => q(`q${i}`, [`ce${i}`]));
    const ces = Array.from({ length: 150 }, (_, i) => c(`ce${i}`));
    mock = fakeBatch({ queues, ces, jobs: [] });
    const report = await batchHealth(testFactory(), opts);
    assert.strictEqual(report.regions[0].queues.length, 150);
    assert.strictEqual(report.regions[0].queues.every((x) => x.computeEnvironments.length === 1), true);
    assert.deepStrictEqual(counts(mock), { DescribeJobQueues: 2, DescribeComputeEnvironments: 2, ListJobs: 450, DescribeJobs: 0 });
  });

  it('asks DescribeJobs only for stuck PENDING/RUNNABLE jobs, then chases dependencies level by level', async () => {
    const jobs: JobDetail[] = [
      j('s-old', 'etl', 'SUBMITTED', ago(120)),
      j('r-new', 'etl', 'RUNNABLE', ago(2)), // under the threshold: no detail
      j('p1', 'etl', 'PENDING', ago(400), { dependsOn: [{ jobId: 'mid' }] }),
      j('mid', 'other', 'PENDING', ago(500), { dependsOn: [{ jobId: 'root' }] }), // not in a listed queue
      j('root', 'other', 'FAILED', ago(600), { statusReason: 'Essential container in task exited' }),
    ];
    mock = fakeBatch({ queues: [q('etl', ['ce'])], ces: [c('ce')], jobs });
    const report = await batchHealth(testFactory(), opts);
    const stuck = report.regions[0].queues[0].stuck;
    assert.deepStrictEqual(stuck.map((s) => s.job.jobId).sort(), ['p1', 's-old']);
    const p1 = stuck.find((s) => s.job.jobId === 'p1')!;
    assert.strictEqual(p1.willNeverRun, true);
    assert.deepStrictEqual(p1.dependencyChain!.map((l) => `${l.jobId}:${l.status}`), ['mid:PENDING', 'root:FAILED']);
    assert.deepStrictEqual(mock.commandCalls(DescribeJobsCommand).map((call) => call.args[0].input.jobs), [['p1'], ['mid'], ['root']]);
  });

  it('filters queues by name and keeps a failing Region as an error entry', async () => {
    mock = fakeBatch({ queues: [q('etl', ['ce']), q('ml', ['ce'])], ces: [c('ce')], jobs: [] });
    mock.on(DescribeJobQueuesCommand, {}).callsFake((input) => {
      if (input.jobQueues?.includes('broken')) throw Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' });
      return { jobQueues: [q('ml', ['ce'])].filter((x) => !input.jobQueues || input.jobQueues.includes(x.jobQueueName!)) };
    });
    const ok = await batchHealth(testFactory(), { ...opts, queues: ['ml'] });
    assert.deepStrictEqual(ok.regions[0].queues.map((x) => x.queue.name), ['ml']);
    assert.deepStrictEqual(mock.commandCalls(DescribeJobQueuesCommand)[0].args[0].input.jobQueues, ['ml']);
    const bad = await batchHealth(testFactory(), { ...opts, queues: ['broken'] });
    assert.match(bad.regions[0].error ?? '', /Access denied.*batch:DescribeJobQueues/);
  });

  it('cancels each job and reports failures per job', async () => {
    mock = fakeBatch({ queues: [], ces: [], jobs: [] });
    mock.on(CancelJobCommand, { jobId: 'bad' }).rejects(Object.assign(new Error('Job bad not found'), { name: 'ClientException' }));
    const out = await cancelJobs(testFactory(), 'us-east-1', ['a', 'bad'], 'Cancelled from AWS OpsDeck');
    assert.deepStrictEqual(out.map((r) => `${r.jobId}:${r.ok}`), ['a:true', 'bad:false']);
    assert.deepStrictEqual(mock.commandCalls(CancelJobCommand).map((x) => x.args[0].input.reason), ['Cancelled from AWS OpsDeck', 'Cancelled from AWS OpsDeck']);
  });

  it('sends the planned jobStateTimeLimitActions', async () => {
    mock = fakeBatch({ queues: [], ces: [], jobs: [] });
    const queue = toQueue(q('etl', ['ce']), 'us-east-1');
    await setTimeLimitActions(testFactory(), 'us-east-1', queue.arn, planTimeLimitActions(queue, 3600, ['CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY']));
    assert.deepStrictEqual(mock.commandCalls(UpdateJobQueueCommand)[0].args[0].input, {
      jobQueue: queue.arn,
      jobStateTimeLimitActions: [{ reason: 'CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY', state: 'RUNNABLE', maxTimeSeconds: 3600, action: 'CANCEL' }],
    });
  });

  it('reads vCPU/memory from resourceRequirements, legacy fields and ECS task containers', () => {
    const table: Array<[Partial<JobDetail>, string]> = [
      [{ container: { resourceRequirements: [{ type: 'VCPU', value: '0.5' }, { type: 'MEMORY', value: '1024' }, { type: 'GPU', value: '1' }] } }, '0.5/1024/1'],
      [{ container: { vcpus: 4, memory: 8192 } }, '4/8192/-'],
      [{ container: undefined, ecsProperties: { taskProperties: [{ containers: [{ image: 'a', resourceRequirements: [{ type: 'VCPU', value: '1' }, { type: 'MEMORY', value: '512' }] }, { image: 'b', resourceRequirements: [{ type: 'VCPU', value: '2' }] }] }] } }, '3/512/-'],
    ];
    for (const [over, want] of table) {
      const d = toDetail(j('x', 'etl', 'RUNNABLE', NOW, over));
      assert.strictEqual(`${d.vcpus}/${d.memoryMiB}/${d.gpus ?? '-'}`, want);
    }
  });

  it('10,000 jobs in 20 queues: calls made equal the minimum the APIs allow (benchmark)', async function () {
    this.timeout(60_000);
    const queues = Array.from({ length: 20 }, (_, i) => q(`q${String(i).padStart(2, '0')}`, [i % 2 ? 'ce-spot' : 'ce-od', 'ce-od']));
    const ces = [c('ce-od'), c('ce-spot', { state: 'DISABLED', statusReason: 'paused' })];
    const jobs: JobDetail[] = [];
    const counts20: Array<{ SUBMITTED: number; PENDING: number; RUNNABLE: number }> = [];
    // q00 holds 2,495 RUNNABLE jobs (three ListJobs pages); q01–q19 hold 100 SUBMITTED, 150 PENDING, 145 RUNNABLE each.
    jobs.push(...Array.from({ length: 2495 }, (_, k) => j(`q00-r${k}`, 'q00', 'RUNNABLE', ago(20 + (k % 900)))));
    counts20.push({ SUBMITTED: 0, PENDING: 0, RUNNABLE: 2495 });
    const external: JobDetail[] = [];
    for (let i = 1; i < 20; i++) {
      const name = `q${String(i).padStart(2, '0')}`;
      for (let k = 0; k < 100; k++) jobs.push(j(`${name}-s${k}`, name, 'SUBMITTED', ago(30 + k)));
      for (let k = 0; k < 145; k++) jobs.push(j(`${name}-r${k}`, name, 'RUNNABLE', ago(60 + k)));
      for (let k = 0; k < 150; k++) {
        // odd k wait for a RUNNABLE job of their own queue (already described); even k for one of 5 upstream jobs outside
        const dep = k % 2 ? `${name}-r${k % 145}` : `${name}-up${k % 10}`;
        jobs.push(j(`${name}-p${k}`, name, 'PENDING', ago(90 + k), { dependsOn: [{ jobId: dep }] }));
      }
      // 10 upstream jobs per queue in an unlisted queue: PENDING on a FAILED root
      for (let k = 0; k < 10; k++) external.push(j(`${name}-up${k}`, 'upstream', 'PENDING', ago(1000), { dependsOn: [{ jobId: `${name}-root` }] }));
      external.push(j(`${name}-root`, 'upstream', 'FAILED', ago(2000)));
      counts20.push({ SUBMITTED: 100, PENDING: 150, RUNNABLE: 145 });
    }
    assert.strictEqual(jobs.length, 10_000);
    mock = fakeBatch({ queues, ces, jobs: [...jobs, ...external] });
    const started = process.hrtime.bigint();
    const report = await batchHealth(testFactory(), opts);
    const totalMs = Number(process.hrtime.bigint() - started) / 1e6;
    const made = counts(mock);
    const stuck = report.stuckCount;
    const min = minimumCalls({ queues: 20, computeEnvironments: 2, jobCounts: counts20, detailJobs: 2495 + 19 * 295, dependencyLevels: [95, 19] });
    assert.deepStrictEqual({ ...made, total: Object.values(made).reduce((a, b) => a + b, 0) }, min);
    assert.strictEqual(stuck, 10_000);
    // evaluation alone (the rules over the fetched data), median of 5; CPU time too, since wall time suffers on a shared machine
    const region = report.regions[0];
    const allDetails = [...jobs, ...external].map(toDetail);
    const jobsByQueue = new Map(region.queues.map((x) => [x.queue.arn, x.stuck.map((s) => s.job)]));
    const times: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = process.hrtime.bigint();
      const c0 = process.cpuUsage();
      evaluateRegion({ region: 'us-east-1', queues: region.queues.map((x) => x.queue), computeEnvironments: ces.map((x) => ({ arn: x.computeEnvironmentArn!, name: x.computeEnvironmentName!, state: x.state, status: x.status, type: x.type, resourceType: 'EC2', maxvCpus: 256, minvCpus: 0, desiredvCpus: 0, instanceTypes: ['optimal'] })), jobs: jobsByQueue, details: allDetails, now: NOW, thresholds: { defaultMinutes: 15 } });
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      const c1 = process.cpuUsage(c0);
      cpu.push((c1.user + c1.system) / 1000);
    }
    times.sort((a, b) => a - b);
    cpu.sort((a, b) => a - b);
    console.log(`      benchmark: 10,000 jobs / 20 queues → calls ${JSON.stringify(made)} (minimum ${min.total}); end-to-end with mocked SDK ${totalMs.toFixed(0)} ms; rules alone median ${times[2].toFixed(1)} ms wall, ${cpu[2].toFixed(1)} ms CPU`);
  });
});
