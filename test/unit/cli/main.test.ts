import * as assert from 'assert';
import { runCli } from '../../support/cli';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { settingsFromFlags, withProfileRegion } from '../../../src/cli/globalOptions';

describe('opsdeck CLI front end', () => {
  it('prints help with every command and exits 0', async () => {
    const r = await runCli(['--help']);
    assert.strictEqual(r.code, 0);
    assert.match(r.stdout, /whoami/);
    assert.match(r.stdout, /Exit codes: 0 ok, 1 error, 2 usage, 3 unhealthy, 4 unhealthy and a Region could not be checked/);
  });

  it('exits 2 on an unknown command, with help on stderr', async () => {
    const r = await runCli(['frobnicate']);
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /Unknown command: frobnicate/);
    assert.strictEqual(r.stdout, '');
  });

  it('exits 2 on an unknown flag', async () => {
    const r = await runCli(['whoami', '--no-such-flag']);
    assert.strictEqual(r.code, 2);
  });

  it('exits 2 on a bad Region name', async () => {
    const r = await runCli(['whoami', '--region', 'moon-base-1x']);
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /not a Region name/);
  });

  it('has --help on every command', async () => {
    const r = await runCli(['whoami', '--help']);
    assert.strictEqual(r.code, 0);
    assert.match(r.stdout, /Usage: opsdeck whoami/);
  });

  it('reads Regions from repeated and comma-separated flags, de-duplicated', () => {
    const s = settingsFromFlags({ region: ['us-east-1,eu-west-1', 'us-east-1', 'ap-south-1'] }, {});
    assert.deepStrictEqual(s.regions, ['us-east-1', 'eu-west-1', 'ap-south-1']);
  });

  it('falls back to AWS_REGION and AWS_ENDPOINT-style env for settings', () => {
    const s = settingsFromFlags({}, { AWS_REGION: 'eu-central-1', OPSDECK_ENDPOINT_URL: 'http://127.0.0.1:5000' });
    assert.deepStrictEqual(s.regions, ['eu-central-1']);
    assert.strictEqual(s.endpointUrl, 'http://127.0.0.1:5000');
  });

  describe("with no Region from flags or env, the profile's region (as the AWS CLI)", () => {
    let dir: string;
    const saved = { AWS_CONFIG_FILE: process.env.AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE: process.env.AWS_SHARED_CREDENTIALS_FILE };
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-cli-region-'));
      fs.writeFileSync(path.join(dir, 'config'), '[default]\nregion = us-west-1\n\n[profile prod]\nregion = eu-west-2\n\n[profile bare]\noutput = json\n');
      process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
      process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'missing-credentials');
    });
    after(() => {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('uses --profile, then AWS_PROFILE, then default', async () => {
      assert.deepStrictEqual((await withProfileRegion(settingsFromFlags({ profile: 'prod' }, {}), {})).regions, ['eu-west-2']);
      assert.deepStrictEqual((await withProfileRegion(settingsFromFlags({}, {}), { AWS_PROFILE: 'prod' })).regions, ['eu-west-2']);
      assert.deepStrictEqual((await withProfileRegion(settingsFromFlags({}, {}), {})).regions, ['us-west-1']);
    });

    it('never overrides a flag or the environment, and a profile without a region gives none', async () => {
      assert.deepStrictEqual((await withProfileRegion(settingsFromFlags({ profile: 'prod', region: ['ap-south-1'] }, {}), {})).regions, ['ap-south-1']);
      assert.deepStrictEqual((await withProfileRegion(settingsFromFlags({ profile: 'prod' }, { AWS_REGION: 'sa-east-1' }), {})).regions, ['sa-east-1']);
      assert.deepStrictEqual((await withProfileRegion(settingsFromFlags({ profile: 'bare' }, {}), {})).regions, []);
    });
  });
});
