// dist/core.js evaluates each feature's service, and the SDK clients only that feature uses, on first use:
// opening Batch Health must not pay for EC2, Lambda, CloudWatch, Outposts, S3 or Secrets Manager.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..', '..', '..');

/** Runs `body` in a fresh node process with `core` = require('dist/core.js'); returns what it prints. */
function inFreshProcess(body: string): unknown {
  const script = `const core = require(${JSON.stringify(path.join(root, 'dist/core.js'))}); ${body}`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('core: AWS clients evaluated per feature', () => {
  it('loading dist/core.js evaluates no feature service; using Batch evaluates Batch alone', () => {
    const seen = inFreshProcess(`
      const atLoad = core.evaluatedParts();
      void core.batch.batchHealth;
      console.log(JSON.stringify({ atLoad, afterBatch: core.evaluatedParts() }));`) as { atLoad: string[]; afterBatch: string[] };
    assert.deepStrictEqual(seen.atLoad, []);
    assert.deepStrictEqual(seen.afterBatch, ['batch']);
  });

  it('a lazily loaded service behaves like its module (functions, keys, `in`)', () => {
    const seen = inFreshProcess(`
      const keys = Object.keys(core.msk);
      console.log(JSON.stringify({ keys: keys.length, fn: typeof core.msk[keys.find((k) => typeof core.msk[k] === 'function')], has: keys.every((k) => k in core.msk) }));`) as { keys: number; fn: string; has: boolean };
    assert.ok(seen.keys > 0);
    assert.strictEqual(seen.fn, 'function');
    assert.strictEqual(seen.has, true);
  });

  it('imports each SDK client only from the features that use it, and src/core.ts imports no service eagerly', () => {
    const owners: Record<string, RegExp> = {
      'client-ec2': /^src\/(devhosts|fleets)\/|^src\/aws\/regions\.ts$/,
      'client-batch': /^src\/batch\//,
      'client-lambda': /^src\/(layers|msk)\//,
      'client-cloudwatch': /^src\/msk\//,
      'client-secrets-manager': /^src\/msk\//,
      'client-s3': /^src\/layers\//,
      'client-outposts': /^src\/fleets\//,
      'client-sts': /^src\/aws\/identity\.ts$/,
    };
    const misplaced: string[] = [];
    for (const file of sourceFiles(path.join(root, 'src'))) {
      const rel = path.relative(root, file).split(path.sep).join('/');
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/^import (?!type )[^;]*from '@aws-sdk\/(client-[\w-]+)'/gm)) {
        const owner = owners[m[1]];
        if (!owner || !owner.test(rel)) misplaced.push(`${rel} imports @aws-sdk/${m[1]}`);
      }
    }
    assert.deepStrictEqual(misplaced, []);
    const core = fs.readFileSync(path.join(root, 'src/core.ts'), 'utf8');
    assert.deepStrictEqual(core.match(/^(import|export) (?!type )[^;]*from '\.\/(\w+\/service|aws\/regions|aws\/identity)'/gm) ?? [], []);
  });
});
