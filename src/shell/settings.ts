import vscode = require('vscode');
import type { AwsConnectionSettings } from '../aws/target';
import { SETTING } from './ids';

export function configuration(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SETTING.section);
}

/** Reads the connection settings; blank strings mean "not set" so the SDK's own resolution applies. */
export function readConnectionSettings(): AwsConnectionSettings {
  const c = configuration();
  const profile = c.get<string>(SETTING.profile, '').trim();
  const endpointUrl = c.get<string>(SETTING.endpointUrl, '').trim();
  return {
    profile: profile || undefined,
    regions: c.get<string[]>(SETTING.regions, []).filter((r) => typeof r === 'string' && r.trim()).map((r) => r.trim()),
    endpointUrl: endpointUrl || undefined,
    maxAttempts: Math.max(1, c.get<number>(SETTING.maxAttempts, 3)),
    requestTimeoutMs: Math.max(1, c.get<number>(SETTING.requestTimeoutSeconds, 30)) * 1000,
  };
}
