/**
 * Shared pieces of the reliability suite: an overlay proxy in front of the suite's moto with a seeded fault
 * hook, a real ClientFactory pointed at it, and a guard that fails a test which leaves an unhandled rejection.
 */
import { motoEndpoint, motoFactory, TEST_CREDENTIALS } from '../../support/aws';
import { CallCounter } from '../../../src/aws/callCounter';
import { ClientFactory } from '../../../src/aws/clientFactory';
import type { RetryDelays } from '../../../src/aws/retryPolicy';
import { DEFAULT_CONNECTION, type AwsConnectionSettings } from '../../../src/aws/target';
import type { FaultHook, FaultRule } from '../../../scripts/lib/faults.mjs';
import type { Overlay, OverlayHandler } from '../../../scripts/lib/overlay.mjs';

/**
 * The suite runs at the product's default opsdeck.maxAttempts (3): throttling errors get THROTTLING_MAX_ATTEMPTS
 * (10) attempts whatever it is (src/aws/retryPolicy.ts), so under 30% throttling a call fails only if all 10
 * are throttled (0.3^10 ≈ 6e-6) and a discovery of a few hundred calls recovers with near certainty.
 */
export const SUITE_MAX_ATTEMPTS = DEFAULT_CONNECTION.maxAttempts;

/**
 * The waits between retries behind the fault proxy, a tenth of the product's (throttling base 100 ms instead of
 * 1 s, others 5 ms instead of 50 ms; cap 500 ms instead of 5 s; adaptive mode's slowest rate 5 requests/s per
 * client instead of 0.5). What the suite proves — attempts per error kind, complete and correct results,
 * requests per poll — does not depend on how long the SDK sleeps between attempts, and with the product's waits
 * the throttling tests took minutes (THROTTLING_MAX_ATTEMPTS 10, waits up to 5 s). The product's waits themselves are unit-tested (test/unit/aws/retryPolicy.test.ts). Set
 * OPSDECK_RELIABILITY_REAL_DELAYS=1 to run the suite with them.
 */
export const SUITE_RETRY_DELAYS: RetryDelays | undefined = process.env.OPSDECK_RELIABILITY_REAL_DELAYS === '1' ? undefined : { scale: 0.1, capMs: 500 };

/** motoFactory with the suite's retry waits. */
function suiteFactory(regions: string[], endpoint: string, overrides: Partial<AwsConnectionSettings>): ReturnType<typeof motoFactory> {
  const counter = new CallCounter();
  const factory = new ClientFactory({
    settings: { regions, endpointUrl: endpoint, maxAttempts: SUITE_MAX_ATTEMPTS, requestTimeoutMs: 15_000, ...overrides },
    credentials: async () => TEST_CREDENTIALS,
    version: 'test',
    counter,
    retryDelays: SUITE_RETRY_DELAYS,
  });
  return { factory, counter };
}

export interface FaultyAws {
  overlay: Overlay;
  hook: FaultHook;
  factory(regions: string[], overrides?: Partial<AwsConnectionSettings>): ReturnType<typeof motoFactory>;
  stop(): Promise<void>;
}

/** Every hook the suite started, for the totals printed at the end (test/reliability/summary.test.ts). */
export const ALL_HOOKS: FaultHook[] = [];

export async function startFaulty(options: { seed: number; rules: FaultRule[]; handlers?: OverlayHandler[] }): Promise<FaultyAws> {
  const { startOverlay } = await import('../../../scripts/lib/overlay.mjs');
  const { faultHook } = await import('../../../scripts/lib/faults.mjs');
  const hook = faultHook({ seed: options.seed, rules: options.rules });
  ALL_HOOKS.push(hook);
  const overlay = await startOverlay({ upstream: motoEndpoint(), hooks: [hook], handlers: options.handlers ?? [] });
  return {
    overlay,
    hook,
    factory: (regions, overrides = {}) => suiteFactory(regions, overlay.endpoint, overrides),
    stop: () => overlay.stop(),
  };
}

/** Collects unhandled rejections while a suite runs; `assertNone()` in afterEach. */
export function rejectionGuard(): { assertNone(): void; dispose(): void } {
  const seen: unknown[] = [];
  const onRejection = (reason: unknown): void => {
    seen.push(reason);
  };
  process.on('unhandledRejection', onRejection);
  return {
    assertNone() {
      // Give stray promises a tick to surface.
      if (seen.length) {
        const all = seen.splice(0).map((r) => (r instanceof Error ? `${r.name}: ${r.message}` : String(r)));
        throw new Error(`unhandled rejection(s): ${all.join(' | ')}`);
      }
    },
    dispose() {
      process.off('unhandledRejection', onRejection);
    },
  };
}

export const tick = (ms = 50): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The same list without duplicates, sorted — and the duplicates, so a test can say "no item doubled". */
export function dupes(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const out = new Set<string>();
  for (const v of values) (seen.has(v) ? out : seen).add(v);
  return [...out];
}
