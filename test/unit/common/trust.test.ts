// Restricted Mode and remote windows, decided without VS Code: the trust gate, and what package.json declares
// for it (extensionKind, untrustedWorkspaces, setting scopes, menus hidden while untrusted).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MANAGE_TRUST, TRUST_REQUIRED, trustDecision, trustRequiredCommands } from '../../../src/common/trust';

interface Manifest {
  extensionKind?: string[];
  capabilities?: {
    virtualWorkspaces?: boolean | { supported: boolean; description?: string };
    untrustedWorkspaces?: { supported: boolean | 'limited'; description?: string; restrictedConfigurations?: string[] };
  };
  contributes: {
    commands: Array<{ command: string; enablement?: string }>;
    menus: Record<string, Array<{ command: string; when?: string }>>;
    configuration: { properties: Record<string, { scope?: string }> };
  };
}
const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as Manifest;
const settings = pkg.contributes.configuration.properties;

describe('trust gate (Restricted Mode)', () => {
  const cases: Array<[string, boolean, boolean]> = [
    ['opsdeck.fleets.launch', false, false],
    ['opsdeck.layers.publish', false, false],
    ['opsdeck.devHosts.generateSshConfig', false, false],
    ['opsdeck.batch.cancelJobs', false, false],
    ['opsdeck.devHosts.releaseHost', false, false],
    ['opsdeck.fleets.launch', true, true],
    ['opsdeck.layers.publish', true, true],
    ['opsdeck.layers.refresh', false, true],
    ['opsdeck.fleets.plan', false, true],
    ['opsdeck.fleets.dryRun', false, true],
    ['opsdeck.devHosts.copySshCommand', false, true],
    ['opsdeck.selectProfile', false, true],
  ];
  for (const [id, trusted, allowed] of cases) {
    it(`${id} ${trusted ? 'trusted' : 'untrusted'} → ${allowed ? 'runs' : 'refused'}`, () => {
      const d = trustDecision(id, trusted);
      assert.equal(d.allowed, allowed);
      if (!d.allowed) {
        assert.match(d.message, /needs a trusted workspace/);
        assert.match(d.message, /Restricted Mode/);
        assert.ok(d.message.includes(MANAGE_TRUST), 'the message names the button that fixes it');
        assert.ok(d.message.startsWith(TRUST_REQUIRED[id]), 'the message says what was refused');
      }
    });
  }

  it('every command that asks for trust is contributed', () => {
    const contributed = new Set(pkg.contributes.commands.map((c) => c.command));
    assert.deepEqual(trustRequiredCommands().filter((id) => !contributed.has(id)), []);
  });

  it('menus hide those commands while untrusted; the Command Palette keeps them, so the gate can say why', () => {
    const problems: string[] = [];
    for (const [menu, entries] of Object.entries(pkg.contributes.menus)) {
      for (const e of entries) {
        if (!(e.command in TRUST_REQUIRED)) continue;
        const when = e.when ?? '';
        if (menu === 'commandPalette') {
          if (/isWorkspaceTrusted/.test(when)) problems.push(`${menu}: ${e.command} hidden while untrusted`);
        } else if (when !== 'false' && !/(^|&&\s*)isWorkspaceTrusted(\s*&&|$)/.test(when)) problems.push(`${menu}: ${e.command} when "${when}"`);
      }
    }
    assert.deepEqual(problems, []);
    // No `enablement`: a greyed-out command gives no reason; the gate does.
    assert.deepEqual(pkg.contributes.commands.filter((c) => c.command in TRUST_REQUIRED && c.enablement).map((c) => c.command), []);
  });
});

describe('manifest: remote windows and untrusted workspaces', () => {
  it('prefers the UI side (SSH config and AWS credentials are on the user\'s machine), works on the workspace side', () => {
    assert.deepEqual(pkg.extensionKind, ['ui', 'workspace']);
  });

  it('supports untrusted workspaces in a limited way, restricting every setting that redirects, launches or writes', () => {
    const u = pkg.capabilities?.untrustedWorkspaces;
    assert.equal(u?.supported, 'limited');
    assert.ok(u?.description && u.description.length > 20);
    const restricted = u?.restrictedConfigurations ?? [];
    for (const key of [
      'opsdeck.profile', 'opsdeck.endpointUrl', 'opsdeck.regions', 'opsdeck.fleets.region', 'opsdeck.layers.confirmBeforePublish',
      'opsdeck.devHosts.managedConfigPath', 'opsdeck.devHosts.sshConfigFile', 'opsdeck.devHosts.identities', 'opsdeck.devHosts.bastionHost',
      'opsdeck.devHosts.bastionTag', 'opsdeck.devHosts.strictHostKeyChecking', 'opsdeck.devHosts.connectionMode', 'opsdeck.devHosts.aliasPattern',
      'opsdeck.devHosts.remoteFolder', 'opsdeck.devHosts.placement', 'opsdeck.msk.checkCertificates',
    ]) assert.ok(restricted.includes(key), `${key} must be restricted`);
    assert.deepEqual(restricted.filter((k) => !(k in settings)), [], 'restricted but not contributed');
  });

  it('no virtual workspaces, with the reason', () => {
    const v = pkg.capabilities?.virtualWorkspaces;
    assert.ok(typeof v === 'object' && v.supported === false && (v.description ?? '').length > 20);
  });

  it('local paths are application-scoped: user settings on this machine only, never a workspace or a remote host', () => {
    for (const key of ['opsdeck.devHosts.managedConfigPath', 'opsdeck.devHosts.sshConfigFile', 'opsdeck.devHosts.identities']) assert.equal(settings[key].scope, 'application', key);
  });

  it('no machine or machine-overridable scope: in a remote window VS Code drops those from the local user settings', () => {
    // OpsDeck runs on the UI side there, so the user's own profile, endpoint and SSH settings must keep applying.
    const dropped = Object.entries(settings).filter(([, p]) => p.scope === 'machine' || p.scope === 'machine-overridable').map(([k]) => k);
    assert.deepEqual(dropped, []);
    for (const key of ['opsdeck.profile', 'opsdeck.endpointUrl', 'opsdeck.devHosts.bastionHost', 'opsdeck.devHosts.connectionMode']) assert.equal(settings[key].scope, 'window', key);
  });
});
