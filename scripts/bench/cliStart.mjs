// Figure 3 — CLI cold start: `node dist/cli.js --help` against `node -e 0` (the floor any Node CLI pays),
// spawned alternately so both see the same machine load; medians.
import path from 'node:path';
import { figure, round, timePair, timeSpawn } from './lib.mjs';

export async function cliStartFigures({ stage, reps = 15, log }) {
  const cli = path.join(stage.dist, 'cli.js');
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, AWS_EC2_METADATA_DISABLED: 'true' };
  log(`CLI cold start: ${reps} × node dist/cli.js --help vs node -e 0`);
  const { subject, baseline } = await timePair(
    () => timeSpawn(process.execPath, [cli, '--help'], { env }),
    () => timeSpawn(process.execPath, ['-e', '0'], { env }),
    { reps, warmup: 2 },
  );
  return {
    'cli.coldStart': figure({
      what: 'opsdeck --help, cold process', value: round(subject.median, 1), unit: 'ms',
      baseline: round(baseline.median, 1), baselineOf: 'node -e 0 (same run, interleaved)',
      detail: { reps, subjectSamples: subject.samples, baselineSamples: baseline.samples, overheadMs: round(subject.median - baseline.median, 1) },
    }),
  };
}
