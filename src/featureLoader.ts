import { join } from 'path';
import type { Shell } from './shell/shell';

declare const __OPSDECK_BUNDLED__: boolean | undefined;

type Features = typeof import('./features');

/**
 * On the next turn of the event loop, after activate() has returned, runs `first` and then loads dist/features.js:
 * the rest of the shell and the five features' VS Code layers. Activation stays small, and the status bar and
 * views fill in a moment later. The returned promise settles when the shell and every feature have registered
 * their views and commands.
 */
export function loadFeaturesSoon(shell: Shell, first: () => void = () => {}): Promise<void> {
  return new Promise((resolve) => {
    setImmediate(() => {
      try {
        first();
      } catch (err) {
        shell.log.error('starting up failed', err);
      }
      try {
        const bundled = typeof __OPSDECK_BUNDLED__ !== 'undefined' && __OPSDECK_BUNDLED__;
        // A computed path keeps esbuild from inlining the features into the entry bundle.
        const target = bundled ? join(__dirname, 'features.js') : './features';
        (require(target) as Features).registerFeatures(shell);
        shell.log.info('features loaded');
      } catch (err) {
        shell.log.error('loading the features failed', err);
      }
      resolve();
    });
  });
}
