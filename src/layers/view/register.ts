import { VIEW } from '../../shell/ids';
import { registerPlaceholderView } from '../../shell/placeholderView';
import type { Shell } from '../../shell/shell';

/** VS Code layer of the Lambda layers feature. */
export function registerLayers(shell: Shell): void {
  registerPlaceholderView(shell, VIEW.layers, 'Lambda layers: coming soon');
}
