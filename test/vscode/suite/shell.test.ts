// The foundation's extension-host checks: activation, command contributions vs registrations, lazy AWS SDK.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'opsdeck.aws-opsdeck';

interface Manifest {
  contributes?: {
    commands?: Array<{ command: string }>;
    views?: Record<string, Array<{ id: string }>>;
    viewsContainers?: Record<string, Array<{ id: string }>>;
  };
}

/** Modules that must stay out of the extension host until a view or command needs AWS. */
const isAwsModule = (file: string) => file.includes('@aws-sdk') || file.endsWith(path.join('dist', 'core.js'));

let extension: vscode.Extension<unknown>;
let awsModulesAfterActivation: string[] = [];
let extensionModuleLoaded = false;

// A root-level hook: it runs before any test of any suite file, so tests of other features that load
// dist/core.js cannot hide a shell that loads the SDK at activation.
before(async function () {
  this.timeout(30_000);
  const found = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(found, `extension ${EXTENSION_ID} is not loaded in this extension host`);
  extension = found;
  await extension.activate();
  const loaded = Object.keys(require.cache);
  awsModulesAfterActivation = loaded.filter(isAwsModule);
  extensionModuleLoaded = loaded.includes(path.join(extension.extensionPath, 'dist', 'extension.js'));
});

describe('shell', () => {
  it('activates', () => {
    assert.equal(extension.isActive, true);
  });

  it('registers every contributed opsdeck.* command, and contributes every registered one', async () => {
    const manifest = extension.packageJSON as Manifest;
    const contributed = new Set((manifest.contributes?.commands ?? []).map((c) => c.command).filter((id) => id.startsWith('opsdeck.')));
    // VS Code itself registers <viewId>.focus, <viewId>.resetViewLocation, ... for every contributed view.
    const viewIds = Object.values(manifest.contributes?.views ?? {}).flat().map((v) => v.id);
    const generated = (id: string) => viewIds.some((view) => id.startsWith(`${view}.`) && !contributed.has(id));
    const registered = new Set((await vscode.commands.getCommands(true)).filter((id) => id.startsWith('opsdeck.') && !generated(id)));

    assert.ok(contributed.size > 0, 'package.json contributes no opsdeck.* command');
    assert.deepEqual([...contributed].filter((id) => !registered.has(id)).sort(), [], 'contributed but not registered');
    assert.deepEqual([...registered].filter((id) => !contributed.has(id)).sort(), [], 'registered but not contributed');
  });

  it('gives every contributed command a real handler once the features load (not only the activation route)', async () => {
    // Activation registers a route for each contributed id, so the check above cannot see a feature that forgot
    // to register its handler: this one asks the command registry inside dist/features.js.
    const api = extension.exports as { featuresReady: Promise<void>; registeredCommands(): string[] };
    await api.featuresReady;
    const contributed = ((extension.packageJSON as Manifest).contributes?.commands ?? []).map((c) => c.command).sort();
    const handled = new Set(api.registeredCommands());
    assert.ok(handled.size > 0, 'no handler registered at all: this check would see nothing');
    assert.deepEqual(contributed.filter((id) => !handled.has(id)), [], 'contributed, but no feature registered a handler');
    assert.deepEqual([...handled].filter((id) => !contributed.includes(id)).sort(), [], 'handled but not contributed');
  });

  it('loads no AWS SDK module and not dist/core.js at activation', () => {
    assert.ok(extensionModuleLoaded, 'dist/extension.js is not in require.cache: this check would see nothing');
    assert.deepEqual(awsModulesAfterActivation, []);
  });
});

describe('shell: connection changes', () => {
  interface Api {
    shell: { session: { settings: { profile?: string; regions: readonly string[] }; onDidChange: vscode.Event<unknown>; profileName: string } };
    isCoreLoaded(): boolean;
  }
  const config = () => vscode.workspace.getConfiguration('opsdeck');
  let saved: { profile?: string; regions?: string[] };
  before(() => {
    saved = { profile: config().inspect<string>('profile')?.globalValue, regions: config().inspect<string[]>('regions')?.globalValue };
  });
  after(async () => {
    await config().update('profile', saved.profile, vscode.ConfigurationTarget.Global);
    await config().update('regions', saved.regions, vscode.ConfigurationTarget.Global);
  });

  it('a profile switch reaches the session and tells every view (one change event per switch)', async () => {
    const api = extension.exports as Api;
    let events = 0;
    const sub = api.shell.session.onDidChange(() => events++);
    try {
      await config().update('profile', 'opsdeck-switch-test', vscode.ConfigurationTarget.Global);
      for (let i = 0; i < 50 && api.shell.session.settings.profile !== 'opsdeck-switch-test'; i++) await new Promise((r) => setTimeout(r, 50));
      assert.equal(api.shell.session.settings.profile, 'opsdeck-switch-test');
      assert.equal(api.shell.session.profileName, 'opsdeck-switch-test');
      assert.equal(events, 1);
    } finally {
      sub.dispose();
    }
  });

  it('Regions chosen in settings reach the session', async () => {
    const api = extension.exports as Api;
    await config().update('regions', ['eu-north-1', 'ap-south-1'], vscode.ConfigurationTarget.Global);
    for (let i = 0; i < 50 && api.shell.session.settings.regions.length !== 2; i++) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual([...api.shell.session.settings.regions], ['eu-north-1', 'ap-south-1']);
  });
});
