import type { Series, Thresholds, Verdict, VerdictResult } from './types';

/**
 * The consumer verdict: LinkedIn Burrow's window rules adapted to Lambda's OffsetLag, which is a lag series
 * (records behind, per minute) rather than committed offsets. In order (the rules: the allowance only
 * decides between OK and WARN; a stopped or failing consumer is reported whatever its lag):
 *   1. ERROR    a `PROBLEM:` LastProcessingResult (Lambda says it cannot process; shown verbatim).
 *   2. DISABLED the mapping is not enabled and lag grows (nobody is consuming and records keep arriving).
 *   3. OK       not enough samples in the window to call a trend (our choice: Burrow judges a partial window
 *               and reports its completeness).
 *   4. ERROR    errors in the window while lag rises (the function fails and retries the same batch), even
 *               while the lag is still within the allowance.
 *   5. STALLED  lag above zero and no invocations for the last `stalledMinutes` (Burrow's STOP/STALL), even
 *               within the allowance: a consumer that stopped at lag 50 is stopped.
 *   6. OK       the current lag is within the allowance (our allowance: Burrow has no threshold, it calls a
 *               partition OK when its lag touched zero anywhere in the window).
 *   7. WARN     lag above the allowance now and never decreasing across the window (Burrow's WARN; a climb from
 *               below the allowance counts too).
 *   8. OK       otherwise: lag is above the allowance but falling or fluctuating, i.e. the consumer keeps up.
 */
export interface VerdictInput {
  readonly state: string;
  readonly lastProcessingResult?: string;
  readonly lag: Series;
  readonly invocations: Series;
  readonly errors: Series;
  readonly thresholds: Thresholds;
  /** End of the window (epoch ms); the stalled rule looks back from here. */
  readonly now: number;
  /** Period of the series in seconds (60 for the verdict). */
  readonly periodSeconds: number;
}

const ENABLED_STATES = new Set(['Enabled', 'Enabling', 'Updating', 'Creating']);

export function isProblem(result: string | undefined): boolean {
  return typeof result === 'string' && /^\s*PROBLEM:/i.test(result);
}

/** Samples that have a value, in time order. */
export function points(series: Series): Array<{ t: number; v: number }> {
  const out: Array<{ t: number; v: number }> = [];
  series.t.forEach((t, i) => {
    const v = series.v[i];
    if (typeof v === 'number' && Number.isFinite(v)) out.push({ t, v });
  });
  return out.sort((a, b) => a.t - b.t);
}

export type Direction = 'rising' | 'falling' | 'steady' | 'none';

/**
 * The run that ends at the newest sample: how long lag has been moving one way. Rising = each sample ≥ the one
 * before and the newest above the run's first; falling likewise. Minutes count the samples' slots, so 60
 * one-minute samples read "60 min".
 */
export function currentRun(series: Series, periodSeconds: number): { direction: Direction; minutes: number; from?: number } {
  const p = points(series);
  if (p.length < 2) return { direction: p.length ? 'steady' : 'none', minutes: 0 };
  const last = p[p.length - 1];
  const up = walkBack(p, (a, b) => a <= b);
  const down = walkBack(p, (a, b) => a >= b);
  const slot = periodSeconds * 1000;
  const minutesFrom = (i: number): number => Math.round((last.t - p[i].t + slot) / 60_000);
  // The last step decides: both runs share the newest sample, and only one of them can have moved.
  if (p[up].v < last.v) return { direction: 'rising', minutes: minutesFrom(up), from: p[up].v };
  if (p[down].v > last.v) return { direction: 'falling', minutes: minutesFrom(down), from: p[down].v };
  return { direction: 'steady', minutes: minutesFrom(Math.min(up, down)) };
}

function walkBack(p: Array<{ v: number }>, ok: (prev: number, next: number) => boolean): number {
  let i = p.length - 1;
  while (i > 0 && ok(p[i - 1].v, p[i].v)) i--;
  return i;
}

const NUMBER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
export const formatCount = (n: number): string => NUMBER.format(n);

/** "lag 6,000 ↑ rising for 60 min", "lag 8 ↓ falling for 5 min", "lag 0 → steady", "no OffsetLag data". */
export function trendText(series: Series, periodSeconds: number): string {
  const p = points(series);
  if (p.length === 0) return 'no OffsetLag data';
  const lag = `lag ${formatCount(p[p.length - 1].v)}`;
  const run = currentRun(series, periodSeconds);
  if (run.direction === 'rising') return `${lag} ↑ rising for ${run.minutes} min`;
  if (run.direction === 'falling') return `${lag} ↓ falling for ${run.minutes} min`;
  return `${lag} → steady`;
}

function sumSince(series: Series, since: number): { sum: number; samples: number } {
  let sum = 0;
  let samples = 0;
  for (const { t, v } of points(series)) if (t >= since) { sum += v; samples++; }
  return { sum, samples };
}

export function evaluate(input: VerdictInput): VerdictResult {
  const { thresholds: th, periodSeconds } = input;
  const p = points(input.lag);
  const currentLag = p.length ? p[p.length - 1].v : undefined;
  const trend = trendText(input.lag, periodSeconds);
  const result = (verdict: Verdict, reason: string): VerdictResult => ({ verdict, reason, currentLag, trend });
  const run = currentRun(input.lag, periodSeconds);
  const growing = p.length >= 2 && p[p.length - 1].v > p[0].v && run.direction === 'rising';

  if (isProblem(input.lastProcessingResult)) return result('ERROR', input.lastProcessingResult!.trim());
  if (!ENABLED_STATES.has(input.state)) {
    // A stopped consumer is judged only on whether records pile up; its lack of invocations is expected.
    if (growing && (currentLag ?? 0) > th.allowedLag) return result('DISABLED', `mapping is ${input.state} while lag grows`);
    return result('OK', `mapping is ${input.state}; lag is not growing`);
  }
  if (p.length < Math.max(2, th.minSamples)) {
    return result('OK', p.length === 0 ? 'no OffsetLag datapoints in the window' : `only ${p.length} OffsetLag samples in the window (incomplete windows count as OK)`);
  }
  const errors = sumSince(input.errors, p[0].t).sum;
  if (errors > 0 && growing) return result('ERROR', `${formatCount(errors)} errors in the window while lag rises`);

  const stallSince = input.now - th.stalledMinutes * 60_000;
  const lagCoversStall = p[0].t <= stallSince;
  if (currentLag! > 0 && lagCoversStall && sumSince(input.invocations, stallSince).sum === 0) {
    return result('STALLED', `lag ${formatCount(currentLag!)} and no invocations for the last ${th.stalledMinutes} min`);
  }

  if (currentLag! <= th.allowedLag) return result('OK', `lag within the allowance (${formatCount(th.allowedLag)})`);

  // Burrow's WARN needs lag above zero at every commit; with an allowance, a lag series that climbs from below
  // it past it is just as much "falling behind", so a rise across the window also counts.
  const alwaysAbove = p.every((s) => s.v > th.allowedLag);
  const neverDecreasing = p.every((s, i) => i === 0 || s.v >= p[i - 1].v);
  if (neverDecreasing && (alwaysAbove || currentLag! > p[0].v)) return result('WARN', `falling behind: lag above ${formatCount(th.allowedLag)} and never decreasing across the window`);

  return result('OK', run.direction === 'falling' ? 'lag above the allowance but falling' : 'lag above the allowance but not growing steadily');
}
