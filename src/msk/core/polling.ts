/**
 * When to poll next, pure: only while it matters (the view or a dashboard is visible, or background polling is
 * on), never more often than once a minute, doubling per consecutive failure up to 16×, with ±10% jitter so
 * several windows do not poll in lockstep.
 */
export const MIN_POLL_SECONDS = 60;
export const MAX_BACKOFF_FACTOR = 16;

export interface PollInputs {
  readonly intervalSeconds: number;
  readonly failures: number;
  readonly viewVisible: boolean;
  readonly dashboardVisible: boolean;
  readonly background: boolean;
}

/** Delay in ms before the next poll, or undefined when nothing should poll. */
export function nextPollDelayMs(p: PollInputs, random: () => number = Math.random): number | undefined {
  if (!(p.viewVisible || p.dashboardVisible || p.background)) return undefined;
  if (!Number.isFinite(p.intervalSeconds) || p.intervalSeconds <= 0) return undefined;
  const base = Math.max(MIN_POLL_SECONDS, p.intervalSeconds) * 1000;
  const factor = Math.min(MAX_BACKOFF_FACTOR, 2 ** Math.max(0, p.failures));
  return Math.round(base * factor * (1 + (random() * 0.2 - 0.1)));
}
