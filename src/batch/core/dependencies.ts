import { formatAge, quote } from './format';
import type { DependencyLink, Finding, JobDetailInfo } from './types';

/** Looks a job up by id or ARN (dependsOn may carry either). */
export type DetailLookup = (idOrArn: string) => JobDetailInfo | undefined;

export function detailLookup(details: Iterable<JobDetailInfo>): DetailLookup {
  const map = new Map<string, JobDetailInfo>();
  for (const d of details) {
    map.set(d.jobId, d);
    if (d.jobArn) map.set(d.jobArn, d);
  }
  return (key) => map.get(key);
}

const DONE = new Set(['SUCCEEDED']);
const MAX_DEPTH = 100;

function link(id: string, d: JobDetailInfo | undefined): DependencyLink {
  return d ? { jobId: d.jobId, jobName: d.jobName, status: d.status, statusReason: d.statusReason, createdAt: d.createdAt } : { jobId: id, status: 'NOT_FOUND' };
}

/**
 * Follows one dependency to the root of what blocks it: at each PENDING job, the next link is its dependency that
 * matters most (a FAILED or missing one first, else the first not yet SUCCEEDED). Stops at a job that is not
 * PENDING, at a cycle, or after 100 links.
 */
export function followChain(startId: string, lookup: DetailLookup): { chain: DependencyLink[]; cycle: boolean } {
  const chain: DependencyLink[] = [];
  const seen = new Set<string>();
  let id: string | undefined = startId;
  while (id && chain.length < MAX_DEPTH) {
    const d = lookup(id);
    const key = d?.jobId ?? id;
    if (seen.has(key)) return { chain, cycle: true };
    seen.add(key);
    chain.push(link(id, d));
    if (!d || d.status !== 'PENDING' || d.dependsOn.length === 0) break;
    id = pickNext(d.dependsOn, lookup);
  }
  return { chain, cycle: false };
}

function pickNext(ids: readonly string[], lookup: DetailLookup): string | undefined {
  const rank = (id: string): number => {
    const s = lookup(id)?.status;
    if (s === undefined) return 1;
    if (s === 'FAILED') return 0;
    if (DONE.has(s)) return 9;
    return 2;
  };
  const sorted = [...ids].sort((a, b) => rank(a) - rank(b));
  return sorted.length && rank(sorted[0]) < 9 ? sorted[0] : undefined;
}

function describeLink(l: DependencyLink, now: number): string {
  const name = l.jobName ? `"${l.jobName}" (${l.jobId})` : l.jobId;
  if (l.status === 'NOT_FOUND') return `${name}: not returned by DescribeJobs`;
  const age = l.createdAt !== undefined && ['SUBMITTED', 'PENDING', 'RUNNABLE'].includes(l.status) ? ` for ${formatAge(now - l.createdAt)}` : '';
  return `${name}: ${l.status}${age}${l.statusReason ? `, statusReason ${quote(l.statusReason, 120)}` : ''}`;
}

export interface DependencyDiagnosis {
  readonly findings: Finding[];
  readonly chain: DependencyLink[];
  readonly willNeverRun: boolean;
}

/** Diagnoses a PENDING job from its dependsOn, following every unfinished dependency to its root. */
export function diagnoseDependencies(job: JobDetailInfo, lookup: DetailLookup, now: number): DependencyDiagnosis {
  const chains = job.dependsOn.map((id) => ({ id, ...followChain(id, lookup) }));
  const findings: Finding[] = [];
  const failed = chains.find((c) => c.chain.some((l) => l.status === 'FAILED'));
  if (failed) {
    const f = failed.chain.find((l) => l.status === 'FAILED')!;
    const direct = failed.chain[0] === f;
    findings.push({
      code: 'DEPENDENCY_FAILED',
      severity: 'error',
      message: `Will never run: ${direct ? 'the job it depends on' : 'a job in its dependency chain'}, "${f.jobName ?? f.jobId}", FAILED.`,
      evidence: failed.chain.map((l) => describeLink(l, now)),
      advice: 'Cancel this job (and anything depending on it) and resubmit the chain once the failed job is fixed.',
    });
  }
  const missing = chains.find((c) => c.chain.some((l) => l.status === 'NOT_FOUND'));
  if (missing && !failed) {
    findings.push({
      code: 'DEPENDENCY_NOT_FOUND',
      severity: 'warning',
      message: 'Waits for a job that DescribeJobs does not return (deleted, or older than Batch keeps job history).',
      evidence: missing.chain.map((l) => describeLink(l, now)),
      advice: 'If that job is gone this one will not start by itself: cancel and resubmit it without the dependency.',
    });
  }
  const cyc = chains.find((c) => c.cycle);
  if (cyc) {
    findings.push({
      code: 'DEPENDENCY_CYCLE',
      severity: 'error',
      message: 'Its dependency chain loops back on itself.',
      evidence: cyc.chain.map((l) => describeLink(l, now)),
    });
  }
  const open = chains.filter((c) => c.chain.length && !DONE.has(c.chain[0].status));
  if (!failed && !missing && !cyc) {
    if (open.length === 0 && chains.length > 0) {
      findings.push({
        code: 'DEPENDENCIES_DONE',
        severity: 'warning',
        message: 'Every dependency has SUCCEEDED, yet the job is still PENDING: a scheduler-side delay.',
        evidence: chains.map((c) => describeLink(c.chain[0], now)),
        advice: 'This normally clears within minutes; if it does not, contact AWS Support with the job id.',
      });
    } else {
      for (const c of open) {
        const root = c.chain[c.chain.length - 1];
        const rootText = root.status === 'RUNNABLE' ? ' — the root is RUNNABLE: see its own diagnosis' : root.status === 'RUNNING' || root.status === 'STARTING' ? ' — the root is running; this job waits normally' : '';
        findings.push({
          code: 'WAITING_FOR_DEPENDENCY',
          severity: root.status === 'RUNNING' || root.status === 'STARTING' ? 'info' : 'warning',
          message: `Waits for "${c.chain[0].jobName ?? c.chain[0].jobId}" (${c.chain[0].status})${c.chain.length > 1 ? `, whose chain ends at "${root.jobName ?? root.jobId}" (${root.status})` : ''}${rootText}.`,
          evidence: c.chain.map((l) => describeLink(l, now)),
        });
      }
    }
  }
  const chainOf = failed ?? missing ?? cyc ?? open[0];
  return { findings, chain: chainOf?.chain ?? [], willNeverRun: Boolean(failed) };
}
