import * as assert from 'assert';
import { diffStuck, type KnownStuck } from '../../../src/batch/core/polling';
import type { HealthReport, QueueReport, RegionReport } from '../../../src/batch/core/types';
import { healthExitCode, parseQueueThresholds, EXIT_STUCK_INCOMPLETE } from '../../../src/batch/cli';
import { summary } from './fixtures';

/** A Region whose one queue has these stuck job ids, or an error entry (as batchHealth makes for a failed Region). */
function region(name: string, ids: string[] | { error: string }): RegionReport {
  if (!Array.isArray(ids)) return { region: name, queues: [], error: ids.error, errorKind: 'throttled' };
  const stuck = ids.map((jobId) => ({ job: summary({ jobId }), status: 'RUNNABLE' as const, ageMs: 3_600_000, thresholdMinutes: 15 }));
  return { region: name, queues: [{ stuck } as unknown as QueueReport] };
}
const report = (...regions: RegionReport[]): HealthReport => ({ generatedAt: 0, regions, stuckCount: regions.reduce((n, r) => n + r.queues.reduce((m, q) => m + q.stuck.length, 0), 0) });
const ERR = { error: 'AWS is throttling requests in eu-west-1' };

describe('batch alerts: newly stuck jobs, per Region', () => {
  // Each row is a sequence of polls; the expected fresh ids per poll.
  const table: Array<[string, HealthReport[], string[][]]> = [
    ['first poll announces everything', [report(region('us-east-1', ['a']), region('eu-west-1', ['b']))], [['a', 'b']]],
    ['the same jobs never twice', [report(region('us-east-1', ['a'])), report(region('us-east-1', ['a'])), report(region('us-east-1', ['a', 'c']))], [['a'], [], ['c']]],
    ['a Region that errors once keeps its jobs: not announced again when it answers', [
      report(region('us-east-1', ['a']), region('eu-west-1', ['b'])),
      report(region('us-east-1', ['a']), region('eu-west-1', ERR)),
      report(region('us-east-1', ['a']), region('eu-west-1', ['b'])),
    ], [['a', 'b'], [], []]],
    ['several failures in a row still remember', [
      report(region('eu-west-1', ['b'])), report(region('eu-west-1', ERR)), report(region('eu-west-1', ERR)), report(region('eu-west-1', ['b', 'x'])),
    ], [['b'], [], [], ['x']]],
    ['a job that recovered and got stuck again is news', [report(region('us-east-1', ['a'])), report(region('us-east-1', [])), report(region('us-east-1', ['a']))], [['a'], [], ['a']]],
    ['a Region that failed from the start announces its jobs once when it answers', [
      report(region('us-east-1', ['a']), region('eu-west-1', ERR)),
      report(region('us-east-1', ['a']), region('eu-west-1', ['b'])),
      report(region('us-east-1', ['a']), region('eu-west-1', ['b'])),
    ], [['a'], ['b'], []]],
  ];
  for (const [name, polls, want] of table) {
    it(name, () => {
      let known: KnownStuck | undefined;
      const got = polls.map((r) => {
        const d = diffStuck(known, r);
        known = d.known;
        return d.fresh;
      });
      assert.deepStrictEqual(got, want);
    });
  }
});

describe('batch CLI: per-queue thresholds and exit codes', () => {
  const parse: Array<[string[], Record<string, number> | RegExp]> = [
    [[], {}],
    [['nightly-etl=120'], { 'nightly-etl': 120 }],
    [['a=5', 'b=0.5,c=30'], { a: 5, b: 0.5, c: 30 }],
    [['arn:aws:batch:us-east-1:123456789012:job-queue/etl=60'], { 'arn:aws:batch:us-east-1:123456789012:job-queue/etl': 60 }],
    [['a=1', 'a=2'], { a: 2 }],
    [['etl'], /NAME=MINUTES/],
    [['=5'], /NAME=MINUTES/],
    [['etl='], /NAME=MINUTES/],
    [['etl=0'], /positive/],
    [['etl=-3'], /positive/],
    [['etl=soon'], /not "etl=soon"/],
  ];
  for (const [args, want] of parse) {
    it(`--queue-threshold ${JSON.stringify(args)}`, () => {
      if (want instanceof RegExp) assert.throws(() => parseQueueThresholds(args), (e: Error) => e.name === 'UsageError' && want.test(e.message));
      else assert.deepStrictEqual(parseQueueThresholds(args), want);
    });
  }

  const codes: Array<[string, HealthReport, number]> = [
    ['all checked, nothing stuck', report(region('us-east-1', []), region('eu-west-1', [])), 0],
    ['all checked, stuck', report(region('us-east-1', ['a']), region('eu-west-1', [])), 3],
    ['a Region failed, nothing stuck elsewhere', report(region('us-east-1', []), region('eu-west-1', ERR)), 1],
    ['stuck AND a Region failed: neither fact hidden', report(region('us-east-1', ['a']), region('eu-west-1', ERR)), EXIT_STUCK_INCOMPLETE],
  ];
  for (const [name, r, want] of codes) it(`exit: ${name} → ${want}`, () => assert.strictEqual(healthExitCode(r), want));
});
