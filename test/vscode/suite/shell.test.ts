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

  it('loads no AWS SDK module and not dist/core.js at activation', () => {
    assert.ok(extensionModuleLoaded, 'dist/extension.js is not in require.cache: this check would see nothing');
    assert.deepEqual(awsModulesAfterActivation, []);
  });
});
