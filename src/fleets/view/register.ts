import { VIEW } from '../../shell/ids';
import { registerPlaceholderView } from '../../shell/placeholderView';
import type { Shell } from '../../shell/shell';

/** VS Code layer of the Outposts fleets feature. */
export function registerFleets(shell: Shell): void {
  registerPlaceholderView(shell, VIEW.fleets, 'Outposts fleets: coming soon');
}
