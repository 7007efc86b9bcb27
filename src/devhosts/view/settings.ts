import vscode = require('vscode');
import { CONNECTION_MODES, type ConnectionMode } from '../core/render';
import type { Identity } from '../core/identities';
import { userConfigPath } from '../configFiles';
import { DEFAULT_DEVHOSTS_SETTINGS, parseTag, type DevHostsSettings } from '../settings';
import { DEVHOSTS_SETTING as S } from './ids';

/** Reads `opsdeck.devHosts.*` into plain values for the pure code; bad values fall back to defaults. */
export function readDevHostsSettings(): DevHostsSettings & { remoteFolder: string } {
  const c = vscode.workspace.getConfiguration(S.section);
  const mode = c.get<string>(S.connectionMode, 'bastion');
  const placement = c.get<string>(S.placement, 'include');
  const shk = c.get<string>(S.strictHostKeyChecking, 'ask');
  return {
    mode: CONNECTION_MODES.includes(mode as ConnectionMode) ? (mode as ConnectionMode) : 'bastion',
    identities: c.get<Partial<Identity>[]>(S.identities) ?? undefined,
    aliasPattern: c.get<string>(S.aliasPattern, '').trim() || DEFAULT_DEVHOSTS_SETTINGS.aliasPattern,
    bastionTag: parseTag(c.get<string>(S.bastionTag, '')) ?? DEFAULT_DEVHOSTS_SETTINGS.bastionTag,
    bastionHost: c.get<string>(S.bastionHost, '').trim() || undefined,
    managedConfigPath: c.get<string>(S.managedConfigPath, '').trim() || DEFAULT_DEVHOSTS_SETTINGS.managedConfigPath,
    placement: placement === 'inplace' ? 'inplace' : 'include',
    strictHostKeyChecking: shk === 'yes' || shk === 'accept-new' ? shk : 'ask',
    remoteFolder: c.get<string>(S.remoteFolder, '').trim() || '/Users/${user}',
  };
}

/** The SSH config to edit: `opsdeck.devHosts.sshConfigFile`, else Remote-SSH's `remote.SSH.configFile`, else ~/.ssh/config. */
export function remoteSshConfigFile(): string {
  const own = vscode.workspace.getConfiguration(S.section).get<string>(S.sshConfigFile, '').trim();
  return userConfigPath(own || vscode.workspace.getConfiguration('remote.SSH').get<string>('configFile'));
}
