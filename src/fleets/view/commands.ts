import vscode = require('vscode');
import { abortSignalFor } from '../../shell/cancellation';
import { trustDecision } from '../../common/trust';
import type { Shell } from '../../shell/shell';
import { requestFingerprint } from '../core/clientToken';
import { loadLedgerFile, type LoadedLedger } from '../core/ledgerFile';
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

/** The launch confirmation's buttons: one when nothing is pending, resume-or-new when a launch is pending. */
export const LAUNCH_CHOICE = { launch: 'Launch', resume: 'Resume Pending Launch', new: 'Launch New Fleet' } as const;

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

  /**
   * The editor's launch ledger: `fleet-launches.json` in the extension's global storage (atomic writes, shared
   * by every window). Pending launches an earlier version kept in workspace state are taken in once.
   */
  private async openLedger(): Promise<LoadedLedger> {
    const file = vscode.Uri.joinPath(this.d.shell.context.globalStorageUri, 'fleet-launches.json').fsPath;
    const loaded = await loadLedgerFile(file);
    if (loaded.warning) this.d.shell.log.warn(loaded.warning);
    const state = this.d.shell.context.workspaceState;
    const legacy = state.get<unknown>(LEDGER_KEY);
    if (legacy !== undefined) {
      if (loaded.ledger.adopt(legacy)) await loaded.save();
      await state.update(LEDGER_KEY, undefined);
    }
    return loaded;
  }

  async launch(uri?: vscode.Uri): Promise<LaunchResult | undefined> {
    // The command registry refuses first; this guards direct calls (tests, other code paths).
    const gate = trustDecision(FLEETS_COMMAND.launch, vscode.workspace.isTrusted);
    if (!gate.allowed) throw Object.assign(new Error(gate.message), { name: 'InvalidInput' });
    const doc = await this.document(uri);
    const { request, facts, region } = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Checking fleet…' }, (_p, token) => this.checked(doc, 'Launch', token));
    const plan = planFleet(request, facts);
    const { ledger, save } = await this.openLedger();
    const fingerprint = requestFingerprint(region, request);
    const source = doc.uri.toString();
    const pending = ledger.pending(fingerprint);
    const name = doc.uri.path.split('/').pop() ?? 'fleet';
    const expected = plan.expected.map((e) => `${e.instances} × ${plan.rows[e.row].instanceType}`).join(' + ') || 'nothing (no override is expected to fit)';
    const detail = [
      `${plan.commitment.headline[0].toUpperCase()}${plan.commitment.headline.slice(1)}`,
      plan.commitment.billing,
      `Region ${region}. Expected: ${expected}${plan.assumed ? ' (capacity not known)' : ''}.`,
      ...(pending
        ? [
            '',
            `A launch of this file started ${pending.startedAt} is pending: its result never arrived (timeout, crash or window reload).`,
            `"${LAUNCH_CHOICE.resume}" resends it with the same ClientToken: if EC2 created that fleet, it returns it and launches nothing new.`,
            `"${LAUNCH_CHOICE.new}" uses a new ClientToken: if the pending launch did create a fleet, you will have two (check the Outposts Fleets view first).`,
          ]
        : []),
      ...ledger.pendingElsewhere(source, fingerprint).map((o) => `\nA launch of this file with other content (started ${o.startedAt}) has an unknown outcome and cannot be resumed now that the file changed: check the Outposts Fleets view. Launching records it as abandoned.`),
    ].join('\n');
    const buttons = pending ? [LAUNCH_CHOICE.resume, LAUNCH_CHOICE.new] : [LAUNCH_CHOICE.launch];
    const choice = await this.d.ui.ask(pending ? `Resume the pending launch of ${name}?` : `Launch ${name}?`, detail, ...buttons);
    if (!choice) return undefined;
    const intent = choice === LAUNCH_CHOICE.resume ? 'resume' : 'new';
    let result: LaunchResult;
    try {
      result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: intent === 'resume' ? 'Resuming fleet launch…' : 'Launching fleet…', cancellable: true }, (_p, token) =>
        this.d.shell.session.core().fleets.launchFleet(this.d.shell.session.factory(), region, request, { ledger, saveLedger: save, intent, source, signal: abortSignalFor(token) }));
    } catch (err) {
      // These messages already say what happened and what to do (the generic AWS error mapping would misread
      // "outcome unknown after a timeout" as a plain timeout and drop that the launch is pending).
      const e = err as Error;
      if (!['LaunchOutcomeUnknown', 'LedgerUnwritable'].includes(e.name)) throw err;
      this.d.shell.log.warn(`Launch of ${name}: ${e.message}`);
      this.d.ui.error(`${e.message}${e.name === 'LaunchOutcomeUnknown' ? ' Launch the file again to resume it.' : ''}`);
      return undefined;
    }
    if (result.ledgerWarning) this.d.shell.log.warn(result.ledgerWarning);
    await this.d.reports.show(doc.uri, 'launch', renderLaunchMarkdown(result.report));
    const report = result.report;
    const summary = `${result.resumed ? 'Resumed pending launch: ' : ''}${report.outcome === 'submitted' || !report.fleetId ? report.summary : `Fleet ${report.fleetId}: ${report.summary}`}`;
    if (report.outcome === 'failed') this.d.ui.error(summary);
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
