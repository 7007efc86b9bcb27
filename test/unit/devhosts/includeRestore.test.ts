import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { applySshConfig, missingIncludePlan } from '../../../src/devhosts/generate';
import { writeSshConfig } from '../../../src/devhosts/configFiles';

/** Connect / Open terminal: the alias is in the managed file, but the user's config lost the Include line. */
describe('devhosts: Connect finds the Include line gone and puts it back', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-include-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('nothing to do while the Include is there; a plan that restores only the Include when it is gone', async () => {
    const userConfig = path.join(dir, 'config');
    const managedPath = path.join(dir, 'opsdeck', 'config');
    const mine = Buffer.from('# mine\r\nHost github.com\n\tUser git\n# café 日本 🍎', 'utf8');
    fs.writeFileSync(userConfig, mine, { mode: 0o600 });
    const managed = 'Host mac1\n  HostName 10.0.0.1\n';
    await writeSshConfig({ userConfig, managedPath, managedText: managed, placement: 'include' });
    assert.strictEqual(await missingIncludePlan(userConfig, managedPath, managed), undefined, 'the Include is there');

    fs.writeFileSync(userConfig, mine); // a dotfiles sync put the old file back
    const managedMtime = fs.statSync(managedPath).mtimeMs;
    const plan = await missingIncludePlan(userConfig, managedPath, fs.readFileSync(managedPath, 'utf8'));
    assert.ok(plan, 'the missing Include is noticed');
    assert.strictEqual(plan.user.action, 'inserted');
    await applySshConfig(plan);
    const after = fs.readFileSync(userConfig);
    assert.match(after.toString('utf8'), /^# --- START OPSDECK MAC DEV HOSTS[^\n]*\r\nInclude [^\n]*opsdeck\/config\r\n# --- END OPSDECK MAC DEV HOSTS ---\r\n/, 'at the top, in the file\'s own line endings');
    assert.ok(after.subarray(after.length - mine.length).equals(mine), 'every byte of the user\'s file kept after the block');
    assert.strictEqual(fs.readFileSync(managedPath, 'utf8'), managed);
    assert.strictEqual(fs.statSync(managedPath).mtimeMs, managedMtime, 'the managed file is not rewritten');
    assert.strictEqual(await missingIncludePlan(userConfig, managedPath, managed), undefined);
  });
});
