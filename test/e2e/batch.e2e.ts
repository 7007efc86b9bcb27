// Batch Health in the real VS Code UI: seeded by the demo seed (scripts/demo/seed-batch.mjs) on moto, the view
// goes queue → stuck job → diagnosis, the status bar alert shows the stuck count and opens the view, and the
// "newly stuck" notification appears once. Screenshots: test-results/screenshots/batch-*.png.
import * as assert from 'node:assert/strict';
import { startMoto } from '../../scripts/lib/moto.mjs';
import { seed, unsetJobTransition } from '../../scripts/demo/seed-batch.mjs';
import { useWorkbench, type WorkbenchOptions } from './support/workbench';

const VIEW = 'Batch Health';

describe('batch (real VS Code UI)', function () {
  this.timeout(180_000);
  // Filled in before the workbench starts (its hook reads the object then): the endpoint may only be known here.
  const options: WorkbenchOptions = { env: {}, settings: {} };
  let stopMoto: (() => Promise<void>) | undefined;
  let endpointUsed = '';

  before(async function () {
    this.timeout(120_000);
    let endpoint = process.env.OPSDECK_TEST_ENDPOINT;
    if (!endpoint) {
      const moto = await startMoto();
      endpoint = moto.endpoint;
      stopMoto = moto.stop;
    }
    endpointUsed = endpoint;
    await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
    const demoSettings = await seed({ endpoint, regions: ['us-east-1'], log: (m) => console.log(`    ${m}`) });
    Object.assign(options.env!, { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1' });
    Object.assign(options.settings!, { 'opsdeck.endpointUrl': endpoint, 'opsdeck.regions': ['us-east-1'], ...demoSettings });
  });
  after(async () => {
    // The seed froze moto's Batch job transitions; give a shared moto back its default.
    if (endpointUsed) await unsetJobTransition(endpointUsed).catch(() => undefined);
    await stopMoto?.();
  });

  const wb = useWorkbench(options);

  /** Gives the Batch Health view the side bar's height and width (readable screenshots). */
  const focusBatchView = () => wb().focusView(VIEW, { minWidth: 700 });

  it('shows queue → stuck job → diagnosis', async () => {
    await focusBatchView();
    await wb().waitForRow(VIEW, /nightly-etl/, 60_000);
    const rows = await wb().viewRows(VIEW);
    assert.ok(rows.some((r) => /^us-east-1/.test(r)), `no Region row: ${JSON.stringify(rows)}`);
    assert.ok(rows.some((r) => /nightly-etl.*5 stuck/.test(r)), `nightly-etl row: ${JSON.stringify(rows)}`);
    // opsdeck.batch.alerts is on in the demo settings: the first report announces the newly stuck jobs, once.
    const toasts = await wb().notifications({ waitForAny: 15_000 });
    assert.ok(toasts.some((t) => /AWS Batch: 7 jobs newly stuck/.test(t)), JSON.stringify(toasts));
    await wb().waitForRow(VIEW, /RUNNABLE · [\dhms ]+nightly-report/);
    await wb().expandRow(/nightly-report/, VIEW);
    await wb().waitForRow(VIEW, /Nothing in the queue's configuration rules this job out/);
    await wb().expandRow(/transform-orders/, VIEW);
    await wb().waitForRow(VIEW, /Will never run: the job it depends on, "extract-orders", FAILED/);
    await wb().screenshot('batch-health');
  });

  it('explains a queue whose only compute environment is disabled', async () => {
    await focusBatchView();
    await wb().expandRow(/train-resnet/, VIEW);
    await wb().waitForRow(VIEW, /Queue: The queue's only compute environment, "spot-disabled", cannot run work: it is DISABLED/);
    await wb().waitForRow(VIEW, /spot-disabled.*DISABLED\/VALID · vCPUs 0\/0\/256/);
    await wb().screenshot('batch-disabled-ce');
  });

  it('raises the status bar alert, which opens the view', async () => {
    const text = await wb().statusBarItemText(/Batch: \d+ stuck/);
    assert.match(text, /Batch: 7 stuck/);
    // Hide the side bar, then click the alert: the Batch Health view comes back.
    await wb().page.keyboard.press('Control+B');
    await wb().page.locator('.part.sidebar').waitFor({ state: 'hidden' });
    await wb().page.locator('.part.statusbar .statusbar-item').filter({ hasText: /Batch: \d+ stuck/ }).first().click();
    await wb().page.locator('.part.sidebar').waitFor({ state: 'visible' });
    await wb().waitForRow(VIEW, /nightly-etl/);
    await wb().screenshot('batch-alert');
  });

  it('cancels several selected stuck jobs after a confirmation that lists them', async () => {
    await focusBatchView();
    const pane = await wb().pane(VIEW);
    const row = (name: RegExp) => pane.locator('.pane-body .monaco-list-row').filter({ hasText: name }).first();
    await row(/backfill-2025/).click();
    await row(/publish-dashboard/).click({ modifiers: ['Control'] });
    await row(/publish-dashboard/).hover();
    await row(/publish-dashboard/).locator('.action-label[aria-label^="Cancel Stuck Jobs"]').click();
    const dialog = wb().page.locator('.monaco-dialog-box');
    await dialog.waitFor();
    const text = (await dialog.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /Cancel 2 stuck jobs\?/);
    assert.match(text, /backfill-2025 \([0-9a-f-]{36}\) — nightly-etl, SUBMITTED/);
    assert.match(text, /publish-dashboard \([0-9a-f-]{36}\) — nightly-etl, PENDING/);
    await wb().screenshot('batch-cancel-confirm');
    await dialog.getByRole('button', { name: 'Cancel 2 stuck jobs' }).click();
    // Other toasts (the "newly stuck" alert) may already be showing: wait for this one in particular.
    let toasts: string[] = [];
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await wb().page.waitForTimeout(500)) {
      toasts = await wb().notifications({ waitForAny: 5_000 });
      if (toasts.some((t) => /Cancel requested for 2 jobs/.test(t))) break;
    }
    assert.ok(toasts.some((t) => /Cancel requested for 2 jobs/.test(t)), JSON.stringify(toasts));
  });
});
