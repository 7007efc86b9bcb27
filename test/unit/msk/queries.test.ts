import * as assert from 'assert';
import { alignSeries, callCount, chooseLagDimensions, collectResults, MAX_QUERIES_PER_CALL, packQueries, planRegion, QUERY_ID_PATTERN, sumSeries, uniqueDimensionSets, windowBounds, type MetricRequest } from '../../../src/msk/core/queries';
import { mapping } from './fixtures';

const req = (i: number): MetricRequest => ({ key: `k${i}`, kind: 'lag', namespace: 'AWS/Lambda', metricName: 'OffsetLag', dimensions: [{ Name: 'FunctionName', Value: `f${i}` }], stat: 'Maximum', periodSeconds: 60 });


describe('msk GetMetricData query packing', () => {
  const table: Array<[number, number]> = [[0, 0], [1, 1], [499, 1], [500, 1], [501, 2], [1000, 2], [4000, 8], [4001, 9]];
  for (const [n, calls] of table) {
    it(`${n} queries → exactly ${calls} call(s), none over ${MAX_QUERIES_PER_CALL}, ids valid and unique per call`, () => {
      const packed = packQueries(Array.from({ length: n }, (_, i) => req(i)));
      assert.strictEqual(packed.length, calls);
      assert.strictEqual(callCount(n), calls);
      const keys = new Set<string>();
      for (const call of packed) {
        assert.ok(call.queries.length >= 1 && call.queries.length <= MAX_QUERIES_PER_CALL);
        const ids = call.queries.map((q) => q.Id!);
        assert.strictEqual(new Set(ids).size, ids.length);
        for (const id of ids) assert.match(id, QUERY_ID_PATTERN);
        for (const [id, key] of Object.entries(call.keys)) {
          assert.ok(ids.includes(id));
          keys.add(key);
        }
      }
      assert.strictEqual(keys.size, n, 'every request is sent exactly once');
    });
  }
  it('refuses a per-call size CloudWatch would reject', () => {
    assert.throws(() => packQueries([req(1)], 501), RangeError);
    assert.throws(() => packQueries([req(1)], 0), RangeError);
  });
  it('the id pattern rejects what CloudWatch rejects', () => {
    assert.deepStrictEqual(['m0', 'a_B9', '0m', 'M0', '_m', 'm-0', 'm.0', ''].map((s) => QUERY_ID_PATTERN.test(s)), [true, true, false, false, false, false, false, false]);
  });
});

describe('msk OffsetLag dimension choice (discovered, not assumed)', () => {
  const m = { uuid: 'u-1', functionName: 'orders' };
  const fn = [{ Name: 'FunctionName', Value: 'orders' }];
  const fnUuid = [{ Name: 'FunctionName', Value: 'orders' }, { Name: 'EventSourceMappingUUID', Value: 'u-1' }];
  const otherUuid = [{ Name: 'FunctionName', Value: 'orders' }, { Name: 'EventSourceMappingUUID', Value: 'u-2' }];
  const fnRes = [{ Name: 'FunctionName', Value: 'orders' }, { Name: 'Resource', Value: 'orders:live' }];
  const table: Array<[string, Array<typeof fn>, typeof fn | undefined]> = [
    ['per-mapping set wins', [fn, fnUuid, otherUuid], fnUuid],
    ['FunctionName alone next', [fnRes, fn, otherUuid], fn],
    ['smallest set with the function otherwise', [fnRes], fnRes],
    ['another mapping’s UUID is never used', [otherUuid], undefined],
    ['nothing listed', [], undefined],
    ['UUID alone', [[{ Name: 'EventSourceMappingUUID', Value: 'u-1' }]], [{ Name: 'EventSourceMappingUUID', Value: 'u-1' }]],
  ];
  for (const [name, sets, want] of table) it(name, () => assert.deepStrictEqual(chooseLagDimensions(m, sets), want));
  it('dedupes repeated sets regardless of order', () => {
    assert.strictEqual(uniqueDimensionSets([fnUuid, [...fnUuid].reverse(), fn, fn]).length, 2);
  });
});

describe('msk Region plan', () => {
  it('one lag query per discovered series, Duration/Errors/Invocations once per function, BytesIn per broker', () => {
    const a = mapping({ uuid: 'a', functionName: 'f1', topic: 'orders' });
    const b = mapping({ uuid: 'b', functionName: 'f1', topic: 'refunds' });
    const c = mapping({ uuid: 'c', functionName: 'f2', kind: 'self-managed', clusterName: undefined, clusterArn: undefined, bootstrapServers: ['k:9092'] });
    const broker = (id: string, topic: string) => [{ Name: 'Cluster Name', Value: 'c' }, { Name: 'Broker ID', Value: id }, { Name: 'Topic', Value: topic }];
    const plan = planRegion({
      mappings: [a, b, c],
      lagDimensions: [[{ Name: 'FunctionName', Value: 'f1' }], [{ Name: 'FunctionName', Value: 'f2' }]],
      bytesInDimensions: [broker('1', 'orders'), broker('2', 'orders'), broker('1', 'refunds'), broker('1', 'other')],
      periodSeconds: 60,
      includeBytesIn: true,
    });
    const count = (kind: string) => plan.requests.filter((r) => r.kind === kind).length;
    assert.deepStrictEqual([count('lag'), count('duration'), count('errors'), count('invocations'), count('bytesIn')], [2, 2, 2, 2, 3]);
    assert.strictEqual(plan.lagKeyOf.a, plan.lagKeyOf.b, 'two mappings of one function share the FunctionName lag series');
    assert.deepStrictEqual([plan.bytesKeysOf.a.length, plan.bytesKeysOf.b.length, plan.bytesKeysOf.c], [2, 1, undefined]);
    const stats = Object.fromEntries(plan.requests.map((r) => [r.kind, r.stat]));
    assert.deepStrictEqual(stats, { lag: 'Maximum', duration: 'Average', errors: 'Sum', invocations: 'Sum', bytesIn: 'Average' });
  });
  it('1,000 functions: 4,000 queries → 8 GetMetricData calls (vs 4,000 GetMetricStatistics)', () => {
    const mappings = Array.from({ length: 1000 }, (_, i) => mapping({ uuid: `u${i}`, functionName: `f${i}` }));
    const plan = planRegion({ mappings, lagDimensions: mappings.map((m) => [{ Name: 'FunctionName', Value: m.functionName }]), periodSeconds: 60 });
    assert.strictEqual(plan.requests.length, 4000);
    assert.strictEqual(packQueries(plan.requests).length, 8);
  });
});

describe('msk series alignment', () => {
  const start = Date.UTC(2026, 0, 1, 0, 0);
  it('puts datapoints in their slots (any order, pages merged) and leaves gaps null', () => {
    const merged = collectResults([
      { keys: { m0: 'lag' }, results: [{ Id: 'm0', Timestamps: [new Date(start + 120_000)], Values: [3] }] },
      { keys: { m0: 'lag' }, results: [{ Id: 'm0', Timestamps: [new Date(start)], Values: [1] }, { Id: 'zz', Timestamps: [new Date(start)], Values: [9] }] },
    ]);
    const got = merged.get('lag')!;
    assert.deepStrictEqual(alignSeries(got.timestamps, got.values, start, start + 240_000, 60).v, [1, null, 3, null]);
  });
  it('drops datapoints outside the window', () => {
    assert.deepStrictEqual(alignSeries([start - 60_000, start + 60_000, start + 600_000], [5, 6, 7], start, start + 120_000, 60).v, [null, 6]);
  });
  it('sums broker series slot by slot, null only where all are null', () => {
    const t = [0, 1, 2];
    assert.deepStrictEqual(sumSeries([{ t, v: [1, null, null] }, { t, v: [2, 5, null] }], { t, v: [] }).v, [3, 5, null]);
  });
  it('window bounds sit on period boundaries and include the current slot', () => {
    const now = Date.UTC(2026, 0, 1, 10, 30, 42);
    const { startMs, endMs } = windowBounds(now, 60, 60);
    assert.strictEqual(endMs, Date.UTC(2026, 0, 1, 10, 31));
    assert.strictEqual(endMs - startMs, 3_600_000);
    assert.strictEqual(windowBounds(now, 10080, 3600).startMs % 3_600_000, 0);
  });
});
