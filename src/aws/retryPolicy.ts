import { AdaptiveRetryStrategy, DefaultRateLimiter } from '@smithy/core/retry';
import type { Provider, RetryErrorInfo, RetryStrategyV2, RetryToken, StandardRetryBackoffStrategy, StandardRetryToken } from '@smithy/types';

/**
 * OpsDeck's retry policy for every SDK client (no vscode, no I/O):
 *
 * - adaptive mode: after a throttle the client slows its own sending rate (client-side token bucket), so a view
 *   does not burn the account's API limits that the user's production tools share;
 * - throttling errors get at least THROTTLING_MAX_ATTEMPTS attempts: AWS answers a throttle before doing
 *   anything, so retrying it is always safe, and with 3 attempts 30% throttling left 2.2–2.7% of calls failing
 *   (a Region missing from a view) where 10 leave ≈ 6·10⁻⁶;
 * - everything else that is retryable (5xx, dropped connections, timeouts) gets `opsdeck.maxAttempts` as before,
 *   so an endpoint that is down or refuses connections still fails within seconds;
 * - the wait between throttled attempts is jittered and capped at THROTTLING_MAX_DELAY_MS (the SDK caps it at
 *   20 s), so an account that throttles every call gets its "AWS is throttling" message in ≈ 20 s, not a minute;
 * - once a call on a client has used all its throttling attempts, the client's next calls get only
 *   `opsdeck.maxAttempts` for throttles until one call succeeds: during a throttling storm a view or a
 *   background poll fails in seconds with "AWS is throttling" instead of adding 10 requests per call to an
 *   account that is already over its limit (the SDK's own retry quota does the same, but only after ≈ 11
 *   exhausted calls);
 * - maxAttempts 1 (a client that must never be retried by the SDK, or a user who turned retries off) means one
 *   attempt for every kind of error.
 */
export const THROTTLING_MAX_ATTEMPTS = 10;
export const THROTTLING_MAX_DELAY_MS = 5_000;
/** Adaptive mode's slowest sending rate after a throttle, requests per second per client (the SDK's default). */
const SDK_MIN_FILL_RATE = 0.5;

/** Attempts a throttled call gets for a given `opsdeck.maxAttempts`. */
export function throttlingAttempts(maxAttempts: number): number {
  return maxAttempts <= 1 ? 1 : Math.max(maxAttempts, THROTTLING_MAX_ATTEMPTS);
}

/**
 * Shorter waits between retries, for tests only (ClientFactoryOptions.retryDelays; never a user setting): the SDK's
 * bases (1 s for throttling, 50 ms for the rest) are multiplied by `scale`, the cap replaced by `capMs`, and
 * adaptive mode's slowest sending rate after a throttle (0.5 requests/s per client) divided by `scale`.
 */
export interface RetryDelays {
  readonly scale?: number;
  readonly capMs?: number;
}

/** Full-jitter exponential backoff (the SDK's formula) with a lower cap. */
export class CappedBackoff implements StandardRetryBackoffStrategy {
  private base = 50;
  constructor(private readonly capMs: number, private readonly random: () => number = Math.random, private readonly scale = 1) {}
  computeNextBackoffDelay(retries: number): number {
    return Math.floor(this.random() * Math.min(this.base * this.scale * 2 ** retries, this.capMs));
  }
  setDelayBase(delay: number): void {
    this.base = delay;
  }
}

/**
 * The SDK's adaptive strategy allowed `totalAttempts` attempts, with non-throttling errors stopped at
 * `transientAttempts`. `totalAttempts` is read from the client's own resolved config, so a client class that
 * pins `maxAttempts: 1` (LambdaPublishClient: PublishLayerVersion is not idempotent) is never retried.
 */
export class OpsDeckRetryStrategy implements RetryStrategyV2 {
  readonly mode = 'adaptive';
  private inner: AdaptiveRetryStrategy | undefined;
  private limits: { total: number; transient: number } | undefined;
  /** A call ran out of throttling attempts and nothing has succeeded since. */
  private storm = false;

  constructor(private readonly transientAttempts: number, private readonly totalAttempts: Provider<number>, private readonly delays: RetryDelays = {}) {}

  private async strategy(): Promise<AdaptiveRetryStrategy> {
    if (!this.inner) {
      const total = Math.max(1, await this.totalAttempts());
      this.limits = { total, transient: Math.max(1, Math.min(this.transientAttempts, total)) };
      const { scale, capMs } = this.delays;
      this.inner ??= new AdaptiveRetryStrategy(total, {
        maxAttempts: total,
        backoff: new CappedBackoff(capMs ?? THROTTLING_MAX_DELAY_MS, Math.random, scale ?? 1),
        ...(scale ? { rateLimiter: new DefaultRateLimiter({ minFillRate: SDK_MIN_FILL_RATE / scale }) } : {}),
      });
    }
    return this.inner;
  }

  /** Attempts allowed for each kind of error, once the client has resolved its config (for tests and the log). */
  async attempts(): Promise<{ total: number; transient: number }> {
    await this.strategy();
    return this.limits!;
  }

  async acquireInitialRetryToken(scope: string): Promise<RetryToken> {
    return (await this.strategy()).acquireInitialRetryToken(scope);
  }

  async refreshRetryTokenForRetry(token: StandardRetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> {
    const inner = await this.strategy();
    const throttled = errorInfo.errorType === 'THROTTLING';
    const attempts = token.getRetryCount() + 1;
    const limit = throttled && !this.storm ? this.limits!.total : this.limits!.transient;
    if (attempts >= limit) {
      if (throttled && this.limits!.total > 1) this.storm = true;
      // The same refusal the SDK's strategies use; the retry middleware then throws the call's own error.
      throw new Error('No retry token available');
    }
    try {
      return await inner.refreshRetryTokenForRetry(token, errorInfo);
    } catch (err) {
      if (throttled && this.limits!.total > 1) this.storm = true; // the SDK's retry quota ran out
      throw err;
    }
  }

  recordSuccess(token: StandardRetryToken): void {
    this.storm = false;
    this.inner?.recordSuccess(token);
  }

  /** True while this client treats AWS as throttling every call (see the class comment). */
  get throttlingStorm(): boolean {
    return this.storm;
  }
}
