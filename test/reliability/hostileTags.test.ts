import * as assert from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { resolveIdentities } from '../../src/devhosts/core/identities';
import type { Bastion, DevInstance, Inventory } from '../../src/devhosts/core/model';
import { CONNECTION_MODES, renderSshConfig, type ConnectionMode } from '../../src/devhosts/core/render';
import { parseSshG } from '../../src/devhosts/core/sshEffective';
import { requireTool } from '../support/tools';
import { hostileTags } from './support/corpus';

const run = promisify(execFile);

/**
 * Every hostile tag value of the corpus as a Name tag, an alias-pattern tag and a bastion name, in each
 * connection mode: the renderer must not throw, every line it writes must be one OpsDeck writes (a comment,
 * `Host <one safe alias>` or a known keyword), and the real OpenSSH (`ssh -G`) must parse every entry with
 * the values OpsDeck meant, no ProxyCommand/LocalCommand that OpsDeck did not put there.
 */
const ALLOWED = new Set(['host', 'hostname', 'user', 'identityfile', 'identitiesonly', 'proxyjump', 'proxycommand', 'hostkeyalias', 'stricthostkeychecking', 'serveraliveinterval', 'port']);
const REGION = 'us-east-1';

function inventory(values: string[]): Inventory {
  const instances: DevInstance[] = values.map((v, n) => ({
    instanceId: `i-${(0x0a000000 + n).toString(16).padStart(17, '0')}`,
    region: REGION,
    hostId: `h-${n.toString(16).padStart(17, '0')}`,
    instanceType: 'mac2.metal',
    state: 'running',
    name: v,
    privateIp: `10.1.${n >> 8}.${(n & 255) + 1}`,
    publicIp: `54.1.${n >> 8}.${(n & 255) + 1}`,
    publicDns: v, // a hostile "DNS name" must be refused, never written
    vpcId: 'vpc-1',
    tags: { Name: v, Team: v },
  }));
  const bastions: Bastion[] = [{ instanceId: 'i-0b0000000000000001', region: REGION, name: values.join(' | ').slice(0, 20000), state: 'running', vpcId: 'vpc-1', publicIp: '3.3.3.3', publicDns: values[0] }];
  return { regions: [{ region: REGION, hosts: [], instances, bastions }] };
}

/** Every meaningful line of the rendered file, checked against what OpsDeck writes. */
function assertOnlyOurDirectives(text: string, aliases: Set<string>): void {
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    assert.doesNotMatch(line, /[\u0000-\u0008\u000b-\u001f\u007f\u0085\u2028\u2029\u202a-\u202e]/, `line ${i + 1} holds a control character`);
    if (!line.trim() || line.startsWith('#')) continue;
    const m = /^(\s*)(\S+)\s+(.*)$/.exec(line);
    assert.ok(m, `line ${i + 1} is not a directive: ${JSON.stringify(line.slice(0, 80))}`);
    const keyword = m[2].toLowerCase();
    assert.ok(ALLOWED.has(keyword), `line ${i + 1}: OpsDeck never writes "${m[2]}"`);
    if (keyword === 'host') {
      assert.strictEqual(m[1], '', 'Host starts a line');
      assert.match(m[3], /^[A-Za-z0-9][A-Za-z0-9._-]{0,80}$/, `one safe alias per Host line: ${JSON.stringify(m[3].slice(0, 80))}`);
      assert.ok(aliases.has(m[3]), `Host ${m[3]} is a rendered entry`);
    } else {
      assert.notStrictEqual(m[1], '', `line ${i + 1}: ${m[2]} is inside a Host block`);
    }
  }
}

describe('reliability: hostile tag values through the SSH config renderer and ssh -G', function () {
  this.timeout(180_000);
  const values = hostileTags();
  const { identities } = resolveIdentities(undefined);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-rel-tags-'));
  });

  it(`the corpus holds ${values.length} hostile values, a 10 KB one among them`, () => {
    assert.ok(values.length >= 25);
    assert.ok(values.some((v) => v.value.length >= 10_240));
  });

  for (const mode of CONNECTION_MODES as readonly ConnectionMode[]) {
    for (const pattern of ['{name}', '{tag:Team}-{shortId}']) {
      it(`${mode} mode, alias pattern ${pattern}: only OpsDeck's directives, and ssh -G resolves each entry as meant`, async function () {
        const ssh = requireTool(this, 'OpenSSH client', ['ssh']);
        const inv = inventory(values.map((v) => v.value));
        const r = renderSshConfig(inv, { mode, identities, aliasPattern: pattern, profile: 'dev', bastionHost: undefined });
        const macs = r.entries.filter((e) => e.kind === 'mac');
        assert.strictEqual(macs.length, values.length * identities.length, `no instance lost: skipped ${JSON.stringify(r.skipped.slice(0, 3))}`);
        const aliases = new Set(r.entries.map((e) => e.alias));
        assert.strictEqual(aliases.size, r.entries.length, 'aliases are unique');
        assertOnlyOurDirectives(r.text, aliases);
        for (const v of values) if (v.value.length > 3 && /[\n\r]/.test(v.value)) assert.ok(!r.text.includes(v.value), `${v.id} appears raw`);

        const file = path.join(dir, `config-${mode}-${pattern.length}`);
        fs.writeFileSync(file, r.text, { mode: 0o600 });
        const lanes = 4;
        const queue = [...r.entries];
        await Promise.all(Array.from({ length: lanes }, async () => {
          for (let e = queue.shift(); e; e = queue.shift()) {
            const { stdout } = await run(ssh, ['-G', '-F', file, '--', e.alias], { timeout: 20_000 });
            const eff = parseSshG(stdout);
            assert.strictEqual(eff.get('hostname')?.[0], e.hostName, `${e.alias}: HostName`);
            assert.strictEqual(eff.get('user')?.[0], e.user, `${e.alias}: User`);
            assert.ok(!eff.has('localcommand'), `${e.alias}: no LocalCommand`);
            assert.notStrictEqual(eff.get('permitlocalcommand')?.[0], 'yes');
            assert.notStrictEqual(eff.get('stricthostkeychecking')?.[0], 'false', `${e.alias}: host key checking stays on`);
            if (e.proxyCommand) assert.match(eff.get('proxycommand')?.[0] ?? '', /^aws ssm start-session --target /);
            else assert.ok(!eff.has('proxycommand'), `${e.alias}: no ProxyCommand in ${mode} mode`);
          }
        }));
      });
    }
  }

  it('a hostile bastionHost setting or identity from settings is refused, not written', () => {
    const inv = inventory(['plain']);
    const r = renderSshConfig(inv, { mode: 'bastion', identities, bastionHost: 'evil\n  ProxyCommand touch /tmp/x' });
    assert.ok(!r.text.includes('ProxyCommand'));
    assert.ok(r.notes.some((n) => n.field === 'bastionHost setting' && n.result === null));
    const bad = resolveIdentities([{ name: 'x', user: 'root\nProxyCommand y' }, { name: 'y', user: 'ok', identityFile: '~/.ssh/"k"' }, { name: '%n', user: 'u%r' }]);
    assert.strictEqual(bad.identities.length, 0, JSON.stringify(bad.identities));
    assert.strictEqual(bad.problems.length, 3);
  });
});
