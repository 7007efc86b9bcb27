import { VIEW } from '../../shell/ids';
import { registerPlaceholderView } from '../../shell/placeholderView';
import type { Shell } from '../../shell/shell';

/** VS Code layer of the MSK consumers feature. */
export function registerMskConsumers(shell: Shell): void {
  registerPlaceholderView(shell, VIEW.mskConsumers, 'MSK consumers: coming soon');
}
