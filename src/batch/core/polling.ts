/**
 * Pure parts of background polling: when to poll next (jittered, backing off on throttling or errors) and which
 * stuck jobs are new since the last poll (so a notification is shown once per job, never every poll).
 */
export const MIN_POLL_SECONDS = 60;
export const MAX_BACKOFF_FACTOR = 16;

export interface PollState {
  /** Consecutive failed polls (any error). */
  readonly failures: number;
  /** Consecutive polls that hit throttling. */
  readonly throttled: number;
}

/**
 * Delay before the next poll: the interval (never below a minute), doubled per consecutive failure or throttle
 * up to 16×, with ±10% jitter so several windows do not poll in lockstep. `random` is injectable for tests.
 */
export function nextPollDelayMs(intervalSeconds: number, state: PollState, random: () => number = Math.random): number {
  const base = Math.max(MIN_POLL_SECONDS, Number.isFinite(intervalSeconds) ? intervalSeconds : 300) * 1000;
  const strikes = Math.max(state.failures, state.throttled);
  const factor = Math.min(MAX_BACKOFF_FACTOR, 2 ** strikes);
  const jitter = 1 + (random() * 0.2 - 0.1);
  return Math.round(base * factor * jitter);
}

/** Job ids that are stuck now but were not in the previous poll; `previous` undefined = first poll. */
export function newlyStuck(previous: ReadonlySet<string> | undefined, current: readonly string[]): string[] {
  if (!previous) return [...current];
  return current.filter((id) => !previous.has(id));
}

/** The status bar text for a stuck count; undefined hides the item. */
export function alertText(stuck: number): string | undefined {
  return stuck > 0 ? `$(warning) Batch: ${stuck} stuck` : undefined;
}
