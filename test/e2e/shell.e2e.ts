// The foundation's UI check in a real VS Code: the activity-bar container, its five views, the profile
// status bar item, and a command run from the palette. Screenshot: test-results/screenshots/shell.png.
import * as assert from 'node:assert/strict';
import { useWorkbench } from './support/workbench';

const VIEWS = ['Mac Dev Hosts', 'Batch Health', 'MSK Consumers', 'Lambda Layers', 'Outposts Fleets'];

describe('shell (real VS Code UI)', function () {
  const wb = useWorkbench({ env: { AWS_PROFILE: 'opsdeck-e2e' } });

  it('opens the AWS OpsDeck container with its five views', async () => {
    await wb().openContainer('AWS OpsDeck');
    const titles = (await wb().viewTitles()).map((t) => t.toLowerCase());
    for (const view of VIEWS) assert.ok(titles.includes(view.toLowerCase()), `view "${view}" missing; shown: ${titles.join(', ')}`);
  });

  it('shows the AWS profile in the status bar', async () => {
    const text = await wb().statusBarItemText('opsdeck-e2e');
    assert.match(text, /opsdeck-e2e/);
  });

  it('runs "AWS OpsDeck: Show Log" from the command palette', async () => {
    await wb().runCommand('AWS OpsDeck: Show Log');
    // The log is an output channel: the panel opens on it. On a loaded CI machine, late in the e2e run, the
    // palette's Enter was twice lost with no panel at all (screenshot: the palette closed, nothing opened); the
    // one retry is said in the output, and the test still fails when Show Log does not show the log.
    if (!(await wb().panelOpens(15_000))) {
      console.log('    the panel did not open within 15 s of Show Log: running it once more');
      await wb().runCommand('AWS OpsDeck: Show Log');
    }
    await wb().waitForPanelText(/AWS OpsDeck \S+ activated/, 60_000);
    await wb().screenshot('shell');
  });
});
