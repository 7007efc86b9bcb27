import type * as vscode from 'vscode';

/** Wires a VS Code CancellationToken to an AbortSignal that every SDK call receives. */
export function abortSignalFor(token: vscode.CancellationToken | undefined): AbortSignal {
  const controller = new AbortController();
  if (token) {
    if (token.isCancellationRequested) controller.abort();
    else token.onCancellationRequested(() => controller.abort());
  }
  return controller.signal;
}
