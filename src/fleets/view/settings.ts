import vscode = require('vscode');
import type { AwsSession } from '../../shell/awsSession';

export interface FleetsSettings {
  /** Region fleet files are checked and launched in. */
  readonly region?: string;
  readonly validationDelayMs: number;
  readonly checkWithAws: boolean;
}

/** `opsdeck.fleets.region`, else the first of the chosen Regions. */
export function readFleetsSettings(session: AwsSession): FleetsSettings {
  const c = vscode.workspace.getConfiguration('opsdeck');
  const region = c.get<string>('fleets.region') || session.settings.regions[0] || undefined;
  return {
    region,
    validationDelayMs: Math.max(0, c.get<number>('fleets.validationDelayMs') ?? 300),
    checkWithAws: c.get<boolean>('fleets.checkWithAws') ?? true,
  };
}
