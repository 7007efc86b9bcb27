import { backoffDelayMs } from '../../common/poller';

/**
 * When the dashboard polls next, pure: only while something is visible (or background polling is on), with the
 * shared rules of src/common/poller.ts (never more often than once a minute, doubling per consecutive failure up
 * to 16×, ±10% jitter). The tree and background polling use the shared `Poller` itself (view/register.ts).
 */
export { MAX_BACKOFF_FACTOR, MIN_POLL_SECONDS } from '../../common/poller';

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
  return backoffDelayMs(p.intervalSeconds, { failures: p.failures, throttled: 0 }, random);
}
