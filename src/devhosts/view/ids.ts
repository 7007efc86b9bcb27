/** Command ids, settings and context values of the Mac dev hosts view (checked against package.json by tests). */
export const DEVHOSTS_COMMAND = {
  refresh: 'opsdeck.devHosts.refresh',
  generateSshConfig: 'opsdeck.devHosts.generateSshConfig',
  connect: 'opsdeck.devHosts.connect',
  openTerminal: 'opsdeck.devHosts.openTerminal',
  copySshCommand: 'opsdeck.devHosts.copySshCommand',
  revealConfig: 'opsdeck.devHosts.revealConfig',
  releaseHost: 'opsdeck.devHosts.releaseHost',
  removeSshConfig: 'opsdeck.devHosts.removeSshConfig',
} as const;

export const DEVHOSTS_SETTING = {
  section: 'opsdeck.devHosts',
  connectionMode: 'connectionMode',
  identities: 'identities',
  aliasPattern: 'aliasPattern',
  bastionTag: 'bastionTag',
  bastionHost: 'bastionHost',
  managedConfigPath: 'managedConfigPath',
  placement: 'placement',
  strictHostKeyChecking: 'strictHostKeyChecking',
  remoteFolder: 'remoteFolder',
  sshConfigFile: 'sshConfigFile',
} as const;

export const REMOTE_SSH_EXTENSION = 'ms-vscode-remote.remote-ssh';

/** Composite context values, matched with regex `when` clauses in contributes.json. */
export const CTX = {
  region: 'devhostRegion',
  host: (state: string, releasable: boolean) => `devhostHost:${state}:${releasable ? 'releasable' : 'held'}`,
  instance: (state: string, hasAlias: boolean) => `devhostInstance:${state}:${hasAlias ? 'alias' : 'noalias'}`,
  bastions: 'devhostBastions',
  bastion: 'devhostBastion',
} as const;
