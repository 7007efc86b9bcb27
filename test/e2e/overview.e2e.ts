// The whole product at once, on the full demo account (every seed in scripts/demo, the overlay for what moto
// lacks): all five views fill in a real VS Code, and the picture becomes the README's overview screenshot.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startDemoBackend, type DemoBackend } from '../../scripts/lib/demoBackend.mjs';
import { useWorkbench, type WorkbenchOptions } from './support/workbench';

const VIEWS = ['Mac Dev Hosts', 'Batch Health', 'MSK Consumers', 'Lambda Layers', 'Outposts Fleets'];

describe('overview: the demo account in the real VS Code UI', function () {
  this.timeout(300_000);
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-overview-'));
  const options: WorkbenchOptions = { env: {}, settings: {}, workspaceFolder: workspace };
  let backend: DemoBackend | undefined;

  before(async function () {
    this.timeout(240_000);
    const endpoint = process.env.OPSDECK_TEST_ENDPOINT;
    if (endpoint) await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
    const moto = endpoint ? { endpoint, port: Number(new URL(endpoint).port), reset: async () => {}, stop: async () => {} } : undefined;
    backend = await startDemoBackend({ workspace, moto, log: (m) => console.log(`    ${m}`) });
    Object.assign(options.env!, backend.env);
    Object.assign(options.settings!, backend.settings);
  });
  after(async () => {
    await backend?.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  const wb = useWorkbench(options);

  it('fills every view from the demo account', async () => {
    await wb().openContainer('AWS OpsDeck');
    for (const view of VIEWS) {
      await wb().waitForRow(view, /\S/, 90_000);
      const rows = await wb().viewRows(view);
      assert.ok(rows.length > 0, `${view} is empty`);
      assert.ok(!rows.some((r) => /^Error:/.test(r)), `${view} shows an error: ${JSON.stringify(rows)}`);
    }
    await wb().page.waitForTimeout(1500);
    await wb().screenshot('overview');
  });
});
