/** Command, setting and context ids of the Outposts fleets feature (package.json declares the same). */
export const FLEETS_COMMAND = {
  newFleetFile: 'opsdeck.fleets.newFleetFile',
  newLaunchTemplateFile: 'opsdeck.fleets.newLaunchTemplateFile',
  plan: 'opsdeck.fleets.plan',
  dryRun: 'opsdeck.fleets.dryRun',
  launch: 'opsdeck.fleets.launch',
  createLaunchTemplate: 'opsdeck.fleets.createLaunchTemplate',
  refresh: 'opsdeck.fleets.refresh',
  deleteFleet: 'opsdeck.fleets.deleteFleet',
  copyId: 'opsdeck.fleets.copyId',
} as const;

export const FLEETS_SETTING = {
  region: 'fleets.region',
  validationDelayMs: 'fleets.validationDelayMs',
  checkWithAws: 'fleets.checkWithAws',
} as const;

export const FLEET_FILE = /\.fleet\.json$/;
export const LAUNCH_TEMPLATE_FILE = /\.launch-template\.json$/;
export const PLAN_SCHEME = 'opsdeck-fleet';
/** workspaceState key where versions before the ledger file kept launches; read once to carry pending launches over. */
export const LEDGER_KEY = 'opsdeck.fleets.launchLedger';
