import { registerBatchHealth } from './batch/view/register';
import { registerDevHosts } from './devhosts/view/register';
import { registerFleets } from './fleets/view/register';
import { registerLayers } from './layers/view/register';
import { registerMskConsumers } from './msk/view/register';
import type { Shell } from './shell/shell';
import { startShell } from './shell/start';

/**
 * The shell's second half (its command handlers, status bar and context keys) and the five features' VS Code
 * layers. Bundled as dist/features.js and loaded right after activation returns (featureLoader.ts), so
 * activation itself only registers the commands' placeholders.
 */
export function registerFeatures(shell: Shell): void {
  const features: Array<[string, (shell: Shell) => void]> = [
    ['Shell', startShell],
    ['Mac dev hosts', registerDevHosts],
    ['Batch health', registerBatchHealth],
    ['MSK consumers', registerMskConsumers],
    ['Lambda layers', registerLayers],
    ['Outposts fleets', registerFleets],
  ];
  for (const [name, register] of features) {
    try {
      register(shell);
    } catch (err) {
      // One broken feature must not take the others down.
      shell.log.error(`${name}: failed to start`, err);
    }
  }
}
