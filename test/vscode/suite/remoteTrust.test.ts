// Remote windows and Restricted Mode in the real extension host: the manifest as VS Code reads it, where the
// extension runs, application-scoped settings ignoring the workspace's value, and the trust gate of the command
// registry (the UI side of Restricted Mode is test/e2e/restricted.e2e.ts).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CommandRegistry } from '../../../src/shell/commands';
import type { Shell } from '../../../src/shell/shell';
import type { WorkspaceTrust } from '../../../src/shell/trust';

const EXTENSION_ID = 'opsdeck.aws-opsdeck';

interface Manifest {
  extensionKind?: string[];
  capabilities?: {
    virtualWorkspaces?: { supported: boolean; description: string };
    untrustedWorkspaces?: { supported: boolean | 'limited'; description: string; restrictedConfigurations: string[] };
  };
  contributes: { configuration: { properties: Record<string, { scope?: string }> } };
}

/** Resolves after the next configuration change that affects `key`, or after `ms`. */
function configChange(key: string, ms = 10_000): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      sub.dispose();
      resolve(false);
    }, ms);
    const sub = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(key)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(true);
    });
  });
}

describe('remote windows and Restricted Mode', () => {
  let extension: vscode.Extension<{ shell: Shell; featuresReady: Promise<void> }>;

  before(async () => {
    extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    await extension.activate();
    await extension.exports.featuresReady;
  });

  it('declares extensionKind [ui, workspace], limited untrusted support and no virtual workspaces, as VS Code reads them', () => {
    const pkg = extension.packageJSON as Manifest;
    assert.deepEqual(pkg.extensionKind, ['ui', 'workspace']);
    const untrusted = pkg.capabilities?.untrustedWorkspaces;
    assert.equal(untrusted?.supported, 'limited');
    for (const key of ['opsdeck.profile', 'opsdeck.endpointUrl', 'opsdeck.fleets.region', 'opsdeck.layers.confirmBeforePublish', 'opsdeck.devHosts.managedConfigPath', 'opsdeck.msk.checkCertificates']) {
      assert.ok(untrusted?.restrictedConfigurations.includes(key), `${key} is not restricted`);
    }
    assert.equal(pkg.capabilities?.virtualWorkspaces?.supported, false);
    const props = pkg.contributes.configuration.properties;
    assert.equal(props['opsdeck.devHosts.identities'].scope, 'application');
    assert.equal(props['opsdeck.profile'].scope, 'window');
  });

  it('runs in the workspace extension host here: code-server has no separate UI extension host', () => {
    // code-server's browser workbench runs only web-worker extensions on the UI side; a Node extension such as
    // OpsDeck runs in the server's extension host, which VS Code reports as Workspace (the window is a remote one).
    // In desktop VS Code with Remote-SSH, "ui" first puts OpsDeck on the user's machine instead.
    assert.equal(extension.extensionKind, vscode.ExtensionKind.Workspace);
    assert.ok(vscode.env.remoteName, 'code-server windows are remote windows');
  });

  describe('an application-scoped path in the workspace settings', () => {
    const folder = () => vscode.workspace.workspaceFolders![0].uri.fsPath;
    const settingsFile = () => path.join(folder(), '.vscode', 'settings.json');
    let before: string | undefined;

    beforeEach(() => {
      before = fs.existsSync(settingsFile()) ? fs.readFileSync(settingsFile(), 'utf8') : undefined;
    });
    afterEach(async () => {
      const changed = configChange('opsdeck.devHosts.remoteFolder');
      if (before === undefined) fs.rmSync(path.join(folder(), '.vscode'), { recursive: true, force: true });
      else fs.writeFileSync(settingsFile(), before);
      await changed;
    });

    it('is not what getConfiguration().get gives (inspect has no workspace value); a window-scoped one is', async function () {
      this.timeout(30_000);
      const c0 = vscode.workspace.getConfiguration('opsdeck');
      const userValue = c0.get<string>('devHosts.managedConfigPath');
      fs.mkdirSync(path.dirname(settingsFile()), { recursive: true });
      const changed = configChange('opsdeck.devHosts.remoteFolder');
      fs.writeFileSync(settingsFile(), JSON.stringify({
        'opsdeck.devHosts.managedConfigPath': '/tmp/opsdeck-from-a-cloned-repo/config',
        'opsdeck.devHosts.identities': [{ user: 'evil', identityFile: '/tmp/opsdeck-from-a-cloned-repo/key' }],
        // The contrast: window scope, which a trusted workspace may set (this host trusts every workspace).
        'opsdeck.devHosts.remoteFolder': '/Users/${user}/from-the-workspace',
      }, null, 2));
      assert.ok(await changed, 'VS Code never reported the workspace settings change');
      const c = vscode.workspace.getConfiguration('opsdeck');
      assert.equal(c.get('devHosts.remoteFolder'), '/Users/${user}/from-the-workspace');
      assert.equal(c.inspect('devHosts.remoteFolder')?.workspaceValue, '/Users/${user}/from-the-workspace');
      assert.equal(c.get('devHosts.managedConfigPath'), userValue, 'the workspace value of an application setting applied');
      assert.deepEqual(c.get('devHosts.identities'), c0.get('devHosts.identities'));
      // VS Code drops it while parsing the workspace settings: inspect shows no workspaceValue at all.
      assert.equal(c.inspect('devHosts.managedConfigPath')?.workspaceValue, undefined);
      assert.equal(c.inspect('devHosts.identities')?.workspaceValue, undefined);
      // Writing one there through the API is refused outright.
      await assert.rejects(
        Promise.resolve(c.update('devHosts.managedConfigPath', '/tmp/x', vscode.ConfigurationTarget.Workspace)),
        /can be written only into User settings/,
      );
    });
  });

  describe('the trust gate of the command registry', () => {
    const ids = ['opsdeck.fleets.launch', 'opsdeck.layers.publish', 'opsdeck.devHosts.generateSshConfig', 'opsdeck.batch.cancelJobs', 'opsdeck.fleets.plan'];

    function registry(trusted: boolean): { commands: CommandRegistry; ran: string[]; refused: string[] } {
      const { shell } = extension.exports;
      const ran: string[] = [];
      const refused: string[] = [];
      const trust: WorkspaceTrust = { isTrusted: () => trusted, refuse: (m) => refused.push(m) };
      // `routed`: these ids stay with the real extension's VS Code registrations; the test calls execute().
      const commands = new CommandRegistry(shell.context, shell.log, () => shell.session.errorContext(), new Set(ids), trust);
      for (const id of ids) commands.register(id, () => ran.push(id));
      return { commands, ran, refused };
    }

    it('untrusted: launch, publish, SSH config writes and job cancels never reach their handler; the user is told why', async () => {
      const { commands, ran, refused } = registry(false);
      for (const id of ids) assert.equal(await commands.execute(id, []), id === 'opsdeck.fleets.plan' ? 1 : undefined);
      assert.deepEqual(ran, ['opsdeck.fleets.plan'], 'only the read-only plan ran');
      assert.equal(refused.length, 4);
      assert.match(refused[0], /^Launching a fleet needs a trusted workspace/);
      assert.match(refused[1], /^Publishing a layer needs a trusted workspace/);
      for (const m of refused) assert.match(m, /Restricted Mode.*Manage Workspace Trust/);
    });

    it('trusted: every one of them runs', async () => {
      const { commands, ran, refused } = registry(true);
      for (const id of ids) await commands.execute(id, []);
      assert.deepEqual(ran, ids);
      assert.deepEqual(refused, []);
    });
  });
});
