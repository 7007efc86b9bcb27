import * as assert from 'assert';
import { batchHealth } from '../../src/batch/service';
import { mskHealth } from '../../src/msk/service';
import { outcomeOfRegions, Poller, type CheckOutcome } from '../../src/common/poller';
import { DEFAULT_CONNECTION } from '../../src/aws/target';
import { throttlingAttempts } from '../../src/aws/retryPolicy';
import { kafkaMappingsHandler, putKafkaMapping } from '../../scripts/overlay/kafkaMappings.mjs';
import { FakeClock } from '../support/fakeClock';
import { rejectionGuard, startFaulty, type FaultyAws } from './support/faulty';

/**
 * Background polling under a throttling storm, for both features: the real shared poller (src/common/poller.ts,
 * the one BatchPoller and the MSK view run) with a fake clock, whose checks are the features' real service calls
 * (batchHealth, mskHealth: what the view's check runs) through the fault proxy. Simulated time only decides when
 * checks fire; every request is real and counted by the proxy. Throttling makes each Region an error entry, so
 * the "a Region error counts" path is what backs off.
 */
const REGIONS = ['us-east-1', 'eu-west-1'];
const INTERVAL_SECONDS = 300;
const HOUR = 3_600_000;

interface Check { at: number; requests: number; outcome: CheckOutcome }

describe('reliability: background polling backs off under throttling and recovers (real poller, fake clock)', function () {
  this.timeout(300_000);
  const guard = rejectionGuard();
  const state: Record<string, unknown> = {};
  let aws: FaultyAws;
  before(async () => {
    aws = await startFaulty({
      seed: 41,
      rules: [{ kind: 'throttle', rate: 1, service: 'batch' }, { kind: 'throttle', rate: 1, service: 'lambda' }],
      handlers: [kafkaMappingsHandler(state)],
    });
    for (const region of REGIONS) {
      putKafkaMapping(state, region, {
        FunctionArn: `arn:aws:lambda:${region}:123456789012:function:poll-consumer`,
        EventSourceArn: `arn:aws:kafka:${region}:123456789012:cluster/poll/abc-1`,
        Topics: ['orders'],
      });
    }
  });
  after(async () => {
    guard.dispose();
    await aws?.stop();
  });
  afterEach(() => guard.assertNone());

  /** Drives the real poller: 1 h clean, a 6 h storm, then clean until the first clean check and 1 h after it. */
  async function drive(run: (factory: ReturnType<FaultyAws['factory']>['factory']) => Promise<ReadonlyArray<{ error?: string; errorKind?: string }>>) {
    const clock = new FakeClock();
    const checks: Check[] = [];
    // One factory for every poll, as in the extension (the session keeps its clients between polls).
    const { factory } = aws.factory(REGIONS, { maxAttempts: DEFAULT_CONNECTION.maxAttempts });
    const poller = new Poller({
      check: async () => {
        const before = aws.overlay.stats.requests;
        const outcome = outcomeOfRegions(await run(factory));
        checks.push({ at: clock.now(), requests: aws.overlay.stats.requests - before, outcome });
        return outcome;
      },
      intervalSeconds: () => INTERVAL_SECONDS,
      wanted: () => true,
      firstDelayMs: 0,
      clock,
      random: () => 0.5,
    });
    const t0 = clock.now();
    aws.hook.enabled = false;
    poller.restart(0);
    await clock.advance(HOUR - 1);
    const stormStart = clock.now();
    aws.hook.enabled = true;
    await clock.advance(6 * HOUR);
    const stormEnd = clock.now();
    aws.hook.enabled = false;
    while (checks.at(-1)!.outcome.failed || checks.at(-1)!.at < stormEnd) await clock.advance(60_000);
    const recoveredAt = checks.at(-1)!.at;
    await clock.advance(HOUR - 1);
    poller.dispose();
    factory.dispose();

    const within = (from: number, to: number): Check[] => checks.filter((c) => c.at >= from && c.at < to);
    const sum = (cs: Check[]): number => cs.reduce((n, c) => n + c.requests, 0);
    const normal = within(t0, stormStart);
    const storm = within(stormStart, stormEnd);
    const after = within(recoveredAt, recoveredAt + HOUR);
    const gaps = (cs: Check[]): number[] => cs.slice(1).map((c, i) => (c.at - cs[i].at) / 1000);
    const summary = {
      normal: { checks: normal.length, requestsPerHour: sum(normal) },
      storm: {
        checks: storm.length,
        requestsPerHour: Math.round(sum(storm) / 6),
        // Once at 16×: the last check's requests over the gap before the next one.
        steadyRequestsPerHour: Math.round((storm.at(-1)!.requests * HOUR) / ((storm.at(-1)!.at - storm.at(-2)!.at))),
        requests: storm.map((c) => c.requests),
        gapsSeconds: gaps(storm),
      },
      recovery: { waitedSeconds: (recoveredAt - stormEnd) / 1000, checks: after.length, requestsPerHour: sum(after), gapsSeconds: gaps(after) },
    };
    console.log(`      ${JSON.stringify(summary)}`);
    return { normal, storm, after, summary };
  }

  function assertBacksOffAndRecovers(r: Awaited<ReturnType<typeof drive>>, service: string): void {
    const { normal, storm, after, summary } = r;
    assert.strictEqual(normal.length, 12, 'clean: one check per interval');
    assert.ok(normal.every((c) => !c.outcome.failed), 'clean checks are clean');
    assert.ok(storm.every((c) => c.outcome.failed && c.outcome.throttled), `every storm check sees throttling (${service})`);
    assert.deepStrictEqual(summary.storm.gapsSeconds, [600, 1200, 2400, 4800, 4800, 4800], 'the delay doubles per throttled check up to 16× the interval');
    // 7 checks in 6 h instead of 72. A throttled check costs more requests than a clean one (the SDK's retries),
    // so the request rate is compared once the backoff has reached 16×.
    assert.ok(storm.length * 10 <= 6 * normal.length, `checks: ${normal.length}/h → ${storm.length} in 6 h`);
    assert.ok(summary.normal.requestsPerHour >= 4 * summary.storm.steadyRequestsPerHour, `requests per hour ${summary.normal.requestsPerHour} → ${summary.storm.steadyRequestsPerHour} at 16×`);
    assert.strictEqual(storm[0].requests, REGIONS.length * throttlingAttempts(DEFAULT_CONNECTION.maxAttempts), 'the first throttled check: one call per Region, the throttling budget');
    assert.ok(storm.slice(1).every((c) => c.requests === REGIONS.length * DEFAULT_CONNECTION.maxAttempts), `later throttled checks: ${DEFAULT_CONNECTION.maxAttempts} attempts per Region: ${summary.storm.requests}`);
    assert.ok(summary.recovery.waitedSeconds <= 4800, 'the first clean check comes at the backed-off due time, no later');
    assert.strictEqual(after.length, 12, 'after the first clean check: back to one check per interval');
    assert.ok(summary.recovery.gapsSeconds.every((g) => g === INTERVAL_SECONDS), `gaps ${summary.recovery.gapsSeconds}`);
    assert.strictEqual(after.at(-1)!.requests, normal.at(-1)!.requests, 'and the same requests per check');
  }

  it('Batch: 12 checks/h clean, 7 checks in a 6 h throttling storm, the interval again after the first clean check', async () => {
    const r = await drive(async (factory) => (await batchHealth(factory, { regions: REGIONS, thresholds: { defaultMinutes: 15 } })).regions);
    assertBacksOffAndRecovers(r, 'batch');
  });

  it('MSK: the same poller, a Region error (throttled ListEventSourceMappings) counts as a failed check', async () => {
    const r = await drive(async (factory) => {
      const report = await mskHealth(factory, { regions: REGIONS });
      return report.regions;
    });
    assert.ok(r.normal.every((c) => c.requests >= REGIONS.length * 2), 'a clean MSK check lists mappings and reads metrics');
    assertBacksOffAndRecovers(r, 'msk');
  });
});
