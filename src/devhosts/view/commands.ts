import vscode = require('vscode');
import * as fs from 'fs';
import { isCancellation, UserCancelledError } from '../../aws/cancellation';
import type { Shell } from '../../shell/shell';
import { abortSignalFor } from '../../shell/cancellation';
import type { DevHost, DevInstance, Inventory } from '../core/model';
import { formatRemaining, recheckRelease, releasability } from '../core/releaseRule';
import { DEFAULT_USER_CONFIG, expandHome, removeSshConfig } from '../configFiles';
import { applySshConfig, describeApply, describeRender, generate, missingIncludePlan, plan } from '../generate';
import { checkWithSsh, describeCheck, type SshCheckResult } from '../sshCheck';
import { DEVHOSTS_COMMAND as C, REMOTE_SSH_EXTENSION } from './ids';
import { readDevHostsSettings, remoteSshConfigFile } from './settings';
import type { DevHostsState } from './state';

/** Modal questions go through here so extension-host tests can answer them (a queue), never a global. */
export interface DevHostsUi {
  confirm(message: string, detail: string, action: string): Promise<boolean>;
}

export const modalUi: DevHostsUi = {
  async confirm(message, detail, action) {
    return (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action;
  },
};

interface Deps {
  readonly shell: Shell;
  readonly state: DevHostsState;
  /** Re-discover (AWS calls). */
  readonly refresh: () => void;
  /** Redraw from the last inventory (no AWS call). */
  readonly redraw: () => void;
  readonly ui: DevHostsUi;
}

/** What generate reports (also the command's return value, which the extension-host test reads). */
export interface GenerateOutcome {
  readonly written: boolean;
  readonly userConfig: string;
  readonly managedPath: string;
  readonly entries: number;
  readonly check?: SshCheckResult;
}

type InstanceArg = { instance?: DevInstance; instanceId?: string } | undefined;
type HostArg = { host?: DevHost; hostId?: string } | undefined;

export class DevHostsCommands {
  constructor(private readonly d: Deps) {}

  register(): void {
    const { commands } = this.d.shell;
    commands.register(C.generateSshConfig, (opts?: unknown) => this.generate(isOpts(opts) ? opts : {}));
    commands.register(C.connect, (arg?: unknown, opts?: unknown) => this.connect(arg as InstanceArg, isOpts(opts) ? opts : {}));
    commands.register(C.openTerminal, (arg?: unknown) => this.openTerminal(arg as InstanceArg));
    commands.register(C.copySshCommand, (arg?: unknown) => this.copySshCommand(arg as InstanceArg));
    commands.register(C.revealConfig, () => this.revealConfig());
    commands.register(C.releaseHost, (arg?: unknown) => this.releaseHost(arg as HostArg));
    commands.register(C.removeSshConfig, () => this.removeConfig());
  }

  /** Discovers with a notification progress (cancellable), keeps the result for the tree, renders aliases. */
  async discover(): Promise<Inventory> {
    const { session } = this.d.shell;
    const regions = session.settings.regions;
    if (!regions.length) throw new Error('Choose Regions first (AWS OpsDeck: Select Regions).');
    const s = readDevHostsSettings();
    const inv = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Discovering EC2 Mac hosts…', cancellable: true }, (_p, token) =>
      session.core().devhosts.discoverDevHosts(session.factory(), { regions, bastionTag: s.bastionTag, bastionHost: s.bastionHost, signal: abortSignalFor(token) }));
    this.remember(inv);
    this.d.redraw();
    return inv;
  }

  /** Stores an inventory and the aliases it renders to (so the tree shows `ssh <alias>`). */
  remember(inv: Inventory): void {
    this.d.state.inventory = inv;
    this.d.state.loadedAt = new Date();
    const settings = readDevHostsSettings();
    this.d.state.mode = settings.mode;
    try {
      this.d.state.rendered = generate(inv, settings, { profile: this.d.shell.session.settings.profile, userConfig: remoteSshConfigFile() }).render;
    } catch (err) {
      this.d.state.rendered = undefined;
      this.d.shell.log.warn(`devhosts: cannot render SSH config: ${(err as Error).message}`);
    }
  }

  async generate(opts: { yes?: boolean; quiet?: boolean }): Promise<GenerateOutcome | undefined> {
    const { log, session } = this.d.shell;
    const settings = readDevHostsSettings();
    const inv = await this.discover();
    const failed = inv.regions.filter((r) => r.error);
    if (failed.length) throw new Error(`Discovery failed in ${failed.map((r) => r.region).join(', ')}; not writing, so their hosts are not dropped from your SSH config. ${failed[0].error}`);
    const gen = generate(inv, settings, { profile: session.settings.profile, userConfig: remoteSshConfigFile() });
    for (const p of gen.identityProblems) log.warn(`devhosts: ${p}`);
    for (const n of gen.render.notes) log.info(`devhosts: sanitized ${n.field}: ${JSON.stringify(n.original.slice(0, 80))} → ${n.result === null ? 'refused' : JSON.stringify(n.result)} (${n.reason})`);
    for (const line of describeRender(gen.render)) log.info(`devhosts: ${line}`);
    const p = await plan(gen, settings);
    if (p.firstTime && !opts.yes) {
      const what = settings.placement === 'include'
        ? `OpsDeck writes ${gen.render.entries.length} SSH host entries to ${gen.managedPath} and adds one Include line at the top of ${gen.userConfig}, between marker comments.`
        : `OpsDeck keeps ${gen.render.entries.length} SSH host entries between marker comments at the top of ${gen.userConfig}.`;
      const ok = await this.d.ui.confirm(`Add the Mac dev hosts to your SSH config (${gen.userConfig})?`, `${what} Everything else in the file stays byte for byte, and a backup is saved next to it first. Remove it any time with "Remove OpsDeck SSH Config".`, 'Add to SSH Config');
      if (!ok) throw new UserCancelledError();
    }
    const result = await applySshConfig(p);
    for (const line of describeApply(result)) log.info(`devhosts: ${line}`);
    const { check, unchecked } = await checkWithSsh(gen.render.entries, gen.userConfig).then(
      (c) => ({ check: c, unchecked: undefined }),
      (err: Error) => ({ check: undefined, unchecked: err.message }),
    );
    if (unchecked) log.warn(`devhosts: ssh -G check skipped: ${unchecked}`);
    for (const line of check ? describeCheck(check) : []) log.warn(`devhosts: ${line}`);
    const written = !!(result.userWrite?.written || result.managedWrite?.written);
    // An unchecked config (no OpenSSH client, …) is said first: the user would otherwise read "updated" as "works".
    const warnings = unchecked ? [`Not checked: ${unchecked}.`, ...result.warnings] : result.warnings;
    if (!opts.quiet) void this.report(written, gen.render.entries.filter((e) => e.kind === 'mac').length, gen.render.skipped.length, check, warnings);
    return { written, userConfig: gen.userConfig, managedPath: gen.managedPath, entries: gen.render.entries.length, check };
  }

  private async report(written: boolean, hosts: number, skipped: number, check: SshCheckResult | undefined, warnings: readonly string[]): Promise<void> {
    const problems = check ? check.mismatches.length + check.failures.length : 0;
    const base = `${written ? 'SSH config updated' : 'SSH config already up to date'}: ${hosts} host entr${hosts === 1 ? 'y' : 'ies'}${skipped ? `, ${skipped} skipped (see log)` : ''}.`;
    if (problems || warnings.length) {
      const first = check?.mismatches[0];
      const pick = await vscode.window.showWarningMessage(`${base} ${problems ? `${problems} entr${problems === 1 ? 'y is' : 'ies are'} overridden or rejected by ssh${first?.culprit ? ` (e.g. ${first.culprit})` : ''}.` : warnings[0]}`, 'Show Log', 'Reveal Config');
      if (pick === 'Show Log') this.d.shell.log.show();
      if (pick === 'Reveal Config') await this.revealConfig();
      return;
    }
    const pick = await vscode.window.showInformationMessage(`${base}${check ? ' Checked with ssh -G.' : ''}`, 'Reveal Config');
    if (pick) await this.revealConfig();
  }

  private instanceFrom(arg: InstanceArg): DevInstance {
    const inst = arg?.instance ?? (arg?.instanceId ? this.d.state.findInstance(arg.instanceId) : undefined);
    if (!inst) throw new Error('Pick an instance in the Mac Dev Hosts view.');
    return inst;
  }

  /** The alias to use for an instance: asks which identity when there are several. */
  private async aliasFor(inst: DevInstance, identity?: string): Promise<{ alias: string; user: string }> {
    let aliases = this.d.state.aliasesFor(inst.instanceId);
    if (!aliases.length) {
      const skipped = this.d.state.rendered?.skipped.find((s) => s.instanceId === inst.instanceId);
      throw new Error(`No SSH entry for ${inst.instanceId}${skipped ? `: ${skipped.reason}` : ''}.`);
    }
    if (identity) aliases = aliases.filter((a) => a.identity === identity);
    if (aliases.length === 1) return aliases[0];
    const pick = await vscode.window.showQuickPick(aliases.map((a) => ({ label: a.alias, description: `${a.identity} (${a.user})`, a })), { title: `Connect to ${inst.name ?? inst.instanceId} as…` });
    if (!pick) throw new UserCancelledError();
    return pick.a;
  }

  /**
   * The managed file must hold the alias before ssh can use it: generate (asking the first time) if not. With
   * the include placement, the user's config must also still include that file (a dotfiles sync or a hand edit
   * can drop the line): if it is gone, offer to put it back rather than let ssh fail with "Could not resolve".
   */
  private async ensureWritten(alias: string): Promise<void> {
    const s = readDevHostsSettings();
    const file = s.placement === 'include' ? expandHome(s.managedConfigPath) : remoteSshConfigFile();
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (!new RegExp(`^Host ${alias.replace(/[.]/g, '\\.')}$`, 'm').test(text)) {
      await this.generate({ quiet: true });
      return;
    }
    if (s.placement !== 'include') return;
    const userConfig = remoteSshConfigFile();
    const restore = await missingIncludePlan(userConfig, file, text);
    if (!restore) return;
    const ok = await this.d.ui.confirm(`OpsDeck's Include line is missing from ${userConfig}. Restore it?`,
      `${alias} is in ${file}, but ${userConfig} no longer includes that file, so ssh and Remote-SSH cannot find the host. OpsDeck puts the Include line back at the top, between its marker comments; everything else in the file stays byte for byte, and a backup is saved next to it first.`, 'Restore Include');
    if (!ok) throw new UserCancelledError();
    const result = await applySshConfig(restore);
    for (const line of describeApply(result)) this.d.shell.log.info(`devhosts: ${line}`);
  }

  async connect(arg: InstanceArg, opts: { dryRun?: boolean; identity?: string }): Promise<string | undefined> {
    const inst = this.instanceFrom(arg);
    const { alias, user } = await this.aliasFor(inst, opts.identity);
    const folder = readDevHostsSettings().remoteFolder.replace(/\$\{user\}/g, user);
    const uri = vscode.Uri.parse(`vscode-remote://ssh-remote+${alias}${folder.startsWith('/') ? folder : `/${folder}`}`);
    // toString(true): "ssh-remote+alias" as people read it (the Uri itself is what VS Code gets).
    if (opts.dryRun) return uri.toString(true);
    if (!vscode.extensions.getExtension(REMOTE_SSH_EXTENSION)) {
      const pick = await vscode.window.showWarningMessage(`Connecting needs the Remote - SSH extension (${REMOTE_SSH_EXTENSION}), which is not installed.`, 'Install Remote - SSH');
      if (pick) await vscode.commands.executeCommand('workbench.extensions.installExtension', REMOTE_SSH_EXTENSION);
      return undefined;
    }
    if (inst.state !== 'running') {
      const ok = await vscode.window.showWarningMessage(`${inst.name ?? inst.instanceId} is ${inst.state}; the connection will fail until it runs. Connect anyway?`, 'Connect Anyway');
      if (!ok) return undefined;
    }
    await this.ensureWritten(alias);
    await vscode.commands.executeCommand('vscode.openFolder', uri, { forceNewWindow: true });
    return uri.toString(true);
  }

  private sshArgs(alias: string): string[] {
    const config = remoteSshConfigFile();
    return config === expandHome(DEFAULT_USER_CONFIG) ? [alias] : ['-F', config, alias];
  }

  async openTerminal(arg: InstanceArg): Promise<void> {
    const inst = this.instanceFrom(arg);
    const { alias } = await this.aliasFor(inst);
    await this.ensureWritten(alias);
    const terminal = vscode.window.createTerminal({ name: `SSH: ${alias}`, shellPath: 'ssh', shellArgs: this.sshArgs(alias), iconPath: new vscode.ThemeIcon('terminal') });
    terminal.show();
  }

  async copySshCommand(arg: InstanceArg): Promise<string> {
    const inst = this.instanceFrom(arg);
    const { alias } = await this.aliasFor(inst);
    const command = ['ssh', ...this.sshArgs(alias).map((a) => (/[\s"'$`\\]/.test(a) ? `'${a.replace(/'/g, `'\\''`)}'` : a))].join(' ');
    await vscode.env.clipboard.writeText(command);
    void vscode.window.setStatusBarMessage(`Copied: ${command}`, 4000);
    return command;
  }

  async revealConfig(): Promise<void> {
    const s = readDevHostsSettings();
    const file = s.placement === 'include' ? expandHome(s.managedConfigPath) : remoteSshConfigFile();
    if (!fs.existsSync(file)) {
      const pick = await vscode.window.showInformationMessage(`${file} does not exist yet.`, 'Generate SSH Config');
      if (pick) await this.generate({});
      return;
    }
    await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
  }

  async releaseHost(arg: HostArg): Promise<boolean> {
    const host = arg?.host ?? (arg?.hostId ? this.d.state.findHost(arg.hostId) : undefined);
    if (!host) throw new Error('Pick a Dedicated Host in the Mac Dev Hosts view.');
    const r = releasability(host, this.d.state.instancesOn(host), new Date());
    if (r.kind === 'wait') {
      void vscode.window.showInformationMessage(`${host.hostId} cannot be released yet: EC2 Mac hosts have a 24-hour minimum allocation, which ends ${r.at.toLocaleString()} (in ${formatRemaining(r.remainingMs)}).`);
      return false;
    }
    if (r.kind === 'blocked') {
      void vscode.window.showInformationMessage(`${host.hostId} cannot be released: ${r.reason}`);
      return false;
    }
    // The view's inventory can be minutes old: ask EC2 about this host now (one DescribeHosts, plus its
    // instances when it lists any) and refuse if it changed, e.g. an instance started on it meanwhile.
    const { session } = this.d.shell;
    const fresh = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Checking ${host.hostId}…` }, () =>
      session.core().devhosts.describeHostNow(session.factory(), host.region, host.hostId));
    const why = recheckRelease(fresh.host, fresh.instances, new Date());
    if (why || !fresh.host) {
      void vscode.window.showWarningMessage(`${host.hostId} changed since the view was loaded and cannot be released now: ${why} The view is being refreshed.`);
      this.d.refresh();
      return false;
    }
    const current = fresh.host;
    const label = `${current.hostId}${current.name ? ` ("${current.name}")` : ''}, ${current.instanceType ?? 'Mac'} in ${current.availabilityZone ?? current.region}`;
    const ok = await this.d.ui.confirm(`Release Dedicated Host ${label}?`,
      'Billing for this host stops and the host cannot be used again. Allocating a Mac host later starts a new 24-hour minimum charge, and capacity for this type may not be available then.', 'Release Host');
    if (!ok) return false;
    const out = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Releasing ${host.hostId}…` }, () =>
      session.core().devhosts.releaseHost(session.factory(), host.region, host.hostId));
    if (!out.released) throw new Error(`EC2 did not release ${host.hostId}: ${out.error ?? 'unknown reason'}`);
    void vscode.window.showInformationMessage(`Released ${host.hostId}.`);
    this.d.refresh();
    return true;
  }

  async removeConfig(): Promise<void> {
    const s = readDevHostsSettings();
    const userConfig = remoteSshConfigFile();
    const ok = await this.d.ui.confirm(`Remove OpsDeck's block from ${userConfig}?`, `The lines between OpsDeck's markers are removed${s.placement === 'include' ? ` and ${expandHome(s.managedConfigPath)} is deleted` : ''}. Nothing else in the file changes.`, 'Remove');
    if (!ok) return;
    try {
      const r = await removeSshConfig(userConfig, expandHome(s.managedConfigPath));
      void vscode.window.showInformationMessage(r.removed || r.managedDeleted ? 'OpsDeck SSH config removed.' : 'There was no OpsDeck SSH config to remove.');
    } catch (err) {
      if (isCancellation(err)) return;
      throw err;
    }
  }
}

function isOpts(x: unknown): x is Record<string, unknown> {
  return !!x && typeof x === 'object' && !Array.isArray(x) && !('instance' in x) && !('host' in x) && !('id' in x);
}
