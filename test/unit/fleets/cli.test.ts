import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../../support/cli';
import { ARTICLE_FLEET, articleObject } from './fixtures';

const run = (args: string[]) => runCli(args);

describe('fleets: CLI (offline checks)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-fleet-cli-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('validate: the article\'s file is OK (exit 0)', async () => {
    const file = path.join(dir, 'ec2-fleet.json');
    fs.writeFileSync(file, ARTICLE_FLEET);
    const r = await run(['fleet', 'validate', file, '--offline']);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.match(r.stdout, /OK \(offline checks only\)/);
  });

  it('validate: errors print file:line:col message and exit 1', async () => {
    const o = articleObject() as { LaunchTemplateConfigs: { Overrides: Record<string, unknown>[] }[] };
    o.LaunchTemplateConfigs[0].Overrides[2].WeightedCapacity = 0;
    const file = path.join(dir, 'broken.fleet.json');
    fs.writeFileSync(file, `${JSON.stringify(o, null, 2)}\n`);
    const r = await run(['fleet', 'validate', file, '--offline']);
    assert.strictEqual(r.code, 1);
    assert.match(r.stderr, /broken\.fleet\.json:33:31: error: WeightedCapacity must be more than 0 \(it is 0\).*\[weight-not-positive\]/);
  });

  it('validate --json prints only JSON with line and column', async () => {
    const file = path.join(dir, 'typo.fleet.json');
    fs.writeFileSync(file, ARTICLE_FLEET.replace('"Type": "instant"', '"Type": "instnat"'));
    const r = await run(['fleet', 'validate', file, '--offline', '--json']);
    assert.strictEqual(r.code, 1);
    const out = JSON.parse(r.stdout) as { diagnostics: { line: number; column: number; code: string }[] };
    assert.deepStrictEqual(out.diagnostics.filter((d) => d.code === 'bad-enum').map((d) => [d.line, d.column]), [[1, ARTICLE_FLEET.indexOf('"instant"') + 1]]);
  });

  it('plan --offline prints the plan table', async () => {
    const file = path.join(dir, 'ec2-fleet.json');
    const r = await run(['fleet', 'plan', file, '--offline']);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.match(r.stdout, /m5\.large\s+3\s+0\.25\s+4/);
  });

  it('launch without --yes on a non-terminal refuses (exit 2): no CreateFleet', async function () {
    this.timeout(30_000);
    const file = path.join(dir, 'ec2-fleet.json');
    const saved = { ...process.env };
    // Static keys and one attempt: the facts lookup against a closed port fails fast (and is only a warning).
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIATESTOPSDECK00001', AWS_SECRET_ACCESS_KEY: 'x', AWS_MAX_ATTEMPTS: '1' });
    const r = await run(['fleet', 'launch', file, '--region', 'us-west-2', '--endpoint-url', 'http://127.0.0.1:9']).finally(() => {
      for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_MAX_ATTEMPTS']) if (saved[k] === undefined) delete process.env[k]; else process.env[k] = saved[k];
    });
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /Not launched/);
  });
});
