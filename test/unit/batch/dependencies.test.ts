import * as assert from 'assert';
import { detailLookup, diagnoseDependencies, followChain } from '../../../src/batch/core/dependencies';
import type { JobDetailInfo } from '../../../src/batch/core/types';
import { detail, NOW } from './fixtures';

const job = (id: string, status: string, deps: string[] = [], over: Partial<JobDetailInfo> = {}) => detail({ jobId: id, jobName: id, status, dependsOn: deps, ...over });

describe('batch dependency chains', () => {
  const cases: Array<{ name: string; jobs: JobDetailInfo[]; start: string; chain: string; cycle?: boolean }> = [
    { name: 'single link', jobs: [job('a', 'RUNNABLE')], start: 'a', chain: 'a:RUNNABLE' },
    { name: 'followed to the root', jobs: [job('a', 'PENDING', ['b']), job('b', 'PENDING', ['c']), job('c', 'RUNNABLE')], start: 'a', chain: 'a:PENDING b:PENDING c:RUNNABLE' },
    { name: 'FAILED branch preferred over a RUNNABLE one', jobs: [job('a', 'PENDING', ['b', 'c']), job('b', 'RUNNABLE'), job('c', 'FAILED')], start: 'a', chain: 'a:PENDING c:FAILED' },
    { name: 'SUCCEEDED branch skipped', jobs: [job('a', 'PENDING', ['b', 'c']), job('b', 'SUCCEEDED'), job('c', 'SUBMITTED')], start: 'a', chain: 'a:PENDING c:SUBMITTED' },
    { name: 'missing link', jobs: [job('a', 'PENDING', ['zz'])], start: 'a', chain: 'a:PENDING zz:NOT_FOUND' },
    { name: 'ARN reference resolves', jobs: [job('a', 'PENDING', ['arn:aws:batch:us-east-1:1:job/b']), job('b', 'RUNNABLE', [], { jobArn: 'arn:aws:batch:us-east-1:1:job/b' })], start: 'a', chain: 'a:PENDING b:RUNNABLE' },
    { name: 'cycle stops', jobs: [job('a', 'PENDING', ['b']), job('b', 'PENDING', ['a'])], start: 'a', chain: 'a:PENDING b:PENDING', cycle: true },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = followChain(c.start, detailLookup(c.jobs));
      assert.strictEqual(r.chain.map((l) => `${l.jobId}:${l.status}`).join(' '), c.chain);
      assert.strictEqual(r.cycle, Boolean(c.cycle));
    });
  }

  it('a chain is followed to its root; a FAILED root three levels up means never', () => {
    const jobs = [job('top', 'PENDING', ['l1']), job('l1', 'PENDING', ['l2']), job('l2', 'PENDING', ['l3']), job('l3', 'FAILED', [], { statusReason: 'OutOfMemoryError: Container killed' })];
    const d = diagnoseDependencies(jobs[0], detailLookup(jobs), NOW);
    assert.strictEqual(d.willNeverRun, true);
    assert.deepStrictEqual(d.chain.map((l) => l.jobId), ['l1', 'l2', 'l3']);
    assert.match(d.findings[0].message, /a job in its dependency chain, "l3", FAILED/);
    assert.match(d.findings[0].evidence.join('\n'), /OutOfMemoryError/);
  });

  it('reports every open dependency, each with its own chain', () => {
    const jobs = [job('top', 'PENDING', ['x', 'y']), job('x', 'RUNNABLE'), job('y', 'PENDING', ['z']), job('z', 'SUBMITTED')];
    const d = diagnoseDependencies(jobs[0], detailLookup(jobs), NOW);
    assert.deepStrictEqual(d.findings.map((f) => f.code), ['WAITING_FOR_DEPENDENCY', 'WAITING_FOR_DEPENDENCY']);
    assert.match(d.findings[1].message, /Waits for "y" \(PENDING\), whose chain ends at "z" \(SUBMITTED\)/);
  });
});
