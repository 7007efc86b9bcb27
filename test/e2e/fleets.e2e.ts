// Outposts fleets in the real VS Code UI: the view lists the article's Outpost (served by the OVERLAY: moto has
// no Outposts API — scripts/overlay/outposts.mjs) and the demo fleet; a broken fleet file shows its diagnostic; the
// CodeLens "Plan capacity · Dry run · Launch" is over the article's file; the plan renders (4 × m5.large).
// Data: scripts/demo/seed-fleets.mjs (moto EC2 + overlay state). Screenshots: test-results/screenshots/fleets-*.png.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startMoto } from '../../scripts/lib/moto.mjs';
import { startOverlay } from '../../scripts/lib/overlay.mjs';
import { outpostsHandler } from '../../scripts/overlay/outposts.mjs';
import { seed } from '../../scripts/demo/seed-fleets.mjs';
import { useWorkbench, type WorkbenchOptions } from './support/workbench';

const REGIONS = ['us-west-2'];
const VIEW = 'Outposts Fleets';

describe('fleets (real VS Code UI)', function () {
  this.timeout(240_000);
  const stops: Array<() => Promise<void>> = [];
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-fleets-e2e-'));
  const options: WorkbenchOptions = { settings: {}, env: {}, workspaceFolder: workspace };

  before(async function () {
    this.timeout(180_000);
    const moto = await startMoto();
    stops.push(moto.stop);
    const state: Record<string, unknown> = {};
    const overlay = await startOverlay({ upstream: moto.endpoint, handlers: [outpostsHandler(state)] });
    stops.push(overlay.stop);
    const extra = await seed({ endpoint: overlay.endpoint, regions: REGIONS, workspace, overlayState: state });
    Object.assign(options.settings!, { 'opsdeck.regions': REGIONS, 'opsdeck.endpointUrl': overlay.endpoint, ...extra });
    Object.assign(options.env!, { AWS_ACCESS_KEY_ID: 'AKIAE2EOPSDECK000001', AWS_SECRET_ACCESS_KEY: 'e2e-not-a-secret', AWS_REGION: REGIONS[0] });
  });
  const wb = useWorkbench(options);
  after(async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  const openFile = async (name: string): Promise<void> => {
    const page = wb().page;
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input').first();
    await input.waitFor();
    await input.fill(name);
    await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: name }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.editor-group-container .tab', { hasText: name }).first().waitFor();
  };

  it('lists the Outpost with its configured types and the launched fleet', async () => {
    await wb().focusView(VIEW); // the room of the whole side bar
    const outpost = await wb().waitForRow(VIEW, /factory-floor-rack-1/, 90_000);
    assert.match(outpost, /op-0000ffff0000fffff/);
    assert.match(await wb().waitForRow(VIEW, /m5\.large/), /2 vCPUs · 4 free of 4/);
    assert.match(await wb().waitForRow(VIEW, /c5\.2xlarge/), /0 free of 12/);
    await wb().screenshot('fleets-view');
    // Collapse the Outpost so the fleets show below it.
    const outpostRow = (await wb().pane(VIEW)).locator('.monaco-list-row').filter({ hasText: /factory-floor-rack-1/ }).first();
    await outpostRow.locator('.monaco-tl-twistie').click();
    // The fleet row: its Name tag when the endpoint returns fleet tags, else its id.
    assert.match(await wb().waitForRow(VIEW, /instant · active/), /(demo-web-tier|fleet-).*instant · active · \d+ instance\(s\)/);
  });

  it('a broken fleet file shows its diagnostic', async () => {
    await openFile('broken.fleet.json');
    const page = wb().page;
    await page.locator('.squiggly-error').first().waitFor({ timeout: 30_000 });
    await page.keyboard.press('Control+Shift+M');
    const text = await wb().waitForPanelText(/WeightedCapacity must be more than 0/, 30_000);
    assert.match(text, /this override has no Priority/);
    assert.match(text, /MinTargetCapacity needs SingleInstanceType or SingleAvailabilityZone/);
    await wb().screenshot('fleets-diagnostics');
  });

  it('shows the CodeLens over the article\'s file and renders the plan: 4 × m5.large', async () => {
    await openFile('ec2-fleet.fleet.json');
    const page = wb().page;
    const lens = page.locator('.codelens-decoration').filter({ hasText: /Plan capacity/ }).first();
    await lens.waitFor({ timeout: 30_000 });
    const lensText = (await lens.innerText()).replace(/\s+/g, ' ');
    assert.match(lensText, /Plan capacity.*Dry run.*Launch/);
    await lens.locator('a', { hasText: 'Plan capacity' }).click();
    const deadline = Date.now() + 60_000;
    let found = '';
    while (!found && Date.now() < deadline) {
      for (const frame of page.frames()) {
        const body = await frame.locator('body').innerText({ timeout: 500 }).catch(() => '');
        if (/Expected: 4 × m5\.large/.test(body)) found = body;
      }
      if (!found) await page.waitForTimeout(500);
    }
    assert.ok(found, 'the plan preview never showed "Expected: 4 × m5.large"');
    assert.match(found, /Capacity plan: ec2-fleet\.fleet\.json/);
    await wb().screenshot('fleets-plan');
  });
});
