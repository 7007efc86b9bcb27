import type { Identity } from './core/identities';
import type { ConnectionMode } from './core/render';
import type { Placement } from './configFiles';

/** The feature's settings as plain values (read by the view from `opsdeck.devHosts.*`, by the CLI from flags). */
export interface DevHostsSettings {
  readonly mode: ConnectionMode;
  readonly identities?: readonly Partial<Identity>[];
  readonly aliasPattern: string;
  readonly bastionTag: { readonly key: string; readonly value: string };
  readonly bastionHost?: string;
  readonly managedConfigPath: string;
  readonly placement: Placement;
  readonly strictHostKeyChecking: 'accept-new' | 'yes' | 'ask';
  readonly remoteUser?: string;
}

export const DEFAULT_DEVHOSTS_SETTINGS: DevHostsSettings = {
  mode: 'bastion',
  aliasPattern: '{name}',
  bastionTag: { key: 'Role', value: 'bastion' },
  managedConfigPath: '~/.ssh/opsdeck/config',
  placement: 'include',
  // Trust on first use only when the user opts in: by default ssh asks (Remote-SSH shows the prompt).
  strictHostKeyChecking: 'ask',
};

/** "Role=bastion" → { key, value }; undefined when malformed. */
export function parseTag(raw: string | undefined): { key: string; value: string } | undefined {
  const m = /^([^=]+)=(.*)$/.exec(raw?.trim() ?? '');
  return m ? { key: m[1].trim(), value: m[2].trim() } : undefined;
}

/** CLI form of an identity: "admin" (a known one) or "name=user:~/.ssh/key". */
export function parseIdentityFlag(raw: string): Partial<Identity> | string {
  const m = /^([^=]+)=([^:]+)(?::(.+))?$/.exec(raw);
  return m ? { name: m[1], user: m[2], identityFile: m[3] } : raw;
}
