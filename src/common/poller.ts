/**
 * Background polling shared by Batch Health and MSK Consumers, without `vscode`: the scheduling decisions are
 * pure functions (table-tested in test/unit/common/poller.test.ts) and `Poller` applies them with an injected
 * clock, so tests drive the real poller with fake time.
 *
 * Rules: never more often than once a minute; ±10% jitter so several windows do not poll in lockstep; the delay
 * doubles per consecutive failed or throttled check (a Region error counts) up to 16×, and the first clean check
 * returns to the interval; nothing runs while the window is unfocused, and coming back checks only when the next
 * check is already due (alt-tabbing never adds checks).
 */
export const MIN_POLL_SECONDS = 60;
export const MAX_BACKOFF_FACTOR = 16;
/** Settle time before a due check runs after the window regains focus (a quick alt-tab away and back is free). */
export const FOCUS_SETTLE_MS = 5_000;

export interface BackoffState {
  /** Consecutive failed checks (an exception or any Region error). */
  readonly failures: number;
  /** Consecutive checks that hit throttling. */
  readonly throttled: number;
}
export const CLEAN: BackoffState = { failures: 0, throttled: 0 };

/** What one check found, as far as polling cares. */
export interface CheckOutcome {
  readonly failed: boolean;
  readonly throttled: boolean;
}

/** The backoff state after a check: a clean check resets both counters. */
export function nextBackoff(state: BackoffState, outcome: CheckOutcome): BackoffState {
  return { failures: outcome.failed ? state.failures + 1 : 0, throttled: outcome.throttled ? state.throttled + 1 : 0 };
}

/** Outcome of a report whose Regions carry `error` / `errorKind` (a failing Region counts as a failed check). */
export function outcomeOfRegions(regions: ReadonlyArray<{ readonly error?: string; readonly errorKind?: string }>): CheckOutcome {
  return { failed: regions.some((r) => r.error), throttled: regions.some((r) => r.errorKind === 'throttled' || (r.error !== undefined && THROTTLED_TEXT.test(r.error))) };
}

const THROTTLED_TEXT = /throttl|rate exceeded|too many requests/i;

/** Outcome of a check that threw. */
export function outcomeOfError(err: unknown): CheckOutcome {
  return { failed: true, throttled: THROTTLED_TEXT.test(String((err as Error)?.message ?? err)) };
}

/** The interval in ms, never below a minute; undefined when polling is off (0, negative, not a number). */
export function intervalMs(intervalSeconds: number): number | undefined {
  if (!Number.isFinite(intervalSeconds) || intervalSeconds <= 0) return undefined;
  return Math.max(MIN_POLL_SECONDS, intervalSeconds) * 1000;
}

/** Delay after a check: the interval, ×2 per consecutive failure or throttle (up to 16×), ±10% jitter. */
export function backoffDelayMs(intervalSeconds: number, state: BackoffState, random: () => number = Math.random): number | undefined {
  const base = intervalMs(intervalSeconds);
  if (base === undefined) return undefined;
  const factor = Math.min(MAX_BACKOFF_FACTOR, 2 ** Math.max(0, state.failures, state.throttled));
  return Math.round(base * factor * (1 + (random() * 0.2 - 0.1)));
}

/**
 * When to arm the timer on resume (focus regained, view shown, settings read again): at the due time, or after
 * the settle time when it has passed. `dueAt` undefined = never checked: after `firstDelayMs`.
 */
export function resumeDelayMs(now: number, dueAt: number | undefined, firstDelayMs: number, settleMs = FOCUS_SETTLE_MS): number {
  if (dueAt === undefined) return firstDelayMs;
  return Math.max(settleMs, dueAt - now);
}

/**
 * Per-Region memory for "notify only about what is new": the items of every Region that answered, and for a Region
 * whose check failed, what it had before (so its items are not announced again once it answers).
 */
export function carryForward<T>(previous: ReadonlyMap<string, T> | undefined, current: ReadonlyMap<string, T>, failedRegions: Iterable<string>): Map<string, T> {
  const next = new Map(current);
  for (const region of failedRegions) {
    const before = previous?.get(region);
    if (before !== undefined) next.set(region, before);
    else next.delete(region);
  }
  return next;
}

export interface Clock {
  now(): number;
  /** `fn` returns the check's promise (a fake clock awaits it before moving time on; timers ignore it). */
  setTimeout(fn: () => unknown, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(() => void fn(), ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface PollerOptions {
  /** Runs one check; the outcome drives the backoff. A throw counts as a failed check. */
  readonly check: () => Promise<CheckOutcome>;
  /** Seconds between checks (read at every scheduling); 0 or less turns polling off. */
  readonly intervalSeconds: () => number;
  /** Whether polling is wanted at all (settings, Regions, a visible view); focus is tracked by the poller. */
  readonly wanted: () => boolean;
  /** Delay of the first check once polling is wanted (ms), read when needed. */
  readonly firstDelayMs: number | (() => number);
  readonly focused?: boolean;
  readonly clock?: Clock;
  readonly random?: () => number;
  readonly log?: (message: string) => void;
}

/** The timer: one pending check at most, none while a check runs or the window is unfocused. */
export class Poller {
  private handle: unknown;
  private running = false;
  private disposed = false;
  /** Bumped by restart(): a check that was running across a restart does not count. */
  private generation = 0;
  private focused: boolean;
  private state: BackoffState = CLEAN;
  /** When the next check is due (epoch ms); undefined until polling starts. */
  private due: number | undefined;
  private readonly clock: Clock;
  private readonly random: () => number;

  constructor(private readonly options: PollerOptions) {
    this.focused = options.focused ?? true;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
  }

  get backoff(): BackoffState {
    return this.state;
  }
  get dueAt(): number | undefined {
    return this.due;
  }
  get pending(): boolean {
    return this.handle !== undefined;
  }

  /** Window focus changed: unfocused stops the timer (the due time is kept), focused resumes. */
  setFocused(focused: boolean): void {
    this.focused = focused;
    this.update();
  }

  /**
   * Re-reads `wanted` and arms or stops the timer. The due time survives pauses (unfocused, view hidden), so
   * resuming checks at once only when a check is overdue.
   */
  update(settleMs = FOCUS_SETTLE_MS): void {
    if (this.disposed) return;
    if (!this.canRun()) {
      this.stop();
      return;
    }
    if (this.running || this.handle !== undefined) return;
    this.arm(resumeDelayMs(this.clock.now(), this.due, this.firstDelay(), settleMs));
  }

  /** Starts over (settings, profile or Regions changed): clean backoff, first check after `delayMs`. */
  restart(delayMs = this.firstDelay()): void {
    this.stop();
    this.generation++;
    this.state = CLEAN;
    this.due = this.clock.now() + delayMs;
    if (this.canRun() && !this.running) this.arm(delayMs);
  }

  private canRun(): boolean {
    return !this.disposed && this.focused && this.options.wanted() && intervalMs(this.options.intervalSeconds()) !== undefined;
  }

  /** A check made elsewhere (a manual refresh) counts: the next one is due an interval after it. */
  checkedElsewhere(outcome: CheckOutcome): void {
    if (this.running || this.disposed) return;
    this.settle(outcome);
  }

  private settle(outcome: CheckOutcome): void {
    this.state = nextBackoff(this.state, outcome);
    const delay = backoffDelayMs(this.options.intervalSeconds(), this.state, this.random);
    this.due = delay === undefined ? undefined : this.clock.now() + delay;
    this.stop();
    this.update();
  }

  private firstDelay(): number {
    const d = this.options.firstDelayMs;
    return typeof d === 'function' ? d() : d;
  }

  private arm(delayMs: number): void {
    this.due = this.clock.now() + delayMs;
    this.handle = this.clock.setTimeout(() => this.tick(), delayMs);
  }

  private stop(): void {
    if (this.handle !== undefined) this.clock.clearTimeout(this.handle);
    this.handle = undefined;
  }

  private async tick(): Promise<void> {
    this.handle = undefined;
    if (!this.canRun()) return;
    this.running = true;
    const generation = this.generation;
    let outcome: CheckOutcome | undefined;
    try {
      outcome = await this.options.check();
    } catch (err) {
      // Aborted (a restart or reset cancelled the load): not AWS failing, nothing to back off from.
      if ((err as Error)?.name !== 'AbortError') {
        outcome = outcomeOfError(err);
        this.options.log?.(`background check failed (${this.state.failures + 1} in a row), backing off: ${(err as Error)?.message ?? err}`);
      }
    } finally {
      this.running = false;
    }
    if (this.disposed) return;
    if (generation !== this.generation) this.update(0);
    else if (outcome === undefined) this.update();
    else this.settle(outcome);
  }

  dispose(): void {
    this.disposed = true;
    this.stop();
  }
}
