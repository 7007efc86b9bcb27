/** Ids the Lambda layers view shares with package.json (src/layers/contributes.json). */
export const LAYERS_COMMAND = {
  refresh: 'opsdeck.layers.refresh',
  createManifest: 'opsdeck.layers.createManifest',
  openManifest: 'opsdeck.layers.openManifest',
  build: 'opsdeck.layers.build',
  publish: 'opsdeck.layers.publish',
  retryFailed: 'opsdeck.layers.retryFailed',
  compareRegions: 'opsdeck.layers.compareRegions',
  copyArn: 'opsdeck.layers.copyArn',
  deleteVersion: 'opsdeck.layers.deleteVersion',
} as const;

export const LAYERS_SETTING = {
  concurrency: 'layers.concurrency',
  confirmBeforePublish: 'layers.confirmBeforePublish',
  manifestGlob: 'layers.manifestGlob',
} as const;

export const LAYERS_CONTEXT = {
  hasFailedRegions: 'opsdeck.layers.hasFailedRegions',
  noManifests: 'opsdeck.layers.noManifests',
} as const;

/** TreeItem.contextValue prefixes, matched with `viewItem =~ /^layerManifest/` etc. */
export const LAYERS_ITEM = {
  manifest: 'layerManifest',
  region: 'layerRegion',
  version: 'layerVersion',
} as const;
