import { VIEW } from '../../shell/ids';
import { registerPlaceholderView } from '../../shell/placeholderView';
import type { Shell } from '../../shell/shell';

/** VS Code layer of the Mac dev hosts feature. */
export function registerDevHosts(shell: Shell): void {
  registerPlaceholderView(shell, VIEW.devHosts, 'Mac dev hosts: coming soon');
}
