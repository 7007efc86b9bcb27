// Mac Dev Hosts in the real VS Code UI, seeded by the demo seed (scripts/demo/seed-devhosts.mjs) on moto: the
// tree shows Region → Dedicated Host (with "releasable in …") → instance, and an instance row offers Connect
// (inline action and context menu). Screenshots: test-results/screenshots/devhosts-*.png.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startMoto } from '../../scripts/lib/moto.mjs';
import { seed } from '../../scripts/demo/seed-devhosts.mjs';
import { useWorkbench, type WorkbenchOptions } from './support/workbench';

const VIEW = 'Mac Dev Hosts';
const REGIONS = ['us-east-1', 'eu-west-1'];

describe('devhosts (real VS Code UI)', function () {
  this.timeout(180_000);
  const options: WorkbenchOptions = { env: {}, settings: {} };
  let stopMoto: (() => Promise<void>) | undefined;
  let dir: string;

  before(async function () {
    this.timeout(120_000);
    let endpoint = process.env.OPSDECK_TEST_ENDPOINT;
    if (!endpoint) {
      const moto = await startMoto();
      endpoint = moto.endpoint;
      stopMoto = moto.stop;
    }
    await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-e2e-devhosts-'));
    const demoSettings = await seed({ endpoint, regions: REGIONS, workspace: dir, log: (m) => console.log(`    ${m}`) });
    Object.assign(options.env!, { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1' });
    Object.assign(options.settings!, { 'opsdeck.endpointUrl': endpoint, 'opsdeck.regions': REGIONS, ...demoSettings });
  });
  after(async () => {
    await stopMoto?.();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const wb = useWorkbench(options);

  const focusView = () => wb().focusView(VIEW);

  it('shows Region → Dedicated Host with the 24-hour countdown → instance', async () => {
    await focusView();
    await wb().waitForRow(VIEW, /ios-build-01/, 60_000);
    const rows = await wb().viewRows(VIEW);
    assert.ok(rows.some((r) => /^us-east-1\s*3 Mac hosts/.test(r)), `Region row: ${JSON.stringify(rows)}`);
    assert.ok(rows.some((r) => /spare-m2pro.*mac2-m2pro\.metal.*releasable in \d+h \d+m/.test(r)), `host row: ${JSON.stringify(rows)}`);
    assert.ok(rows.some((r) => /ios-build-01.*running.*ssh ios-build-01/.test(r)), `instance row: ${JSON.stringify(rows)}`);
    assert.ok(rows.some((r) => /^eu-west-1\s*2 Mac hosts/.test(r)), `second Region: ${JSON.stringify(rows)}`);
    await wb().screenshot('devhosts-tree');
  });

  it('offers Connect on an instance (inline and in the context menu), not on a host', async () => {
    const pane = await wb().pane(VIEW);
    const instanceRow = pane.locator('.monaco-list-row').filter({ hasText: /ios-build-01/ }).first();
    await instanceRow.hover();
    const inline = instanceRow.locator('.actions .action-label[aria-label*="Connect in New Window"]');
    await inline.waitFor({ state: 'attached' });
    assert.equal(await inline.count(), 1);
    await instanceRow.click({ button: 'right' });
    const menu = wb().page.locator('.context-view .monaco-menu, .context-view .action-menu-item, .monaco-menu-container').first();
    await menu.waitFor();
    const items = (await wb().page.locator('.context-view .action-label').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
    assert.ok(items.includes('Connect in New Window (Remote-SSH)'), `menu: ${JSON.stringify(items)}`);
    assert.ok(items.includes('Open SSH Terminal') && items.includes('Copy SSH Command'), `menu: ${JSON.stringify(items)}`);
    await wb().screenshot('devhosts-connect-menu');
    await wb().page.keyboard.press('Escape');
    const hostRow = pane.locator('.monaco-list-row').filter({ hasText: /spare-m2pro/ }).first();
    await hostRow.click({ button: 'right' });
    await menu.waitFor();
    const hostItems = (await wb().page.locator('.context-view .action-label').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
    assert.ok(hostItems.includes('Release Dedicated Host…'), `host menu: ${JSON.stringify(hostItems)}`);
    assert.ok(!hostItems.includes('Connect in New Window (Remote-SSH)'), `host menu: ${JSON.stringify(hostItems)}`);
    await wb().page.keyboard.press('Escape');
  });

  it('Connect without Remote-SSH installed says so, with a button to install it', async () => {
    const pane = await wb().pane(VIEW);
    const instanceRow = pane.locator('.monaco-list-row').filter({ hasText: /ios-build-01/ }).first();
    await wb().runContextMenuItem(instanceRow, /^Connect in New Window/);
    // Two identities: pick one.
    const pick = wb().page.locator('.quick-input-list .monaco-list-row').filter({ hasText: /^ios-build-01\b/ }).first();
    await pick.waitFor();
    await pick.click();
    const toasts = await wb().notifications({ waitForAny: 20_000 });
    assert.ok(toasts.some((t) => /Remote - SSH extension .*ms-vscode-remote\.remote-ssh.*not installed/.test(t) && /Install Remote - SSH/.test(t)), `toasts: ${JSON.stringify(toasts)}`);
    await wb().screenshot('devhosts-install-remote-ssh');
  });
});
