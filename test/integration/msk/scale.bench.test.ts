// The "Done when" measurement: 1,000 Kafka-triggered functions in one Region. Measures the calls one
// refresh makes against one GetMetricStatistics per metric per function, and the time from refresh to the tree's rows.
// What answers what, honestly:
//   - ListEventSourceMappings: OVERLAY data (moto cannot create Kafka event source mappings);
//   - ListMetrics: real moto (one OffsetLag datapoint per function was put there, so discovery is real);
//   - GetMetricData: a STAND-IN overlay handler computing the same deterministic series, because moto evaluates
//     each of 500 queries against every stored datapoint in Python and a single 500-query call outlasts the 15 s
//     request timeout (measured: 200 functions → 2 calls, both timing out after 3 attempts). It still receives
//     the real SDK request, so the call count, query count per call and ids are the client's real ones.
// Each call gets 0 or 100 ms injected latency (an overlay hook) to stand for a real network round trip.
import * as assert from 'assert';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { startOverlay } from '../../../scripts/lib/overlay.mjs';
import type { Overlay } from '../../../scripts/lib/overlay.d.mts';
import { kafkaMappingsHandler, putKafkaMapping } from '../../../scripts/overlay/kafkaMappings.mjs';
import { json } from '../../../scripts/lib/overlay.mjs';
import { minutes, mskArn, putSeries } from '../../../scripts/demo/seed-msk.mjs';
import { motoEndpoint, resetMoto, TEST_CREDENTIALS } from '../../support/aws';
import { CallCounter } from '../../../src/aws/callCounter';
import { ClientFactory } from '../../../src/aws/clientFactory';
import { mskHealth } from '../../../src/msk/service';
import { allMappings, groupByFunction } from '../../../src/msk/core/report';

const FUNCTIONS = Number(process.env.MSK_BENCH_FUNCTIONS ?? 1000);
const REGION = 'us-east-1';

/** 60 one-minute datapoints per query: one function in ten has a rising lag, all have invocations. */
let maxQueriesSeen = 0;
const standInGetMetricData = {
  name: 'standInGetMetricData',
  handle(req: { service?: string; operation?: string; body: Buffer }) {
    if (req.service !== 'monitoring' || req.operation !== 'GetMetricData') return undefined;
    const input = JSON.parse(req.body.toString()) as { StartTime: number; EndTime: number; MetricDataQueries: Array<{ Id: string; MetricStat: { Metric: { MetricName: string; Dimensions: Array<{ Name: string; Value: string }> } } }> };
    maxQueriesSeen = Math.max(maxQueriesSeen, input.MetricDataQueries.length);
    const start = Number(input.StartTime);
    return json(200, {
      MetricDataResults: input.MetricDataQueries.map((q) => {
        const fn = q.MetricStat.Metric.Dimensions.find((d) => d.Name === 'FunctionName')?.Value ?? '';
        const rising = Number(fn.slice(-4)) % 10 === 0;
        const value = (k: number): number => (q.MetricStat.Metric.MetricName === 'OffsetLag' ? (rising ? 200 + k * 50 : 3) : q.MetricStat.Metric.MetricName === 'Invocations' ? 4 : q.MetricStat.Metric.MetricName === 'Duration' ? 120 : 0);
        return { Id: q.Id, Label: q.MetricStat.Metric.MetricName, StatusCode: 'Complete', Timestamps: Array.from({ length: 60 }, (_, k) => start + k * 60), Values: Array.from({ length: 60 }, (_, k) => value(k)) };
      }),
    });
  },
};

describe('msk: 1,000 functions in one Region (GetMetricData calls, refresh → tree time)', function () {
  this.timeout(600_000);
  let overlay: Overlay;
  const state: Record<string, unknown> = {};
  let latencyMs = 0;

  before(async () => {
    await resetMoto();
    overlay = await startOverlay({
      upstream: motoEndpoint(),
      handlers: [kafkaMappingsHandler(state), standInGetMetricData],
      hooks: [async () => { if (latencyMs) await new Promise((r) => setTimeout(r, latencyMs)); return undefined; }],
    });
    const cw = new CloudWatchClient({ endpoint: motoEndpoint(), region: REGION, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    const now = Date.now();
    for (let i = 0; i < FUNCTIONS; i++) {
      const fn = `consumer-${String(i).padStart(4, '0')}`;
      putKafkaMapping(state, REGION, { FunctionArn: `arn:aws:lambda:${REGION}:123456789012:function:${fn}`, EventSourceArn: mskArn(REGION, 'bench'), Topics: [`topic-${i}`], StartingPosition: 'LATEST', BatchSize: 100 });
    }
    // One real OffsetLag datapoint per function in moto, so ListMetrics discovers the dimension sets.
    const points = async (i: number) => {
      const fn = `consumer-${String(i).padStart(4, '0')}`;
      await putSeries(cw, 'AWS/Lambda', 'OffsetLag', [{ Name: 'FunctionName', Value: fn }], minutes(1, () => 3, now));
    };
    for (let i = 0; i < FUNCTIONS; i += 8) await Promise.all(Array.from({ length: Math.min(8, FUNCTIONS - i) }, (_, k) => points(i + k)));
    cw.destroy();
  });
  after(async () => overlay?.stop());

  for (const latency of [0, 100]) {
    it(`refresh with ${latency} ms per call: 8 GetMetricData calls instead of ${FUNCTIONS * 4} GetMetricStatistics`, async () => {
      latencyMs = latency;
      const counter = new CallCounter();
      const ms: Record<string, number> = {};
      const factory = new ClientFactory({
        settings: { regions: [REGION], endpointUrl: overlay.endpoint, maxAttempts: 3, requestTimeoutMs: 15_000 },
        credentials: async () => TEST_CREDENTIALS,
        version: 'test',
        counter,
        onCall: ({ operation, ms: t }) => { ms[operation] = (ms[operation] ?? 0) + t; },
      });
      const started = Date.now();
      const report = await mskHealth(factory, { regions: [REGION], thresholds: { minSamples: 5 } });
      const serviceMs = Date.now() - started;
      const treeStart = Date.now();
      // What the tree does with a report: group, sort, and build a node per Region/function/mapping.
      const rows = groupByFunction(allMappings(report)).flatMap((f) => [f.functionName, ...f.mappings.map((m) => `${m.verdict} ${m.trend}`)]);
      const treeMs = Date.now() - treeStart;
      const calls = counter.byOperation();
      console.log(`      msk bench (${latency} ms/call): ${FUNCTIONS} functions → ${JSON.stringify(calls)}; ` +
        `naive GetMetricStatistics: ${FUNCTIONS * 4}; refresh → report ${serviceMs} ms, report → tree rows ${treeMs} ms (${rows.length} rows); time per operation (sum, parallel calls overlap) ${JSON.stringify(ms)}`);
      assert.strictEqual(report.regions[0].error, undefined);
      assert.strictEqual(allMappings(report).length, FUNCTIONS);
      assert.strictEqual(calls.GetMetricData, Math.ceil((FUNCTIONS * 4) / 500));
      assert.strictEqual(calls.ListEventSourceMappings, Math.ceil(FUNCTIONS / 100));
      assert.ok(maxQueriesSeen <= 500);
      assert.strictEqual(report.counts.WARN, FUNCTIONS / 10);
    });
  }
});
