import * as assert from 'assert';
import { describeRejected, isToWebview, MAX_CHARTS, parseFromWebview, RANGE_IDS, webviewAction } from '../../../src/msk/core/protocol';
import { TIME_RANGES } from '../../../src/msk/core/queries';

/** The MSK dashboard webview is untrusted input: only the exact known messages pass. */
describe('msk webview protocol: validation of every message from the webview', () => {
  it('the range ids are the dashboard\'s time ranges', () => {
    assert.deepStrictEqual(RANGE_IDS, TIME_RANGES.map((r) => r.id));
  });

  it('accepts exactly the known shapes', () => {
    assert.deepStrictEqual(parseFromWebview({ type: 'ready' }), { type: 'ready' });
    assert.deepStrictEqual(parseFromWebview({ type: 'refresh' }), { type: 'refresh' });
    for (const rangeId of RANGE_IDS) assert.deepStrictEqual(parseFromWebview({ type: 'range', rangeId }), { type: 'range', rangeId });
    for (let charts = 0; charts <= MAX_CHARTS; charts++) assert.deepStrictEqual(parseFromWebview({ rangeId: undefined, ...{ type: 'rendered', charts } }), undefined, 'an extra key, even undefined, is refused');
    for (let charts = 0; charts <= MAX_CHARTS; charts++) assert.deepStrictEqual(parseFromWebview({ type: 'rendered', charts }), { type: 'rendered', charts });
    assert.deepStrictEqual(parseFromWebview(Object.assign(Object.create(null), { type: 'ready' })), { type: 'ready' }, 'a null-prototype object is a plain object');
  });

  const hostile: Array<[string, unknown]> = [
    ['an unknown range id', { type: 'range', rangeId: '2h' }],
    ['an empty range id', { type: 'range', rangeId: '' }],
    ['a padded range id', { type: 'range', rangeId: '1h ' }],
    ['a range id from the prototype', { type: 'range', rangeId: '__proto__' }],
    ['a 100 KB range id', { type: 'range', rangeId: 'x'.repeat(100_000) }],
    ['a range id that is not a string', { type: 'range', rangeId: ['1h'] }],
    ['a missing range id', { type: 'range' }],
    ['an extra key', { type: 'ready', command: 'rm -rf /' }],
    ['a range id on refresh', { type: 'refresh', rangeId: '1h' }],
    ['own __proto__ key (JSON)', JSON.parse('{"type":"ready","__proto__":{"polluted":true}}')],
    ['negative charts', { type: 'rendered', charts: -1 }],
    ['too many charts', { type: 'rendered', charts: MAX_CHARTS + 1 }],
    ['fractional charts', { type: 'rendered', charts: 2.5 }],
    ['NaN charts', { type: 'rendered', charts: Number.NaN }],
    ['charts as a string', { type: 'rendered', charts: '3' }],
    ['an unknown type', { type: 'exec', command: 'ls' }],
    ['a type from Object.prototype', { type: 'toString' }],
    ['a type that is not a string', { type: 42 }],
    ['no type', {}],
    ['an array', [{ type: 'ready' }]],
    ['a string', 'ready'],
    ['null', null],
    ['undefined', undefined],
    ['a class instance', Object.assign(new Date(0), { type: 'ready' })],
    ['an object inheriting the shape', Object.create({ type: 'ready' })],
  ];
  for (const [what, msg] of hostile) {
    it(`refuses ${what}`, () => assert.strictEqual(parseFromWebview(msg), undefined));
  }

  it('the panel ignores an invalid message with a reason that names keys, never values', () => {
    const secret = 'AKIAOPSDECKSENTINEL1';
    const a = webviewAction({ type: 'range', rangeId: secret }, { rangeId: '1h', loading: false });
    assert.strictEqual(a.kind, 'ignore');
    assert.ok(a.kind === 'ignore' && a.reason.startsWith('not a known message'));
    assert.doesNotMatch(JSON.stringify(a), new RegExp(secret));
    assert.ok(describeRejected({ type: 'x'.repeat(10_000) }).length < 120, 'a long type is clipped');
    assert.strictEqual(describeRejected(null), 'null');
    assert.strictEqual(describeRejected([1, 2]), 'an array of 2');
  });

  it('a refresh, or the range already loading, does not start a second load; a new range does', () => {
    const idle = { rangeId: '1h', loading: false };
    const busy = { rangeId: '1h', loading: true };
    assert.deepStrictEqual(webviewAction({ type: 'refresh' }, idle), { kind: 'load', rangeId: '1h' });
    assert.strictEqual(webviewAction({ type: 'refresh' }, busy).kind, 'ignore');
    assert.strictEqual(webviewAction({ type: 'range', rangeId: '1h' }, busy).kind, 'ignore');
    assert.deepStrictEqual(webviewAction({ type: 'range', rangeId: '7d' }, busy), { kind: 'load', rangeId: '7d' });
    assert.deepStrictEqual(webviewAction({ type: 'ready' }, busy), { kind: 'ready' });
    assert.deepStrictEqual(webviewAction({ type: 'rendered', charts: 4 }, idle), { kind: 'rendered', charts: 4 });
  });

  it('the webview accepts only the extension\'s message shapes', () => {
    assert.ok(isToWebview({ type: 'loading', rangeId: '3h' }));
    assert.ok(isToWebview({ type: 'error', message: 'AWS is throttling requests' }));
    const data = { title: 't', region: 'us-east-1', functionName: 'f', rangeId: '1h', periodSeconds: 60, x: [], lag: [], duration: { label: 'd', values: [] }, errors: { label: 'e', values: [] }, invocations: { label: 'i', values: [] }, bytesIn: [], verdicts: [], notes: [], fetchedAt: new Date(0).toISOString(), getMetricDataCalls: 1 };
    assert.ok(isToWebview({ type: 'data', data }));
    for (const bad of [{ type: 'loading', rangeId: 'evil' }, { type: 'error' }, { type: 'data', data: { ...data, lag: 'x' } }, { type: 'data' }, { type: 'eval', code: '1' }, null, 'data']) {
      assert.strictEqual(isToWebview(bad), false, JSON.stringify(bad));
    }
  });
});
