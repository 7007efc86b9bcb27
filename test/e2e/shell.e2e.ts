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
    // The log is an output channel: the panel opens on it.
    await wb().waitForPanelText(/AWS OpsDeck \S+ activated/);
    await wb().screenshot('shell');
  });
});
