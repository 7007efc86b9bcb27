// Restricted Mode in a real VS Code UI: code-server with workspace trust ON (no startup prompt), so the folder
// opens untrusted. Its .vscode/settings.json points opsdeck.endpointUrl at a dead port and turns publish
// confirmations off; both must be ignored (restrictedConfigurations), so the Lambda Layers view still fills from
// the emulator named in the USER settings. Publish (palette) and Launch (CodeLens) ask for trust instead of
// acting, and nothing is published. Screenshots: test-results/screenshots/restricted-*.png.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LambdaClient, ListLayerVersionsCommand } from '@aws-sdk/client-lambda';
import { startMoto } from '../../scripts/lib/moto.mjs';
import { useWorkbench, type WorkbenchOptions } from './support/workbench';

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2'];
const VIEW = 'Lambda Layers';
const CREDS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

describe('Restricted Mode (real VS Code UI, untrusted workspace)', function () {
  this.timeout(240_000);
  const options: WorkbenchOptions = { workspaceTrust: true };
  let moto: Awaited<ReturnType<typeof startMoto>> | undefined;
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-restricted-e2e-'));

  /** Versions of shared-utils per Region, straight from moto. */
  async function versions(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const region of REGIONS) {
      const lambda = new LambdaClient({ region, endpoint: moto!.endpoint, credentials: CREDS });
      try {
        out[region] = (await lambda.send(new ListLayerVersionsCommand({ LayerName: 'shared-utils' }))).LayerVersions?.length ?? 0;
      } finally {
        lambda.destroy();
      }
    }
    return out;
  }
  let versionsBefore: Record<string, number> = {};

  before(async function () {
    this.timeout(120_000);
    moto = await startMoto();
    const { seed } = await import('../../scripts/demo/seed-layers.mjs');
    await seed({ endpoint: moto.endpoint, regions: REGIONS, workspace, log: () => {} });
    fs.writeFileSync(path.join(workspace, 'web.fleet.json'), '{\n  "Type": "instant"\n}\n');
    fs.mkdirSync(path.join(workspace, '.vscode'));
    fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({
      'opsdeck.endpointUrl': 'http://127.0.0.1:9', // the discard port: nothing answers there
      'opsdeck.layers.confirmBeforePublish': false,
      'opsdeck.regions': ['sa-east-1'],
    }, null, 2));
    options.workspaceFolder = workspace;
    options.env = { AWS_ACCESS_KEY_ID: CREDS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDS.secretAccessKey, AWS_REGION: 'us-east-1' };
    options.settings = { 'opsdeck.endpointUrl': moto.endpoint, 'opsdeck.regions': REGIONS, 'opsdeck.fleets.region': 'us-east-1' };
    versionsBefore = await versions();
  });
  const wb = useWorkbench(options);
  after(async () => {
    await moto?.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  const toast = (text: RegExp) => wb().page.locator('.notifications-toasts .notification-toast').filter({ hasText: text }).first();

  it('opens the folder in Restricted Mode', async () => {
    assert.match(await wb().statusBarItemText(/Restricted Mode/), /Restricted Mode/);
  });

  it('fills the views from the user settings\' endpoint: the workspace\'s dead endpoint and Regions are ignored', async () => {
    await wb().focusView(VIEW, { minWidth: 620 });
    await wb().waitForRow(VIEW, /^ops-tools/, 60_000);
    const pane = await wb().pane(VIEW);
    const opsTools = pane.locator('.monaco-list-row').filter({ hasText: /^ops-tools/ }).first();
    if ((await opsTools.getAttribute('aria-expanded')) === 'true') await opsTools.locator('.monaco-tl-twistie').click();
    assert.match(await wb().waitForRow(VIEW, /eu-west-1/, 60_000), /eu-west-1\s*drifted: other content published later · v2/);
    assert.match(await wb().waitForRow(VIEW, /us-east-1/), /us-east-1\s*same as local build · v1/);
    const rows = await wb().viewRows(VIEW);
    assert.ok(!rows.some((r) => /error|ECONNREFUSED|127\.0\.0\.1:9/i.test(r)), `a row used the workspace's endpoint:\n${rows.join('\n')}`);
    await wb().screenshot('restricted-layers');
  });

  it('hides Publish from the view while untrusted', async () => {
    const pane = await wb().pane(VIEW);
    const row = pane.locator('.monaco-list-row').filter({ hasText: /^shared-utils/ }).first();
    await row.hover();
    await wb().page.waitForTimeout(300);
    assert.equal(await row.locator('.action-label[aria-label="Publish Layer to Regions"]').count(), 0);
  });

  it('Publish from the Command Palette asks for trust instead of publishing', async () => {
    await wb().runCommand('AWS OpsDeck: Publish Layer to Regions');
    const t = toast(/Publishing a layer needs a trusted workspace/);
    await t.waitFor({ timeout: 20_000 });
    assert.match(await t.innerText(), /Restricted Mode/);
    assert.equal(await t.getByRole('button', { name: 'Manage Workspace Trust' }).count(), 1);
    await wb().screenshot('restricted-publish');
    // No confirmation dialog, no progress, and moto has exactly the versions it had before.
    assert.equal(await wb().page.locator('.monaco-dialog-box').count(), 0);
    assert.deepEqual(await versions(), versionsBefore);
  });

  it('the Launch CodeLens says it needs trust, and clicking it asks for trust instead of launching', async () => {
    const page = wb().page;
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input').first();
    await input.waitFor();
    await input.fill('web.fleet.json');
    await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'web.fleet.json' }).first().waitFor();
    await page.keyboard.press('Enter');
    const lens = page.locator('.codelens-decoration').filter({ hasText: /Launch/ }).first();
    await lens.waitFor({ timeout: 30_000 });
    assert.match(await lens.innerText(), /Launch \(needs a trusted workspace\)/);
    await lens.locator('a', { hasText: /Launch/ }).click();
    const t = toast(/Launching a fleet needs a trusted workspace/);
    await t.waitFor({ timeout: 20_000 });
    await wb().screenshot('restricted-launch');
    // Its button opens VS Code's Workspace Trust editor.
    await t.getByRole('button', { name: 'Manage Workspace Trust' }).click();
    const trustEditor = page.getByText('You are in Restricted Mode').first();
    await trustEditor.waitFor({ timeout: 20_000 });
    await wb().screenshot('restricted-trust-editor');
  });

  it('once the folder is trusted, the Launch CodeLens is the real one again (onDidGrantWorkspaceTrust)', async () => {
    const page = wb().page;
    await page.getByRole('button', { name: 'Trust', exact: true }).first().click();
    await page.locator('.part.statusbar .statusbar-item').filter({ hasText: /Restricted Mode/ }).first().waitFor({ state: 'detached', timeout: 20_000 });
    await page.keyboard.press('Escape');
    const lens = page.locator('.codelens-decoration').filter({ hasText: /Launch/ }).first();
    await page.waitForFunction((el) => !!el && /Launch/.test(el.textContent ?? '') && !/needs a trusted workspace/.test(el.textContent ?? ''), await lens.elementHandle(), { timeout: 20_000 });
  });
});
