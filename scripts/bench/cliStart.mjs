// Figure 3 — CLI cold start: `node dist/cli.js --help` against `node -e 0` (the floor any Node CLI pays),
// spawned alternately so both see the same machine load; medians. Also the first AWS use: loading dist/core.js
// and evaluating one feature's service (its SDK clients only) against evaluating all five.
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
  const core = path.join(stage.dist, 'core.js');
  const touch = (features) => `const c = require(${JSON.stringify(core)}); for (const f of ${JSON.stringify(features)}) void Object.keys(c[f]);`;
  log(`first AWS use: ${reps} × require(core.js) + Batch's service vs + all five services`);
  const firstUse = await timePair(
    () => timeSpawn(process.execPath, ['-e', touch(['batch'])], { env }),
    () => timeSpawn(process.execPath, ['-e', touch(['devhosts', 'batch', 'msk', 'layers', 'fleets'])], { env }),
    { reps, warmup: 2 },
  );
  return {
    'core.firstFeature': figure({
      what: 'first AWS use in a cold process: require(dist/core.js) + the Batch service with its one SDK client',
      value: round(firstUse.subject.median, 1), unit: 'ms',
      baseline: round(firstUse.baseline.median, 1), baselineOf: 'require(dist/core.js) + all five features\' services (every SDK client), same run, interleaved',
      detail: { reps, subjectSamples: firstUse.subject.samples, baselineSamples: firstUse.baseline.samples },
    }),
    'cli.coldStart': figure({
      what: 'opsdeck --help, cold process', value: round(subject.median, 1), unit: 'ms',
      baseline: round(baseline.median, 1), baselineOf: 'node -e 0 (same run, interleaved)',
      detail: { reps, subjectSamples: subject.samples, baselineSamples: baseline.samples, overheadMs: round(subject.median - baseline.median, 1) },
    }),
  };
}
