import type { ComputeEnvironmentInfo, JobDetailInfo, JobSummaryInfo, QueueInfo } from '../../../src/batch/core/types';

export const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);
export const minutesAgo = (m: number): number => NOW - m * 60_000;

export function queue(over: Partial<QueueInfo> = {}): QueueInfo {
  const name = over.name ?? 'etl';
  return {
    region: 'us-east-1',
    arn: `arn:aws:batch:us-east-1:123456789012:job-queue/${name}`,
    name,
    state: 'ENABLED',
    status: 'VALID',
    statusReason: 'JobQueue Healthy',
    priority: 10,
    computeEnvironments: ['arn:aws:batch:us-east-1:123456789012:compute-environment/ce-a'],
    timeLimitActions: [],
    ...over,
  };
}

export function ce(over: Partial<ComputeEnvironmentInfo> = {}): ComputeEnvironmentInfo {
  const name = over.name ?? 'ce-a';
  return {
    arn: `arn:aws:batch:us-east-1:123456789012:compute-environment/${name}`,
    name,
    state: 'ENABLED',
    status: 'VALID',
    statusReason: 'ComputeEnvironment Healthy',
    type: 'MANAGED',
    resourceType: 'EC2',
    minvCpus: 0,
    desiredvCpus: 0,
    maxvCpus: 64,
    instanceTypes: ['m5'],
    ...over,
  };
}

export function summary(over: Partial<JobSummaryInfo> = {}): JobSummaryInfo {
  return {
    jobId: over.jobId ?? 'job-1',
    jobName: 'nightly',
    status: 'RUNNABLE',
    createdAt: minutesAgo(60),
    queueArn: queue().arn,
    ...over,
  };
}

export function detail(over: Partial<JobDetailInfo> = {}): JobDetailInfo {
  return {
    jobId: over.jobId ?? 'job-1',
    jobName: over.jobName ?? over.jobId ?? 'nightly',
    status: 'RUNNABLE',
    createdAt: minutesAgo(60),
    dependsOn: [],
    vcpus: 2,
    memoryMiB: 2048,
    ...over,
  };
}
