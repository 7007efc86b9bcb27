import * as path from 'path';

export type Core = typeof import('./core');

declare const __OPSDECK_BUNDLED__: boolean | undefined;

let loaded: Core | undefined;

/**
 * Loads the AWS half of OpsDeck on first use. In the bundles it is the sibling file dist/core.js (kept out of
 * the entry bundle on purpose); when running from sources (tests under tsx) it is the TypeScript module.
 */
export function loadCore(): Core {
  if (!loaded) {
    const bundled = typeof __OPSDECK_BUNDLED__ !== 'undefined' && __OPSDECK_BUNDLED__;
    // A computed path keeps esbuild from inlining the SDK into the entry bundle.
    const target = bundled ? path.join(__dirname, 'core.js') : './core';
    loaded = require(target) as Core;
  }
  return loaded;
}

export function isCoreLoaded(): boolean {
  return loaded !== undefined;
}
