import * as assert from 'assert';
import { compareEntry, findCulprit, hostMatches, parseSshG, shadowedAliases } from '../../../src/devhosts/core/sshEffective';
import type { RenderedEntry } from '../../../src/devhosts/core/render';

describe('devhosts: reading ssh -G and finding what overrides OpsDeck', () => {
  const cases: [string[], string, boolean][] = [
    [['*'], 'macos1', true], [['mac*'], 'MACOS1', true], [['mac?os1'], 'macxos1', true], [['!macos1', '*'], 'macos1', false],
    [['*.internal,macos1'], 'macos1', true], [['bastion'], 'bastion-developer', false], [['mac.os'], 'macXos', false],
  ];
  for (const [patterns, alias, want] of cases) it(`Host ${patterns.join(' ')} ${want ? 'matches' : 'does not match'} ${alias}`, () => assert.strictEqual(hostMatches(patterns, alias), want));

  const entry: RenderedEntry = { alias: 'macos1', kind: 'mac', identity: 'admin', hostName: '10.0.0.5', user: 'ec2-user', identityFile: '~/.ssh/mac-admin', proxyJump: '%r@bastion' };
  it('accepts ssh -G output that matches (tokens expanded or not, ~ expanded)', () => {
    const eff = parseSshG('hostname 10.0.0.5\nuser ec2-user\nport 22\nidentityfile /home/u/.ssh/mac-admin\nidentityfile ~/.ssh/id_rsa\nproxyjump ec2-user@bastion\n');
    assert.deepStrictEqual(compareEntry(entry, eff, '/home/u'), []);
  });
  it('reports each overridden keyword', () => {
    const eff = parseSshG('hostname 10.0.0.5\nuser root\nport 2222\nidentityfile ~/.ssh/id_rsa\nproxycommand nc %h %p\n');
    assert.deepStrictEqual(compareEntry(entry, eff, '/home/u').map((m) => m.keyword), ['user', 'port', 'identityfile', 'proxyjump', 'proxycommand']);
  });
  it('finds the winning line with its file, line and block, skipping OpsDeck\'s own region', () => {
    const text = '# mine\nHost github.com\n  User git\nHost *\n  User root\n# --- START\nHost macos1\n  User ec2-user\n# --- END\nMatch all\n  Port 2222\n';
    assert.strictEqual(findCulprit({ file: '/c', text, skip: [{ from: 6, to: 9 }] }, 'macos1', 'user'), '/c:5: User root (in "Host *")');
    assert.strictEqual(findCulprit({ file: '/c', text }, 'macos1', 'port'), '/c:11: Port 2222 (in "Match all")');
    assert.strictEqual(findCulprit({ file: '/c', text: 'User=top\nHost x\n' }, 'macos1', 'user'), '/c:1: User=top');
    assert.strictEqual(findCulprit({ file: '/c', text: 'Host other\n  User x\n' }, 'macos1', 'user'), undefined);
  });

  it('warns when the user already has a Host of the same name (ours would win)', () => {
    const text = 'Host bastion\n  HostName my.own.jump\nHost *.internal macos1-x\n# --- START\nHost macos1\n# --- END\nHost Macos1\n';
    const w = shadowedAliases({ file: '/c', text, skip: [{ from: 4, to: 6 }] }, ['bastion', 'macos1']);
    assert.strictEqual(w.length, 2);
    assert.match(w[0], /^\/c:1: your "Host bastion" is shadowed/);
    assert.match(w[1], /^\/c:7: your "Host Macos1"/);
  });
});
