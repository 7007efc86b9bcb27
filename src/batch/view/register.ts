import { VIEW } from '../../shell/ids';
import { registerPlaceholderView } from '../../shell/placeholderView';
import type { Shell } from '../../shell/shell';

/** VS Code layer of the Batch health feature. */
export function registerBatchHealth(shell: Shell): void {
  registerPlaceholderView(shell, VIEW.batchHealth, 'Batch health: coming soon');
}
