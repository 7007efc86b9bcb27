/**
 * Every id OpsDeck shares with package.json: commands, views, settings and context keys. Pure (no `vscode`),
 * so tests can compare it with the manifest. Feature folders keep their own ids next to their code and the
 * manifest check covers them too.
 */
export const EXTENSION_ID = 'opsdeck.aws-opsdeck';
export const CONTAINER_ID = 'opsdeck';

export const VIEW = {
  devHosts: 'opsdeck.devHosts',
  batchHealth: 'opsdeck.batchHealth',
  mskConsumers: 'opsdeck.mskConsumers',
  layers: 'opsdeck.layers',
  fleets: 'opsdeck.fleets',
} as const;

export const SHELL_COMMAND = {
  showLog: 'opsdeck.showLog',
  selectProfile: 'opsdeck.selectProfile',
  selectRegions: 'opsdeck.selectRegions',
  refreshAll: 'opsdeck.refreshAll',
  openSettings: 'opsdeck.openSettings',
  openAwsConfig: 'opsdeck.openAwsConfig',
  whoAmI: 'opsdeck.whoAmI',
  /** Used by "Error: …" tree nodes; hidden from the palette. */
  retryNode: 'opsdeck.retryNode',
} as const;

export const SETTING = {
  section: 'opsdeck',
  profile: 'profile',
  regions: 'regions',
  endpointUrl: 'endpointUrl',
  maxAttempts: 'maxAttempts',
  requestTimeoutSeconds: 'requestTimeoutSeconds',
} as const;

export const CONTEXT = {
  regionsChosen: 'opsdeck.regionsChosen',
  credentialsFound: 'opsdeck.credentialsFound',
} as const;
