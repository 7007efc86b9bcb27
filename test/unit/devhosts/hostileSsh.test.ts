import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { requireTool } from '../../support/tools';
import { resolveIdentities } from '../../../src/devhosts/core/identities';
import { renderSshConfig, CONNECTION_MODES } from '../../../src/devhosts/core/render';
import { checkWithSsh, SshMissingError } from '../../../src/devhosts/sshCheck';
import { bastion, instance, inventory } from './fixtures';
import { HOSTILE_NAMES } from './hostile';

/** The real OpenSSH parser is the judge: every entry rendered from a hostile Name must resolve as intended. */
describe('devhosts: hostile names against the real ssh -G', function () {
  this.timeout(60_000);
  for (const mode of CONNECTION_MODES) {
    it(`${HOSTILE_NAMES.length} hostile Name tags, ${mode} mode: ssh accepts every entry and resolves exactly what OpsDeck set`, async function () {
      const ssh = requireTool(this, 'OpenSSH client', ['ssh']);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-hostile-'));
      try {
        const { identities } = resolveIdentities([{ name: 'admin', user: 'ec2-user', identityFile: '~/.ssh/mac admin%key' }, { name: 'dev', user: 'dev', identityFile: '~/.ssh/mac-dev' }]);
        const r = renderSshConfig(inventory(HOSTILE_NAMES.map((name) => instance({ name, publicIp: '1.2.3.4' })), [bastion({ name: 'evil\n  ProxyCommand touch /tmp/pwned' })]), { mode, identities, profile: 'team-dev' });
        const file = path.join(dir, 'config');
        fs.writeFileSync(file, r.text);
        const check = await checkWithSsh(r.entries, file, { ssh, concurrency: 2 });
        assert.deepStrictEqual(check.failures, []);
        assert.deepStrictEqual(check.mismatches, []);
        assert.strictEqual(check.checked, r.entries.length);
        assert.ok(!fs.existsSync('/tmp/pwned'));
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

describe('devhosts: the ssh -G check without an OpenSSH client', () => {
  it('rejects once with what to install, instead of one "spawn ssh ENOENT" per entry', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-nossh-'));
    try {
      const { identities } = resolveIdentities([{ name: 'admin', user: 'ec2-user', identityFile: '~/.ssh/id_ed25519' }]);
      const r = renderSshConfig(inventory([instance({ name: 'mac-1', publicIp: '1.2.3.4' })]), { mode: 'bastion', identities, profile: 'p' });
      assert.ok(r.entries.length >= 2, 'a Mac and its bastion to check');
      const file = path.join(dir, 'config');
      fs.writeFileSync(file, r.text);
      const missing = path.join(dir, 'no-such-ssh');
      await assert.rejects(checkWithSsh(r.entries, file, { ssh: missing }), (err: Error) => {
        assert.ok(err instanceof SshMissingError, String(err));
        assert.match(err.message, /no OpenSSH client .* not checked with ssh -G; Remote-SSH needs one too: install OpenSSH/);
        return true;
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
