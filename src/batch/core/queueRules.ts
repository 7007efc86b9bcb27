import { decodeBlockedReason } from './blockedReasons';
import { quote } from './format';
import type { ComputeEnvironmentInfo, Finding, QueueHealth, QueueInfo } from './types';

/** A compute environment that can place work: enabled, and not invalid or going away. */
export function isUsable(ce: ComputeEnvironmentInfo): boolean {
  const state = (ce.state ?? 'ENABLED').toUpperCase();
  const status = (ce.status ?? 'VALID').toUpperCase();
  return state === 'ENABLED' && !['INVALID', 'DELETING', 'DELETED'].includes(status);
}

/** Usable and allowed to grow above zero vCPUs (unmanaged environments have no maxvCpus: assume they can). */
export function canScale(ce: ComputeEnvironmentInfo): boolean {
  return isUsable(ce) && (ce.type === 'UNMANAGED' || ce.maxvCpus === undefined || ce.maxvCpus > 0);
}

function ceLabel(ce: ComputeEnvironmentInfo): string {
  return `compute environment "${ce.name}": state ${ce.state ?? '?'}, status ${ce.status ?? '?'}, statusReason ${quote(ce.statusReason)}`;
}

export interface QueueDiagnosis {
  readonly findings: Finding[];
  readonly canRunWork: boolean;
  readonly health: QueueHealth;
}

/**
 * The rules that hold for every job of a queue: the queue's own state and blocked reason, and whether any of its
 * compute environments can run work. `ces` are the queue's environments in order; missing ones are reported.
 */
export function diagnoseQueue(queue: QueueInfo, ces: readonly ComputeEnvironmentInfo[]): QueueDiagnosis {
  const findings: Finding[] = [];
  const q = `queue "${queue.name}"`;
  if ((queue.state ?? '').toUpperCase() === 'DISABLED') {
    findings.push({
      code: 'QUEUE_DISABLED',
      severity: 'warning',
      message: 'Queue is DISABLED: it accepts no new jobs (jobs already in it can still run).',
      evidence: [`${q} state: DISABLED`],
      advice: 'Enable the queue (UpdateJobQueue state=ENABLED) if new work should be accepted.',
    });
  }
  if ((queue.status ?? '').toUpperCase() === 'INVALID') {
    findings.push({
      code: 'QUEUE_INVALID',
      severity: 'error',
      message: `Queue is INVALID: ${queue.statusReason ?? 'no reason given'}.`,
      evidence: [`${q} status: INVALID, statusReason ${quote(queue.statusReason)}`],
      advice: 'Fix what the statusReason names (usually a compute environment), then update the queue.',
    });
  }
  const blocked = decodeBlockedReason(queue.statusReason);
  if (blocked) {
    findings.push({
      code: `BLOCKED:${blocked.code}`,
      severity: 'error',
      message: `Queue is blocked: ${blocked.title}.`,
      evidence: [`${q} statusReason ${quote(queue.statusReason)}`],
      advice: blocked.advice,
    });
  }

  const missing = queue.computeEnvironments.filter((arn) => !ces.some((c) => c.arn === arn || c.name === arn));
  for (const arn of missing) {
    findings.push({
      code: 'CE_MISSING',
      severity: 'warning',
      message: `Compute environment ${arn} is in the queue's order but was not returned by DescribeComputeEnvironments.`,
      evidence: [`${q} computeEnvironmentOrder lists ${arn}`],
      advice: 'It may have been deleted: update the queue\'s compute environment order.',
    });
  }

  const isSageMaker = (queue.jobQueueType ?? '').toUpperCase().startsWith('SAGEMAKER');
  if (!isSageMaker && queue.computeEnvironments.length === 0) {
    findings.push({
      code: 'NO_COMPUTE_ENVIRONMENT',
      severity: 'error',
      message: 'Queue has no compute environment: nothing can run its jobs.',
      evidence: [`${q} computeEnvironmentOrder is empty`],
      advice: 'Attach at least one VALID, ENABLED compute environment to the queue.',
    });
  }

  const unusable = ces.filter((c) => !isUsable(c));
  const usable = ces.filter(isUsable);
  if (ces.length > 0 && usable.length === 0) {
    findings.push({
      code: 'NO_USABLE_COMPUTE_ENVIRONMENT',
      severity: 'error',
      message: ces.length === 1
        ? `The queue's only compute environment, "${ces[0].name}", cannot run work: it is ${(ces[0].status ?? '').toUpperCase() === 'INVALID' ? 'INVALID' : ces[0].state}.`
        : `None of the queue's ${ces.length} compute environments can run work: every one is DISABLED or INVALID.`,
      evidence: unusable.map(ceLabel),
      advice: 'Enable a DISABLED environment (UpdateComputeEnvironment state=ENABLED), or fix what an INVALID one\'s statusReason says (often the service or instance role ARN).',
    });
  } else {
    for (const ce of unusable) {
      findings.push({
        code: (ce.status ?? '').toUpperCase() === 'INVALID' ? 'CE_INVALID' : 'CE_DISABLED',
        severity: 'warning',
        message: `Compute environment "${ce.name}" is ${(ce.status ?? '').toUpperCase() === 'INVALID' ? 'INVALID' : ce.state}: Batch uses the queue's other environments only.`,
        evidence: [ceLabel(ce)],
      });
    }
  }

  const managedUsable = usable.filter((c) => c.type !== 'UNMANAGED' && c.maxvCpus !== undefined);
  if (usable.length > 0 && managedUsable.length === usable.length && managedUsable.every((c) => (c.maxvCpus ?? 0) <= 0)) {
    findings.push({
      code: 'MAX_VCPUS_ZERO',
      severity: 'error',
      message: 'Every usable compute environment has maxvCpus 0: Batch may never launch an instance for this queue.',
      evidence: managedUsable.map((c) => `compute environment "${c.name}" maxvCpus: ${c.maxvCpus}`),
      advice: 'Raise maxvCpus on at least one compute environment.',
    });
  } else {
    for (const ce of usable.filter((c) => c.type !== 'UNMANAGED' && c.maxvCpus === 0)) {
      findings.push({
        code: 'CE_MAX_VCPUS_ZERO',
        severity: 'warning',
        message: `Compute environment "${ce.name}" has maxvCpus 0 and cannot run anything.`,
        evidence: [`compute environment "${ce.name}" maxvCpus: 0`],
      });
    }
  }

  const canRunWork = isSageMaker || ces.some(canScale);
  const health: QueueHealth = findings.some((f) => f.severity === 'error') || !canRunWork ? 'blocked' : findings.some((f) => f.severity === 'warning') ? 'warning' : 'ok';
  return { findings, canRunWork, health };
}
