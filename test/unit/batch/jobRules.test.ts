import * as assert from 'assert';
import { detailLookup } from '../../../src/batch/core/dependencies';
import { diagnoseJob } from '../../../src/batch/core/jobRules';
import { diagnoseQueue } from '../../../src/batch/core/queueRules';
import type { ComputeEnvironmentInfo, JobDetailInfo, JobSummaryInfo, QueueInfo, TransitStatus } from '../../../src/batch/core/types';
import { ce, detail, minutesAgo, NOW, queue, summary } from './fixtures';

function run(status: TransitStatus, opts: { job?: Partial<JobSummaryInfo>; detail?: Partial<JobDetailInfo> | null; q?: QueueInfo; ces?: ComputeEnvironmentInfo[]; others?: JobDetailInfo[] } = {}) {
  const q = opts.q ?? queue();
  const ces = opts.ces ?? [ce()];
  const job = summary({ status, ...opts.job });
  const d = opts.detail === null ? undefined : detail({ jobId: job.jobId, status, ...opts.detail });
  const lookup = detailLookup([...(d ? [d] : []), ...(opts.others ?? [])]);
  return diagnoseJob(job, status, d, { now: NOW, queueName: q.name, queueFindings: diagnoseQueue(q, ces).findings, computeEnvironments: ces, lookup });
}

describe('batch job rules', () => {
  const cases: Array<{ name: string; status: TransitStatus; args?: Parameters<typeof run>[1]; codes: string[]; evidence?: RegExp; message?: RegExp; never?: boolean }> = [
    { name: 'SUBMITTED for long is a scheduler-side delay', status: 'SUBMITTED', args: { detail: null, job: { createdAt: minutesAgo(372) } }, codes: ['SCHEDULER_DELAY'], message: /6h 12m/, evidence: /createdAt 2026-11-26 05:48 UTC/ },
    { name: 'RUNNABLE with nothing wrong and no scaling', status: 'RUNNABLE', codes: ['RUNNABLE_NOT_SCALING'], evidence: /min\/desired\/max vCPUs 0\/0\/64/ },
    { name: 'RUNNABLE while instances are up but not taking work', status: 'RUNNABLE', args: { ces: [ce({ desiredvCpus: 8 })] }, codes: ['RUNNABLE_INSTANCES_NOT_TAKING_WORK'], message: /8 desired vCPUs/ },
    {
      name: 'RUNNABLE in a queue whose only CE is disabled',
      status: 'RUNNABLE',
      args: { ces: [ce({ state: 'DISABLED', statusReason: 'paused by ops' })] },
      codes: ['NO_USABLE_COMPUTE_ENVIRONMENT'],
      evidence: /"paused by ops"/,
    },
    {
      name: 'RUNNABLE job heading a blocked queue (own statusReason)',
      status: 'RUNNABLE',
      args: { job: { statusReason: 'MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT - The job resource requirement is higher than that can be met' } },
      codes: ['BLOCKED:MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT'],
      evidence: /job statusReason "MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT/,
    },
    {
      name: 'queue blocked reason is repeated on its job once, not twice',
      status: 'RUNNABLE',
      args: { q: queue({ statusReason: 'CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY - no p5' }), job: { statusReason: 'CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY - no p5' } },
      codes: ['BLOCKED:CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY'],
    },
    { name: 'job asks more vCPUs than maxvCpus', status: 'RUNNABLE', args: { detail: { vcpus: 96 }, ces: [ce({ maxvCpus: 32, instanceTypes: ['m5'] })] }, codes: ['JOB_EXCEEDS_MAX_VCPUS'], evidence: /maxvCpus: 32/, message: /96 vCPUs.*32/ },
    { name: 'maxvCpus 0 on the only CE', status: 'RUNNABLE', args: { ces: [ce({ maxvCpus: 0 })] }, codes: ['MAX_VCPUS_ZERO'] },
    { name: 'job memory larger than any allowed instance type', status: 'RUNNABLE', args: { detail: { vcpus: 4, memoryMiB: 64 * 1024 }, ces: [ce({ instanceTypes: ['c5.large', 'c5.xlarge'] })] }, codes: ['JOB_LARGER_THAN_INSTANCES'], evidence: /c5\.xlarge 8 GiB/ },
    { name: 'job vCPUs larger than any allowed instance type (maxvCpus allows it)', status: 'RUNNABLE', args: { detail: { vcpus: 16, memoryMiB: 1024 }, ces: [ce({ maxvCpus: 256, instanceTypes: ['m5.2xlarge'] })] }, codes: ['JOB_LARGER_THAN_INSTANCES'] },
    { name: 'memory equal to nominal instance memory has no headroom', status: 'RUNNABLE', args: { detail: { vcpus: 2, memoryMiB: 8192 }, ces: [ce({ instanceTypes: ['m5.large'] })] }, codes: ['JOB_MEMORY_NO_HEADROOM', 'RUNNABLE_NOT_SCALING'] },
    { name: 'optimal covers a 64 GiB job', status: 'RUNNABLE', args: { detail: { vcpus: 8, memoryMiB: 64 * 1024 }, ces: [ce({ instanceTypes: ['optimal'] })] }, codes: ['RUNNABLE_NOT_SCALING'] },
    { name: 'Fargate job over 16 vCPU', status: 'RUNNABLE', args: { detail: { vcpus: 32, memoryMiB: 4096 }, ces: [ce({ resourceType: 'FARGATE', instanceTypes: [] })] }, codes: ['JOB_LARGER_THAN_INSTANCES'] },
    { name: 'unknown instance family: no guess', status: 'RUNNABLE', args: { detail: { vcpus: 512 }, ces: [ce({ maxvCpus: 1024, instanceTypes: ['zz9'] })] }, codes: ['RUNNABLE_NOT_SCALING'] },
    { name: 'PENDING without dependencies', status: 'PENDING', codes: ['PENDING_NO_DEPENDENCY'] },
    { name: 'array parent PENDING', status: 'PENDING', args: { detail: { arraySize: 50, arrayStatusSummary: { RUNNABLE: 48, RUNNING: 2 } } }, codes: ['ARRAY_PARENT'], message: /RUNNABLE 48, RUNNING 2/ },
    {
      name: 'PENDING on a FAILED dependency will never run',
      status: 'PENDING',
      args: { detail: { dependsOn: ['dep-1'] }, others: [detail({ jobId: 'dep-1', jobName: 'extract', status: 'FAILED', statusReason: 'Essential container in task exited' })] },
      codes: ['DEPENDENCY_FAILED'],
      never: true,
      message: /never run.*"extract", FAILED/,
      evidence: /Essential container in task exited/,
    },
    {
      name: 'PENDING on a RUNNABLE dependency names it and its state',
      status: 'PENDING',
      args: { detail: { dependsOn: ['dep-1'] }, others: [detail({ jobId: 'dep-1', jobName: 'extract', status: 'RUNNABLE', createdAt: minutesAgo(125) })] },
      codes: ['WAITING_FOR_DEPENDENCY'],
      message: /Waits for "extract" \(RUNNABLE\).*root is RUNNABLE/,
      evidence: /RUNNABLE for 2h 5m/,
    },
    { name: 'PENDING on a RUNNING dependency is informational', status: 'PENDING', args: { detail: { dependsOn: ['dep-1'] }, others: [detail({ jobId: 'dep-1', status: 'RUNNING' })] }, codes: ['WAITING_FOR_DEPENDENCY'] },
    { name: 'PENDING after every dependency succeeded', status: 'PENDING', args: { detail: { dependsOn: ['dep-1'] }, others: [detail({ jobId: 'dep-1', status: 'SUCCEEDED' })] }, codes: ['DEPENDENCIES_DONE'] },
    { name: 'PENDING on a dependency DescribeJobs does not know', status: 'PENDING', args: { detail: { dependsOn: ['ghost'] } }, codes: ['DEPENDENCY_NOT_FOUND'], evidence: /ghost: not returned/ },
    { name: 'PENDING without detail', status: 'PENDING', args: { detail: null }, codes: ['NO_DETAIL'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = run(c.status, c.args);
      assert.deepStrictEqual(d.findings.map((f) => f.code), c.codes);
      for (const f of d.findings) assert.ok(f.evidence.length > 0, `${f.code} names evidence`);
      if (c.evidence) assert.match(d.findings.flatMap((f) => f.evidence).join('\n'), c.evidence);
      if (c.message) assert.match(d.findings.map((f) => f.message).join('\n'), c.message);
      assert.strictEqual(d.willNeverRun, Boolean(c.never));
    });
  }
});
