import * as assert from 'assert';
import { batchHealth } from '../../src/batch/service';
import { nextPollDelayMs, type PollState } from '../../src/batch/core/polling';
import { nextPollDelayMs as mskNextPollDelayMs } from '../../src/msk/core/polling';
import { DEFAULT_CONNECTION } from '../../src/aws/target';
import { throttlingAttempts } from '../../src/aws/retryPolicy';
import { rejectionGuard, startFaulty, type FaultyAws } from './support/faulty';

/**
 * Background polling under throttling: the Batch poller's real decision (src/batch/core/polling.ts, state
 * updated the way src/batch/view/poller.ts does) driven by real batchHealth calls through the fault proxy.
 * Time between polls is simulated (the delays are summed, not slept), the requests are real and counted by
 * the hook: the request rate must fall while AWS throttles, and come back to the configured interval after.
 */
const REGIONS = ['us-east-1', 'eu-west-1'];
const INTERVAL_SECONDS = 300;

describe('reliability: background polling backs off under throttling and recovers', function () {
  this.timeout(120_000);
  const guard = rejectionGuard();
  let aws: FaultyAws;
  before(async () => {
    aws = await startFaulty({ seed: 41, rules: [{ kind: 'throttle', rate: 1, service: 'batch' }] });
  });
  after(async () => {
    guard.dispose();
    await aws?.stop();
  });
  afterEach(() => guard.assertNone());

  it('Batch: requests per simulated hour fall ≥ 4× below normal during a throttling storm; the first clean poll returns to the interval', async () => {
    let state: PollState = { failures: 0, throttled: 0 };
    const timeline: Array<{ phase: string; requests: number; delayMs: number; perHour: number; errors: string[] }> = [];
    // One factory for every poll, as in the extension (the session keeps its clients between polls).
    const { factory } = aws.factory(REGIONS, { maxAttempts: DEFAULT_CONNECTION.maxAttempts });
    const poll = async (phase: string): Promise<void> => {
      const before = aws.overlay.stats.requests;
      const report = await batchHealth(factory, { regions: REGIONS, thresholds: { defaultMinutes: 15 } });
      const failed = report.regions.some((r) => r.error);
      const throttled = report.regions.some((r) => r.errorKind === 'throttled');
      state = { failures: failed ? state.failures + 1 : 0, throttled: throttled ? state.throttled + 1 : 0 };
      const delayMs = nextPollDelayMs(INTERVAL_SECONDS, state, () => 0.5);
      const requests = aws.overlay.stats.requests - before;
      timeline.push({ phase, requests, delayMs, perHour: Math.round((requests * 3_600_000) / delayMs), errors: report.regions.flatMap((r) => (r.error ? [r.error] : [])) });
    };
    aws.hook.enabled = false;
    await poll('before');
    aws.hook.enabled = true;
    for (let i = 0; i < 6; i++) await poll('throttled');
    aws.hook.enabled = false;
    for (let i = 0; i < 2; i++) await poll('clean');
    factory.dispose();
    console.log(`      ${timeline.map((t) => `${t.phase}: ${t.requests} req, next in ${Math.round(t.delayMs / 1000)} s (${t.perHour}/h)`).join('\n      ')}`);

    const storm = timeline.filter((t) => t.phase === 'throttled');
    for (let i = 1; i < storm.length; i++) assert.ok(storm[i].delayMs >= storm[i - 1].delayMs, 'the delay never shrinks while throttled');
    const normal = timeline[0];
    // 16× the interval, and each throttled poll makes maxAttempts (3) requests per Region: ≥ 4× fewer requests.
    assert.ok(normal.perHour >= 4 * storm.at(-1)!.perHour, `rate ${normal.perHour}/h → ${storm.at(-1)!.perHour}/h`);
    // The first throttled call per Region gets the throttling budget; once it ran out, the client knows AWS is
    // throttling and later polls make only opsdeck.maxAttempts attempts until a call succeeds.
    assert.strictEqual(storm[0].requests, REGIONS.length * throttlingAttempts(DEFAULT_CONNECTION.maxAttempts), 'the first throttled poll: one call per Region, the throttling budget');
    for (const e of storm[0].errors) assert.match(e, new RegExp(`AWS is throttling requests in [a-z0-9-]+ after ${throttlingAttempts(DEFAULT_CONNECTION.maxAttempts)} attempts: .*Wait a minute and retry`), e);
    assert.strictEqual(storm[0].errors.length, REGIONS.length, 'every Region says it is throttled');
    assert.ok(storm.slice(1).every((t) => t.requests === REGIONS.length * DEFAULT_CONNECTION.maxAttempts), `later throttled polls: one call per Region, ${DEFAULT_CONNECTION.maxAttempts} SDK attempts, no more: ${storm.map((t) => t.requests)}`);
    const recovered = timeline.filter((t) => t.phase === 'clean');
    assert.strictEqual(recovered[0].delayMs, INTERVAL_SECONDS * 1000, 'back to the interval at once');
    assert.strictEqual(recovered[0].perHour, normal.perHour, 'and to the same request rate');
  });

  it('MSK: the dashboard/tree poller doubles per failure up to 16× and never polls faster than once a minute', () => {
    const delays = [0, 1, 2, 3, 4, 5, 8].map((failures) => mskNextPollDelayMs({ intervalSeconds: 10, failures, viewVisible: true, dashboardVisible: false, background: false }, () => 0.5)!);
    assert.deepStrictEqual(delays, [60_000, 120_000, 240_000, 480_000, 960_000, 960_000, 960_000]);
    assert.strictEqual(mskNextPollDelayMs({ intervalSeconds: 60, failures: 0, viewVisible: false, dashboardVisible: false, background: false }), undefined, 'nothing visible: no polling');
  });
});
