import vscode = require('vscode');
import { PLAN_SCHEME } from './ids';

/**
 * Read-only Markdown documents for plans and launch results (`opsdeck-fleet:/…/plan.md`), shown in VS Code's
 * Markdown preview: no webview to secure, and the text can be copied or saved.
 */
export class FleetReports implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(PLAN_SCHEME, this);

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '# Nothing here yet\n\nRun **Plan capacity** from the fleet file.';
  }

  /** Sets the content of `<kind>` for a file and opens it in the Markdown preview beside the editor. */
  async show(file: vscode.Uri, kind: 'plan' | 'launch', markdown: string): Promise<vscode.Uri> {
    const name = file.path.split('/').pop() ?? 'fleet';
    const uri = vscode.Uri.from({ scheme: PLAN_SCHEME, path: `/${kind}/${name}.md`, query: file.toString() });
    this.contents.set(uri.toString(), markdown);
    this.changed.fire(uri);
    await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
    return uri;
  }

  last(kind: 'plan' | 'launch', file: vscode.Uri): string | undefined {
    const name = file.path.split('/').pop() ?? 'fleet';
    return this.contents.get(vscode.Uri.from({ scheme: PLAN_SCHEME, path: `/${kind}/${name}.md`, query: file.toString() }).toString());
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
