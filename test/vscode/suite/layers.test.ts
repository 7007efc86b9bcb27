// Lambda Layers inside the real extension host, against moto behind the latency/fault proxy: the view's
// manifests → Regions with badges, publish with one failing Region, "retry failed Regions" publishing only
// that one, drift after an out-of-band publish, the report panel, and manifest diagnostics.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LambdaClient, PublishLayerVersionCommand } from '@aws-sdk/client-lambda';
import { startLatencyProxy, type LatencyProxy } from '../../support/latencyProxy';
import type { Shell } from '../../../src/shell/shell';
import { LayersCommands, type LayersUi } from '../../../src/layers/view/commands';
import { LayerReportPanels } from '../../../src/layers/view/reportPanel';
import { LayersState } from '../../../src/layers/view/state';
import { VersionNode } from '../../../src/layers/view/tree';

/** A queue of answers for the commands' prompts; records every question and fails on an unexpected one. */
class FakeUi implements LayersUi {
  readonly asked: string[] = [];
  constructor(private readonly answers: boolean[]) {}
  async confirm(message: string): Promise<boolean> {
    this.asked.push(message);
    const answer = this.answers.shift();
    assert.notEqual(answer, undefined, `unexpected question: ${message}`);
    return answer as boolean;
  }
  info(): Thenable<string | undefined> {
    return Promise.resolve(undefined);
  }
  readonly names: string[] = [];
  input(_title: string, value: string): Thenable<string | undefined> {
    return Promise.resolve(this.names.shift() ?? value);
  }
  done(): void {
    assert.deepEqual(this.answers, [], 'not every prepared answer was used');
  }
}

interface Report {
  results: Array<{ region: string; action: string; version?: number; error?: string }>;
}

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-south-1', 'sa-east-1'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('layers (extension host)', function () {
  this.timeout(120_000);
  const endpoint = process.env.OPSDECK_TEST_ENDPOINT ?? '';
  const config = () => vscode.workspace.getConfiguration('opsdeck');
  const keys = ['endpointUrl', 'regions', 'layers.confirmBeforePublish'];
  const saved: Record<string, unknown> = {};
  let proxy: LatencyProxy;
  let manifest: vscode.Uri;
  let layerDir: string;

  const snapshot = async (): Promise<string> => ((await vscode.commands.executeCommand('opsdeck.layers.refresh', { snapshot: true })) as string[] | undefined ?? []).join('\n');
  const publishCalls = () => proxy.requests.filter((r) => r.method === 'POST' && /\/layers\/exthost-utils\/versions$/.test(r.path));

  before(async function () {
    if (!endpoint) {
      if (process.env.CI === 'true') throw new Error('OPSDECK_TEST_ENDPOINT is not set (moto) under CI=true');
      console.warn('  !!! SKIPPED layers extension-host tests: OPSDECK_TEST_ENDPOINT (moto) is not set');
      this.skip();
    }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder, 'the test workspace has no folder');
    process.env.AWS_ACCESS_KEY_ID = 'testing';
    process.env.AWS_SECRET_ACCESS_KEY = 'testing';
    await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
    proxy = await startLatencyProxy({ upstream: endpoint });
    layerDir = path.join(folder, 'exthost-layer');
    fs.mkdirSync(path.join(layerDir, 'nodejs/node_modules/exthost-utils'), { recursive: true });
    fs.writeFileSync(path.join(layerDir, 'nodejs/node_modules/exthost-utils/index.js'), 'module.exports = 1;\n');
    const file = path.join(folder, 'exthost.layer.json');
    fs.writeFileSync(file, JSON.stringify({ name: 'exthost-utils', source: './exthost-layer', build: 'none', compatibleRuntimes: ['nodejs20.x'], regions: REGIONS, permissions: [{ account: '111122223333' }] }, null, 2));
    manifest = vscode.Uri.file(file);
    for (const k of keys) saved[k] = config().inspect(k)?.globalValue;
    await config().update('endpointUrl', proxy.endpoint, vscode.ConfigurationTarget.Global);
    await config().update('regions', ['us-east-1'], vscode.ConfigurationTarget.Global);
    await config().update('layers.confirmBeforePublish', false, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    if (!endpoint) return;
    for (const k of keys) await config().update(k, saved[k], vscode.ConfigurationTarget.Global);
    await proxy?.close();
  });

  it('contributes the manifest schema for *.layer.json', () => {
    const pkg = vscode.extensions.getExtension('opsdeck.aws-opsdeck')?.packageJSON as { contributes?: { jsonValidation?: Array<{ fileMatch: string; url: string }> } };
    assert.deepEqual(pkg.contributes?.jsonValidation?.find((j) => j.fileMatch === '*.layer.json'), { fileMatch: '*.layer.json', url: './schemas/layer-manifest.schema.json' });
  });

  it('lists the workspace manifest with every Region missing before the first publish', async () => {
    const tree = await snapshot();
    assert.match(tree, /^exthost-utils — exthost\.layer\.json$/m, tree);
    for (const r of REGIONS) assert.match(tree, new RegExp(`^  ${r} — missing$`, 'm'), tree);
  });

  it('publishes with one failing Region, then "retry failed Regions" publishes only that one', async () => {
    proxy.inject = (req) => (req.region === 'ap-south-1' ? { kind: 'error', status: 403, code: 'AccessDeniedException', message: 'injected for the test' } : undefined);
    const first = (await vscode.commands.executeCommand('opsdeck.layers.publish', manifest.toString())) as Report | undefined;
    proxy.inject = undefined;
    assert.ok(first, 'publish returned nothing (see the OpsDeck log)');
    assert.deepEqual(first.results.map((r) => [r.region, r.action]), [['us-east-1', 'published'], ['eu-west-1', 'published'], ['ap-south-1', 'failed'], ['sa-east-1', 'published']]);
    assert.match(first.results[2].error ?? '', /Access denied in ap-south-1/);

    const before = publishCalls().length;
    const retry = (await vscode.commands.executeCommand('opsdeck.layers.retryFailed', manifest.toString())) as Report | undefined;
    assert.ok(retry);
    assert.deepEqual(retry.results.map((r) => [r.region, r.action, r.version]), REGIONS.map((r) => [r, 'published', 1]));
    assert.equal(publishCalls().length - before, 1, 'the retry published in exactly one Region');
    assert.ok(vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => /Layer exthost-utils: publish/.test(t.label)), 'the result table is open');
  });

  it('shows every Region in sync after publishing, and a drift badge after an out-of-band publish', async () => {
    let tree = await snapshot();
    for (const r of REGIONS) assert.match(tree, new RegExp(`^  ${r} — same as local build · v1 · \\S{8}$`, 'm'), tree);

    await sleep(1100);
    const lambda = new LambdaClient({ region: 'eu-west-1', endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    await lambda.send(new PublishLayerVersionCommand({ LayerName: 'exthost-utils', Content: { ZipFile: new Uint8Array(Buffer.from('PK\x05\x06' + '\0'.repeat(18), 'binary')) } }));
    lambda.destroy();
    tree = await snapshot();
    assert.match(tree, /^ {2}eu-west-1 — drifted: other content published later · v2 · \S{8}$/m, tree);
    assert.match(tree, /^ {2}us-east-1 — same as local build · v1 · \S{8}$/m, tree);

    // Publishing again fixes only the drifted Region.
    const before = publishCalls().length;
    const again = (await vscode.commands.executeCommand('opsdeck.layers.publish', manifest.toString())) as Report;
    assert.deepEqual(again.results.map((r) => r.action), ['skipped', 'published', 'skipped', 'skipped']);
    assert.equal(publishCalls().length - before, 1);
  });

  it('asks twice before a public grant; one "no" publishes nothing', async () => {
    const api = (await vscode.extensions.getExtension('opsdeck.aws-opsdeck')?.activate()) as { shell: Shell };
    const file = vscode.Uri.joinPath(manifest, '..', 'public.layer.json');
    fs.writeFileSync(file.fsPath, JSON.stringify({ name: 'exthost-public', source: './exthost-layer', regions: ['us-east-1'], permissions: [{ public: true }] }));
    const commands = (ui: FakeUi) => new LayersCommands({ shell: api.shell, state: new LayersState(), panels: new LayerReportPanels(), refresh: () => {}, snapshot: async () => [], ui });
    const publishes = () => proxy.requests.filter((r) => r.method === 'POST' && /\/layers\/exthost-public\/versions$/.test(r.path)).length;

    const refuse = new FakeUi([true, false]);
    await assert.rejects(commands(refuse).publish(file.toString()), (e: Error) => e.name === 'UserCancelledError');
    refuse.done();
    assert.equal(refuse.asked.length, 2);
    assert.match(refuse.asked[0], /grants PUBLIC access/);
    assert.match(refuse.asked[1], /Really publish "exthost-public" publicly/);
    assert.equal(publishes(), 0);

    const accept = new FakeUi([true, true]);
    const report = await commands(accept).publish(file.toString());
    accept.done();
    assert.deepEqual(report.results[0].grants, [{ statementId: 'opsdeck-public', status: 'added' }]);
    assert.equal(publishes(), 1);
    fs.rmSync(file.fsPath);
  });

  it('deletes a layer version only after a confirmation', async () => {
    const api = (await vscode.extensions.getExtension('opsdeck.aws-opsdeck')?.activate()) as { shell: Shell };
    const info = { version: 1, arn: 'arn:aws:lambda:sa-east-1:123456789012:layer:exthost-utils:1', runtimes: [], architectures: [] };
    const node = new VersionNode('t', 'exthost-utils', 'sa-east-1', info, { shell: api.shell, state: new LayersState() });
    const make = (ui: FakeUi) => new LayersCommands({ shell: api.shell, state: new LayersState(), panels: new LayerReportPanels(), refresh: () => {}, snapshot: async () => [], ui });
    const no = new FakeUi([false]);
    await assert.rejects(make(no).deleteVersion(node), (e: Error) => e.name === 'UserCancelledError');
    assert.match(no.asked[0], /Delete layer version exthost-utils v1 in sa-east-1\?/);
    assert.match(await snapshot(), /^ {2}sa-east-1 — same as local build · v1/m);
    const yes = new FakeUi([true]);
    await make(yes).deleteVersion(node);
    yes.done();
    assert.match(await snapshot(), /^ {2}sa-east-1 — missing$/m);
  });

  it('underlines problems in an open manifest', async () => {
    const bad = vscode.Uri.joinPath(manifest, '..', 'broken.layer.json');
    const text = '{ "name": "bad name", "source": "x", "regions": ["us-east-1", "mars-1"] }';
    fs.writeFileSync(bad.fsPath, text);
    await vscode.window.showTextDocument(bad);
    let diags: vscode.Diagnostic[] = [];
    for (let i = 0; i < 50 && diags.length < 2; i++) {
      await sleep(100);
      diags = vscode.languages.getDiagnostics(bad).filter((d) => d.source === 'OpsDeck layers');
    }
    assert.deepEqual(diags.map((d) => d.message).sort(), ['"mars-1" is not a Region name (expected something like us-east-1).', '"name" "bad name" is not valid: 1–140 letters, digits, "-" or "_".']);
    assert.equal(diags.find((d) => /mars/.test(d.message))?.range.start.character, text.indexOf('"mars-1"'));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    fs.rmSync(bad.fsPath);
  });

  it('creates a manifest from a folder inside the workspace: beside a subfolder, inside the root, never over an existing one unasked', async () => {
    const api = (await vscode.extensions.getExtension('opsdeck.aws-opsdeck')?.activate()) as { shell: Shell };
    const root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const make = (ui: FakeUi) => new LayersCommands({ shell: api.shell, state: new LayersState(), panels: new LayerReportPanels(), refresh: () => {}, snapshot: async () => [], ui });
    const sub = path.join(root, 'exthost-create');
    fs.mkdirSync(path.join(sub, 'python'), { recursive: true });
    fs.writeFileSync(path.join(sub, 'python', 'a.py'), 'A = 1\n');
    const created: string[] = [];
    try {
      // A subfolder: the manifest goes next to it.
      const ui = new FakeUi([]);
      ui.names.push('exthost-create');
      const file = await make(ui).createManifest(vscode.Uri.file(sub));
      assert.equal(file?.fsPath, path.join(root, 'exthost-create.layer.json'));
      created.push(file!.fsPath);
      assert.equal(JSON.parse(fs.readFileSync(file!.fsPath, 'utf8')).source, './exthost-create');
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, file!.fsPath, 'the new manifest is open in the editor');
      assert.match(await snapshot(), /^exthost-create — exthost-create\.layer\.json$/m, 'the Layers view lists it');

      // The workspace root: inside it with source ".", nothing written in its parent.
      const rootUi = new FakeUi([]);
      rootUi.names.push('exthost-root');
      const inRoot = await make(rootUi).createManifest(vscode.Uri.file(root));
      created.push(inRoot!.fsPath);
      assert.equal(inRoot?.fsPath, path.join(root, 'exthost-root.layer.json'));
      assert.equal(JSON.parse(fs.readFileSync(inRoot!.fsPath, 'utf8')).source, '.');
      assert.equal(fs.existsSync(path.join(path.dirname(root), 'exthost-root.layer.json')), false);

      // An existing manifest: asked first; "no" keeps it (and opens it), "yes" replaces it.
      fs.writeFileSync(file!.fsPath, '{ "name": "kept" }');
      const keep = new FakeUi([false]);
      keep.names.push('exthost-create');
      await make(keep).createManifest(vscode.Uri.file(sub));
      keep.done();
      assert.match(keep.asked[0], /exthost-create\.layer\.json already exists\. Replace it\?/);
      assert.equal(fs.readFileSync(file!.fsPath, 'utf8'), '{ "name": "kept" }');
      const replace = new FakeUi([true]);
      replace.names.push('exthost-create');
      await make(replace).createManifest(vscode.Uri.file(sub));
      replace.done();
      assert.equal(JSON.parse(fs.readFileSync(file!.fsPath, 'utf8')).name, 'exthost-create');

      // A folder outside the workspace: refused before any question.
      const outside = new FakeUi([]);
      await assert.rejects(make(outside).createManifest(vscode.Uri.file(path.dirname(root))), /not inside a workspace folder/);
      assert.deepEqual(outside.asked, []);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      for (const f of created) fs.rmSync(f, { force: true });
      fs.rmSync(sub, { recursive: true, force: true });
    }
  });
});
