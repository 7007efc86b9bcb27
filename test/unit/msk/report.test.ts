import * as assert from 'assert';
import { nextPollDelayMs } from '../../../src/msk/core/polling';
import { alertText, buildReport, groupByFunction, mappingFields, newlyBad, renderText, verdictsById, worstOf } from '../../../src/msk/core/report';
import { isFromWebview } from '../../../src/msk/core/protocol';
import { DEFAULT_THRESHOLDS, type MappingHealth, type Verdict } from '../../../src/msk/core/types';
import { mapping } from './fixtures';

const health = (uuid: string, verdict: Verdict, fn = 'f', over: Partial<MappingHealth> = {}): MappingHealth => ({
  mapping: mapping({ uuid, functionName: fn, functionArn: `arn:aws:lambda:us-east-1:1:function:${fn}`, topic: `t-${uuid}` }),
  verdict, reason: 'r', trend: 'lag 1 → steady', lagSource: 'OffsetLag {FunctionName=f}', lagSamples: 60, ...over,
});

describe('msk report, alerts and rendering', () => {
  it('worst verdict order: ERROR > STALLED > WARN > DISABLED > OK', () => {
    assert.strictEqual(worstOf(['OK', 'DISABLED', 'WARN']), 'WARN');
    assert.strictEqual(worstOf(['WARN', 'STALLED']), 'STALLED');
    assert.strictEqual(worstOf(['STALLED', 'ERROR', 'OK']), 'ERROR');
    assert.strictEqual(worstOf([]), 'OK');
  });
  it('counts, bad count and the status bar text', () => {
    const fns = groupByFunction([health('a', 'OK'), health('b', 'WARN', 'g'), health('c', 'DISABLED', 'h'), health('d', 'ERROR', 'g')]);
    assert.deepStrictEqual(fns.map((f) => f.functionName), ['g', 'h', 'f'], 'worst first');
    const r = buildReport([{ region: 'us-east-1', functions: fns, warnings: [] }], 60, DEFAULT_THRESHOLDS, 0);
    assert.deepStrictEqual(r.counts, { ERROR: 1, STALLED: 0, WARN: 1, DISABLED: 1, OK: 1 });
    assert.strictEqual(r.badCount, 2, 'DISABLED is not an alert');
    assert.strictEqual(alertText(r.badCount), '$(pulse) MSK: 2 lagging');
    assert.strictEqual(alertText(0), undefined);
    assert.match(renderText(r).join('\n'), /ERROR\s+t-d .*\n.*\n.*OK 1 · WARN 1 · STALLED 0 · ERROR 1 · DISABLED 1/s);
  });
  it('notifies only on a transition into a bad state', () => {
    const first = [health('a', 'WARN'), health('b', 'OK')];
    assert.deepStrictEqual(newlyBad(undefined, first).map((m) => m.mapping.uuid), ['a']);
    const prev = verdictsById(first);
    assert.deepStrictEqual(newlyBad(prev, [health('a', 'WARN'), health('b', 'OK')]), [], 'still WARN: no second notification');
    assert.deepStrictEqual(newlyBad(prev, [health('a', 'ERROR'), health('b', 'STALLED')]).map((m) => m.mapping.uuid), ['b'], 'WARN→ERROR stays bad; OK→STALLED is new');
    assert.deepStrictEqual(newlyBad(prev, [health('c', 'STALLED')]).map((m) => m.mapping.uuid), ['c'], 'a new mapping that is bad');
  });
  it('fields include everything the issue lists', () => {
    const labels = mappingFields(health('a', 'ERROR', 'f', { certificate: { secretArn: 's', daysLeft: 3, notAfter: '2026-12-01T00:00:00Z', expiringSoon: true } })).map(([k]) => k);
    for (const want of ['Verdict', 'Lag', 'State', 'Topic', 'Cluster', 'Consumer group', 'Batch size', 'Batching window', 'Starting position', 'Provisioned pollers', 'Auth', 'Last processing result', 'Client certificate']) assert.ok(labels.includes(want), want);
  });
});

describe('msk polling', () => {
  const base = { intervalSeconds: 300, failures: 0, viewVisible: true, dashboardVisible: false, background: false };
  const table: Array<[string, Partial<typeof base>, number | undefined]> = [
    ['visible view polls at the interval', {}, 300_000],
    ['hidden view and no background polling: no timer', { viewVisible: false }, undefined],
    ['a visible dashboard keeps polling', { viewVisible: false, dashboardVisible: true }, 300_000],
    ['background polling', { viewVisible: false, background: true }, 300_000],
    ['never below a minute', { intervalSeconds: 5 }, 60_000],
    ['0 turns polling off', { intervalSeconds: 0 }, undefined],
    ['backoff doubles per failure', { failures: 2 }, 1_200_000],
    ['backoff caps at 16×', { failures: 10 }, 4_800_000],
  ];
  for (const [name, over, want] of table) it(name, () => assert.strictEqual(nextPollDelayMs({ ...base, ...over }, () => 0.5), want));
  it('jitter stays within ±10%', () => {
    assert.strictEqual(nextPollDelayMs(base, () => 0), 270_000);
    assert.strictEqual(nextPollDelayMs(base, () => 1), 330_000);
  });
});

describe('msk webview protocol', () => {
  const table: Array<[unknown, boolean]> = [[{ type: 'ready' }, true], [{ type: 'refresh' }, true], [{ type: 'range', rangeId: '3h' }, true], [{ type: 'range' }, false], [{ type: 'rendered', charts: 4 }, true], [{ type: 'eval' }, false], [null, false], ['ready', false]];
  for (const [msg, want] of table) it(`${JSON.stringify(msg)} → ${want}`, () => assert.strictEqual(isFromWebview(msg), want));
});
