/**
 * Remote windows: OpsDeck prefers the UI side ("extensionKind": ["ui", "workspace"]), so in a Remote-SSH window
 * it runs on the user's machine while the workspace folder is a `vscode-remote:` URI. Reading workspace files
 * through `vscode.workspace.fs` works there; Node's `fs` on the URI's fsPath does not (that path is on the
 * other machine). Pure: the VS Code layer passes its Uri.
 */
export interface UriLike {
  readonly scheme: string;
  readonly authority: string;
  readonly path: string;
}

/** Whether Node's `fs` on this machine can read the file or folder the URI names. */
export function isOnThisMachine(uri: UriLike): boolean {
  return uri.scheme === 'file';
}

/** Human name of where a non-local URI lives: "SSH host mac-1", "WSL Ubuntu", "vscode-remote dev-container+…". */
export function whereIs(uri: UriLike): string {
  if (uri.scheme !== 'vscode-remote') return `a ${uri.scheme}: file system`;
  const [kind, ...rest] = uri.authority.split('+');
  const name = decodeURIComponent(rest.join('+'));
  if (kind === 'ssh-remote') return `the SSH host ${name}`;
  if (kind === 'wsl') return `WSL ${name}`;
  return name ? `the remote ${kind} ${name}` : `the remote ${kind}`;
}

/**
 * Why `action` (e.g. "Building layer my-layer") cannot run on a folder that is not on this machine, and what to
 * do instead. Undefined when the URI is local.
 */
export function needsLocalFolder(action: string, uri: UriLike): string | undefined {
  if (isOnThisMachine(uri)) return undefined;
  return `${action} reads the layer's folder with this machine's file system, but ${uri.path} is on ${whereIs(uri)} (OpsDeck runs on your machine in a remote window). Open the folder in a local window, or publish from a terminal on that host with the OpsDeck CLI (\`opsdeck layers publish ${uri.path.split('/').pop() ?? '<manifest>'}\`).`;
}
