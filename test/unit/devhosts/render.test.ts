import * as assert from 'assert';
import { resolveIdentities } from '../../../src/devhosts/core/identities';
import { bastionIdentities, describeBastion, renderSshConfig, type RenderOptions } from '../../../src/devhosts/core/render';
import { configuredBastion } from '../../../src/devhosts/service/discovery';
import { sanitizeAlias, safeHostName, quotePath } from '../../../src/devhosts/core/sanitize';
import { assignAliases } from '../../../src/devhosts/core/aliases';
import { bastion, instance, inventory } from './fixtures';
import { HOSTILE_NAMES } from './hostile';

const ids = resolveIdentities(undefined).identities;
const opts = (over: Partial<RenderOptions> = {}): RenderOptions => ({ mode: 'bastion', identities: ids, ...over });

const KEYWORDS = new Set(['HostName', 'Port', 'User', 'IdentityFile', 'IdentitiesOnly', 'ProxyJump', 'ProxyCommand', 'HostKeyAlias', 'StrictHostKeyChecking', 'ServerAliveInterval']);

/** Every line of the output must be a comment, blank, a Host line with one safe alias, or one known directive. */
export function assertWellFormed(text: string): void {
  const lines = text.split('\n');
  assert.strictEqual(lines.pop(), '', 'ends with one newline');
  for (const line of lines) {
    if (line === '' || /^# [^\r\n]*$/.test(line)) {
      assert.doesNotMatch(line, new RegExp('[\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029]'), `control character in ${JSON.stringify(line)}`);
      continue;
    }
    const host = /^Host ([A-Za-z0-9][A-Za-z0-9._-]*)$/.exec(line);
    if (host) continue;
    const d = /^ {2}(\w+) (.+)$/.exec(line);
    assert.ok(d && KEYWORDS.has(d[1]), `unexpected line ${JSON.stringify(line)}`);
  }
}

describe('devhosts: SSH config rendering', () => {
  it('bastion mode: one bastion entry per identity and ProxyJump %r@bastion-<identity>, as in the seed article', () => {
    const mac = instance({ name: 'macos1', privateIp: '10.0.1.5' });
    const r = renderSshConfig(inventory([mac]), opts());
    assertWellFormed(r.text);
    assert.deepStrictEqual(r.entries.map((e) => e.alias), ['bastion', 'bastion-developer', 'macos1', 'macos1-developer']);
    assert.match(r.text, /Host bastion\n {2}HostName ec2-3-3-3-3\.compute-1\.amazonaws\.com\n {2}User ec2-user\n {2}IdentityFile ~\/\.ssh\/mac-admin\n/);
    assert.match(r.text, /Host bastion-developer\n {2}HostName ec2-3-3-3-3\.compute-1\.amazonaws\.com\n {2}User developer\n {2}IdentityFile ~\/\.ssh\/mac-developer\n/);
    assert.match(r.text, /Host macos1-developer\n {2}HostName 10\.0\.1\.5\n {2}User developer\n {2}IdentityFile ~\/\.ssh\/mac-developer\n {2}IdentitiesOnly yes\n {2}ProxyJump %r@bastion-developer\n/);
    assert.match(r.text, new RegExp(`HostKeyAlias ${mac.instanceId}`));
    assert.doesNotMatch(r.text, /ProxyCommand/);
  });

  it('bastion mode: picks the bastion of the same Region and VPC; skips instances without one', () => {
    const b1 = bastion({ region: 'us-east-1', vpcId: 'vpc-a', publicIp: '3.3.3.3', publicDns: undefined });
    const b2 = bastion({ region: 'us-east-1', vpcId: 'vpc-b', publicIp: '4.4.4.4', publicDns: undefined });
    const macA = instance({ name: 'a', vpcId: 'vpc-a' });
    const macB = instance({ name: 'b', vpcId: 'vpc-b' });
    const macEu = instance({ name: 'eu', region: 'eu-west-1' });
    const r = renderSshConfig(inventory([macA, macB, macEu], [b1, b2]), opts({ identities: ids.slice(0, 1) }));
    const a = r.entries.find((e) => e.alias === 'a')!;
    const b = r.entries.find((e) => e.alias === 'b')!;
    assert.notStrictEqual(a.proxyJump, b.proxyJump);
    assert.strictEqual(r.entries.find((e) => `%r@${e.alias}` === a.proxyJump)?.hostName, '3.3.3.3');
    assert.deepStrictEqual(r.skipped.map((s) => s.instanceId), [macEu.instanceId]);
    assert.match(r.skipped[0].reason, /no bastion found in eu-west-1/);
  });

  it('bastion mode: a bastion host from settings serves every Region', () => {
    const r = renderSshConfig(inventory([instance({ name: 'x', region: 'eu-west-1' })], []), opts({ bastionHost: 'jump.example.com', identities: ids.slice(0, 1) }));
    assert.match(r.text, /Host bastion\n {2}HostName jump\.example\.com/);
    assert.strictEqual(r.entries.find((e) => e.alias === 'x')?.proxyJump, '%r@bastion');
  });

  it('ssm mode: ProxyCommand over AWS-StartSSHSession with Region and profile, HostName = instance id, no bastion', () => {
    const mac = instance({ name: 'm1', region: 'eu-central-1' });
    const r = renderSshConfig(inventory([mac]), opts({ mode: 'ssm', profile: 'team-dev', identities: ids.slice(0, 1) }));
    assertWellFormed(r.text);
    assert.deepStrictEqual(r.entries.map((e) => e.alias), ['m1']);
    assert.ok(r.text.includes(`HostName ${mac.instanceId}\n`));
    assert.ok(r.text.includes('  ProxyCommand aws ssm start-session --target %h --document-name AWS-StartSSHSession --parameters portNumber=%p --region eu-central-1 --profile team-dev\n'));
    assert.doesNotMatch(r.text, /ProxyJump|Host bastion/);
  });

  it('ssm mode: an unsafe profile name is refused, not quoted into a shell command', () => {
    const r = renderSshConfig(inventory([instance({ name: 'm' })]), opts({ mode: 'ssm', profile: 'x; touch /tmp/pwned', identities: ids.slice(0, 1) }));
    assert.strictEqual(r.entries.length, 0);
    assert.match(r.skipped[0].reason, /profile/);
  });

  it('direct mode: public DNS, then public IP; skips private-only instances', () => {
    const a = instance({ name: 'a', publicDns: 'ec2-1-2-3-4.compute-1.amazonaws.com' });
    const b = instance({ name: 'b', publicIp: '1.2.3.5' });
    const c = instance({ name: 'c' });
    const r = renderSshConfig(inventory([a, b, c], []), opts({ mode: 'direct', identities: ids.slice(0, 1) }));
    assert.deepStrictEqual(r.entries.map((e) => [e.alias, e.hostName]), [['a', 'ec2-1-2-3-4.compute-1.amazonaws.com'], ['b', '1.2.3.5']]);
    assert.deepStrictEqual(r.skipped.map((s) => s.instanceId), [c.instanceId]);
  });

  it('leaves out terminated instances and is deterministic (same inventory, same bytes, any order)', () => {
    const list = [instance({ name: 'b' }), instance({ name: 'a' }), instance({ name: 'gone', state: 'terminated' })];
    const b = bastion();
    const one = renderSshConfig(inventory(list, [b]), opts()).text;
    const two = renderSshConfig(inventory([...list].reverse(), [b]), opts()).text;
    assert.strictEqual(one, two);
    assert.doesNotMatch(one, /gone/);
  });

  it('quotes an IdentityFile with spaces and doubles % (IdentityFile expands tokens)', () => {
    const { identities } = resolveIdentities([{ name: 'me', user: 'me', identityFile: '~/My Keys/100%.pem' }]);
    const r = renderSshConfig(inventory([instance({ name: 'x' })]), opts({ identities }));
    assert.ok(r.text.includes('  IdentityFile "~/My Keys/100%%.pem"\n'));
  });

  it('rejects identities with unsafe users or paths instead of rendering them', () => {
    const { identities, problems } = resolveIdentities([
      { name: 'ok', user: 'dev' },
      { name: 'bad1', user: '%r' },
      { name: 'bad2', user: 'root\nProxyCommand x' },
      { name: 'bad3', user: 'dev', identityFile: '/tmp/"x' },
      { name: 'bad4', user: "o'neil" },
    ]);
    assert.deepStrictEqual(identities.map((i) => i.name), ['ok']);
    assert.strictEqual(problems.length, 4);
  });
});

describe('devhosts: hostile tag values', () => {
  it(`${HOSTILE_NAMES.length} hostile Name tags never inject a directive or break a line (all three modes)`, () => {
    for (const mode of ['bastion', 'ssm', 'direct'] as const) {
      const list = HOSTILE_NAMES.map((name) => instance({ name, publicIp: '1.2.3.4' }));
      const hostileBastion = bastion({ name: 'evil\n  ProxyCommand touch /tmp/pwned' });
      const r = renderSshConfig(inventory(list, [hostileBastion]), opts({ mode }));
      assertWellFormed(r.text);
      if (mode !== 'ssm') assert.doesNotMatch(r.text, /^\s*ProxyCommand/im, `${mode}: a ProxyCommand directive appeared`);
      assert.doesNotMatch(r.text, /^\s*(IdentityFile \/tmp\/attacker-key|User root|Host \*|Include|Match)/im);
      const macEntries = r.entries.filter((e) => e.kind === 'mac');
      assert.strictEqual(macEntries.length, HOSTILE_NAMES.length * ids.length, `${mode}: every instance got an entry`);
      assert.strictEqual(new Set(r.entries.map((e) => e.alias.toLowerCase())).size, r.entries.length, `${mode}: aliases are unique`);
      for (const e of r.entries) assert.ok(e.alias.length <= 63 + 20);
      assert.ok(r.notes.length > 10, 'changes are reported for logging');
    }
  });

  it('the seed attack: Name "evil\\n  ProxyCommand touch /tmp/pwned" gives alias evil-ProxyCommand-touch-tmp-pwned and no directive', () => {
    const r = renderSshConfig(inventory([instance({ name: 'evil\n  ProxyCommand touch /tmp/pwned' })]), opts({ identities: ids.slice(0, 1) }));
    assert.ok(r.entries.some((e) => e.alias === 'evil-ProxyCommand-touch-tmp-pwned'));
    assert.strictEqual(r.text.split('\n').filter((l) => /^\s*ProxyCommand/i.test(l)).length, 0);
  });

  it('hostile addresses from AWS are refused', () => {
    for (const bad of ['10.0.0.1\nProxyCommand x', '10.0.0.1 extra', 'host"name', '%h', '-oProxyCommand=x', '']) assert.strictEqual(safeHostName(bad), null, bad);
    for (const good of ['10.0.0.1', 'ip-10-0-0-1.ec2.internal', 'fe80::1', 'ec2-3-3-3-3.compute-1.amazonaws.com']) assert.strictEqual(safeHostName(good), good);
    const r = renderSshConfig(inventory([instance({ name: 'x', privateIp: '10.0.0.1\n  ProxyCommand touch /tmp/pwned' })]), opts());
    assert.strictEqual(r.entries.filter((e) => e.kind === 'mac').length, 0);
    assert.match(r.skipped[0].reason, /private IP/);
  });

  const aliasCases: [string, string][] = [
    ['macos1', 'macos1'], ['My Mac #1', 'My-Mac-1'], ['café', 'cafe'], ['-oX', 'oX'], ['a..b', 'a.b'], ['%h', 'h'], ['*', ''], ['日本', ''], ['x'.repeat(100), 'x'.repeat(63)],
  ];
  for (const [raw, want] of aliasCases) it(`alias ${JSON.stringify(raw.slice(0, 20))} → ${JSON.stringify(want.slice(0, 20))}`, () => assert.strictEqual(sanitizeAlias(raw), want));

  it('quotePath refuses quotes and controls', () => {
    assert.strictEqual(quotePath('a"b', true), null);
    assert.strictEqual(quotePath('a\nb', true), null);
    assert.strictEqual(quotePath('~/.ssh/k', true), '~/.ssh/k');
  });
});

describe('devhosts: alias collisions', () => {
  it('the oldest instance keeps the name; others get -<last 8 of id>; stable when more appear', () => {
    const old = instance({ name: 'Mac', launchTime: '2026-01-01T00:00:00Z' });
    const young = instance({ name: 'mac', launchTime: '2026-02-01T00:00:00Z' });
    const r1 = assignAliases([young, old]);
    assert.strictEqual(r1.aliases.get(old.instanceId), 'Mac');
    assert.strictEqual(r1.aliases.get(young.instanceId), `mac-${young.instanceId.slice(-8)}`);
    assert.strictEqual(r1.collisions.length, 1);
    const third = instance({ name: 'MAC', launchTime: '2026-03-01T00:00:00Z' });
    const r2 = assignAliases([third, young, old]);
    assert.strictEqual(r2.aliases.get(young.instanceId), r1.aliases.get(young.instanceId));
    assert.strictEqual(r2.aliases.get(old.instanceId), 'Mac');
  });
  it('falls back to the instance id, and never hands out a reserved (bastion) alias', () => {
    const a = instance({ name: undefined });
    const b = instance({ name: 'bastion' });
    const r = assignAliases([a, b], '{name}', ['bastion']);
    assert.strictEqual(r.aliases.get(a.instanceId), a.instanceId);
    assert.strictEqual(r.aliases.get(b.instanceId), `bastion-${b.instanceId.slice(-8)}`);
  });
  it('a suffixed alias never steals another instance\'s real name', () => {
    const x1 = instance({ name: 'x', launchTime: '2026-01-01T00:00:00Z' });
    const x2 = instance({ name: 'x', launchTime: '2026-01-02T00:00:00Z' });
    const squatter = instance({ name: `x-${x2.instanceId.slice(-8)}` });
    const r = assignAliases([x1, x2, squatter]);
    assert.strictEqual(r.aliases.get(squatter.instanceId), `x-${x2.instanceId.slice(-8)}`);
    assert.strictEqual(r.aliases.get(x2.instanceId), `x-${x2.instanceId.slice(-8)}-2`);
  });
  it('pattern tokens: {name}-{region}, {shortId}, {tag:Owner}', () => {
    const i = instance({ name: 'n', region: 'eu-west-1', tags: { Owner: 'Ann Lee' } });
    assert.strictEqual(assignAliases([i], '{tag:Owner}-{name}-{region}').aliases.get(i.instanceId), 'Ann-Lee-n-eu-west-1');
    assert.strictEqual(assignAliases([i], 'mac-{shortId}').aliases.get(i.instanceId), `mac-${i.instanceId.slice(-8)}`);
  });
});

describe('devhosts: the bastion from settings, as listed', () => {
  const fromSetting = configuredBastion('bastion.example.com', 'us-east-1');

  it('is rendered from the setting, never as a discovered bastion; the tree and CLI line say "from settings" and what it serves', () => {
    const inv = inventory([instance({ name: 'mac' })], [fromSetting]);
    const r = renderSshConfig(inv, opts({ bastionHost: 'bastion.example.com' }));
    assert.deepStrictEqual(r.entries.filter((e) => e.kind === 'bastion').map((e) => [e.alias, e.hostName, e.instanceId]), [['bastion', 'bastion.example.com', undefined], ['bastion-developer', 'bastion.example.com', undefined]]);
    const served = bastionIdentities(r, fromSetting);
    assert.deepStrictEqual(served, [{ alias: 'bastion', identity: 'admin', user: 'ec2-user' }, { alias: 'bastion-developer', identity: 'developer', user: 'developer' }]);
    assert.strictEqual(describeBastion(fromSetting, served, 'bastion'), 'from settings · serves admin as ec2-user via bastion, developer as developer via bastion-developer');
    // Without the setting passed to the renderer, the listed entry is not mistaken for a discovered instance.
    const alone = renderSshConfig(inv, opts());
    assert.strictEqual(alone.entries.filter((e) => e.kind === 'bastion').length, 0);
    assert.doesNotMatch(alone.text, /HostKeyAlias\s*$/m);
  });

  it('says when it is unused (ssm mode) or not a host name; a discovered bastion keeps state and address', () => {
    assert.strictEqual(describeBastion(fromSetting, [], 'ssm'), 'from settings · unused in ssm mode');
    const bad = configuredBastion('evil\n  ProxyCommand x', 'us-east-1');
    assert.strictEqual(describeBastion(bad, bastionIdentities(renderSshConfig(inventory([instance()], [bad]), opts({ bastionHost: bad.name })), bad), 'bastion'), 'from settings · not a valid host name: not used');
    const b = bastion();
    const r = renderSshConfig(inventory([instance()], [b]), opts());
    assert.strictEqual(describeBastion(b, bastionIdentities(r, b), 'bastion'), `running · ${b.publicDns} · serves admin as ec2-user via bastion, developer as developer via bastion-developer`);
  });
});
