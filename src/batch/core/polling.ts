import { backoffDelayMs, carryForward, type BackoffState } from '../../common/poller';
import type { HealthReport } from './types';

/**
 * Pure parts of Batch background polling. Scheduling (interval, jitter, backoff, focus) is the shared poller's
 * (src/common/poller.ts); here: which stuck jobs are new, so a notification names each job once, never every poll.
 */
export { MAX_BACKOFF_FACTOR, MIN_POLL_SECONDS } from '../../common/poller';
export type PollState = BackoffState;

/** Delay before the next poll (see backoffDelayMs); a non-positive or invalid interval falls back to 300 s. */
export function nextPollDelayMs(intervalSeconds: number, state: PollState, random: () => number = Math.random): number {
  const seconds = Number.isFinite(intervalSeconds) && intervalSeconds > 0 ? intervalSeconds : 300;
  return backoffDelayMs(seconds, state, random)!;
}

/** Job ids that are stuck now but were not in `previous`; `previous` undefined = never seen: all are new. */
export function newlyStuck(previous: ReadonlySet<string> | undefined, current: readonly string[]): string[] {
  if (!previous) return [...current];
  return current.filter((id) => !previous.has(id));
}

/** Stuck job ids known per Region. */
export type KnownStuck = ReadonlyMap<string, ReadonlySet<string>>;

/**
 * The jobs of a report that are newly stuck, and what is known afterwards. A Region that answered is compared
 * with its own previous set; a Region whose check failed reports nothing new and keeps its previous set, so its
 * jobs are not announced a second time when it answers again. `previous` undefined = first report.
 */
export function diffStuck(previous: KnownStuck | undefined, report: HealthReport): { fresh: string[]; known: Map<string, ReadonlySet<string>> } {
  const current = new Map<string, ReadonlySet<string>>();
  const fresh: string[] = [];
  const failed: string[] = [];
  for (const r of report.regions) {
    if (r.error) {
      failed.push(r.region);
      continue;
    }
    const ids = r.queues.flatMap((q) => q.stuck.map((s) => s.job.jobId));
    fresh.push(...newlyStuck(previous?.get(r.region), ids));
    current.set(r.region, new Set(ids));
  }
  return { fresh, known: carryForward(previous, current, failed) };
}

/** The status bar text for a stuck count; undefined hides the item. */
export function alertText(stuck: number): string | undefined {
  return stuck > 0 ? `$(warning) Batch: ${stuck} stuck` : undefined;
}
