import * as assert from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { motoEndpoint } from '../../support/aws';

const run = promisify(execFile);
const cli = path.join(__dirname, '../../../dist/cli.js');

/** The built CLI as a user runs it: a child process, real credential chain, real HTTP to moto. */
describe('opsdeck whoami (built CLI against moto)', function () {
  let dir: string;
  before(function () {
    if (!fs.existsSync(cli)) throw new Error('dist/cli.js missing: run npm run build first');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-cli-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const baseEnv = (): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dir, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
    return env;
  };

  it('prints only JSON on stdout with --json, using environment keys', async () => {
    const { stdout } = await run('node', [cli, 'whoami', '--json', '--region', 'eu-west-1', '--endpoint-url', motoEndpoint()], {
      env: { ...baseEnv(), AWS_ACCESS_KEY_ID: 'AKIAOPSDECKCLITEST01', AWS_SECRET_ACCESS_KEY: 'cli-secret-not-real-0000000000' },
    });
    const out = JSON.parse(stdout);
    assert.match(out.account, /^\d{12}$/);
    assert.deepStrictEqual(out.regions, ['eu-west-1']);
    assert.strictEqual(out.profile, 'environment');
  });

  it('resolves a credential_process profile from AWS_CONFIG_FILE, as the AWS CLI does', async () => {
    const helper = path.join(dir, 'creds.sh');
    fs.writeFileSync(helper, '#!/bin/sh\necho \'{"Version":1,"AccessKeyId":"AKIAPROCESSCREDS0001","SecretAccessKey":"from-process-not-real"}\'\n', { mode: 0o755 });
    const config = path.join(dir, 'config');
    fs.writeFileSync(config, `[profile viaprocess]\ncredential_process = ${helper}\nregion = ap-south-1\n`);
    // moto does not echo the signing key, so a pass-through overlay records the key id of each SigV4 signature.
    const { startOverlay } = await import('../../../scripts/lib/overlay.mjs');
    const signedWith: string[] = [];
    const overlay = await startOverlay({
      upstream: motoEndpoint(),
      hooks: [(req) => { signedWith.push(/Credential=([^/]+)\//.exec(String(req.headers.authorization))?.[1] ?? ''); return undefined; }],
    });
    try {
      const { stdout } = await run('node', [cli, 'whoami', '--json', '--profile', 'viaprocess', '--region', 'ap-south-1', '--endpoint-url', overlay.endpoint], {
        env: { ...baseEnv(), AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'none') },
      });
      assert.strictEqual(JSON.parse(stdout).profile, 'viaprocess');
      assert.deepStrictEqual(signedWith, ['AKIAPROCESSCREDS0001']);
    } finally {
      await overlay.stop();
    }
  });

  it('tells the user to run aws sso login when the SSO token is missing, and exits 1', async () => {
    const config = path.join(dir, 'config-sso');
    fs.writeFileSync(config, '[profile corp]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\nregion = us-east-1\n[sso-session corp]\nsso_start_url = https://example.invalid/start\nsso_region = us-east-1\n');
    const err = await run('node', [cli, 'whoami', '--profile', 'corp', '--region', 'us-east-1', '--endpoint-url', motoEndpoint()], {
      env: { ...baseEnv(), AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'none') },
    }).then(() => undefined, (e: { code: number; stderr: string; stdout: string }) => e);
    assert.ok(err, 'whoami must fail without an SSO token');
    assert.strictEqual(err.code, 1);
    assert.match(err.stderr, /aws sso login --profile corp/);
    assert.strictEqual(err.stdout, '');
  });

  it('exits 1 with a clear message when the endpoint is down', async () => {
    const err = await run('node', [cli, 'whoami', '--region', 'us-east-1', '--endpoint-url', 'http://127.0.0.1:9'], {
      env: { ...baseEnv(), AWS_ACCESS_KEY_ID: 'AKIAOPSDECKCLITEST01', AWS_SECRET_ACCESS_KEY: 'x-not-real', AWS_MAX_ATTEMPTS: '1' },
    }).then(() => undefined, (e: { code: number; stderr: string }) => e);
    assert.ok(err);
    assert.strictEqual(err.code, 1);
    assert.match(err.stderr, /Cannot reach the AWS endpoint http:\/\/127\.0\.0\.1:9/);
  });
});
