import vscode = require('vscode');

/**
 * The "AWS OpsDeck" LogOutputChannel, created the first time a line is written or the log is shown (creating it
 * costs a couple of milliseconds in the extension host: never at activation).
 */
export class LazyLogChannel implements vscode.Disposable {
  private channel: vscode.LogOutputChannel | undefined;

  constructor(private readonly name: string) {}

  get(): vscode.LogOutputChannel {
    return (this.channel ??= vscode.window.createOutputChannel(this.name, { log: true }));
  }

  dispose(): void {
    this.channel?.dispose();
  }
}
