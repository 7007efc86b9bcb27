/**
 * Shared pieces of the reliability suite: an overlay proxy in front of the suite's moto with a seeded fault
 * hook, a real ClientFactory pointed at it, and a guard that fails a test which leaves an unhandled rejection.
 */
import { motoEndpoint, motoFactory } from '../../support/aws';
import { DEFAULT_CONNECTION, type AwsConnectionSettings } from '../../../src/aws/target';
import type { FaultHook, FaultRule } from '../../../scripts/lib/faults.mjs';
import type { Overlay, OverlayHandler } from '../../../scripts/lib/overlay.mjs';

/**
 * The suite runs at the product's default opsdeck.maxAttempts (3): throttling errors get THROTTLING_MAX_ATTEMPTS
 * (10) attempts whatever it is (src/aws/retryPolicy.ts), so under 30% throttling a call fails only if all 10
 * are throttled (0.3^10 ≈ 6e-6) and a discovery of a few hundred calls recovers with near certainty.
 */
export const SUITE_MAX_ATTEMPTS = DEFAULT_CONNECTION.maxAttempts;

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
    factory: (regions, overrides = {}) => motoFactory(regions, overlay.endpoint, { maxAttempts: SUITE_MAX_ATTEMPTS, requestTimeoutMs: 15_000, ...overrides }),
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
