import { TIME_LIMIT_REASONS } from './blockedReasons';
import type { QueueInfo, TimeLimitAction } from './types';

export const TIME_LIMIT_MIN_SECONDS = 600;
export const TIME_LIMIT_MAX_SECONDS = 86_400;

/** Validation message for a RUNNABLE time limit typed by the user, or undefined when it is acceptable. */
export function validateTimeLimitSeconds(value: number): string | undefined {
  if (!Number.isInteger(value)) return 'Enter a whole number of seconds.';
  if (value < TIME_LIMIT_MIN_SECONDS || value > TIME_LIMIT_MAX_SECONDS) return `Batch accepts ${TIME_LIMIT_MIN_SECONDS}–${TIME_LIMIT_MAX_SECONDS} seconds (10 minutes to 24 hours).`;
  return undefined;
}

/** Parses "30m", "2h", "900" (seconds) into seconds; undefined when unreadable. */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(\d+)\s*(s|sec|m|min|h|hr|hours?|minutes?|seconds?)?\s*$/i.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] ?? 's').toLowerCase();
  if (unit.startsWith('h')) return n * 3600;
  if (unit.startsWith('m')) return n * 60;
  return n;
}

/** CANCEL for ECS, Fargate and EKS queues; TERMINATE for SageMaker service queues. */
export function timeLimitActionFor(queue: Pick<QueueInfo, 'jobQueueType'>): 'CANCEL' | 'TERMINATE' {
  return (queue.jobQueueType ?? '').toUpperCase().startsWith('SAGEMAKER') ? 'TERMINATE' : 'CANCEL';
}

/**
 * The full jobStateTimeLimitActions list to send (UpdateJobQueue replaces the list): the chosen reasons get the
 * new limit, entries for other reasons are kept as they are.
 */
export function planTimeLimitActions(queue: QueueInfo, seconds: number, reasons: readonly string[] = TIME_LIMIT_REASONS): TimeLimitAction[] {
  const problem = validateTimeLimitSeconds(seconds);
  if (problem) throw new RangeError(problem);
  const bad = reasons.filter((r) => !TIME_LIMIT_REASONS.includes(r));
  if (bad.length) throw new RangeError(`Batch cannot attach a time limit to ${bad.join(', ')}.`);
  const action = timeLimitActionFor(queue);
  const kept = queue.timeLimitActions.filter((a) => !reasons.includes(a.reason));
  return [...kept, ...reasons.map((reason) => ({ reason, state: 'RUNNABLE', maxTimeSeconds: seconds, action }))];
}

/** One line per action, for the confirmation dialog. */
export function describeTimeLimitPlan(queue: QueueInfo, actions: readonly TimeLimitAction[]): string[] {
  const before = new Map(queue.timeLimitActions.map((a) => [a.reason, a]));
  return actions.map((a) => {
    const prev = before.get(a.reason);
    const change = !prev ? 'new' : prev.maxTimeSeconds === a.maxTimeSeconds && prev.action === a.action ? 'unchanged' : `was ${prev.action} after ${prev.maxTimeSeconds} s`;
    return `${a.action} RUNNABLE jobs after ${a.maxTimeSeconds} s when blocked by ${a.reason} (${change})`;
  });
}
