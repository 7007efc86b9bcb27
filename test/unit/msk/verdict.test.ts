import * as assert from 'assert';
import { currentRun, evaluate, isProblem, trendText, type VerdictInput } from '../../../src/msk/core/verdict';
import { DEFAULT_THRESHOLDS, type Series, type Verdict } from '../../../src/msk/core/types';

const NOW = Date.UTC(2026, 10, 26, 8, 0, 0);
/** One value per minute, the last slot starting one minute before NOW. `null` = missing datapoint. */
function perMinute(values: readonly (number | null)[]): Series {
  const start = NOW - values.length * 60_000;
  return { t: values.map((_, i) => start + i * 60_000), v: [...values] };
}
const flat = (n: number, v: number | null): (number | null)[] => Array.from({ length: n }, () => v);
const ramp = (n: number, from: number, step: number): number[] => Array.from({ length: n }, (_, i) => from + i * step);
/** Noisy around a level: the seed article's lag of ~8 (slow function) and ~2 (after the fix). */
const around = (n: number, level: number): number[] => Array.from({ length: n }, (_, i) => level + [0, 1, -1, 2, 0, -2, 1][i % 7]);

function input(partial: Partial<Omit<VerdictInput, 'lag' | 'invocations' | 'errors'>> & { lag: (number | null)[]; invocations?: (number | null)[]; errors?: (number | null)[] }): VerdictInput {
  const n = partial.lag.length;
  return {
    state: partial.state ?? 'Enabled',
    lastProcessingResult: partial.lastProcessingResult,
    lag: perMinute(partial.lag),
    invocations: perMinute(partial.invocations ?? flat(n, 10)),
    errors: perMinute(partial.errors ?? flat(n, 0)),
    thresholds: partial.thresholds ?? { ...DEFAULT_THRESHOLDS, allowedLag: 0 },
    now: NOW,
    periodSeconds: 60,
  };
}

describe('msk verdict (Burrow window rules on an OffsetLag series)', () => {
  const table: Array<[string, Parameters<typeof input>[0], Verdict, RegExp?]> = [
    ['seed article before the fix: lag ~8 with a slow function', { lag: around(60, 8) }, 'OK', /not growing steadily|falling/],
    ['seed article after the fix: lag ~2', { lag: around(60, 2) }, 'OK'],
    ['seed cases with the default allowance (100) are within it', { lag: around(60, 8), thresholds: DEFAULT_THRESHOLDS }, 'OK', /within/],
    ['steadily rising lag is falling behind', { lag: ramp(60, 100, 100) }, 'WARN', /never decreasing/],
    ['rising with plateaus (never decreasing) is still WARN', { lag: ramp(60, 10, 1).map((v) => v - (v % 3)) }, 'WARN'],
    ['rising but one dip in the window is OK (Burrow: lag decreased once)', { lag: [...ramp(30, 100, 10), 50, ...ramp(29, 400, 10)] }, 'OK'],
    ['a steady climb from 0 past the allowance is WARN (Burrow would need every sample above it)', { lag: ramp(60, 0, 100), thresholds: DEFAULT_THRESHOLDS }, 'WARN'],
    ['a step up past the allowance that stays up is WARN', { lag: [100, ...flat(59, 300)], thresholds: DEFAULT_THRESHOLDS }, 'WARN'],
    ['flat lag above the allowance with one dip is OK', { lag: [...flat(30, 300), 290, ...flat(29, 300)], thresholds: DEFAULT_THRESHOLDS }, 'OK'],
    ['current lag within the allowance is OK even after a rise', { lag: [...ramp(59, 1, 1), 50], thresholds: { ...DEFAULT_THRESHOLDS, allowedLag: 100 } }, 'OK', /within/],
    ['falling lag above the allowance is OK', { lag: ramp(60, 6000, -50) }, 'OK', /falling/],
    ['lag with no invocations for 10 min is STALLED', { lag: flat(60, 500), invocations: [...flat(50, 4), ...flat(10, 0)] }, 'STALLED', /no invocations for the last 10 min/],
    ['missing invocation datapoints count as none (CloudWatch omits zero-invocation minutes)', { lag: flat(60, 500), invocations: [...flat(45, 4), ...flat(15, null)] }, 'STALLED'],
    ['invocations 9 min ago: not stalled yet → flat lag above allowance never decreases → WARN', { lag: flat(60, 500), invocations: [...flat(51, 4), ...flat(9, 0)] }, 'WARN'],
    ['zero lag with no invocations is OK (nothing to do)', { lag: flat(60, 0), invocations: flat(60, 0) }, 'OK'],
    ['errors with rising lag is ERROR', { lag: ramp(60, 10, 5), errors: [...flat(55, 0), 3, 3, 3, 3, 3] }, 'ERROR', /15 errors/],
    ['errors while lag falls is not ERROR', { lag: ramp(60, 600, -5), errors: flat(60, 1) }, 'OK'],
    ['PROBLEM: result is ERROR with its text even when lag is 0', { lag: flat(60, 0), lastProcessingResult: 'PROBLEM: SASL authentication failed' }, 'ERROR', /^PROBLEM: SASL authentication failed$/],
    ['OK: result is not a problem', { lag: flat(60, 0), lastProcessingResult: 'OK' }, 'OK'],
    ['disabled while lag grows', { lag: ramp(60, 0, 20), state: 'Disabled', invocations: flat(60, 0) }, 'DISABLED', /Disabled while lag grows/],
    ['disabled with flat lag and no invocations is not STALLED', { lag: flat(60, 300), state: 'Disabled', invocations: flat(60, 0) }, 'OK', /Disabled/],
    ['incomplete window (3 samples) counts as OK', { lag: [...flat(57, null), 100, 200, 300] }, 'OK', /only 3/],
    ['no data at all is OK with a reason', { lag: flat(60, null) }, 'OK', /no OffsetLag/],
    ['gaps do not break the never-decreasing rule', { lag: ramp(60, 100, 10).map((v, i) => (i % 4 === 0 ? null : v)) }, 'WARN'],
  ];
  for (const [name, args, want, reason] of table) {
    it(`${name} → ${want}`, () => {
      const got = evaluate(input(args));
      assert.strictEqual(got.verdict, want, `${got.verdict}: ${got.reason}`);
      if (reason) assert.match(got.reason, reason);
    });
  }

  it('PROBLEM: prefix detection', () => {
    assert.deepStrictEqual(['PROBLEM: Function call failed', ' problem: x', 'OK', 'No records processed', undefined].map(isProblem), [true, true, false, false, false]);
  });
});


describe('msk verdict at the default settings (allowedLag 100, stalled 10 min, 5 samples)', () => {
  // The allowance only decides OK vs WARN: a consumer that stopped, or fails while lag climbs, is reported even
  // while its lag is within it (issue 5: STALLED = lag above zero and no invocations; ERROR = errors with rising lag).
  const table: Array<[string, Parameters<typeof input>[0], Verdict, RegExp?]> = [
    ['stopped at lag 50 (within the allowance), no invocations for 10 min → STALLED', { lag: flat(60, 50), invocations: [...flat(50, 4), ...flat(10, 0)] }, 'STALLED', /lag 50 and no invocations for the last 10 min/],
    ['stopped at lag 1, invocations missing for 15 min → STALLED', { lag: flat(60, 1), invocations: [...flat(45, 4), ...flat(15, null)] }, 'STALLED'],
    ['lag 50, invoked 9 min ago → OK within the allowance', { lag: flat(60, 50), invocations: [...flat(51, 4), ...flat(9, 0)] }, 'OK', /within/],
    ['lag 0, nothing invoked → OK (nothing to do)', { lag: flat(60, 0), invocations: flat(60, 0) }, 'OK', /within/],
    ['erroring while lag climbs 10→90 → ERROR', { lag: ramp(60, 10, 80 / 59).map(Math.round), errors: [...flat(50, 0), ...flat(10, 2)] }, 'ERROR', /20 errors in the window while lag rises/],
    ['erroring while lag falls 90→10 → OK', { lag: ramp(60, 90, -80 / 59).map(Math.round), errors: flat(60, 1) }, 'OK', /within/],
    ['erroring at a flat lag 40 → OK', { lag: flat(60, 40), errors: flat(60, 1) }, 'OK', /within/],
    ['seed article before the fix: lag ~8 → OK', { lag: around(60, 8) }, 'OK', /within/],
    ['seed article after the fix: lag ~2 → OK', { lag: around(60, 2) }, 'OK', /within/],
    ['climbing 10→90 without errors, still invoked → OK within the allowance', { lag: ramp(60, 10, 80 / 59).map(Math.round) }, 'OK', /within/],
    ['a steady rise past the allowance → WARN', { lag: ramp(60, 100, 100) }, 'WARN', /never decreasing/],
    ['rising past the allowance with errors → ERROR', { lag: ramp(60, 100, 100), errors: [...flat(59, 0), 1] }, 'ERROR'],
    ['above the allowance and falling → OK', { lag: ramp(60, 6000, -50) }, 'OK', /falling/],
    ['above the allowance, stopped → STALLED', { lag: flat(60, 500), invocations: [...flat(50, 4), ...flat(10, 0)] }, 'STALLED'],
    ['PROBLEM: result wins over everything', { lag: flat(60, 50), invocations: flat(60, 0), lastProcessingResult: 'PROBLEM: Function call failed' }, 'ERROR', /^PROBLEM/],
    ['Disabled with lag 50 and no invocations is not STALLED', { lag: flat(60, 50), state: 'Disabled', invocations: flat(60, 0) }, 'OK', /Disabled/],
    ['Disabled while lag grows past the allowance → DISABLED', { lag: ramp(60, 0, 20), state: 'Disabled', invocations: flat(60, 0) }, 'DISABLED'],
    ['incomplete window (3 samples), no invocations → OK', { lag: [...flat(57, null), 50, 50, 50], invocations: flat(60, 0) }, 'OK', /only 3/],
  ];
  for (const [name, args, want, reason] of table) {
    it(name, () => {
      const got = evaluate(input({ thresholds: DEFAULT_THRESHOLDS, ...args }));
      assert.strictEqual(got.verdict, want, `${got.verdict}: ${got.reason}`);
      if (reason) assert.match(got.reason, reason);
    });
  }
});

describe('msk lag trend text', () => {
  const table: Array<[string, (number | null)[], string]> = [
    ['the issue example', ramp(60, 100, 100), 'lag 6,000 ↑ rising for 60 min'],
    ['falling for the last 5 samples', [...ramp(55, 0, 10), 600, 500, 400, 300, 200], 'lag 200 ↓ falling for 5 min'],
    ['flat', flat(10, 7), 'lag 7 → steady'],
    ['only the last step matters for direction', [5, 9, 3, 4], 'lag 4 ↑ rising for 2 min'],
    ['plateau at the end of a rise still rising', [1, 2, 3, 3, 3], 'lag 3 ↑ rising for 5 min'],
    ['one sample', [42], 'lag 42 → steady'],
    ['none', [null, null], 'no OffsetLag data'],
  ];
  for (const [name, values, want] of table) it(name, () => assert.strictEqual(trendText(perMinute(values), 60), want));
  it('run minutes use the period (5-minute slots)', () => {
    const s: Series = { t: [0, 300_000, 600_000], v: [1, 2, 3] };
    assert.deepStrictEqual(currentRun(s, 300), { direction: 'rising', minutes: 15, from: 1 });
  });
});
