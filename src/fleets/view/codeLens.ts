import vscode = require('vscode');
import { FLEETS_COMMAND, FLEET_FILE, LAUNCH_TEMPLATE_FILE } from './ids';

/** "Plan capacity · Dry run · Launch" over a fleet file; "Create launch template" over a launch template file. */
export class FleetCodeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  private readonly onTrust = vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire());

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const top = new vscode.Range(0, 0, 0, 0);
    if (FLEET_FILE.test(doc.uri.path)) {
      const trusted = vscode.workspace.isTrusted;
      return [
        new vscode.CodeLens(top, { title: '$(graph) Plan capacity', command: FLEETS_COMMAND.plan, arguments: [doc.uri], tooltip: 'Overrides in priority order, instances each needs, vCPUs, memory, and the expected filler' }),
        new vscode.CodeLens(top, { title: '$(beaker) Dry run', command: FLEETS_COMMAND.dryRun, arguments: [doc.uri], tooltip: 'CreateFleet with DryRun: would it succeed?' }),
        new vscode.CodeLens(top, trusted
          ? { title: '$(rocket) Launch', command: FLEETS_COMMAND.launch, arguments: [doc.uri], tooltip: 'Launch this fleet once (asks first)' }
          // Restricted Mode: the same command, which the command registry answers with "needs a trusted workspace".
          : { title: '$(shield) Launch (needs a trusted workspace)', command: FLEETS_COMMAND.launch, arguments: [doc.uri], tooltip: 'Launching is off in Restricted Mode: trust this workspace first' }),
      ];
    }
    if (LAUNCH_TEMPLATE_FILE.test(doc.uri.path)) {
      return [new vscode.CodeLens(top, { title: '$(cloud-upload) Create launch template', command: FLEETS_COMMAND.createLaunchTemplate, arguments: [doc.uri] })];
    }
    return [];
  }

  dispose(): void {
    this.onTrust.dispose();
    this.changed.dispose();
  }
}
