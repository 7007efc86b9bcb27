import * as assert from 'assert';
import { mskExitCode } from '../../../src/msk/cli';

describe('msk: CLI exit codes', () => {
  const ok = { region: 'us-east-1' };
  const failed = { region: 'eu-west-1', error: new Error('AccessDenied') };
  const cases: Array<[string, { badCount: number; regions: Array<{ region: string; error?: unknown }> }, number]> = [
    ['all Regions read, nothing lagging', { badCount: 0, regions: [ok] }, 0],
    ['lagging, every Region read', { badCount: 2, regions: [ok] }, 3],
    ['a Region failed, nothing lagging elsewhere', { badCount: 0, regions: [ok, failed] }, 1],
    ['lagging AND a Region failed: neither fact hidden', { badCount: 1, regions: [ok, failed] }, 4],
  ];
  for (const [name, report, code] of cases) it(`${name} → ${code}`, () => assert.strictEqual(mskExitCode(report), code));
});
