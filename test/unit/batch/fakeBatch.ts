import { BatchClient, CancelJobCommand, DescribeComputeEnvironmentsCommand, DescribeJobQueuesCommand, DescribeJobsCommand, ListJobsCommand, UpdateJobQueueCommand, type ComputeEnvironmentDetail, type JobDetail, type JobQueueDetail } from '@aws-sdk/client-batch';
import { mockClient } from 'aws-sdk-client-mock';
import { ClientFactory } from '../../../src/aws/clientFactory';

/**
 * A Batch account in memory behind aws-sdk-client-mock that pages the way AWS does (moto never returns
 * nextToken, so pagination is tested here): ListJobs returns up to 1000 jobs per page (newest first) with a
 * nextToken, DescribeJobQueues honours maxResults, and the Describe calls reject more than 100 names.
 */
export interface FakeWorld {
  queues: JobQueueDetail[];
  ces: ComputeEnvironmentDetail[];
  jobs: JobDetail[];
  /** Page size for ListJobs (AWS: 1000 with jobStatus). */
  listPage?: number;
}

export function fakeBatch(world: FakeWorld) {
  const mock = mockClient(BatchClient);
  const page = world.listPage ?? 1000;
  mock.on(DescribeJobQueuesCommand).callsFake((input) => {
    if (input.jobQueues && input.jobQueues.length > 100) throw new Error('more than 100 queues');
    const all = input.jobQueues ? world.queues.filter((q) => input.jobQueues!.includes(q.jobQueueName!) || input.jobQueues!.includes(q.jobQueueArn!)) : world.queues;
    const start = Number(input.nextToken ?? 0);
    const size = input.maxResults ?? 100;
    const end = start + size;
    return { jobQueues: all.slice(start, end), nextToken: end < all.length ? String(end) : undefined };
  });
  mock.on(DescribeComputeEnvironmentsCommand).callsFake((input) => {
    if ((input.computeEnvironments?.length ?? 0) > 100) throw new Error('more than 100 compute environments');
    return { computeEnvironments: world.ces.filter((c) => !input.computeEnvironments || input.computeEnvironments.includes(c.computeEnvironmentArn!) || input.computeEnvironments.includes(c.computeEnvironmentName!)) };
  });
  mock.on(ListJobsCommand).callsFake((input) => {
    if (!input.jobStatus) throw new Error('test: always pass jobStatus');
    const all = world.jobs.filter((j) => j.jobQueue === input.jobQueue && j.status === input.jobStatus).sort((a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0));
    const start = Number(input.nextToken ?? 0);
    const end = start + (input.maxResults ?? page);
    return {
      jobSummaryList: all.slice(start, end).map((j) => ({ jobId: j.jobId, jobArn: j.jobArn, jobName: j.jobName, status: j.status, statusReason: j.statusReason, createdAt: j.createdAt, jobDefinition: j.jobDefinition })),
      nextToken: end < all.length ? String(end) : undefined,
    };
  });
  const byId = new Map<string, JobDetail>();
  const index = (): void => { byId.clear(); for (const j of world.jobs) { byId.set(j.jobId!, j); if (j.jobArn) byId.set(j.jobArn, j); } };
  index();
  mock.on(DescribeJobsCommand).callsFake((input) => {
    if ((input.jobs?.length ?? 0) > 100) throw new Error('DescribeJobs takes at most 100 ids');
    if (byId.size !== world.jobs.length * 2) index();
    return { jobs: (input.jobs ?? []).map((id: string) => byId.get(id)).filter(Boolean) };
  });
  mock.on(CancelJobCommand).resolves({});
  mock.on(UpdateJobQueueCommand).resolves({});
  return mock;
}

export function testFactory(): ClientFactory {
  return new ClientFactory({
    settings: { regions: ['us-east-1'], maxAttempts: 1, requestTimeoutMs: 5000 },
    credentials: async () => ({ accessKeyId: 'AKIATEST', secretAccessKey: 'secret' }),
    version: 'test',
  });
}

export const arnQ = (name: string, region = 'us-east-1'): string => `arn:aws:batch:${region}:123456789012:job-queue/${name}`;
export const arnCe = (name: string, region = 'us-east-1'): string => `arn:aws:batch:${region}:123456789012:compute-environment/${name}`;
export const arnJob = (id: string, region = 'us-east-1'): string => `arn:aws:batch:${region}:123456789012:job/${id}`;

export function q(name: string, ces: string[], over: Partial<JobQueueDetail> = {}): JobQueueDetail {
  return { jobQueueName: name, jobQueueArn: arnQ(name), state: 'ENABLED', status: 'VALID', priority: 1, computeEnvironmentOrder: ces.map((c, i) => ({ order: i + 1, computeEnvironment: arnCe(c) })), ...over };
}

export function c(name: string, over: Partial<ComputeEnvironmentDetail> = {}): ComputeEnvironmentDetail {
  return { computeEnvironmentName: name, computeEnvironmentArn: arnCe(name), state: 'ENABLED', status: 'VALID', type: 'MANAGED', computeResources: { type: 'EC2', minvCpus: 0, desiredvCpus: 0, maxvCpus: 256, instanceTypes: ['optimal'], subnets: [] }, ...over };
}

export function j(id: string, queue: string, status: string, createdAt: number, over: Partial<JobDetail> = {}): JobDetail {
  return { jobId: id, jobArn: arnJob(id), jobName: `job-${id}`, jobQueue: arnQ(queue), status: status as JobDetail['status'], createdAt, jobDefinition: 'arn:aws:batch:us-east-1:123456789012:job-definition/etl:1', startedAt: undefined, dependsOn: [], container: { vcpus: 2, memory: 2048 }, ...over } as JobDetail;
}
