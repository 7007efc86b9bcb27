import * as assert from 'assert';
import { diffVerdicts, type KnownVerdicts } from '../../../src/msk/core/report';
import type { HealthReport, MappingHealth, RegionHealth, Verdict } from '../../../src/msk/core/types';
import { mapping } from './fixtures';

const health = (region: string, uuid: string, verdict: Verdict): MappingHealth => ({
  mapping: mapping({ uuid, region, functionName: 'f', functionArn: `arn:aws:lambda:${region}:1:function:f`, topic: `t-${uuid}` }),
  verdict, reason: 'r', trend: 'lag 1 → steady', lagSource: 'OffsetLag {FunctionName=f}', lagSamples: 60,
});
/** A Region with mappings given as "uuid:VERDICT", or a failed Region (as mskHealth reports one). */
function region(name: string, items: string[] | 'error'): RegionHealth {
  if (items === 'error') return { region: name, functions: [], warnings: [], error: `AWS is throttling requests in ${name}` };
  const mappings = items.map((s) => health(name, s.split(':')[0], s.split(':')[1] as Verdict));
  return { region: name, functions: mappings.length ? [{ functionName: 'f', functionArn: 'x', mappings }] : [], warnings: [] };
}
const report = (...regions: RegionHealth[]): Pick<HealthReport, 'regions'> => ({ regions });

describe('msk alerts: a notification only on a transition into a bad state, per Region', () => {
  const table: Array<[string, Array<Pick<HealthReport, 'regions'>>, string[][]]> = [
    ['first report: every bad mapping', [report(region('us-east-1', ['a:WARN', 'b:OK']))], [['a']]],
    ['still bad: nothing; WARN→ERROR stays bad; OK→STALLED is new', [
      report(region('us-east-1', ['a:WARN', 'b:OK'])), report(region('us-east-1', ['a:WARN', 'b:OK'])), report(region('us-east-1', ['a:ERROR', 'b:STALLED'])),
    ], [['a'], [], ['b']]],
    ['a new mapping that is bad in a Region that answered', [report(region('us-east-1', ['a:OK'])), report(region('us-east-1', ['a:OK', 'c:STALLED']))], [[], ['c']]],
    ['a Region that errors once keeps its verdicts: its bad mappings are not announced again', [
      report(region('us-east-1', ['a:WARN']), region('eu-west-1', ['b:ERROR'])),
      report(region('us-east-1', ['a:WARN']), region('eu-west-1', 'error')),
      report(region('us-east-1', ['a:WARN']), region('eu-west-1', ['b:ERROR'])),
    ], [['a', 'b'], [], []]],
    ['a Region that failed keeps OK verdicts too: going bad meanwhile is announced', [
      report(region('eu-west-1', ['b:OK'])), report(region('eu-west-1', 'error')), report(region('eu-west-1', ['b:STALLED'])),
    ], [[], [], ['b']]],
    ['recovered then bad again is a new transition', [report(region('us-east-1', ['a:WARN'])), report(region('us-east-1', ['a:OK'])), report(region('us-east-1', ['a:WARN']))], [['a'], [], ['a']]],
  ];
  for (const [name, reports, want] of table) {
    it(name, () => {
      let known: KnownVerdicts | undefined;
      const got = reports.map((r) => {
        const d = diffVerdicts(known, r);
        known = d.known;
        return d.bad.map((m) => m.mapping.uuid);
      });
      assert.deepStrictEqual(got, want);
    });
  }
});
