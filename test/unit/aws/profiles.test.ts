import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { localCredentialsExist } from '../../../src/aws/localCredentials';
import { kindOf, listProfiles } from '../../../src/aws/profiles';

describe('profiles from the shared files', () => {
  let dir: string;
  const saved = { config: process.env.AWS_CONFIG_FILE, creds: process.env.AWS_SHARED_CREDENTIALS_FILE };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-profiles-'));
    process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
  });
  afterEach(() => {
    process.env.AWS_CONFIG_FILE = saved.config;
    process.env.AWS_SHARED_CREDENTIALS_FILE = saved.creds;
    if (saved.config === undefined) delete process.env.AWS_CONFIG_FILE;
    if (saved.creds === undefined) delete process.env.AWS_SHARED_CREDENTIALS_FILE;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('honours AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE, merges both, default first', async () => {
    fs.writeFileSync(process.env.AWS_CONFIG_FILE!, '[profile dev]\nsso_session = corp\nregion = eu-west-1\n[default]\nregion = us-east-1\n[profile ops]\nrole_arn = arn:aws:iam::111122223333:role/ops\nsource_profile = dev\n');
    fs.writeFileSync(process.env.AWS_SHARED_CREDENTIALS_FILE!, '[ci]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = x\n');
    const profiles = await listProfiles();
    assert.deepStrictEqual(profiles.map((p) => [p.name, p.kind]), [['default', 'other'], ['ci', 'static'], ['dev', 'sso'], ['ops', 'role']]);
    assert.strictEqual(profiles.find((p) => p.name === 'dev')?.region, 'eu-west-1');
  });

  it('re-reads the files after they change (no stale cache)', async () => {
    fs.writeFileSync(process.env.AWS_CONFIG_FILE!, '[profile a]\nregion = us-east-1\n');
    assert.deepStrictEqual((await listProfiles()).map((p) => p.name), ['a']);
    fs.writeFileSync(process.env.AWS_CONFIG_FILE!, '[profile a]\nregion = us-east-1\n[profile b]\nregion = us-east-1\n');
    assert.deepStrictEqual((await listProfiles()).map((p) => p.name), ['a', 'b']);
  });

  it('lists 5,000 profiles (a peer became unusable at that size)', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 5000; i++) lines.push(`[profile p${String(i).padStart(4, '0')}]`, 'sso_session = corp', 'sso_account_id = 111122223333', 'sso_role_name = Dev', 'region = us-east-1');
    fs.writeFileSync(process.env.AWS_CONFIG_FILE!, lines.join('\n'));
    const profiles = await listProfiles();
    assert.strictEqual(profiles.length, 5000);
    assert.strictEqual(profiles[0].name, 'p0000');
  });

  it('classifies profile kinds', () => {
    assert.strictEqual(kindOf({ credential_process: '/bin/creds' }), 'process');
    assert.strictEqual(kindOf({ role_arn: 'arn', web_identity_token_file: '/t' }), 'webIdentity');
    assert.strictEqual(kindOf({ sso_start_url: 'https://x' }), 'sso');
  });

  it('sees local credentials only from env and files, never the network', () => {
    assert.strictEqual(localCredentialsExist({}, { HOME: dir }), false);
    assert.strictEqual(localCredentialsExist({}, { HOME: dir, AWS_ACCESS_KEY_ID: 'x' }), true);
    assert.strictEqual(localCredentialsExist({ profile: 'dev' }, { HOME: dir }), true);
    fs.writeFileSync(path.join(dir, 'credentials'), '[default]\n');
    assert.strictEqual(localCredentialsExist({}, { HOME: dir, AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials') }), true);
  });
});
