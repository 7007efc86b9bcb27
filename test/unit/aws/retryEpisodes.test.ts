import * as assert from 'assert';
import { episodeLogLine, episodeStatus, RetryEpisodes } from '../../../src/aws/retryEpisodes';
import type { AttemptKind, AttemptOutcome } from '../../../src/aws/retryObserver';

const at = (t: number, kind: AttemptKind, service = 'Lambda', region = 'us-east-1', attempt = 1): AttemptOutcome => ({ service, operation: 'ListLayers', region, attempt, kind, at: t });

describe('retry episodes (what the status bar and the log show while the SDK retries)', () => {
  it('successes and client errors alone open no episode', () => {
    const e = new RetryEpisodes(5000);
    assert.strictEqual(e.record(at(0, 'ok')), undefined);
    assert.strictEqual(e.record(at(1, 'client')), undefined);
    assert.strictEqual(e.current, undefined);
    assert.strictEqual(e.quietAt(), undefined);
  });

  it('the first throttle, 5xx or dropped connection opens an episode; later ones update it, per service and Region', () => {
    const e = new RetryEpisodes(5000);
    assert.strictEqual(e.record(at(1000, 'throttled')), 'started');
    assert.strictEqual(e.record(at(1100, 'throttled', 'EC2', 'eu-west-1')), 'updated');
    assert.strictEqual(e.record(at(1200, 'server', 'EC2', 'eu-west-1')), 'updated');
    assert.strictEqual(e.record(at(1300, 'network')), 'updated');
    assert.strictEqual(e.record(at(1400, 'ok', 'Lambda', 'us-east-1', 3)), 'updated', 'a call that recovered on a retry');
    assert.strictEqual(e.record(at(1500, 'ok')), undefined, 'a first-attempt success changes nothing');
    const ep = e.current!;
    assert.deepStrictEqual([ep.startedAt, ep.lastFaultAt, ep.throttled, ep.server, ep.network, ep.recovered], [1000, 1300, 2, 1, 1, 1]);
    assert.deepStrictEqual([...ep.sources.values()].map((s) => [s.service, s.region, s.throttled, s.server, s.network]), [
      ['Lambda', 'us-east-1', 1, 0, 1],
      ['EC2', 'eu-west-1', 1, 1, 0],
    ]);
  });

  it('ends only after quietMs without a fault; a new fault starts a new episode', () => {
    const e = new RetryEpisodes(5000);
    e.record(at(0, 'throttled'));
    e.record(at(3000, 'throttled'));
    assert.strictEqual(e.quietAt(), 8000);
    assert.strictEqual(e.expire(7999), undefined, 'still retrying');
    assert.ok(e.current);
    const ended = e.expire(8000);
    assert.strictEqual(ended?.throttled, 2);
    assert.strictEqual(e.current, undefined);
    assert.strictEqual(e.record(at(9000, 'server')), 'started');
    e.reset();
    assert.strictEqual(e.current, undefined);
  });

  it('status text says throttling when any attempt was throttled, names service + Region + count in the tooltip', () => {
    const e = new RetryEpisodes();
    e.record(at(0, 'server', 'Batch', 'eu-west-1'));
    assert.strictEqual(episodeStatus(e.current!).text, '$(sync~spin) AWS errors: retrying');
    for (let i = 0; i < 3; i++) e.record(at(i, 'throttled', 'Lambda', 'us-west-2'));
    const s = episodeStatus(e.current!);
    assert.strictEqual(s.text, '$(sync~spin) AWS throttling: retrying');
    assert.match(s.tooltip[0], /4 failed attempts so far/);
    assert.deepStrictEqual(s.tooltip.slice(1), ['Lambda us-west-2: 3 throttled', 'Batch eu-west-1: 1 5xx'], 'most faults first');
  });

  it('the tooltip lists at most five sources; the log line summarises the whole episode once', () => {
    const e = new RetryEpisodes(5000);
    for (let i = 0; i < 7; i++) e.record(at(i * 1000, 'throttled', 'EC2', `r-${i}`));
    e.record(at(6500, 'ok', 'EC2', 'r-0', 2));
    assert.deepStrictEqual(episodeStatus(e.current!).tooltip.slice(1).at(-1), '+ 2 more');
    const ep = e.expire(11_000)!;
    const line = episodeLogLine(ep, 11_000);
    assert.match(line, /^AWS retry episode over \(6 s, quiet for 5 s\): 7 throttled attempts, 1 call recovered by retrying — EC2 r-0: 1 throttled; /);
    assert.ok(!line.includes('\n'));
  });
});
