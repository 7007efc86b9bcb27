/**
 * Restricted Mode (an untrusted workspace): what OpsDeck still does and what asks for trust first. Pure (no
 * `vscode`): the command registry (src/shell/commands.ts) asks `trustDecision` before every handler, and a unit
 * test checks this table against package.json (every id is contributed, and its menus carry `isWorkspaceTrusted`).
 *
 * Listing, refreshing, plans, dry runs and copying stay available: they read, and VS Code already ignores the
 * workspace's values of the settings package.json lists as `restrictedConfigurations`. What is below spends
 * money, changes or deletes AWS resources, runs the workspace's code (npm/pip in a layer build), or writes files
 * outside the workspace (the SSH config).
 */
export const TRUST_REQUIRED: Readonly<Record<string, string>> = {
  'opsdeck.fleets.launch': 'Launching a fleet',
  'opsdeck.fleets.createLaunchTemplate': 'Creating a launch template',
  'opsdeck.fleets.deleteFleet': 'Deleting a fleet and terminating its instances',
  'opsdeck.layers.build': 'Building a layer (it runs npm or pip on the workspace\'s files)',
  'opsdeck.layers.publish': 'Publishing a layer',
  'opsdeck.layers.retryFailed': 'Publishing a layer',
  'opsdeck.layers.deleteVersion': 'Deleting a layer version',
  'opsdeck.devHosts.generateSshConfig': 'Writing your SSH config',
  'opsdeck.devHosts.removeSshConfig': 'Editing your SSH config',
  'opsdeck.devHosts.connect': 'Connecting to a Mac host (it can edit your SSH config)',
  'opsdeck.devHosts.openTerminal': 'Opening an SSH terminal (it writes the host to your SSH config first)',
  'opsdeck.devHosts.releaseHost': 'Releasing a Dedicated Host',
  'opsdeck.batch.cancelJobs': 'Cancelling or terminating Batch jobs',
  'opsdeck.batch.setRunnableTimeLimit': 'Changing a job queue',
};

/** The button the refusal offers; it runs `workbench.trust.manage`. */
export const MANAGE_TRUST = 'Manage Workspace Trust';

export type TrustDecision = { readonly allowed: true } | { readonly allowed: false; readonly message: string };

/** Whether `commandId` may run now; when not, the sentence to show. */
export function trustDecision(commandId: string, trusted: boolean): TrustDecision {
  const what = TRUST_REQUIRED[commandId];
  if (trusted || what === undefined) return { allowed: true };
  return {
    allowed: false,
    message: `${what} needs a trusted workspace, and this folder is open in Restricted Mode. Trust it (${MANAGE_TRUST}) and run the command again.`,
  };
}

/** Ids of the commands that ask for trust, sorted. */
export function trustRequiredCommands(): string[] {
  return Object.keys(TRUST_REQUIRED).sort();
}
