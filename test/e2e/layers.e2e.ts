// The Lambda Layers view in a real VS Code UI: moto seeded by the demo seed (scripts/demo/seed-layers.mjs),
// whose workspace holds two *.layer.json manifests; the view must show each Region with its version and drift
// badge (in sync / behind / drifted / missing). Screenshots: test-results/screenshots/layers*.png.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startMoto } from '../../scripts/lib/moto.mjs';
import { startLatencyProxy, type LatencyProxy } from '../support/latencyProxy';
import { useWorkbench, type WorkbenchOptions } from './support/workbench';

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2'];

describe('layers (real VS Code UI)', function () {
  // Filled in by the first hook, before the workbench fixture's own hook reads it.
  const options: WorkbenchOptions = {};
  let moto: Awaited<ReturnType<typeof startMoto>> | undefined;
  let proxy: LatencyProxy | undefined;

  before(async function () {
    this.timeout(120_000);
    moto = await startMoto();
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-layers-e2e-'));
    const { seed } = await import('../../scripts/demo/seed-layers.mjs');
    await seed({ endpoint: moto.endpoint, regions: REGIONS, workspace, log: () => {} });
    options.workspaceFolder = workspace;
    options.env = { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1' };
    // 250 ms per call, so the publish progress stays on screen long enough to be seen (and photographed).
    proxy = await startLatencyProxy({ upstream: moto.endpoint, latencyMs: 0 });
    options.settings = { 'opsdeck.endpointUrl': proxy.endpoint, 'opsdeck.regions': REGIONS };
  });
  const wb = useWorkbench(options);
  after(async () => {
    await proxy?.close();
    await moto?.stop();
  });

  it('shows each Region of a manifest with its version and drift badge', async () => {
    // The whole side bar, wide enough that the screenshot shows the whole badges.
    await wb().focusView('Lambda Layers', { minWidth: 620 });
    // ops-tools (in sync everywhere) sorts first; once its Regions show, fold it so every Region row below is
    // shared-utils'.
    await wb().waitForRow('Lambda Layers', /^ops-tools/, 60_000);
    await wb().waitForRow('Lambda Layers', /eu-west-1\s*same as local build/, 60_000);
    const pane = await wb().pane('Lambda Layers');
    const opsTools = pane.locator('.monaco-list-row').filter({ hasText: /^ops-tools/ }).first();
    if ((await opsTools.getAttribute('aria-expanded')) === 'true') await opsTools.locator('.monaco-tl-twistie').click();
    assert.match(await wb().waitForRow('Lambda Layers', /eu-west-1/), /eu-west-1\s*drifted: other content published later · v2 · \S{8}/);
    assert.match(await wb().waitForRow('Lambda Layers', /us-west-2/), /us-west-2\s*behind: older content · v1 · \S{8}/);
    assert.match(await wb().waitForRow('Lambda Layers', /sa-east-1/), /sa-east-1\s*missing/);
    assert.match(await wb().waitForRow('Lambda Layers', /us-east-1/), /us-east-1\s*same as local build · v1 · \S{8}/);
    assert.match(await wb().waitForRow('Lambda Layers', /ap-southeast-2/), /ap-southeast-2\s*same as local build · v2 · \S{8}/);
    const rows = await wb().viewRows('Lambda Layers');
    assert.ok(rows.some((r) => /^shared-utils/.test(r)), rows.join('\n'));
    await wb().screenshot('layers');
  });

  it('expands a Region to its versions with runtimes and architectures', async () => {
    await wb().expandRow(/us-east-1.*same as local build/, 'Lambda Layers');
    const v1 = await wb().waitForRow('Lambda Layers', /^v1.*nodejs20\.x/);
    assert.match(v1, /nodejs20\.x, nodejs22\.x · x86_64, arm64/);
    await wb().screenshot('layers-versions');
  });

  it('publishes from the view: confirmation, a progress line per Region, the result table, then every Region in sync', async () => {
    const page = wb().page;
    proxy!.latencyMs = 250;
    const pane = await wb().pane('Lambda Layers');
    const row = pane.locator('.monaco-list-row').filter({ hasText: /^shared-utils/ }).first();
    await row.hover();
    await row.locator('.action-label[aria-label="Publish Layer to Regions"]').click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /Publish layer "shared-utils" to 5 Regions/);
    await dialog.getByRole('button', { name: 'Publish' }).click();
    const progress = page.locator('.notifications-toasts .notification-toast').filter({ hasText: /Layer shared-utils/ }).first();
    await progress.waitFor();
    // The progress line carries counts and the latest Region event ("2/5 done · 3 in progress · eu-west-1: …"),
    // whatever the number of Regions.
    await page.locator('.notifications-toasts').getByText(/\d\/5 done/).first().waitFor();
    await wb().screenshot('layers-publish-progress');
    const done = await wb().notifications({ waitForAny: 60_000 }).then(async () => {
      const toast = page.locator('.notifications-toasts .notification-toast').filter({ hasText: /3 published, 2 unchanged/ }).first();
      await toast.waitFor({ timeout: 60_000 });
      return toast.innerText();
    });
    assert.match(done, /Layer shared-utils: 3 published, 2 unchanged\./);
    proxy!.latencyMs = 0;
    const report = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await report.locator('#summary').waitFor({ timeout: 30_000 });
    assert.equal(await report.locator('#summary').innerText(), '3 published, 2 unchanged');
    assert.match(await report.locator('tr[data-region="eu-west-1"]').innerText(), /eu-west-1\s+published\s+v3\s+arn:aws:lambda:eu-west-1:\d{12}:layer:shared-utils:3/);
    assert.match(await report.locator('tr[data-region="us-east-1"]').innerText(), /us-east-1\s+unchanged\s+v1/);
    await wb().screenshot('layers-publish-result');
    if ((await row.getAttribute('aria-expanded')) === 'false') await row.locator('.monaco-tl-twistie').click();
    for (const r of ['us-west-2', 'eu-west-1', 'sa-east-1']) await wb().waitForRow('Lambda Layers', new RegExp(`${r}\\s*same as local build`), 30_000);
  });
});
