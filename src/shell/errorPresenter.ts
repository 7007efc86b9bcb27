import vscode = require('vscode');
import type { ActionableError } from '../aws/errors';
import { SHELL_COMMAND } from './ids';
import type { Logger } from './log';

/**
 * Shows one toast for an actionable error, with the button that fixes it, and never awaits it (a command must
 * not hang on an unread notification). The raw error has already gone to the log.
 */
export function presentError(error: ActionableError, log: Logger, retry?: () => unknown): void {
  const buttons: string[] = [];
  const remedy = error.remedy;
  if (remedy?.kind === 'ssoLogin') buttons.push('Run SSO Login');
  if (remedy?.kind === 'selectProfile') buttons.push('Select Profile');
  if (remedy?.kind === 'openSettings') buttons.push('Open Settings');
  if (remedy?.kind === 'retry' && retry) buttons.push('Retry');
  buttons.push('Open Log');
  void vscode.window.showErrorMessage(error.message, ...buttons).then((choice) => {
    if (choice === 'Open Log') log.show();
    else if (choice === 'Run SSO Login' && remedy?.kind === 'ssoLogin') runInTerminal('AWS SSO login', remedy.command);
    else if (choice === 'Select Profile') void vscode.commands.executeCommand(SHELL_COMMAND.selectProfile);
    else if (choice === 'Open Settings' && remedy?.kind === 'openSettings') void vscode.commands.executeCommand('workbench.action.openSettings', remedy.setting);
    else if (choice === 'Retry') void retry?.();
  });
}

export function runInTerminal(name: string, commandLine: string): void {
  const terminal = vscode.window.createTerminal({ name });
  terminal.show();
  terminal.sendText(commandLine, true);
}
