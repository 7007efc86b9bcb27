import { decodeBlockedReason } from './blockedReasons';
import { diagnoseDependencies, type DetailLookup } from './dependencies';
import { formatAge, formatTime, quote } from './format';
import { FARGATE_MAX, shapesForAll, type InstanceShape } from './instanceTypes';
import { isUsable } from './queueRules';
import type { ComputeEnvironmentInfo, DependencyLink, Finding, JobDetailInfo, JobSummaryInfo, TransitStatus } from './types';

export interface JobContext {
  readonly now: number;
  readonly queueName: string;
  /** Findings that hold for the whole queue (blocked, no usable environment…). */
  readonly queueFindings: readonly Finding[];
  readonly computeEnvironments: readonly ComputeEnvironmentInfo[];
  readonly lookup: DetailLookup;
}

export interface JobDiagnosis {
  readonly findings: Finding[];
  readonly chain?: DependencyLink[];
  readonly willNeverRun: boolean;
}

const MEMORY_HEADROOM = 0.95; // the ECS agent and OS keep part of an instance's memory for themselves

function resources(d: JobDetailInfo): string {
  const parts = [d.vcpus !== undefined ? `${d.vcpus} vCPU` : undefined, d.memoryMiB !== undefined ? `${d.memoryMiB} MiB` : undefined, d.gpus ? `${d.gpus} GPU` : undefined].filter(Boolean);
  return parts.length ? parts.join(', ') : 'no resources recorded';
}

const shapeCache = new WeakMap<ComputeEnvironmentInfo, InstanceShape[] | undefined>();

/** The shapes a compute environment may launch; undefined when some entry is unknown (then we cannot judge). */
function ceShapes(ce: ComputeEnvironmentInfo): InstanceShape[] | undefined {
  if (!shapeCache.has(ce)) shapeCache.set(ce, computeCeShapes(ce));
  return shapeCache.get(ce);
}

function computeCeShapes(ce: ComputeEnvironmentInfo): InstanceShape[] | undefined {
  const type = (ce.resourceType ?? '').toUpperCase();
  if (type.startsWith('FARGATE')) return [FARGATE_MAX];
  if (ce.type === 'UNMANAGED' || ce.instanceTypes.length === 0) return undefined;
  const { shapes, unknown } = shapesForAll(ce.instanceTypes);
  return unknown.length ? undefined : shapes;
}

function resourceFindings(d: JobDetailInfo, ces: readonly ComputeEnvironmentInfo[]): Finding[] {
  const out: Finding[] = [];
  const usable = ces.filter(isUsable);
  if (usable.length === 0) return out;
  const vcpus = d.vcpus ?? 0;
  const mem = d.memoryMiB ?? 0;
  const managed = usable.filter((c) => c.type !== 'UNMANAGED' && c.maxvCpus !== undefined);
  if (vcpus > 0 && managed.length === usable.length) {
    const best = Math.max(...managed.map((c) => c.maxvCpus ?? 0));
    if (best > 0 && vcpus > best) {
      out.push({
        code: 'JOB_EXCEEDS_MAX_VCPUS',
        severity: 'error',
        message: `Asks for ${vcpus} vCPUs but the largest maxvCpus of the queue's usable compute environments is ${best}: it can never be placed.`,
        evidence: [`job resources: ${resources(d)}`, ...managed.map((c) => `compute environment "${c.name}" maxvCpus: ${c.maxvCpus}`)],
        advice: `Raise maxvCpus to at least ${vcpus}, or lower the job's vCPU request.`,
      });
    }
  }
  if (vcpus > 0 || mem > 0) {
    const perCe = usable.map((c) => ({ ce: c, shapes: ceShapes(c) }));
    if (perCe.every((p) => p.shapes)) {
      const fits = (s: InstanceShape, headroom = 1): boolean => s.vcpus >= vcpus && s.memoryMiB * headroom >= mem;
      const all = perCe.flatMap((p) => p.shapes!);
      const largest = (key: 'vcpus' | 'memoryMiB'): InstanceShape => all.reduce((a, b) => (b[key] > a[key] ? b : a));
      // Evidence is only built when a finding needs it: this runs for every stuck RUNNABLE job.
      const evidence = (): string[] => [
        `job resources: ${resources(d)}`,
        ...perCe.map((p) => `compute environment "${p.ce.name}" ${p.ce.resourceType ?? ''} instanceTypes: ${p.ce.instanceTypes.join(', ') || '(Fargate)'}`),
        `largest allowed: ${largest('vcpus').source} ${largest('vcpus').vcpus} vCPU; ${largest('memoryMiB').source} ${Math.round(largest('memoryMiB').memoryMiB / 1024)} GiB`,
      ];
      if (!all.some((s) => fits(s))) {
        out.push({
          code: 'JOB_LARGER_THAN_INSTANCES',
          severity: 'error',
          message: `No instance type the queue's compute environments may launch has ${resources(d)}: the job can never be placed.`,
          advice: 'Allow a larger instance type (or family) in a compute environment, or lower the job\'s vCPU/memory request.',
          evidence: evidence(),
        });
      } else if (mem > 0 && !all.some((s) => fits(s, MEMORY_HEADROOM))) {
        out.push({
          code: 'JOB_MEMORY_NO_HEADROOM',
          severity: 'warning',
          message: `Asks for ${mem} MiB, within ${Math.round((1 - MEMORY_HEADROOM) * 100)}% of the largest instance's nominal memory: the ECS agent reserves part of it, so the job may never fit.`,
          evidence: evidence(),
          advice: 'Request a little less memory, or allow a larger instance type.',
        });
      }
    }
  }
  return out;
}

function runnableFallback(d: JobDetailInfo | undefined, ctx: JobContext): Finding {
  const usable = ctx.computeEnvironments.filter(isUsable);
  const desired = usable.reduce((a, c) => a + (c.desiredvCpus ?? 0), 0);
  const evidence = [
    ...usable.map((c) => `compute environment "${c.name}": ${c.state}/${c.status}, min/desired/max vCPUs ${c.minvCpus ?? '?'}/${c.desiredvCpus ?? '?'}/${c.maxvCpus ?? '?'}`),
    ...(d ? [`job resources: ${resources(d)}`] : []),
  ];
  return desired > 0
    ? {
        code: 'RUNNABLE_INSTANCES_NOT_TAKING_WORK',
        severity: 'warning',
        message: `Batch has scaled to ${desired} desired vCPUs but the job is not placed: instances are probably not joining the ECS cluster.`,
        evidence,
        advice: 'Check that instances can reach the ECS endpoint (NAT gateway or VPC endpoint), use the ecsInstanceRole instance role, and that a custom AMI runs the ECS agent with the awslogs log driver. Also check the EC2 vCPU quota.',
      }
    : {
        code: 'RUNNABLE_NOT_SCALING',
        severity: 'warning',
        message: 'Nothing in the queue\'s configuration rules this job out, yet Batch has not scaled up for it.',
        evidence,
        advice: 'Check the compute environment\'s Auto Scaling group activity, your EC2 On-Demand/Spot vCPU quota, and Spot capacity for the allowed types. Jobs of higher-priority queues sharing the environment go first.',
      };
}

/** Every finding for one job in transit. `detail` is present when DescribeJobs was needed and succeeded. */
export function diagnoseJob(job: JobSummaryInfo, status: TransitStatus, detail: JobDetailInfo | undefined, ctx: JobContext): JobDiagnosis {
  if (status === 'RUNNABLE') return diagnoseRunnable(job, detail, ctx);
  const age = job.createdAt !== undefined ? formatAge(ctx.now - job.createdAt) : 'an unknown time';
  const created = `job createdAt ${formatTime(job.createdAt)} (${age} ago), status ${status}`;
  if (status === 'SUBMITTED') {
    return {
      willNeverRun: false,
      findings: [{
        code: 'SCHEDULER_DELAY',
        severity: 'warning',
        message: `SUBMITTED for ${age}: Batch's scheduler has not evaluated it yet (a scheduler-side delay, not your configuration).`,
        evidence: [created],
        advice: 'SUBMITTED normally lasts seconds. Check AWS Health for Batch in this Region; if it persists, contact AWS Support with the job id.',
      }],
    };
  }
  if (status === 'PENDING') {
    if (!detail) return { willNeverRun: false, findings: [{ code: 'NO_DETAIL', severity: 'info', message: 'PENDING; its dependencies could not be read.', evidence: [created] }] };
    if (detail.dependsOn.length === 0) {
      if (detail.arraySize) {
        const summary = Object.entries(detail.arrayStatusSummary ?? {}).filter(([, n]) => n > 0).map(([s, n]) => `${s} ${n}`).join(', ');
        return {
          willNeverRun: false,
          findings: [{
            code: 'ARRAY_PARENT',
            severity: 'info',
            message: `Array job of ${detail.arraySize} children: the parent stays PENDING while its children run${summary ? ` (${summary})` : ''}.`,
            evidence: [created, `arrayProperties.size: ${detail.arraySize}`, ...(summary ? [`arrayProperties.statusSummary: ${summary}`] : [])],
            advice: (detail.arrayStatusSummary?.RUNNABLE ?? 0) > 0 ? 'Children are RUNNABLE: the queue\'s diagnosis explains why they are not placed.' : undefined,
          }],
        };
      }
      return {
        willNeverRun: false,
        findings: [{ code: 'PENDING_NO_DEPENDENCY', severity: 'warning', message: `PENDING for ${age} with no dependencies: a scheduler-side delay.`, evidence: [created, 'dependsOn: (none)'] }],
      };
    }
    const dep = diagnoseDependencies(detail, ctx.lookup, ctx.now);
    return { findings: dep.findings, chain: dep.chain, willNeverRun: dep.willNeverRun };
  }
  return diagnoseRunnable(job, detail, ctx);
}

function diagnoseRunnable(job: JobSummaryInfo, detail: JobDetailInfo | undefined, ctx: JobContext): JobDiagnosis {
  const findings: Finding[] = [];
  const own = decodeBlockedReason(job.statusReason ?? detail?.statusReason);
  if (own) {
    findings.push({
      code: `BLOCKED:${own.code}`,
      severity: 'error',
      message: `This job blocks the head of the queue: ${own.title}.`,
      evidence: [`job statusReason ${quote(job.statusReason ?? detail?.statusReason)}`],
      advice: own.advice,
    });
  }
  for (const f of ctx.queueFindings) {
    if (f.severity === 'error' && !(own && f.code === `BLOCKED:${own.code}`)) findings.push(f);
  }
  if (detail) findings.push(...resourceFindings(detail, ctx.computeEnvironments));
  if (!findings.some((f) => f.severity === 'error')) findings.push(runnableFallback(detail, ctx));
  return { findings, willNeverRun: false };
}
