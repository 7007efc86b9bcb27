import vscode = require('vscode');
import { MANAGE_TRUST } from '../common/trust';

/** Workspace trust as the command registry sees it: injectable so tests can play Restricted Mode. */
export interface WorkspaceTrust {
  isTrusted(): boolean;
  /** Tells the user why the command did nothing (one toast, not awaited) and offers to manage trust. */
  refuse(message: string): void;
}

export const workspaceTrust: WorkspaceTrust = {
  isTrusted: () => vscode.workspace.isTrusted,
  refuse: (message) => {
    void vscode.window.showWarningMessage(message, MANAGE_TRUST).then((choice) => {
      if (choice === MANAGE_TRUST) void vscode.commands.executeCommand('workbench.trust.manage');
    });
  },
};
