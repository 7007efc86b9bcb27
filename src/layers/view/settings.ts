import vscode = require('vscode');
import { LAYERS_SETTING } from './ids';

export interface LayersSettings {
  readonly concurrency: number;
  readonly confirmBeforePublish: boolean;
  readonly manifestGlob: string;
}

/** Reads `opsdeck.layers.*`; the service only ever sees these plain values. */
export function readLayersSettings(): LayersSettings {
  const c = vscode.workspace.getConfiguration('opsdeck');
  const concurrency = Math.floor(c.get<number>(LAYERS_SETTING.concurrency, 8));
  return {
    concurrency: Math.min(64, Math.max(1, Number.isFinite(concurrency) ? concurrency : 8)),
    confirmBeforePublish: c.get<boolean>(LAYERS_SETTING.confirmBeforePublish, true),
    manifestGlob: c.get<string>(LAYERS_SETTING.manifestGlob, '**/*.layer.json') || '**/*.layer.json',
  };
}
