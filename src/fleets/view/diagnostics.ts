import vscode = require('vscode');
import type { Shell } from '../../shell/shell';
import { validateLaunchTemplateFile } from '../core/launchTemplateFile';
import { fleetReferences } from '../core/overrides';
import type { FleetDiagnostic } from '../core/types';
import { validateFleet } from '../core/validate';
import type { FleetFactsCache } from './factsCache';
import { FLEET_FILE, LAUNCH_TEMPLATE_FILE } from './ids';
import { readFleetsSettings } from './settings';

/**
 * Diagnostics for *.fleet.json and *.launch-template.json as the user types: the pure validator runs on a short
 * debounce with the facts already cached (no AWS call on the keystroke path). If the file refers to launch
 * templates, types or subnets the cache lacks, a refresh is scheduled well after typing stops, and its
 * completion re-validates the open files. Structural checks are left to the JSON schema (jsonValidation).
 */
const SEVERITY: Record<FleetDiagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};
const FACTS_DELAY_MS = 1500;

export const isFleetDocument = (doc: vscode.TextDocument): boolean => FLEET_FILE.test(doc.uri.path);
export const isLaunchTemplateDocument = (doc: vscode.TextDocument): boolean => LAUNCH_TEMPLATE_FILE.test(doc.uri.path);

export function toVscodeDiagnostics(doc: vscode.TextDocument, list: readonly FleetDiagnostic[]): vscode.Diagnostic[] {
  return list.map((d) => {
    const range = new vscode.Range(doc.positionAt(d.offset), doc.positionAt(d.offset + d.length));
    const out = new vscode.Diagnostic(range, d.message, SEVERITY[d.severity]);
    out.source = 'OpsDeck fleets';
    out.code = d.code;
    if (d.related) out.relatedInformation = [new vscode.DiagnosticRelatedInformation(new vscode.Location(doc.uri, new vscode.Range(doc.positionAt(d.related.offset), doc.positionAt(d.related.offset + d.related.length))), d.related.message)];
    return out;
  });
}

export class FleetDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('opsdeck-fleets');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** One pending facts refresh per document, so two open files do not cancel each other's. */
  private readonly factsTimers = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [this.collection];
  /** Validations run (tests compare it with the cache's AWS refreshes). */
  validations = 0;

  constructor(private readonly shell: Shell, private readonly cache: FleetFactsCache) {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.validateNow(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidSaveTextDocument((d) => this.validateNow(d)),
      vscode.workspace.onDidCloseTextDocument((d) => this.collection.delete(d.uri)),
      cache.onDidUpdate(() => this.validateAll()),
      shell.session.onDidChange(() => {
        cache.clear();
        this.validateAll();
      }),
    );
    this.validateAll();
  }

  validateAll(): void {
    for (const d of vscode.workspace.textDocuments) this.validateNow(d);
  }

  private schedule(doc: vscode.TextDocument): void {
    if (!isFleetDocument(doc) && !isLaunchTemplateDocument(doc)) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      this.validateNow(doc);
    }, readFleetsSettings(this.shell.session).validationDelayMs));
  }

  /** Validates with cached facts only; returns the diagnostics (tests use it). */
  validateNow(doc: vscode.TextDocument): FleetDiagnostic[] {
    if (doc.isClosed) return [];
    if (isLaunchTemplateDocument(doc)) {
      const list = validateLaunchTemplateFile(doc.getText()).diagnostics.filter((d) => d.code !== 'unknown-key');
      this.collection.set(doc.uri, toVscodeDiagnostics(doc, list));
      return list;
    }
    if (!isFleetDocument(doc)) return [];
    this.validations++;
    const settings = readFleetsSettings(this.shell.session);
    const text = doc.getText();
    const offline = validateFleet(text, {}, { structural: false });
    const refs = fleetReferences(offline.request);
    const useAws = settings.checkWithAws && settings.region !== undefined;
    const result = useAws ? validateFleet(text, this.cache.snapshot(settings.region!), { structural: false }) : offline;
    this.collection.set(doc.uri, toVscodeDiagnostics(doc, result.diagnostics));
    if (useAws && offline.request && this.cache.needsRefresh(settings.region!, refs)) this.scheduleFacts(doc.uri.toString(), settings.region!, refs);
    return result.diagnostics;
  }

  private scheduleFacts(key: string, region: string, refs: ReturnType<typeof fleetReferences>): void {
    clearTimeout(this.factsTimers.get(key));
    this.factsTimers.set(key, setTimeout(() => {
      this.factsTimers.delete(key);
      this.cache.refresh(region, refs).catch(() => undefined /* logged by the cache; retried after a back-off */);
    }, FACTS_DELAY_MS));
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const t of this.factsTimers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }
}
