import { detailLookup } from './dependencies';
import { diagnoseJob } from './jobRules';
import { diagnoseQueue } from './queueRules';
import { TRANSIT_STATUSES, type ComputeEnvironmentInfo, type HealthReport, type JobDetailInfo, type JobSummaryInfo, type QueueInfo, type QueueReport, type RegionReport, type StuckJob, type TransitStatus } from './types';

export const DEFAULT_THRESHOLD_MINUTES = 15;

export interface Thresholds {
  readonly defaultMinutes: number;
  /** Per-queue override, keyed by queue name or ARN. */
  readonly perQueue?: Readonly<Record<string, number>>;
}

const valid = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n > 0;

/** The stuck threshold for a queue: its override by ARN, then by name, then the default (15 when unset). */
export function thresholdFor(queue: Pick<QueueInfo, 'arn' | 'name'>, t: Thresholds): number {
  const byArn = t.perQueue?.[queue.arn];
  if (valid(byArn)) return byArn;
  const byName = t.perQueue?.[queue.name];
  if (valid(byName)) return byName;
  return valid(t.defaultMinutes) ? t.defaultMinutes : DEFAULT_THRESHOLD_MINUTES;
}

/** In transit longer than the threshold. A job without createdAt cannot be judged and is not called stuck. */
export function isStuck(job: Pick<JobSummaryInfo, 'createdAt'>, now: number, thresholdMinutes: number): boolean {
  return job.createdAt !== undefined && now - job.createdAt > thresholdMinutes * 60_000;
}

const ORDER: Record<string, number> = { SUBMITTED: 0, PENDING: 1, RUNNABLE: 2 };

/**
 * Merges the pages of ListJobs for one queue (all statuses) so no job is counted twice: pages shift while new jobs
 * arrive (newest first) and a job can move from PENDING to RUNNABLE between two calls. The furthest status wins,
 * because Batch states only move forward.
 */
export function mergeJobPages(pages: ReadonlyArray<readonly JobSummaryInfo[]>): JobSummaryInfo[] {
  const byId = new Map<string, JobSummaryInfo>();
  for (const page of pages) {
    for (const job of page) {
      const prev = byId.get(job.jobId);
      if (!prev || (ORDER[job.status] ?? 9) > (ORDER[prev.status] ?? 9)) byId.set(job.jobId, job);
    }
  }
  return [...byId.values()];
}

/** Splits a list into batches (DescribeJobs and DescribeComputeEnvironments take at most 100 per call). */
export function chunk<T>(items: readonly T[], size = 100): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Which stuck jobs need DescribeJobs: PENDING (for dependsOn) and RUNNABLE (for their vCPU/memory). */
export function needsDetail(status: string): boolean {
  return status === 'PENDING' || status === 'RUNNABLE';
}

/** Dependencies of PENDING jobs not yet described: the next DescribeJobs round of the chain chase. */
export function unknownDependencies(details: Iterable<JobDetailInfo>, known: ReadonlySet<string>): string[] {
  const out = new Set<string>();
  for (const d of details) {
    if (d.status !== 'PENDING') continue;
    for (const id of d.dependsOn) if (!known.has(id)) out.add(id);
  }
  return [...out];
}

export interface RegionInput {
  readonly region: string;
  readonly queues: readonly QueueInfo[];
  readonly computeEnvironments: readonly ComputeEnvironmentInfo[];
  /** ListJobs results per queue ARN, already merged. */
  readonly jobs: ReadonlyMap<string, readonly JobSummaryInfo[]>;
  readonly details: readonly JobDetailInfo[];
  readonly now: number;
  readonly thresholds: Thresholds;
}

const SEVERITY = { error: 0, warning: 1, info: 2 } as const;

/** Applies every rule to one Region's data. Pure: same input, same report. */
export function evaluateRegion(input: RegionInput): RegionReport {
  const lookup = detailLookup(input.details);
  const ceByArn = new Map<string, ComputeEnvironmentInfo>();
  for (const ce of input.computeEnvironments) {
    ceByArn.set(ce.arn, ce);
    ceByArn.set(ce.name, ce);
  }
  const queues: QueueReport[] = input.queues.map((queue) => {
    const ces = queue.computeEnvironments.map((a) => ceByArn.get(a)).filter((c): c is ComputeEnvironmentInfo => Boolean(c));
    const q = diagnoseQueue(queue, ces);
    const thresholdMinutes = thresholdFor(queue, input.thresholds);
    const inTransit = { SUBMITTED: 0, PENDING: 0, RUNNABLE: 0 } as Record<TransitStatus, number>;
    const stuck: StuckJob[] = [];
    for (const job of input.jobs.get(queue.arn) ?? []) {
      const status = job.status as TransitStatus;
      if (!TRANSIT_STATUSES.includes(status)) continue;
      inTransit[status]++;
      if (!isStuck(job, input.now, thresholdMinutes)) continue;
      const detail = lookup(job.jobId);
      const d = diagnoseJob(job, status, detail, { now: input.now, queueName: queue.name, queueFindings: q.findings, computeEnvironments: ces, lookup });
      const findings = [...d.findings].sort((a, b) => SEVERITY[a.severity] - SEVERITY[b.severity]);
      stuck.push({ job, status, ageMs: input.now - (job.createdAt ?? input.now), thresholdMinutes, findings, dependencyChain: d.chain, willNeverRun: d.willNeverRun });
    }
    stuck.sort((a, b) => b.ageMs - a.ageMs);
    const health = q.health === 'ok' && stuck.length ? 'warning' : q.health;
    return { queue, computeEnvironments: ces, findings: q.findings, health, canRunWork: q.canRunWork, thresholdMinutes, inTransit, stuck };
  });
  queues.sort((a, b) => b.stuck.length - a.stuck.length || (b.queue.priority ?? 0) - (a.queue.priority ?? 0) || a.queue.name.localeCompare(b.queue.name));
  return { region: input.region, queues };
}

export function buildReport(regions: readonly RegionReport[], now: number, calls?: Record<string, number>): HealthReport {
  const stuckCount = regions.reduce((n, r) => n + r.queues.reduce((m, q) => m + q.stuck.length, 0), 0);
  return { generatedAt: now, regions, stuckCount, ...(calls ? { calls } : {}) };
}

/** Every stuck job of a report, with the Region and queue it belongs to (alerts and the CLI use this). */
export function allStuck(report: HealthReport): Array<{ region: string; queue: QueueReport; stuck: StuckJob }> {
  return report.regions.flatMap((r) => r.queues.flatMap((queue) => queue.stuck.map((stuck) => ({ region: r.region, queue, stuck }))));
}
