import * as assert from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { requireTool } from '../../support/tools';
import { resolveIdentities } from '../../../src/devhosts/core/identities';
import { renderSshConfig } from '../../../src/devhosts/core/render';
import type { Inventory } from '../../../src/devhosts/core/model';
import { writeSshConfig } from '../../../src/devhosts/configFiles';
import { checkWithSsh } from '../../../src/devhosts/sshCheck';
import { keygen, namespacesWork, startBastion, startMac, type SshServer } from './sshHarness';

function run(cmd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 30_000 }, (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

describe('devhosts: a real SSH login through the generated config (two sshd on loopback)', function () {
  this.timeout(120_000);
  let dir: string;
  let ssh: string;
  let sshd: string;
  let mac: SshServer & { pid: number };
  let bastion: SshServer & { connections: () => number };
  let userConfig: string;
  let knownHosts: string;
  let isolated: boolean;
  const user = os.userInfo().username;
  const MAC_ID = 'i-0aaaaaaaaaaaaaaa1';
  const BASTION_ID = 'i-0bbbbbbbbbbbbbbb1';
  let pwned: string;
  let hostileAlias: string;

  before(async function () {
    ssh = requireTool(this, 'OpenSSH client', ['ssh']);
    sshd = requireTool(this, 'OpenSSH server', ['/usr/sbin/sshd', 'sshd']);
    requireTool(this, 'ssh-keygen', ['ssh-keygen']);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-sshd-'));
    fs.chmodSync(dir, 0o700);
    // sshd running as root needs its privilege-separation folder.
    if (process.getuid?.() === 0 && !fs.existsSync('/run/sshd')) fs.mkdirSync('/run/sshd', { mode: 0o755 });
    for (const k of ['admin', 'developer', 'stranger']) keygen(path.join(dir, k), k);
    const pub = (k: string): string => fs.readFileSync(path.join(dir, `${k}.pub`), 'utf8');
    fs.writeFileSync(path.join(dir, 'bastion_authorized_keys'), pub('admin') + pub('developer'));
    fs.writeFileSync(path.join(dir, 'mac_authorized_keys'), pub('admin') + pub('developer'));
    isolated = namespacesWork();
    if (!isolated) {
      // The machines CI runs on (root, util-linux) have network namespaces: there, their absence is a failure.
      if (process.env.CI === 'true') throw new Error('unshare --net does not work here; under CI=true the isolated-Mac test must run');
      console.warn('\n  !!! no network namespaces here: the Mac listens on the shared loopback (the "not reachable directly" test is SKIPPED; the bastion log still proves the hop)\n');
    }
    mac = await startMac(sshd, dir, path.join(dir, 'mac_authorized_keys'), isolated);
    bastion = await startBastion(sshd, dir, path.join(dir, 'bastion_authorized_keys'), isolated ? mac.pid : undefined);

    pwned = path.join(dir, 'pwned');
    const inventory: Inventory = {
      regions: [{
        region: 'us-east-1',
        hosts: [],
        bastions: [{ instanceId: BASTION_ID, region: 'us-east-1', state: 'running', publicIp: '127.0.0.1', sshPort: bastion.port, vpcId: 'vpc-1', name: 'bastion' }],
        instances: [
          { instanceId: MAC_ID, region: 'us-east-1', state: 'running', privateIp: '127.0.0.1', sshPort: mac.port, vpcId: 'vpc-1', name: 'macos1', tags: {} },
          { instanceId: 'i-0aaaaaaaaaaaaaaa2', region: 'us-east-1', state: 'running', privateIp: '127.0.0.1', sshPort: mac.port, vpcId: 'vpc-1', name: `evil\n  ProxyCommand touch ${pwned}`, tags: {} },
        ],
      }],
    };
    const { identities } = resolveIdentities([
      { name: 'admin', user, identityFile: path.join(dir, 'admin') },
      { name: 'developer', user, identityFile: path.join(dir, 'developer') },
    ]);
    // accept-new is opt-in (the default is ask, which BatchMode cannot answer): this inventory's user opted in.
    const r = renderSshConfig(inventory, { mode: 'bastion', identities, strictHostKeyChecking: 'accept-new' });
    hostileAlias = r.entries.find((e) => e.instanceId === 'i-0aaaaaaaaaaaaaaa2' && e.identity === 'admin')!.alias;
    userConfig = path.join(dir, 'config');
    knownHosts = path.join(dir, 'known_hosts');
    // The user's own config: OpsDeck's Include goes on top; their catch-all below keeps the test away from
    // ~/.ssh/known_hosts and never prompts (it applies to the jump too, since -F is passed on to it).
    fs.writeFileSync(userConfig, `Host *\n  UserKnownHostsFile ${knownHosts}\n  BatchMode yes\n  ConnectTimeout 10\n  LogLevel ERROR\n`);
    await writeSshConfig({ userConfig, managedPath: path.join(dir, 'opsdeck', 'config'), managedText: r.text, placement: 'include' });
    const check = await checkWithSsh(r.entries, userConfig, { ssh });
    assert.deepStrictEqual([check.failures, check.mismatches], [[], []], 'ssh -G agrees with every entry');
  });

  after(async () => {
    await bastion?.stop();
    await mac?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the Mac is not reachable directly (own network namespace): only through the bastion', async function () {
    if (!isolated) this.skip();
    const direct = await run(ssh, ['-F', '/dev/null', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=3', '-o', `UserKnownHostsFile=${knownHosts}`, '-i', path.join(dir, 'admin'), '-p', String(mac.port), `${user}@127.0.0.1`, 'echo', 'ok']);
    assert.notStrictEqual(direct.code, 0);
    assert.match(direct.stderr, /refused|timed out|unreachable/i);
  });

  it('ssh -F <config> macos1 echo ok succeeds through ProxyJump (admin and developer identities)', async () => {
    const before = bastion.connections();
    for (const alias of ['macos1', 'macos1-developer']) {
      const out = await run(ssh, ['-F', userConfig, alias, 'echo', 'ok']);
      assert.strictEqual(out.code, 0, `${alias}: ${out.stderr}`);
      assert.strictEqual(out.stdout.trim(), 'ok');
    }
    assert.strictEqual(bastion.connections() - before, 2, 'each login went through the bastion');
    assert.match(fs.readFileSync(bastion.log, 'utf8'), new RegExp(`direct-tcpip.*(?:127\\.0\\.0\\.1 port ${mac.port}|port ${mac.port})`, 's'));
  });

  it('known hosts: accept-new records both keys under the instance ids, and a re-run adds nothing', async () => {
    const lines = fs.readFileSync(knownHosts, 'utf8').trim().split('\n');
    assert.deepStrictEqual(lines.map((l) => l.split(' ')[0]).sort(), [BASTION_ID, MAC_ID].sort(), 'HostKeyAlias keys entries by instance id, not by a reusable private IP');
    const out = await run(ssh, ['-F', userConfig, 'macos1', 'true']);
    assert.strictEqual(out.code, 0, out.stderr);
    assert.strictEqual(fs.readFileSync(knownHosts, 'utf8').trim().split('\n').length, 2);
  });

  it('the hostile Name tag connects under its sanitized alias and its ProxyCommand never runs', async () => {
    assert.strictEqual(hostileAlias, `evil-ProxyCommand-touch-${pwned.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+/, '')}`.slice(0, 63).replace(/[^A-Za-z0-9]+$/, ''));
    const out = await run(ssh, ['-F', userConfig, hostileAlias, 'echo', 'ok']);
    assert.strictEqual(out.code, 0, out.stderr);
    assert.ok(!fs.existsSync(pwned), 'the injected ProxyCommand must not have run');
  });

  it('a key the bastion does not know is refused (the servers really check keys)', async () => {
    const stranger = await run(ssh, ['-F', '/dev/null', '-o', 'BatchMode=yes', '-o', `UserKnownHostsFile=${knownHosts}`, '-o', `HostKeyAlias=${BASTION_ID}`, '-o', 'IdentitiesOnly=yes', '-i', path.join(dir, 'stranger'), '-p', String(bastion.port), `${user}@127.0.0.1`, 'true']);
    assert.notStrictEqual(stranger.code, 0);
    assert.match(stranger.stderr, /Permission denied/);
  });

  it('a changed Mac host key is refused (StrictHostKeyChecking accept-new never accepts a change)', async () => {
    await mac.stop();
    fs.rmSync(path.join(dir, 'mac_host_key'));
    fs.rmSync(path.join(dir, 'mac_host_key.pub'));
    mac = await startMac(sshd, dir, path.join(dir, 'mac_authorized_keys'), isolated);
    await bastion.stop();
    bastion = await startBastion(sshd, dir, path.join(dir, 'bastion_authorized_keys'), isolated ? mac.pid : undefined);
    // Ports changed with the restart: point the managed file at them (same aliases, same host key aliases).
    const managed = path.join(dir, 'opsdeck', 'config');
    const text = fs.readFileSync(managed, 'utf8').replace(/^( {2}Port )\d+$/gm, (_m, p: string) => p + '0');
    const lines = text.split('\n');
    let current = '';
    const patched = lines.map((l) => {
      const h = /^Host (\S+)/.exec(l);
      if (h) current = h[1];
      return /^ {2}Port 0$/.test(l) ? `  Port ${current.startsWith('bastion') ? bastion.port : mac.port}` : l;
    }).join('\n');
    fs.writeFileSync(managed, patched);
    const out = await run(ssh, ['-F', userConfig, 'macos1', 'echo', 'ok']);
    assert.notStrictEqual(out.code, 0);
    assert.match(out.stderr, /Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/);
  });
});
