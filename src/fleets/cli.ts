import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EXIT, UsageError, type CliCommand, type CliContext } from '../cli/types';
import { requestFingerprint, type LaunchIntent } from './core/clientToken';
import { loadLedgerFile } from './core/ledgerFile';
import { positionAt } from './core/document';
import { validateLaunchTemplateFile } from './core/launchTemplateFile';
import { fleetReferences } from './core/overrides';
import { planFleet } from './core/plan';
import { renderLaunchText, renderPlanText } from './core/render';
import type { FleetDiagnostic, FleetFacts, FleetRequest } from './core/types';
import { hasErrors, validateFleet } from './core/validate';

/**
 * `opsdeck fleet validate|plan|launch|delete|launch-template`: the editor's validator, plan and launch for CI and
 * the terminal, on the same files the AWS CLI takes. Problems print as `file:line:col: severity: message [rule]`.
 * Exit codes: 0 ok (a maintain/request fleet: once EC2 returns its FleetId), 1 validation errors or a failed
 * launch/delete (an instant fleet with no instances), 2 usage or not confirmed.
 */
const OFFLINE = { offline: { type: 'boolean' } } as const;

function region(ctx: CliContext): string {
  const r = ctx.settings.regions[0];
  if (!r) throw new UsageError('No Region: pass --region (or set AWS_REGION).');
  return r;
}

async function readFile(file: string): Promise<{ abs: string; shown: string; text: string }> {
  const abs = path.resolve(file);
  const text = await fs.readFile(abs, 'utf8').catch(() => {
    throw new UsageError(`Cannot read ${abs}.`);
  });
  return { abs, shown: path.relative(process.cwd(), abs) || abs, text };
}

export function formatDiagnostic(file: string, text: string, d: FleetDiagnostic): string {
  const { line, column } = positionAt(text, d.offset);
  return `${file}:${line}:${column}: ${d.severity}: ${d.message} [${d.code}]`;
}

function diagnosticJson(text: string, d: FleetDiagnostic): Record<string, unknown> {
  const start = positionAt(text, d.offset);
  const end = positionAt(text, d.offset + d.length);
  return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column, severity: d.severity, code: d.code, message: d.message };
}

/** Facts from AWS unless --offline; a failure to read them is a warning (the offline rules still run). */
async function factsFor(ctx: CliContext, request: FleetRequest | undefined, offline: boolean): Promise<{ facts: FleetFacts; loaded: boolean }> {
  if (offline || !request) return { facts: {}, loaded: false };
  const r = region(ctx);
  try {
    ctx.info(`Reading instance types, launch templates, subnets and Outposts in ${r}…`);
    return { facts: await ctx.core().fleets.loadFleetFacts(ctx.factory(), r, fleetReferences(request), { signal: ctx.signal }), loaded: true };
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    ctx.info(`warning: could not read AWS facts (${(err as Error).message}); checking the file offline.`);
    return { facts: {}, loaded: false };
  }
}

async function checkFleetFile(ctx: CliContext, file: string, offline: boolean) {
  const { abs, shown, text } = await readFile(file);
  const first = validateFleet(text);
  const { facts, loaded } = hasErrors(first.diagnostics) ? { facts: {}, loaded: false } : await factsFor(ctx, first.request, offline);
  const result = loaded ? validateFleet(text, facts) : first;
  return { abs, shown, text, facts, loaded, ...result };
}

function report(ctx: CliContext, shown: string, text: string, diagnostics: FleetDiagnostic[]): void {
  for (const d of diagnostics) (d.severity === 'error' ? ctx.info : ctx.out)(formatDiagnostic(shown, text, d));
}

const validateCommand: CliCommand = {
  path: ['fleet', 'validate'],
  summary: 'Check a *.fleet.json (CreateFleet input) or *.launch-template.json',
  args: 'FILE',
  help: 'Reports every problem as file:line:col; exit 1 when there are errors. With credentials and a Region it also\nchecks instance types, the launch template and the Outpost\'s configured types.\n  --offline    Only the checks that need no AWS call',
  options: OFFLINE,
  async run(ctx, values, [file]) {
    if (!file) throw new UsageError('Give the file to validate.');
    if (/\.launch-template\.json$/.test(file)) {
      const { shown, text } = await readFile(file);
      const { diagnostics } = validateLaunchTemplateFile(text);
      if (ctx.json) ctx.printJson({ file: shown, kind: 'launch-template', diagnostics: diagnostics.map((d) => diagnosticJson(text, d)) });
      else report(ctx, shown, text, diagnostics);
      return hasErrors(diagnostics) ? EXIT.error : EXIT.ok;
    }
    const r = await checkFleetFile(ctx, file, Boolean(values.offline));
    if (ctx.json) ctx.printJson({ file: r.shown, kind: 'fleet', awsChecked: r.loaded, diagnostics: r.diagnostics.map((d) => diagnosticJson(r.text, d)) });
    else {
      report(ctx, r.shown, r.text, r.diagnostics);
      if (!r.diagnostics.length) ctx.out(`${r.shown}: OK${r.loaded ? '' : ' (offline checks only)'}`);
    }
    return hasErrors(r.diagnostics) ? EXIT.error : EXIT.ok;
  },
};

const planCommand: CliCommand = {
  path: ['fleet', 'plan'],
  summary: 'Show the capacity plan of a fleet file (order, instances, vCPUs, memory, expected filler)',
  args: 'FILE',
  help: '  --offline    Plan without AWS facts (capacity and types unknown)',
  options: OFFLINE,
  async run(ctx, values, [file]) {
    if (!file) throw new UsageError('Give the fleet file.');
    const r = await checkFleetFile(ctx, file, Boolean(values.offline));
    if (hasErrors(r.diagnostics) || !r.request) {
      report(ctx, r.shown, r.text, r.diagnostics);
      if (ctx.json) ctx.printJson({ file: r.shown, diagnostics: r.diagnostics.map((d) => diagnosticJson(r.text, d)) });
      return EXIT.error;
    }
    const plan = planFleet(r.request, r.facts);
    if (ctx.json) ctx.printJson({ file: r.shown, awsChecked: r.loaded, plan, diagnostics: r.diagnostics.map((d) => diagnosticJson(r.text, d)) });
    else ctx.out(renderPlanText(plan, r.shown));
    return EXIT.ok;
  },
};

/** Launches are remembered here (pending ClientTokens, resumed after a crash or a lost answer). */
export function ledgerFile(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.OPSDECK_STATE_DIR || path.join(env.XDG_STATE_HOME || path.join(os.homedir(), '.local', 'state'), 'opsdeck');
  return path.join(base, 'fleet-launches.json');
}

/** Errors of launchFleet whose message is already the explanation (see service/actions.ts). */
const LAUNCH_ERRORS = new Set(['LaunchOutcomeUnknown', 'LedgerUnwritable']);

const launchCommand: CliCommand = {
  path: ['fleet', 'launch'],
  summary: 'Dry-run or launch a fleet file (CreateFleet), once, and explain the result per override',
  args: 'FILE',
  help: [
    '  --dry-run    Send DryRun: reports "would succeed" or the reason; launches nothing',
    '  --yes        Do not ask for confirmation (needed when stdin is not a terminal)',
    '  --resume     Resume the pending launch of this file: the same ClientToken, so if EC2 created that fleet it',
    '               returns it instead of launching again',
    '  --new        Start a new launch with a new ClientToken even though one of this file is pending',
    'Every launch gets a new random ClientToken, recorded (OPSDECK_STATE_DIR, else $XDG_STATE_HOME/opsdeck,',
    'fleet-launches.json) before CreateFleet is sent and reused by every retry. A launch whose result never',
    'arrived (crash, timeout) stays pending: the next launch of the file asks to resume it; with --yes it is',
    'resumed (it cannot launch twice); --new starts another fleet instead.',
    'Exit 1 when validation fails, the dry run fails, or an instant fleet launched no instances. A maintain or',
    'request fleet exits 0 once EC2 returns its FleetId: its instances launch asynchronously.',
  ].join('\n'),
  options: { 'dry-run': { type: 'boolean' }, yes: { type: 'boolean' }, resume: { type: 'boolean' }, new: { type: 'boolean' }, relaunch: { type: 'boolean' } },
  async run(ctx, values, [file]) {
    if (!file) throw new UsageError('Give the fleet file.');
    const wantNew = Boolean(values.new || values.relaunch);
    if (wantNew && values.resume) throw new UsageError('Give --resume or --new, not both.');
    const r = await checkFleetFile(ctx, file, false);
    report(ctx, r.shown, r.text, r.diagnostics);
    if (hasErrors(r.diagnostics) || !r.request) {
      if (ctx.json) ctx.printJson({ file: r.shown, diagnostics: r.diagnostics.map((d) => diagnosticJson(r.text, d)) });
      return EXIT.error;
    }
    const where = region(ctx);
    const fleets = ctx.core().fleets;
    if (values['dry-run']) {
      const dry = await fleets.dryRunFleet(ctx.factory(), where, r.request, { signal: ctx.signal });
      if (ctx.json) ctx.printJson({ file: r.shown, dryRun: dry });
      else ctx.out(dry.ok ? `Dry run: would succeed (${dry.code}).` : `Dry run: would fail: ${dry.code}: ${dry.message}`);
      return dry.ok ? EXIT.ok : EXIT.error;
    }
    const plan = planFleet(r.request, r.facts);
    const { ledger, save, warning } = await loadLedgerFile(ledgerFile());
    if (warning) ctx.info(`warning: ${warning}`);
    const fingerprint = requestFingerprint(where, r.request);
    const pending = ledger.pending(fingerprint);
    for (const other of ledger.pendingElsewhere(r.abs, fingerprint)) {
      ctx.info(`warning: a launch of ${r.shown} with other content (started ${other.startedAt}, ClientToken ${other.token}) has an unknown outcome and cannot be resumed now that the file changed: check the fleets in ${other.region || where} (opsdeck fleet delete, or the Outposts Fleets view) before launching. Launching records it as abandoned.`);
    }
    if (values.resume && !pending) throw new UsageError(`No pending launch of ${r.shown} in ${where} to resume (its last launch finished, or it was never started with this state folder).`);
    const commitment = `${plan.commitment.headline} ${plan.commitment.billing}`;
    let intent: LaunchIntent = 'new';
    if (pending && !wantNew) {
      intent = 'resume';
      const what = `A launch of ${r.shown} in ${where} started ${pending.startedAt} is pending (its result never arrived).`;
      if (values.yes) ctx.info(`${what} Resuming it with its ClientToken ${pending.token} (pass --new to launch another fleet instead).`);
      else if (!(await ctx.confirm(`${what} Resume it with the same ClientToken (EC2 returns that fleet if it was created; otherwise: ${commitment})?`))) {
        ctx.info('Not launched. Pass --resume to resume the pending launch, or --new to launch a new fleet with a new ClientToken.');
        return EXIT.usage;
      }
    } else if (!values.yes) {
      const also = pending ? ` A launch of this file started ${pending.startedAt} is pending: if it created a fleet, you will have two.` : '';
      if (!(await ctx.confirm(`Launch ${r.shown} in ${where}: ${commitment}${also} Launch?`))) {
        ctx.info('Not launched (use --yes to launch without asking).');
        return EXIT.usage;
      }
    }
    let result: Awaited<ReturnType<typeof fleets.launchFleet>>;
    try {
      result = await fleets.launchFleet(ctx.factory(), where, r.request, { ledger, saveLedger: save, intent, source: r.abs, signal: ctx.signal });
    } catch (err) {
      // Our own launch errors already say what happened and what to do; the generic AWS mapping would misread them.
      const e = err as Error;
      if (!LAUNCH_ERRORS.has(e.name)) throw err;
      if (ctx.json) ctx.printJson({ file: r.shown, error: { kind: e.name, message: e.message }, pendingClientToken: ledger.pending(fingerprint)?.token ?? null });
      ctx.info(`error: ${e.message}${e.name === 'LaunchOutcomeUnknown' ? ' Run the same command again to resume it.' : ''}`);
      return EXIT.error;
    }
    if (result.resumed) ctx.info(`Resumed the pending launch with its ClientToken ${result.token}.`);
    if (result.ledgerWarning) ctx.info(`warning: ${result.ledgerWarning}`);
    if (ctx.json) ctx.printJson({ file: r.shown, clientToken: result.token, resumed: result.resumed, report: result.report, response: { FleetId: result.response.FleetId, Instances: result.response.Instances, Errors: result.response.Errors } });
    else ctx.out(renderLaunchText(result.report));
    return result.report.outcome === 'failed' ? EXIT.error : EXIT.ok;
  },
};

const deleteCommand: CliCommand = {
  path: ['fleet', 'delete'],
  summary: 'Delete fleets and terminate their instances (DeleteFleets)',
  args: 'FLEET_ID…',
  help: '  --yes    Do not ask for confirmation',
  options: { yes: { type: 'boolean' } },
  async run(ctx, values, ids) {
    if (!ids.length) throw new UsageError('Give one or more fleet ids.');
    const where = region(ctx);
    const fleets = ctx.core().fleets;
    const found = await fleets.describeFleets(ctx.factory(), where, { fleetIds: ids, signal: ctx.signal });
    const instances = found.flatMap((f) => f.instances.map((i) => `${i.instanceId} (${i.instanceType ?? '?'}, ${i.state ?? '?'}) in ${f.fleetId}`));
    if (!values.yes) {
      if (!ctx.json) for (const line of instances) ctx.info(`  will terminate ${line}`);
      if (!(await ctx.confirm(`Delete ${ids.length} fleet(s) in ${where} and terminate ${instances.length} instance(s)?`))) {
        ctx.info('Nothing deleted (use --yes to delete without asking).');
        return EXIT.usage;
      }
    }
    const result = await fleets.deleteFleets(ctx.factory(), where, ids, { signal: ctx.signal });
    if (ctx.json) ctx.printJson({ ...result, terminated: found.flatMap((f) => f.instances.map((i) => i.instanceId)) });
    else {
      for (const d of result.deleted) ctx.out(`${d.fleetId}: ${d.state ?? 'deleted'}`);
      for (const f of result.failed) ctx.info(`${f.fleetId}: ${f.code}: ${f.message}`);
    }
    return result.failed.length ? EXIT.error : EXIT.ok;
  },
};

const launchTemplateCommand: CliCommand = {
  path: ['fleet', 'launch-template'],
  summary: 'Create the launch template of a *.launch-template.json (a new version if the name exists)',
  args: 'FILE',
  help: 'Prints the template id to put in the fleet file\'s LaunchTemplateSpecification.',
  async run(ctx, _values, [file]) {
    if (!file) throw new UsageError('Give the *.launch-template.json file.');
    const { shown, text } = await readFile(file);
    const { file: parsed, diagnostics } = validateLaunchTemplateFile(text);
    report(ctx, shown, text, diagnostics);
    if (!parsed) return EXIT.error;
    const created = await ctx.core().fleets.createLaunchTemplate(ctx.factory(), region(ctx), parsed, { signal: ctx.signal });
    if (ctx.json) ctx.printJson(created);
    else ctx.out(`${created.created ? 'Created' : 'Added version to'} ${created.name}: ${created.id} version ${created.version}`);
    return EXIT.ok;
  },
};

export const fleetCommands: readonly CliCommand[] = [validateCommand, planCommand, launchCommand, deleteCommand, launchTemplateCommand];
