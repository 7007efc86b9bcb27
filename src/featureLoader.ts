import * as path from 'path';
import type { Shell } from './shell/shell';

declare const __OPSDECK_BUNDLED__: boolean | undefined;

type Features = typeof import('./features');

/**
 * Loads the features' VS Code layers (dist/features.js) on the next turn of the event loop, after activate()
 * has returned: activation stays small, and the views fill in a moment later. The returned promise settles
 * when every feature has registered its views and commands.
 */
export function loadFeaturesSoon(shell: Shell): Promise<void> {
  return new Promise((resolve) => {
    setImmediate(() => {
      try {
        const bundled = typeof __OPSDECK_BUNDLED__ !== 'undefined' && __OPSDECK_BUNDLED__;
        // A computed path keeps esbuild from inlining the features into the entry bundle.
        const target = bundled ? path.join(__dirname, 'features.js') : './features';
        (require(target) as Features).registerFeatures(shell);
        shell.log.info('features loaded');
      } catch (err) {
        shell.log.error('loading the features failed', err);
      }
      resolve();
    });
  });
}
