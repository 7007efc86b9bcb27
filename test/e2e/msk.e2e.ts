// MSK Consumers in the real VS Code UI: the tree shows Kafka-triggered functions with verdicts and lag trends, a
// PROBLEM: result shows as an error row, the status bar alert shows, and the dashboard webview draws its four
// charts. Screenshots: test-results/screenshots/msk-tree.png and msk-dashboard.png.
// Data: moto (Lambda functions, CloudWatch metrics, Secrets Manager) + the OVERLAY for Kafka event source
// mappings, which moto cannot create (scripts/overlay/kafkaMappings.mjs), seeded by scripts/demo/seed-msk.mjs.
import * as assert from 'node:assert/strict';
import { startMoto } from '../../scripts/lib/moto.mjs';
import { startOverlay } from '../../scripts/lib/overlay.mjs';
import { kafkaMappingsHandler } from '../../scripts/overlay/kafkaMappings.mjs';
import { seed } from '../../scripts/demo/seed-msk.mjs';
import { useWorkbench, type WorkbenchOptions } from './support/workbench';

const REGIONS = ['us-east-1', 'us-west-2'];
const VIEW = 'MSK Consumers';

describe('msk (real VS Code UI)', function () {
  this.timeout(240_000);
  const stops: Array<() => Promise<void>> = [];
  // Filled in before the workbench starts (its before hook runs after this one).
  const options: WorkbenchOptions = { settings: {}, env: {} };

  before(async function () {
    this.timeout(180_000);
    const moto = await startMoto();
    stops.push(moto.stop);
    const state: Record<string, unknown> = {};
    const overlay = await startOverlay({ upstream: moto.endpoint, handlers: [kafkaMappingsHandler(state)] });
    stops.push(overlay.stop);
    const extra = await seed({ endpoint: overlay.endpoint, motoEndpoint: moto.endpoint, regions: REGIONS, overlayState: state });
    Object.assign(options.settings!, { 'opsdeck.regions': REGIONS, 'opsdeck.endpointUrl': overlay.endpoint, 'opsdeck.msk.pollIntervalSeconds': 0, ...extra });
    Object.assign(options.env!, { AWS_ACCESS_KEY_ID: 'AKIAE2EOPSDECK000001', AWS_SECRET_ACCESS_KEY: 'e2e-not-a-secret', AWS_REGION: REGIONS[0] });
  });
  const wb = useWorkbench(options);
  after(async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  });

  it('shows Region → function → mapping with verdicts and lag trends', async () => {
    // The whole side bar, wide enough that the screenshot shows the verdicts and trends in full.
    await wb().focusView(VIEW, { minWidth: 620 });
    const orders = await wb().waitForRow(VIEW, /orders-consumer/, 90_000);
    assert.match(orders, /WARN/);
    // The seed wrote 60 one-minute points ending when it ran; minutes later the window shows fewer of them.
    assert.match(await wb().waitForRow(VIEW, /lag 6,000 ↑ rising for \d+ min/), /orders.*WARN/);
    assert.match(await wb().waitForRow(VIEW, /inventory-sync/), /STALLED/);
    assert.match(await wb().waitForRow(VIEW, /legacy-importer/), /DISABLED/);
    assert.match(await wb().waitForRow(VIEW, /audit-writer/), /ERROR/);
    assert.match(await wb().waitForRow(VIEW, /us-east-1/), /6 functions · 7 mappings · 3 lagging/);
  });

  it('shows a PROBLEM: processing result as an error row', async () => {
    await wb().expandRow(/^audit-events/, VIEW);
    assert.match(await wb().waitForRow(VIEW, /Error: PROBLEM: Function call failed/), /Last processing result/);
    assert.match(await wb().waitForRow(VIEW, /Client certificate/), /expires .* \((19|20) days — renew soon\)/);
  });

  it('raises the status bar alert', async () => {
    assert.match(await wb().statusBarItemText(/MSK: \d+ lagging/), /MSK: 3 lagging/);
    await wb().page.mouse.move(900, 600);
    await wb().page.waitForTimeout(500);
    await wb().screenshot('msk-tree');
  });

  it('opens the dashboard of a function with its four charts', async () => {
    const page = wb().page;
    const row = (await wb().pane(VIEW)).locator('.monaco-list-row').filter({ hasText: /orders-consumer/ }).first();
    await row.hover();
    await row.locator('.action-label[aria-label^="Open MSK Consumer Dashboard"]').click();
    const frame = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await frame.locator('figure.chart .uplot').nth(3).waitFor({ timeout: 60_000 });
    assert.equal(await frame.locator('figure.chart .uplot').count(), 4);
    assert.equal(await frame.locator('figure.chart canvas').count(), 4);
    const captions = await frame.locator('figcaption').allInnerTexts();
    assert.deepEqual(captions.map((c) => c.split(' (')[0]), ['OffsetLag', 'Duration', 'Errors and Invocations', 'BytesInPerSec']);
    assert.match(await frame.locator('#verdicts').innerText(), /WARN\s*orders: lag 6,000 ↑ rising for \d+ min/);
    assert.match(await frame.locator('#status').innerText(), /1 GetMetricData call/);
    // The whole dashboard in the picture: no side bar, no toasts.
    await wb().runCommand('Notifications: Clear All Notifications');
    await wb().runCommand('View: Toggle Primary Side Bar Visibility');
    await page.mouse.move(5, 5);
    await page.waitForTimeout(1000);
    await wb().screenshot('msk-dashboard');
  });

  it('re-colours the dashboard charts when the colour theme changes', async () => {
    const frame = wb().page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    const signature = () => frame.locator('body').getAttribute('data-chart-theme');
    const before = await signature();
    assert.ok(before, 'the dashboard records the colours its charts were drawn in');
    await wb().runCommand('Preferences: Toggle between Light/Dark Themes');
    try {
      let after: string | null = before;
      for (let i = 0; i < 40 && after === before; i++) {
        await wb().page.waitForTimeout(250);
        after = await signature();
      }
      assert.notEqual(after, before, 'the charts were re-created in the new theme colours');
      assert.equal(await frame.locator('figure.chart canvas').count(), 4);
    } finally {
      await wb().runCommand('Preferences: Toggle between Light/Dark Themes');
    }
  });
});
