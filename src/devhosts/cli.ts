import type { CliCommand, CliContext } from '../cli/types';
import { EXIT, UsageError } from '../cli/types';
import { allocationClock, hostStateLabel, releasability, releaseLabel } from './core/releaseRule';
import { bastionIdentities, CONNECTION_MODES, describeBastion, type ConnectionMode } from './core/render';
import type { Inventory } from './core/model';
import { expandHome, removeSshConfig, userConfigPath } from './configFiles';
import { CLI_PATH_HINTS, LocalFileError } from './core/fileErrors';
import { applySshConfig, describeApply, describeRender, generate, plan } from './generate';
import { DEFAULT_DEVHOSTS_SETTINGS, parseIdentityFlag, parseTag, type DevHostsSettings } from './settings';
import { checkWithSsh, describeCheck } from './sshCheck';

/** `opsdeck hosts` and `opsdeck ssh-config`. No SDK import here: AWS is reached through ctx.core(). */

/** File errors name the CLI's flags (--config, --managed) instead of the editor's settings. */
async function withCliHints<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    throw err instanceof LocalFileError ? err.withHints(CLI_PATH_HINTS) : err;
  }
}

function requireRegions(ctx: CliContext): string[] {
  if (!ctx.settings.regions.length) throw new UsageError('No Region: pass --region (repeatable) or set AWS_REGION / OPSDECK_REGIONS.');
  return [...ctx.settings.regions];
}

async function discover(ctx: CliContext, settings: DevHostsSettings): Promise<Inventory> {
  const regions = requireRegions(ctx);
  ctx.info(`Discovering Mac hosts in ${regions.join(', ')}…`);
  return ctx.core().devhosts.discoverDevHosts(ctx.factory(), { regions, bastionTag: settings.bastionTag, bastionHost: settings.bastionHost, signal: ctx.signal });
}

function regionErrors(ctx: CliContext, inv: Inventory): number {
  const failed = inv.regions.filter((r) => r.error);
  for (const r of failed) ctx.info(`error: ${r.region}: ${r.error}`);
  return failed.length;
}

export const hostsCommand: CliCommand = {
  path: ['hosts'],
  summary: 'List EC2 Mac Dedicated Hosts, their instances and bastions across the chosen Regions',
  help: `Calls DescribeHosts (Mac types, every page), DescribeInstances for the instances on those hosts and for
bastions (tag --bastion-tag, default Role=bastion), and DescribeImages for the macOS version; Regions in parallel.
With --bastion-host, no tag lookup is made and every Region lists that host as its bastion ("from settings"),
with the identities it serves (default admin and developer).

Options:
  --bastion-tag KEY=VALUE   Tag that marks bastion instances (default Role=bastion)
  --bastion-host HOST       The bastion host name used for every Region (as opsdeck.devHosts.bastionHost)`,
  options: { 'bastion-tag': { type: 'string' }, 'bastion-host': { type: 'string' } },
  async run(ctx, values) {
    const bastionTag = values['bastion-tag'] ? parseTag(values['bastion-tag'] as string) : DEFAULT_DEVHOSTS_SETTINGS.bastionTag;
    if (!bastionTag) throw new UsageError('--bastion-tag must look like Key=Value');
    const bastionHost = (values['bastion-host'] as string | undefined)?.trim() || undefined;
    const settings: DevHostsSettings = { ...DEFAULT_DEVHOSTS_SETTINGS, bastionTag, bastionHost };
    const inv = await discover(ctx, settings);
    // What each bastion serves: the bastion entries `ssh-config` would render for this inventory (default identities).
    const render = generate(inv, settings, { userConfig: userConfigPath(undefined) }).render;
    const now = new Date();
    const rows = inv.regions.map((r) => ({
      region: r.region,
      error: r.error ?? null,
      hosts: r.hosts.map((h) => {
        const on = r.instances.filter((i) => i.hostId === h.hostId);
        const rel = releasability(h, on, now);
        const clock = allocationClock(h, now);
        return { ...h, release: { kind: rel.kind, label: releaseLabel(clock), ...(clock.kind === 'wait' ? { at: clock.at.toISOString() } : {}), ...(rel.kind === 'blocked' ? { reason: rel.reason } : {}) }, instances: on };
      }),
      bastions: r.bastions.map((b) => ({ ...b, serves: bastionIdentities(render, b) })),
    }));
    if (ctx.json) ctx.printJson({ regions: rows });
    else {
      for (const r of rows) {
        ctx.out(`${r.region}${r.error ? `  ERROR: ${r.error}` : ''}`);
        if (!r.error && !r.hosts.length) ctx.out('  (no Mac hosts)');
        for (const h of r.hosts) {
          ctx.out(`  ${h.hostId}  ${h.instanceType ?? h.instanceFamily ?? '?'}  ${h.availabilityZone ?? ''}  ${hostStateLabel(h)}  allocated ${h.allocationTime ?? '?'}  ${h.release.label}${h.release.reason ? ` (${h.release.reason})` : ''}`);
          for (const i of h.instances) ctx.out(`    ${i.instanceId}  ${JSON.stringify(i.name ?? '')}  ${i.state}  ${i.privateIp ?? '-'}${i.macosVersion ? `  ${i.macosVersion}` : ''}`);
          if (!h.instances.length) ctx.out('    (no instance)');
        }
        for (const b of r.bastions) {
          if (b.fromSetting) ctx.out(`  bastion ${JSON.stringify(b.name ?? '')}  ${describeBastion(b, b.serves, settings.mode)}`);
          else ctx.out(`  bastion ${b.instanceId}  ${JSON.stringify(b.name ?? '')}  ${b.state}  ${b.publicDns ?? b.publicIp ?? b.privateIp ?? '-'}${b.serves.length ? `  serves ${b.serves.map((s) => `${s.identity} via ${s.alias}`).join(', ')}` : ''}`);
        }
      }
    }
    return regionErrors(ctx, inv) ? EXIT.error : EXIT.ok;
  },
};

export const sshConfigCommand: CliCommand = {
  path: ['ssh-config'],
  summary: 'Generate the OpenSSH config for Mac dev hosts (print it, or write it safely)',
  help: `--print (default) writes the managed config to stdout. --write updates it safely: the managed file
(default ~/.ssh/opsdeck/config) and one Include line between markers at the top of --config (default
~/.ssh/config). The first change to your config asks first (or pass --yes); a backup is kept; an unchanged
inventory writes nothing. After writing, "ssh -G" checks every entry and reports any line of yours that overrides it.

Options:
  --mode bastion|ssm|direct  How to reach the Macs (default bastion)
  --identity NAME|NAME=USER:KEYFILE  Identity to render (repeatable; default admin and developer)
  --print | --write | --remove   Output, safe write, or undo (remove OpsDeck's block and file)
  --config FILE              The SSH config Remote-SSH uses (remote.SSH.configFile)
  --managed FILE             The managed file (default ~/.ssh/opsdeck/config)
  --in-place                 Keep the whole config between the markers instead of an Include
  --alias-pattern PATTERN    Host alias pattern: {name} {id} {shortId} {region} {tag:Key} (default {name})
  --bastion-tag KEY=VALUE    Tag of bastion instances (default Role=bastion)
  --bastion-host HOST        Use this host name as the bastion for every Region
  --yes                      Do not ask before the first change to your config`,
  options: {
    mode: { type: 'string' },
    identity: { type: 'string', multiple: true },
    print: { type: 'boolean' },
    write: { type: 'boolean' },
    remove: { type: 'boolean' },
    config: { type: 'string' },
    managed: { type: 'string' },
    'in-place': { type: 'boolean' },
    'alias-pattern': { type: 'string' },
    'bastion-tag': { type: 'string' },
    'bastion-host': { type: 'string' },
    yes: { type: 'boolean' },
  },
  async run(ctx, values) {
    const actions = ['print', 'write', 'remove'].filter((k) => values[k]);
    if (actions.length > 1) throw new UsageError('Choose one of --print, --write, --remove.');
    const mode = (values.mode as string | undefined) ?? 'bastion';
    if (!CONNECTION_MODES.includes(mode as ConnectionMode)) throw new UsageError(`--mode must be one of ${CONNECTION_MODES.join(', ')}`);
    const bastionTag = values['bastion-tag'] ? parseTag(values['bastion-tag'] as string) : DEFAULT_DEVHOSTS_SETTINGS.bastionTag;
    if (!bastionTag) throw new UsageError('--bastion-tag must look like Key=Value');
    const flags = ((values.identity as string[] | undefined) ?? []).map(parseIdentityFlag);
    const custom = flags.filter((f): f is Exclude<typeof f, string> => typeof f !== 'string');
    const named = flags.filter((f): f is string => typeof f === 'string');
    const settings: DevHostsSettings = {
      ...DEFAULT_DEVHOSTS_SETTINGS,
      mode: mode as ConnectionMode,
      identities: custom.length ? custom : undefined,
      aliasPattern: (values['alias-pattern'] as string | undefined) ?? DEFAULT_DEVHOSTS_SETTINGS.aliasPattern,
      bastionTag,
      bastionHost: values['bastion-host'] as string | undefined,
      managedConfigPath: (values.managed as string | undefined) ?? DEFAULT_DEVHOSTS_SETTINGS.managedConfigPath,
      placement: values['in-place'] ? 'inplace' : 'include',
    };
    const userConfig = userConfigPath(values.config as string | undefined);
    if (values.remove) {
      const managedPath = expandHome(settings.managedConfigPath);
      const r = await withCliHints(removeSshConfig(userConfig, managedPath));
      if (ctx.json) ctx.printJson(r);
      else ctx.out(`${userConfig}: ${r.removed ? 'OpsDeck block removed' : 'no OpsDeck block'}; ${managedPath}: ${r.managedDeleted ? 'deleted' : 'absent'}`);
      return EXIT.ok;
    }
    const inv = await discover(ctx, settings);
    const failedRegions = regionErrors(ctx, inv);
    if (failedRegions === inv.regions.length) return EXIT.error;
    const gen = generate(inv, settings, { profile: ctx.settings.profile, userConfig, onlyIdentities: named.length ? named : undefined });
    for (const p of gen.identityProblems) ctx.info(`warning: ${p}`);
    for (const n of gen.render.notes) ctx.info(`sanitized ${n.field}: ${JSON.stringify(n.original.slice(0, 80))} → ${n.result === null ? 'refused' : JSON.stringify(n.result)} (${n.reason})`);
    for (const line of describeRender(gen.render)) ctx.info(line);
    if (!values.write) {
      if (ctx.json) ctx.printJson({ text: gen.render.text, entries: gen.render.entries, skipped: gen.render.skipped, collisions: gen.render.collisions });
      else process.stdout.write(gen.render.text);
      return EXIT.ok;
    }
    if (failedRegions) {
      ctx.info('Not writing: some Regions failed, and writing now would drop their hosts from your config.');
      return EXIT.error;
    }
    const p = await withCliHints(plan(gen, settings));
    if (p.firstTime && !values.yes) {
      const ok = await ctx.confirm(`Add OpsDeck's ${settings.placement === 'include' ? `Include of ${gen.managedPath}` : 'block'} at the top of ${userConfig}? (a backup is kept)`);
      if (!ok) {
        ctx.info(`Nothing written. Run again with --yes to allow the first change to ${userConfig}.`);
        return EXIT.error;
      }
    }
    const result = await withCliHints(applySshConfig(p));
    const check = await checkWithSsh(gen.render.entries, userConfig, { signal: ctx.signal }).catch((err: Error) => ({ checked: 0, mismatches: [], failures: [{ alias: '*', error: err.message }] }));
    if (ctx.json) ctx.printJson({ userConfig, managedPath: gen.managedPath, action: result.user.action, managedWritten: result.managedWrite?.written ?? false, backup: result.userWrite?.backupPath ?? null, warnings: result.warnings, entries: gen.render.entries.length, check });
    else {
      for (const line of describeApply(result)) ctx.out(line);
      const problems = describeCheck(check);
      ctx.out(problems.length ? `ssh -G found ${problems.length} problem(s):` : `ssh -G: all ${check.checked} entries resolve as intended`);
      for (const line of problems) ctx.out(`  ${line}`);
    }
    return check.failures.length ? EXIT.unhealthy : EXIT.ok;
  },
};

export const devHostsCommands: readonly CliCommand[] = [hostsCommand, sshConfigCommand];
