import * as assert from 'assert';
import { runCli } from '../../support/cli';
import { settingsFromFlags } from '../../../src/cli/globalOptions';

describe('opsdeck CLI front end', () => {
  it('prints help with every command and exits 0', async () => {
    const r = await runCli(['--help']);
    assert.strictEqual(r.code, 0);
    assert.match(r.stdout, /whoami/);
    assert.match(r.stdout, /Exit codes: 0 ok, 1 error, 2 usage, 3 unhealthy/);
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
});
