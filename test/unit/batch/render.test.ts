import * as assert from 'assert';
import { computeEnvironmentConsoleUrl, jobConsoleUrl, queueConsoleUrl } from '../../../src/batch/core/consoleUrl';
import { buildReport, evaluateRegion } from '../../../src/batch/core/evaluate';
import { formatAge, nameFromArn, quote } from '../../../src/batch/core/format';
import { queueSummary, renderText, stuckLabel } from '../../../src/batch/core/render';
import { ce, detail, minutesAgo, NOW, queue, summary } from './fixtures';

describe('batch text rendering', () => {
  const etl = queue({ name: 'etl' });
  const idle = queue({ name: 'idle' });
  const region = evaluateRegion({
    region: 'us-east-1',
    queues: [etl, idle],
    computeEnvironments: [ce({ desiredvCpus: 4 })],
    jobs: new Map([[etl.arn, [summary({ jobId: 'r1', queueArn: etl.arn, createdAt: minutesAgo(372), jobDefinition: 'arn:aws:batch:us-east-1:1:job-definition/etl:3' })]], [idle.arn, []]]),
    details: [detail({ jobId: 'r1' })],
    now: NOW,
    thresholds: { defaultMinutes: 15 },
  });
  const report = buildReport([region, { region: 'eu-west-1', queues: [], error: 'Access denied in eu-west-1' }], NOW);

  it('labels a stuck job with its status and age', () => assert.strictEqual(stuckLabel(region.queues[0].stuck[0]), 'RUNNABLE · 6h 12m'));
  it('sums a queue up', () => assert.strictEqual(queueSummary(region.queues[0]), 'ENABLED/VALID · priority 10 · 1 stuck > 15m'));
  it('prints stuck jobs with findings, evidence and advice; collapses healthy queues; shows Region errors', () => {
    const text = renderText(report).join('\n');
    assert.match(text, /RUNNABLE · 6h 12m {2}nightly \(r1\) etl:3/);
    assert.match(text, /! Batch has scaled to 4 desired vCPUs/);
    assert.match(text, /evidence: compute environment "ce-a": ENABLED\/VALID, min\/desired\/max vCPUs 0\/4\/64/);
    assert.match(text, /→ Check that instances can reach the ECS endpoint/);
    assert.match(text, /✓ 1 healthy queue \(use --all to list\)/);
    assert.match(text, /eu-west-1\n {2}✖ Access denied in eu-west-1/);
    assert.match(text, /1 stuck job\.$/);
    assert.match(renderText(report, true).join('\n'), /✓ idle {2}\(ENABLED\/VALID · priority 10\)/);
  });
  it('formats ages, names and quotes', () => {
    assert.deepStrictEqual([0, 45_000, 60_000, 3_600_000, 3_660_000, 90_000_000, 86_400_000].map(formatAge), ['0s', '45s', '1m', '1h', '1h 1m', '1d 1h', '1d']);
    assert.strictEqual(nameFromArn('arn:aws:batch:us-east-1:1:job-queue/etl'), 'etl');
    assert.strictEqual(quote(undefined), '(none)');
    assert.strictEqual(quote('a\n  b'), '"a b"');
  });
});

describe('batch console links', () => {
  const table: Array<[string, string]> = [
    [jobConsoleUrl('us-east-1', 'abc'), 'https://us-east-1.console.aws.amazon.com/batch/home?region=us-east-1#jobs/detail/abc'],
    [jobConsoleUrl('us-gov-west-1', 'abc'), 'https://us-gov-west-1.console.amazonaws-us-gov.com/batch/home?region=us-gov-west-1#jobs/detail/abc'],
    [jobConsoleUrl('cn-north-1', 'abc'), 'https://cn-north-1.console.amazonaws.cn/batch/home?region=cn-north-1#jobs/detail/abc'],
    [queueConsoleUrl('eu-west-1', 'arn:aws:batch:eu-west-1:1:job-queue/q'), 'https://eu-west-1.console.aws.amazon.com/batch/home?region=eu-west-1#queues/detail/arn%3Aaws%3Abatch%3Aeu-west-1%3A1%3Ajob-queue%2Fq'],
    [computeEnvironmentConsoleUrl('eu-west-1', 'ce'), 'https://eu-west-1.console.aws.amazon.com/batch/home?region=eu-west-1#compute-environments/detail/ce'],
  ];
  for (const [got, want] of table) it(want, () => assert.strictEqual(got, want));
});
