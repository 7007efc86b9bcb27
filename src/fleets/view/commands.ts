import * as vscode from 'vscode';
import { abortSignalFor } from '../../shell/cancellation';
import type { Shell } from '../../shell/shell';
import { LaunchLedger, requestFingerprint, type LedgerData } from '../core/clientToken';
import { validateLaunchTemplateFile } from '../core/launchTemplateFile';
import { fleetReferences } from '../core/overrides';
import { planFleet, type FleetPlan } from '../core/plan';
import { renderLaunchMarkdown, renderPlanMarkdown } from '../core/render';
import { FLEET_FILE_SNIPPET, LAUNCH_TEMPLATE_FILE_SNIPPET } from '../core/templates';
import type { FleetFacts, FleetRequest } from '../core/types';
import { hasErrors, validateFleet } from '../core/validate';
import type { LaunchResult } from '../service';
import type { FleetFactsCache } from './factsCache';
import { FLEETS_COMMAND, LEDGER_KEY } from './ids';
import type { FleetReports } from './reports';
import { readFleetsSettings } from './settings';

/** The prompts the commands make, injectable so extension-host tests can answer them. */
export interface FleetsUi {
  /** A modal question; resolves to the chosen button or undefined (cancel). */
  ask(message: string, detail: string, ...buttons: string[]): Promise<string | undefined>;
  info(message: string): void;
  error(message: string): void;
}

export const windowUi: FleetsUi = {
  ask: async (message, detail, ...buttons) => vscode.window.showWarningMessage(message, { modal: true, detail }, ...buttons),
  info: (m) => void vscode.window.showInformationMessage(m),
  error: (m) => void vscode.window.showErrorMessage(m),
};

interface Deps {
  readonly shell: Shell;
  readonly cache: FleetFactsCache;
  readonly reports: FleetReports;
  readonly refreshTree: () => void;
  readonly ui: FleetsUi;
}

export class FleetCommands {
  constructor(private readonly d: Deps) {}

  register(): void {
    const { commands } = this.d.shell;
    commands.register(FLEETS_COMMAND.plan, (uri?: unknown) => this.plan(asUri(uri)));
    commands.register(FLEETS_COMMAND.dryRun, (uri?: unknown) => this.dryRun(asUri(uri)));
    commands.register(FLEETS_COMMAND.launch, (uri?: unknown) => this.launch(asUri(uri)));
    commands.register(FLEETS_COMMAND.createLaunchTemplate, (uri?: unknown) => this.createLaunchTemplate(asUri(uri)));
    commands.register(FLEETS_COMMAND.newFleetFile, (uri?: unknown) => this.newFile('fleet', asUri(uri)));
    commands.register(FLEETS_COMMAND.newLaunchTemplateFile, (uri?: unknown) => this.newFile('launch-template', asUri(uri)));
  }

  private region(): string {
    const r = readFleetsSettings(this.d.shell.session).region;
    if (!r) throw Object.assign(new Error('Choose a Region first (AWS OpsDeck: Select Regions…, or the opsdeck.fleets.region setting).'), { name: 'InvalidInput' });
    return r;
  }

  private async document(uri: vscode.Uri | undefined): Promise<vscode.TextDocument> {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!target) throw Object.assign(new Error('Open a *.fleet.json file first.'), { name: 'InvalidInput' });
    return vscode.workspace.openTextDocument(target);
  }

  /** Fresh facts for the file (with progress), then validation; throws with the first error if the file has errors. */
  private async checked(doc: vscode.TextDocument, title: string, token?: vscode.CancellationToken): Promise<{ request: FleetRequest; facts: FleetFacts; region: string }> {
    const region = this.region();
    const first = validateFleet(doc.getText());
    if (first.request && !hasErrors(first.diagnostics)) {
      await this.d.cache.refresh(region, fleetReferences(first.request), { force: true, signal: abortSignalFor(token) }).catch((err) => {
        this.d.shell.log.warn(`${title}: continuing without AWS facts: ${(err as Error).message}`);
      });
    }
    const facts = this.d.cache.snapshot(region);
    const result = validateFleet(doc.getText(), facts);
    const errors = result.diagnostics.filter((x) => x.severity === 'error');
    if (errors.length || !result.request) {
      void vscode.commands.executeCommand('workbench.actions.view.problems');
      const at = doc.positionAt(errors[0]?.offset ?? 0);
      throw Object.assign(new Error(`${title}: ${doc.uri.path.split('/').pop()} has ${errors.length} error(s); first at line ${at.line + 1}: ${errors[0]?.message ?? 'not a fleet file'}`), { name: 'InvalidInput' });
    }
    return { request: result.request, facts, region };
  }

  async plan(uri?: vscode.Uri): Promise<{ plan: FleetPlan; markdown: string }> {
    const doc = await this.document(uri);
    const { request, facts, region } = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Planning fleet capacity…' }, (_p, token) => this.checked(doc, 'Plan', token));
    const plan = planFleet(request, facts);
    const markdown = `${renderPlanMarkdown(plan, doc.uri.path.split('/').pop() ?? 'fleet')}\nRegion ${region}. Facts from ${facts.instanceTypes?.size ? 'AWS' : 'the file only'}.\n`;
    await this.d.reports.show(doc.uri, 'plan', markdown);
    return { plan, markdown };
  }

  async dryRun(uri?: vscode.Uri): Promise<{ ok: boolean; message: string }> {
    const doc = await this.document(uri);
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Fleet dry run…', cancellable: true }, async (_p, token) => {
      const { request, region } = await this.checked(doc, 'Dry run', token);
      const r = await this.d.shell.session.core().fleets.dryRunFleet(this.d.shell.session.factory(), region, request, { signal: abortSignalFor(token) });
      const message = r.ok ? `Dry run in ${region}: would succeed.` : `Dry run in ${region}: would fail — ${r.code}: ${r.message}`;
      if (r.ok) this.d.ui.info(message);
      else this.d.ui.error(message);
      return { ok: r.ok, message };
    });
  }

  async launch(uri?: vscode.Uri): Promise<LaunchResult | undefined> {
    if (!vscode.workspace.isTrusted) throw Object.assign(new Error('Launching is disabled in untrusted workspaces: trust this workspace first.'), { name: 'InvalidInput' });
    const doc = await this.document(uri);
    const { request, facts, region } = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Checking fleet…' }, (_p, token) => this.checked(doc, 'Launch', token));
    const plan = planFleet(request, facts);
    const ledger = new LaunchLedger(this.d.shell.context.workspaceState.get<LedgerData>(LEDGER_KEY) ?? {});
    const pending = ledger.pending(requestFingerprint(region, request));
    const expected = plan.expected.map((e) => `${e.instances} × ${plan.rows[e.row].instanceType}`).join(' + ') || 'nothing (no override is expected to fit)';
    const detail = [
      `${request.Type ?? 'maintain'} fleet in ${region}, target ${plan.target} ${plan.unit}.`,
      `It may create up to ${plan.maxInstances} instance(s)${plan.maxVcpus !== undefined ? ` (${plan.maxVcpus} vCPUs)` : ''}, billed while they run.`,
      `Expected: ${expected}${plan.assumed ? ' (capacity not known)' : ''}.`,
      ...(pending ? [`The last launch of this file (${pending.at}) has an unknown outcome: "Retry" resends it with the same ClientToken, so it cannot launch twice.`] : []),
    ].join('\n');
    const buttons = pending ? ['Retry', 'Launch New Fleet'] : ['Launch'];
    const choice = await this.d.ui.ask(`Launch ${doc.uri.path.split('/').pop()}?`, detail, ...buttons);
    if (!choice) return undefined;
    const save = async (): Promise<void> => this.d.shell.context.workspaceState.update(LEDGER_KEY, ledger.toJSON());
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Launching fleet…', cancellable: true }, (_p, token) =>
      this.d.shell.session.core().fleets.launchFleet(this.d.shell.session.factory(), region, request, { ledger, saveLedger: save, relaunch: choice === 'Launch New Fleet', signal: abortSignalFor(token) }));
    await this.d.reports.show(doc.uri, 'launch', renderLaunchMarkdown(result.report));
    const summary = `Fleet ${result.report.fleetId ?? ''}: ${result.report.summary}`;
    if (result.report.outcome === 'failed') this.d.ui.error(summary);
    else this.d.ui.info(summary);
    this.d.refreshTree();
    return result;
  }

  async createLaunchTemplate(uri?: vscode.Uri): Promise<{ id: string; version: number } | undefined> {
    const doc = await this.document(uri);
    const { file, diagnostics } = validateLaunchTemplateFile(doc.getText());
    if (!file) {
      const first = diagnostics.find((x) => x.severity === 'error');
      throw Object.assign(new Error(`Fix the launch template file first: ${first?.message ?? 'invalid'}`), { name: 'InvalidInput' });
    }
    const region = this.region();
    const created = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Creating launch template ${file.LaunchTemplateName}…` }, () =>
      this.d.shell.session.core().fleets.createLaunchTemplate(this.d.shell.session.factory(), region, file));
    await vscode.env.clipboard.writeText(created.id);
    this.d.ui.info(`${created.created ? 'Created' : 'Added version'} ${created.name} (${created.id}, version ${created.version}) in ${region}; the id is on the clipboard for the fleet file's LaunchTemplateId.`);
    return { id: created.id, version: created.version };
  }

  /** A new file from the template, with tab stops for its placeholders. `target` skips the save dialog. */
  async newFile(kind: 'fleet' | 'launch-template', target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const uri = target ?? (await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, kind === 'fleet' ? 'outpost.fleet.json' : 'outpost.launch-template.json') : undefined,
      filters: { JSON: ['json'] },
      title: kind === 'fleet' ? 'New EC2 Fleet file (*.fleet.json)' : 'New launch template file (*.launch-template.json)',
    }));
    if (!uri) return undefined;
    const suffix = kind === 'fleet' ? '.fleet.json' : '.launch-template.json';
    const final = uri.path.endsWith(suffix) ? uri : uri.with({ path: uri.path.replace(/(\.json)?$/, suffix) });
    await vscode.workspace.fs.writeFile(final, new Uint8Array());
    const editor = await vscode.window.showTextDocument(final);
    await editor.insertSnippet(new vscode.SnippetString(kind === 'fleet' ? FLEET_FILE_SNIPPET : LAUNCH_TEMPLATE_FILE_SNIPPET), new vscode.Position(0, 0));
    return final;
  }
}

const asUri = (v: unknown): vscode.Uri | undefined => (v instanceof vscode.Uri ? v : undefined);
