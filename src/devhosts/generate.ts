import { resolveIdentities } from './core/identities';
import type { Inventory } from './core/model';
import { renderSshConfig, type RenderResult } from './core/render';
import { applySshConfig, expandHome, planSshConfig, type ApplyPlan, type ApplyResult } from './configFiles';
import type { DevHostsSettings } from './settings';

/**
 * Inventory + settings → the managed config text and a plan for the user's files. Shared by the CLI and the
 * VS Code commands; no editor and no SDK here.
 */
export interface Generation {
  readonly render: RenderResult;
  readonly identityProblems: readonly string[];
  readonly userConfig: string;
  readonly managedPath: string;
}

export function generate(inventory: Inventory, settings: DevHostsSettings, opts: { profile?: string; userConfig: string; onlyIdentities?: readonly string[] }): Generation {
  const { identities, problems } = resolveIdentities(settings.identities, opts.onlyIdentities);
  if (!identities.length) throw new Error(`No usable identity: ${problems.join('; ') || 'none configured'}`);
  const render = renderSshConfig(inventory, {
    mode: settings.mode,
    identities,
    aliasPattern: settings.aliasPattern,
    profile: opts.profile,
    bastionHost: settings.bastionHost || undefined,
    strictHostKeyChecking: settings.strictHostKeyChecking,
  });
  return { render, identityProblems: problems, userConfig: opts.userConfig, managedPath: expandHome(settings.managedConfigPath) };
}

export function plan(gen: Generation, settings: DevHostsSettings): Promise<ApplyPlan> {
  return planSshConfig({ userConfig: gen.userConfig, managedPath: gen.managedPath, managedText: gen.render.text, placement: settings.placement });
}

export { applySshConfig, type ApplyPlan, type ApplyResult };

/** Human lines for what a write did (CLI output, log, notification detail). */
export function describeApply(r: ApplyResult): string[] {
  const lines: string[] = [];
  if (r.request.placement === 'include') lines.push(`${r.request.managedPath}: ${r.managedWrite?.written ? (r.managedWrite.created ? 'created' : 'updated') : 'unchanged'}`);
  const u = r.userWrite;
  lines.push(`${r.request.userConfig}: ${r.user.action === 'unchanged' ? 'unchanged' : `${r.user.action === 'inserted' ? 'OpsDeck block added at the top' : 'OpsDeck block replaced in place'}${r.user.lines ? ` (lines ${r.user.lines.from}–${r.user.lines.to})` : ''}`}`);
  if (u?.backupPath) lines.push(`backup of the original: ${u.backupPath}`);
  lines.push(...r.warnings);
  return lines;
}

export function describeRender(r: RenderResult): string[] {
  const lines: string[] = [];
  const macs = r.entries.filter((e) => e.kind === 'mac');
  lines.push(`${macs.length} host entr${macs.length === 1 ? 'y' : 'ies'}, ${r.entries.length - macs.length} bastion entr${r.entries.length - macs.length === 1 ? 'y' : 'ies'}`);
  for (const c of r.collisions) lines.push(`alias "${c.base}" was taken: ${c.renamed.map((x) => `${x.instanceId} → ${x.alias}`).join(', ')}`);
  for (const s of r.skipped) lines.push(`skipped ${s.instanceId}: ${s.reason}`);
  return lines;
}

/**
 * Connect / Open terminal: the managed file holds the alias, but is the `Include` that pulls it in still at the
 * top of the user's config? Returns the plan that puts it back (the same include placement `generate` writes,
 * with the managed file's current bytes, so only the user's file changes), or undefined when nothing is missing.
 */
export async function missingIncludePlan(userConfig: string, managedPath: string, managedText: string): Promise<ApplyPlan | undefined> {
  const p = await planSshConfig({ userConfig, managedPath, managedText, placement: 'include' });
  return p.user.changed ? p : undefined;
}
