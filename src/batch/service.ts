import {
  BatchClient,
  CancelJobCommand,
  DescribeComputeEnvironmentsCommand,
  DescribeJobQueuesCommand,
  DescribeJobsCommand,
  ListJobsCommand,
  UpdateJobQueueCommand,
  type ComputeEnvironmentDetail,
  type JobDetail,
  type JobQueueDetail,
  type JobStatus,
  type JobSummary,
  type ResourceRequirement,
} from '@aws-sdk/client-batch';
import { mapWithConcurrency, throwIfAborted } from '../aws/cancellation';
import type { ClientFactory } from '../aws/clientFactory';
import { toActionableError } from '../aws/errors';
import { PageTokens } from '../aws/paginationGuard';
import { buildReport, chunk, evaluateRegion, isStuck, mergeJobPages, needsDetail, thresholdFor, unknownDependencies, type Thresholds } from './core/evaluate';
import { TRANSIT_STATUSES, type ComputeEnvironmentInfo, type HealthReport, type JobDetailInfo, type JobSummaryInfo, type QueueInfo, type RegionReport, type TimeLimitAction, type TransitStatus } from './core/types';

/**
 * Batch health: every AWS call the feature makes. Per Region: DescribeJobQueues (paginated), the queues'
 * compute environments (≤100 per DescribeComputeEnvironments), ListJobs per queue × SUBMITTED/PENDING/RUNNABLE
 * following nextToken, then DescribeJobs (≤100 ids) only for stuck PENDING/RUNNABLE jobs and, level by level,
 * the dependencies they wait for. Regions run in parallel; see core/callPlan.ts for the minimum this meets.
 */
export interface HealthOptions {
  readonly regions: readonly string[];
  readonly thresholds: Thresholds;
  /** Only these queues (names or ARNs); all queues when empty. */
  readonly queues?: readonly string[];
  readonly now?: number;
  readonly signal?: AbortSignal;
  /** Parallel calls per Region (ListJobs, DescribeJobs). */
  readonly concurrency?: number;
}

const REGION_CONCURRENCY = 4;
const MAX_DEPENDENCY_LEVELS = 50;

export async function batchHealth(factory: ClientFactory, options: HealthOptions): Promise<HealthReport> {
  const before = factory.counter?.byOperation();
  const regions = await mapWithConcurrency(options.regions, REGION_CONCURRENCY, async (region): Promise<RegionReport> => {
    try {
      return await regionHealth(factory, region, options);
    } catch (err) {
      throwIfAborted(options.signal);
      if ((err as Error)?.name === 'AbortError') throw err;
      const a = toActionableError(err, { region, action: 'batch:DescribeJobQueues' });
      return { region, queues: [], error: a.message, errorKind: a.kind };
    }
  });
  const calls = before && factory.counter ? diff(factory.counter.byOperation(), before) : undefined;
  return buildReport(regions, options.now ?? Date.now(), calls);
}

function diff(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(after)) if (v - (before[k] ?? 0) > 0) out[k] = v - (before[k] ?? 0);
  return out;
}

export async function regionHealth(factory: ClientFactory, region: string, options: HealthOptions): Promise<RegionReport> {
  const client = factory.client(BatchClient, region);
  const signal = options.signal;
  const limit = options.concurrency ?? 8;
  const queues = await describeQueues(client, region, options.queues ?? [], signal);
  const ceArns = [...new Set(queues.flatMap((q) => q.computeEnvironments))];
  const ces = await describeComputeEnvironments(client, ceArns, signal, limit);

  const tasks = queues.flatMap((q) => TRANSIT_STATUSES.map((status) => ({ q, status })));
  const lists = await mapWithConcurrency(tasks, limit, ({ q, status }) => listJobs(client, q.arn, status, signal));
  const jobs = new Map<string, JobSummaryInfo[]>();
  queues.forEach((q, i) => jobs.set(q.arn, mergeJobPages(lists.slice(i * 3, i * 3 + 3))));

  // DescribeJobs only for what a rule needs: stuck PENDING (dependsOn) and RUNNABLE (resources) jobs.
  const now = options.now ?? Date.now();
  const wanted: string[] = [];
  for (const q of queues) {
    const threshold = thresholdFor(q, options.thresholds);
    for (const j of jobs.get(q.arn) ?? []) if (needsDetail(j.status) && isStuck(j, now, threshold)) wanted.push(j.jobId);
  }
  const details = await describeJobs(client, wanted, signal, limit);
  const known = new Set<string>(wanted);
  for (const d of details) {
    known.add(d.jobId);
    if (d.jobArn) known.add(d.jobArn);
  }
  let frontier = details;
  for (let level = 0; level < MAX_DEPENDENCY_LEVELS; level++) {
    const next = unknownDependencies(frontier, known);
    if (next.length === 0) break;
    for (const id of next) known.add(id);
    frontier = await describeJobs(client, next, signal, limit);
    for (const d of frontier) {
      known.add(d.jobId);
      if (d.jobArn) known.add(d.jobArn);
    }
    details.push(...frontier);
  }
  return evaluateRegion({ region, queues, computeEnvironments: ces, jobs, details, now, thresholds: options.thresholds });
}

export async function describeQueues(client: BatchClient, region: string, names: readonly string[], signal?: AbortSignal): Promise<QueueInfo[]> {
  const out: QueueInfo[] = [];
  const batches: Array<string[] | undefined> = names.length ? chunk(names, 100) : [undefined];
  for (const batch of batches) {
    const tokens = new PageTokens();
    let nextToken: string | undefined;
    do {
      const res = await client.send(new DescribeJobQueuesCommand({ jobQueues: batch, maxResults: batch ? undefined : 100, nextToken }), { abortSignal: signal });
      for (const q of res.jobQueues ?? []) out.push(toQueue(q, region));
      nextToken = tokens.next('DescribeJobQueues', res.nextToken);
    } while (nextToken);
  }
  return out;
}

export async function describeComputeEnvironments(client: BatchClient, arns: readonly string[], signal?: AbortSignal, limit = 4): Promise<ComputeEnvironmentInfo[]> {
  const pages = await mapWithConcurrency(chunk(arns, 100), limit, async (batch) => {
    const out: ComputeEnvironmentInfo[] = [];
    const tokens = new PageTokens();
    let nextToken: string | undefined;
    do {
      const res = await client.send(new DescribeComputeEnvironmentsCommand({ computeEnvironments: batch, nextToken }), { abortSignal: signal });
      for (const ce of res.computeEnvironments ?? []) out.push(toComputeEnvironment(ce));
      nextToken = tokens.next('DescribeComputeEnvironments', res.nextToken);
    } while (nextToken);
    return out;
  });
  return pages.flat();
}

/** Every job of one queue in one status, following nextToken to the last page. */
export async function listJobs(client: BatchClient, queueArn: string, status: TransitStatus, signal?: AbortSignal): Promise<JobSummaryInfo[]> {
  const out: JobSummaryInfo[] = [];
  const tokens = new PageTokens();
  let nextToken: string | undefined;
  do {
    const res = await client.send(new ListJobsCommand({ jobQueue: queueArn, jobStatus: status as JobStatus, nextToken }), { abortSignal: signal });
    for (const j of res.jobSummaryList ?? []) out.push(toSummary(j, queueArn, status));
    nextToken = tokens.next('ListJobs', res.nextToken);
  } while (nextToken);
  return out;
}

/** DescribeJobs in batches of 100 ids, a few batches at a time. */
export async function describeJobs(client: BatchClient, ids: readonly string[], signal?: AbortSignal, limit = 4): Promise<JobDetailInfo[]> {
  const unique = [...new Set(ids)];
  const pages = await mapWithConcurrency(chunk(unique, 100), limit, async (batch) => {
    const res = await client.send(new DescribeJobsCommand({ jobs: batch }), { abortSignal: signal });
    return (res.jobs ?? []).map(toDetail);
  });
  return pages.flat();
}

export interface CancelResult {
  readonly jobId: string;
  readonly ok: boolean;
  readonly error?: string;
}

/** CancelJob for each id (Batch has no batch cancel). Failures are reported per job, not thrown. */
export async function cancelJobs(factory: ClientFactory, region: string, jobIds: readonly string[], reason: string, signal?: AbortSignal): Promise<CancelResult[]> {
  const client = factory.client(BatchClient, region);
  return mapWithConcurrency(jobIds, 5, async (jobId) => {
    try {
      await client.send(new CancelJobCommand({ jobId, reason }), { abortSignal: signal });
      return { jobId, ok: true };
    } catch (err) {
      throwIfAborted(signal);
      return { jobId, ok: false, error: toActionableError(err, { region, action: 'batch:CancelJob' }).message };
    }
  });
}

/** Replaces the queue's jobStateTimeLimitActions (plan the list with core/timeLimit.ts). */
export async function setTimeLimitActions(factory: ClientFactory, region: string, queueArn: string, actions: readonly TimeLimitAction[], signal?: AbortSignal): Promise<void> {
  await factory.client(BatchClient, region).send(
    new UpdateJobQueueCommand({
      jobQueue: queueArn,
      jobStateTimeLimitActions: actions.map((a) => ({ reason: a.reason, state: 'RUNNABLE', maxTimeSeconds: a.maxTimeSeconds, action: a.action as 'CANCEL' | 'TERMINATE' })),
    }),
    { abortSignal: signal },
  );
}

// ---- mapping SDK shapes to the plain model ----

export function toQueue(q: JobQueueDetail, region: string): QueueInfo {
  const order = [...(q.computeEnvironmentOrder ?? [])].sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  return {
    region,
    arn: q.jobQueueArn ?? q.jobQueueName ?? '',
    name: q.jobQueueName ?? q.jobQueueArn ?? '',
    state: q.state ?? 'ENABLED',
    status: q.status,
    statusReason: q.statusReason,
    priority: q.priority,
    computeEnvironments: order.map((o) => o.computeEnvironment ?? '').filter(Boolean),
    jobQueueType: q.jobQueueType,
    timeLimitActions: (q.jobStateTimeLimitActions ?? []).map((a) => ({ reason: a.reason ?? '', state: a.state ?? 'RUNNABLE', maxTimeSeconds: a.maxTimeSeconds ?? 0, action: a.action ?? 'CANCEL' })),
  };
}

export function toComputeEnvironment(ce: ComputeEnvironmentDetail): ComputeEnvironmentInfo {
  const cr = ce.computeResources;
  return {
    arn: ce.computeEnvironmentArn ?? ce.computeEnvironmentName ?? '',
    name: ce.computeEnvironmentName ?? '',
    state: ce.state,
    status: ce.status,
    statusReason: ce.statusReason,
    type: ce.type,
    resourceType: cr?.type,
    minvCpus: cr?.minvCpus,
    desiredvCpus: cr?.desiredvCpus,
    maxvCpus: cr?.maxvCpus,
    instanceTypes: cr?.instanceTypes ?? [],
  };
}

export function toSummary(j: JobSummary, queueArn: string, listedAs: TransitStatus): JobSummaryInfo {
  return {
    jobId: j.jobId ?? '',
    jobArn: j.jobArn,
    jobName: j.jobName ?? '',
    status: j.status ?? listedAs,
    statusReason: j.statusReason,
    createdAt: j.createdAt,
    jobDefinition: j.jobDefinition,
    queueArn,
    arraySize: j.arrayProperties?.size,
  };
}

function fromRequirements(reqs: readonly ResourceRequirement[] | undefined, type: string): number | undefined {
  const r = reqs?.find((x) => x.type === type);
  const n = r?.value !== undefined ? Number(r.value) : undefined;
  return n !== undefined && Number.isFinite(n) ? n : undefined;
}

function sum(values: Array<number | undefined>): number | undefined {
  const present = values.filter((v): v is number => v !== undefined);
  return present.length ? present.reduce((a, b) => a + b, 0) : undefined;
}

export function toDetail(j: JobDetail): JobDetailInfo {
  const c = j.container;
  const ecsContainers = (j.ecsProperties?.taskProperties ?? []).flatMap((t) => t.containers ?? []);
  const vcpus = fromRequirements(c?.resourceRequirements, 'VCPU') ?? (c?.vcpus || undefined) ?? sum(ecsContainers.map((x) => fromRequirements(x.resourceRequirements, 'VCPU')));
  const memoryMiB = fromRequirements(c?.resourceRequirements, 'MEMORY') ?? (c?.memory || undefined) ?? sum(ecsContainers.map((x) => fromRequirements(x.resourceRequirements, 'MEMORY')));
  const gpus = fromRequirements(c?.resourceRequirements, 'GPU') ?? sum(ecsContainers.map((x) => fromRequirements(x.resourceRequirements, 'GPU')));
  return {
    jobId: j.jobId ?? '',
    jobArn: j.jobArn,
    jobName: j.jobName ?? '',
    status: j.status ?? 'UNKNOWN',
    statusReason: j.statusReason,
    createdAt: j.createdAt,
    jobQueue: j.jobQueue,
    dependsOn: (j.dependsOn ?? []).map((d) => d.jobId ?? '').filter(Boolean),
    vcpus,
    memoryMiB,
    gpus,
    arraySize: j.arrayProperties?.size,
    arrayStatusSummary: j.arrayProperties?.statusSummary,
  };
}
