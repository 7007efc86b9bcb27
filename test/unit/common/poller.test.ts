import * as assert from 'assert';
import { backoffDelayMs, carryForward, CLEAN, FOCUS_SETTLE_MS, nextBackoff, outcomeOfError, outcomeOfRegions, Poller, resumeDelayMs, type CheckOutcome } from '../../../src/common/poller';
import { FakeClock } from '../../support/fakeClock';

const MIN = 60_000;
const mid = (): number => 0.5; // no jitter

describe('shared poller: decisions', () => {
  const delays: Array<[number, { failures: number; throttled: number }, number, number | undefined]> = [
    [300, { failures: 0, throttled: 0 }, 0.5, 300_000],
    [300, { failures: 1, throttled: 0 }, 0.5, 600_000],
    [300, { failures: 0, throttled: 2 }, 0.5, 1_200_000],
    [300, { failures: 3, throttled: 1 }, 0.5, 2_400_000],
    [300, { failures: 9, throttled: 0 }, 0.5, 4_800_000],
    [10, { failures: 0, throttled: 0 }, 0.5, MIN],
    [300, { failures: 0, throttled: 0 }, 0, 270_000],
    [300, { failures: 0, throttled: 0 }, 1, 330_000],
    [0, { failures: 0, throttled: 0 }, 0.5, undefined],
    [-5, { failures: 0, throttled: 0 }, 0.5, undefined],
    [NaN, { failures: 0, throttled: 0 }, 0.5, undefined],
  ];
  for (const [interval, state, r, want] of delays) {
    it(`backoff: interval ${interval}s ${JSON.stringify(state)} random ${r} → ${want}`, () => assert.strictEqual(backoffDelayMs(interval, state, () => r), want));
  }

  const states: Array<[string, { failures: number; throttled: number }, CheckOutcome, { failures: number; throttled: number }]> = [
    ['clean stays clean', CLEAN, { failed: false, throttled: false }, CLEAN],
    ['a failed Region counts', CLEAN, { failed: true, throttled: false }, { failures: 1, throttled: 0 }],
    ['throttled counts both', { failures: 2, throttled: 2 }, { failed: true, throttled: true }, { failures: 3, throttled: 3 }],
    ['first clean check recovers at once', { failures: 5, throttled: 5 }, { failed: false, throttled: false }, CLEAN],
  ];
  for (const [name, before, outcome, want] of states) it(`next state: ${name}`, () => assert.deepStrictEqual(nextBackoff(before, outcome), want));

  const outcomes: Array<[string, Array<{ error?: string; errorKind?: string }>, CheckOutcome]> = [
    ['all Regions answered', [{}, {}], { failed: false, throttled: false }],
    ['one Region access denied', [{}, { error: 'Access denied', errorKind: 'accessDenied' }], { failed: true, throttled: false }],
    ['errorKind throttled', [{ error: 'x', errorKind: 'throttled' }], { failed: true, throttled: true }],
    ['throttling named only in the text (MSK Regions carry no kind)', [{ error: 'AWS is throttling requests in eu-west-1 after 10 attempts' }], { failed: true, throttled: true }],
  ];
  for (const [name, regions, want] of outcomes) it(`outcome: ${name}`, () => assert.deepStrictEqual(outcomeOfRegions(regions), want));
  it('outcome of a throw', () => {
    assert.deepStrictEqual(outcomeOfError(new Error('Rate exceeded')), { failed: true, throttled: true });
    assert.deepStrictEqual(outcomeOfError(new Error('socket hang up')), { failed: true, throttled: false });
  });

  const resumes: Array<[string, number | undefined, number]> = [
    ['never checked: the first delay', undefined, 2_000],
    ['due in 4 min: wait for it', 1_000 + 240_000, 240_000],
    ['overdue: after the settle time', 1_000 - 600_000, FOCUS_SETTLE_MS],
    ['due in 1 s: the settle time', 2_000, FOCUS_SETTLE_MS],
  ];
  for (const [name, due, want] of resumes) it(`resume: ${name}`, () => assert.strictEqual(resumeDelayMs(1_000, due, 2_000), want));

  it('carryForward: a failed Region keeps what it had, answered Regions replace, a failed unknown Region stays unknown', () => {
    const prev = new Map([['us-east-1', 'A'], ['eu-west-1', 'B']]);
    const cur = new Map([['us-east-1', 'A2']]);
    assert.deepStrictEqual([...carryForward(prev, cur, ['eu-west-1', 'ap-south-1'])], [['us-east-1', 'A2'], ['eu-west-1', 'B']]);
    assert.deepStrictEqual([...carryForward(undefined, cur, ['eu-west-1'])], [['us-east-1', 'A2']]);
    assert.deepStrictEqual([...carryForward(prev, new Map(), [])], [], 'a Region no longer checked is forgotten');
  });
});

describe('shared poller: the Poller with a fake clock', () => {
  function harness(opts: { interval?: number; wanted?: () => boolean; outcomes?: CheckOutcome[]; focused?: boolean; first?: number } = {}) {
    const clock = new FakeClock();
    const checks: number[] = [];
    const outcomes = [...(opts.outcomes ?? [])];
    const poller = new Poller({
      check: async () => {
        checks.push(clock.now());
        await Promise.resolve();
        return outcomes.shift() ?? { failed: false, throttled: false };
      },
      intervalSeconds: () => opts.interval ?? 300,
      wanted: opts.wanted ?? (() => true),
      firstDelayMs: opts.first ?? 2_000,
      focused: opts.focused ?? true,
      clock,
      random: mid,
    });
    return { clock, checks, poller };
  }

  it('checks every interval while focused', async () => {
    const { clock, checks, poller } = harness();
    poller.restart();
    await clock.advance(3_600_000);
    assert.strictEqual(checks.length, 12, 'first after 2 s, then every 300 s within the hour');
    poller.dispose();
  });

  it('pauses while unfocused and resumes without a catch-up burst', async () => {
    const { clock, checks, poller } = harness();
    poller.restart();
    await clock.advance(3_000);
    assert.strictEqual(checks.length, 1);
    poller.setFocused(false);
    assert.deepStrictEqual(clock.pending, [], 'no timer while unfocused');
    await clock.advance(3_600_000);
    assert.strictEqual(checks.length, 1, 'nothing while unfocused');
    poller.setFocused(true);
    await clock.advance(FOCUS_SETTLE_MS - 1);
    assert.strictEqual(checks.length, 1, 'settles before the overdue check');
    await clock.advance(1);
    assert.strictEqual(checks.length, 2, 'one overdue check on return');
    await clock.advance(299_000);
    assert.strictEqual(checks.length, 2, 'then the interval again');
    poller.dispose();
  });

  it('rapid alt-tabbing never checks more often than the interval', async () => {
    // Focused 6 s, unfocused 4 s, for an hour: 360 refocuses. The old poller checked 5 s after each (360/h).
    const { clock, checks, poller } = harness();
    poller.restart();
    for (let i = 0; i < 360; i++) {
      poller.setFocused(true);
      await clock.advance(6_000);
      poller.setFocused(false);
      await clock.advance(4_000);
    }
    assert.ok(checks.length <= 13 && checks.length >= 11, `${checks.length} checks in an hour at a 300 s interval`);
    for (let i = 1; i < checks.length; i++) assert.ok(checks[i] - checks[i - 1] >= 300_000, `gap ${checks[i] - checks[i - 1]} ms`);
    poller.dispose();
  });

  it('backs off ×2 per failed check up to 16× and recovers on the first clean one', async () => {
    const fail = { failed: true, throttled: true };
    const { clock, checks, poller } = harness({ outcomes: [fail, fail, fail, fail, fail, fail, { failed: false, throttled: false }] });
    poller.restart();
    await clock.advance(2_000);
    const gaps: number[] = [];
    for (let i = 0; i < 7; i++) {
      const before = checks.length;
      const start = clock.now();
      while (checks.length === before) await clock.advance(1_000);
      gaps.push((clock.now() - start) / 1000);
    }
    assert.deepStrictEqual(gaps, [600, 1200, 2400, 4800, 4800, 4800, 300]);
    assert.deepStrictEqual(poller.backoff, CLEAN);
    poller.dispose();
  });

  it('a check that throws counts as a failure', async () => {
    const clock = new FakeClock();
    let n = 0;
    const poller = new Poller({ check: async () => { n++; throw new Error('ThrottlingException: Rate exceeded'); }, intervalSeconds: () => 300, wanted: () => true, firstDelayMs: 0, clock, random: mid });
    poller.restart();
    await clock.advance(0);
    assert.strictEqual(n, 1);
    assert.deepStrictEqual(poller.backoff, { failures: 1, throttled: 1 });
    assert.deepStrictEqual(clock.pending, [600_000]);
    poller.dispose();
  });

  it('a check made elsewhere (manual refresh) pushes the next one an interval out', async () => {
    const { clock, checks, poller } = harness();
    poller.restart();
    await clock.advance(200_000);
    assert.strictEqual(checks.length, 1);
    poller.checkedElsewhere({ failed: false, throttled: false });
    await clock.advance(299_000);
    assert.strictEqual(checks.length, 1, 'not at 302 s: the refresh at 200 s counts');
    await clock.advance(1_000);
    assert.strictEqual(checks.length, 2);
    poller.dispose();
  });

  it('does nothing until wanted; update() arms it; unfocused at start waits for focus', async () => {
    let wanted = false;
    const { clock, checks, poller } = harness({ wanted: () => wanted, focused: false });
    poller.restart();
    await clock.advance(600_000);
    assert.strictEqual(checks.length, 0);
    wanted = true;
    poller.update();
    await clock.advance(600_000);
    assert.strictEqual(checks.length, 0, 'still unfocused');
    poller.setFocused(true);
    await clock.advance(FOCUS_SETTLE_MS);
    assert.strictEqual(checks.length, 1);
    wanted = false;
    poller.update();
    assert.deepStrictEqual(clock.pending, []);
    poller.dispose();
  });

  it('interval 0 turns polling off; dispose stops the timer', async () => {
    const off = harness({ interval: 0 });
    off.poller.restart();
    await off.clock.advance(3_600_000);
    assert.strictEqual(off.checks.length, 0);
    const on = harness();
    on.poller.restart();
    on.poller.dispose();
    await on.clock.advance(3_600_000);
    assert.strictEqual(on.checks.length, 0);
    assert.deepStrictEqual(on.clock.pending, []);
  });

  it('a focus change during a check never arms a second timer', async () => {
    const clock = new FakeClock();
    let release!: () => void;
    let n = 0;
    const poller = new Poller({ check: () => { n++; return new Promise<CheckOutcome>((r) => { release = () => r({ failed: false, throttled: false }); }); }, intervalSeconds: () => 300, wanted: () => true, firstDelayMs: 0, clock, random: mid });
    poller.restart();
    const firing = clock.advance(0);
    await Promise.resolve();
    poller.setFocused(false);
    poller.setFocused(true);
    assert.deepStrictEqual(clock.pending, [], 'no timer while the check runs');
    release();
    await firing;
    assert.strictEqual(n, 1);
    assert.deepStrictEqual(clock.pending, [300_000]);
    poller.dispose();
  });

  it('a restart during a check: that check does not count, the due time of the restart stands', async () => {
    const clock = new FakeClock();
    let release!: () => void;
    const poller = new Poller({ check: () => new Promise<CheckOutcome>((r) => { release = () => r({ failed: true, throttled: true }); }), intervalSeconds: () => 300, wanted: () => true, firstDelayMs: 0, clock, random: mid });
    poller.restart();
    const firing = clock.advance(0);
    await Promise.resolve();
    poller.restart(2_000);
    release();
    await firing;
    assert.deepStrictEqual(poller.backoff, CLEAN, 'no backoff from a check that belonged to the old settings');
    assert.deepStrictEqual(clock.pending, [2_000]);
    poller.dispose();
  });

  it('an aborted check is not a failure', async () => {
    const clock = new FakeClock();
    const poller = new Poller({ check: async () => { throw Object.assign(new Error('aborted'), { name: 'AbortError' }); }, intervalSeconds: () => 300, wanted: () => true, firstDelayMs: 0, clock, random: mid });
    poller.restart();
    await clock.advance(0);
    assert.deepStrictEqual(poller.backoff, CLEAN);
    assert.deepStrictEqual(clock.pending, [FOCUS_SETTLE_MS], 'the due time passed: checked again after the settle time');
    poller.dispose();
  });
});
