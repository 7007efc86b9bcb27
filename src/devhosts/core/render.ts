import { assignAliases, DEFAULT_ALIAS_PATTERN, type AliasCollision } from './aliases';
import type { ResolvedIdentity } from './identities';
import type { Bastion, DevInstance, Inventory } from './model';
import { commentText, quotePath, safeHostName, safeInstanceId, safeProfile, safeRegion, sanitizeAlias, type SanitizeNote } from './sanitize';

export type ConnectionMode = 'bastion' | 'ssm' | 'direct';
export const CONNECTION_MODES: readonly ConnectionMode[] = ['bastion', 'ssm', 'direct'];

export interface RenderOptions {
  readonly mode: ConnectionMode;
  readonly identities: readonly ResolvedIdentity[];
  readonly aliasPattern?: string;
  /** AWS profile for the SSM ProxyCommand (undefined: the default chain). */
  readonly profile?: string;
  /** A fixed bastion host name from settings, used instead of tag-discovered bastions. */
  readonly bastionHost?: string;
  /** `ask` (default); `accept-new` when the user opts in: trust on first use, refuse a changed key. */
  readonly strictHostKeyChecking?: 'accept-new' | 'yes' | 'ask';
  /** Path of the `aws` executable for ProxyCommand (default `aws`). */
  readonly awsCli?: string;
}

/** What one rendered Host entry should resolve to; `ssh -G` output is checked against it. */
export interface RenderedEntry {
  readonly alias: string;
  readonly kind: 'mac' | 'bastion';
  readonly identity: string;
  readonly instanceId?: string;
  readonly region?: string;
  readonly hostName: string;
  readonly port?: number;
  readonly user: string;
  readonly identityFile?: string;
  readonly proxyJump?: string;
  readonly proxyCommand?: string;
}

export interface SkippedInstance {
  readonly instanceId: string;
  readonly reason: string;
}

export interface RenderResult {
  readonly text: string;
  readonly entries: readonly RenderedEntry[];
  readonly skipped: readonly SkippedInstance[];
  readonly collisions: readonly AliasCollision[];
  readonly notes: readonly SanitizeNote[];
}

const GONE = new Set(['terminated', 'shutting-down']);
const HOST_KEY_MODES: ReadonlySet<string> = new Set(['accept-new', 'yes', 'ask']);
const INDENT = '  ';

/** Renders the managed SSH config for an inventory. Deterministic: the same inventory gives the same bytes. */
export function renderSshConfig(inventory: Inventory, options: RenderOptions): RenderResult {
  const notes: SanitizeNote[] = [];
  const skipped: SkippedInstance[] = [];
  const entries: RenderedEntry[] = [];
  const blocks: string[] = [];
  // The renderer is the last gate: a value from a CLI flag or a hand-edited setting must never turn host key
  // checking off ("no") or smuggle a directive in after a newline.
  const requestedShk: string = options.strictHostKeyChecking ?? 'ask';
  const shk = HOST_KEY_MODES.has(requestedShk) ? requestedShk : 'ask';
  if (shk !== requestedShk) notes.push({ field: 'strictHostKeyChecking setting', original: requestedShk, result: shk, reason: 'only accept-new, yes or ask are allowed' });

  const instances = inventory.regions.flatMap((r) => r.instances).filter((i) => {
    if (GONE.has(i.state)) return false;
    if (!safeInstanceId(i.instanceId)) {
      skipped.push({ instanceId: commentText(i.instanceId, 40), reason: 'not a valid instance id' });
      return false;
    }
    return true;
  });

  // Bastions: one logical jump host per Region/VPC, rendered once per identity (as in the seed article).
  const jump = options.mode === 'bastion' ? planBastions(inventory, options, notes) : { byKey: new Map<string, BastionPlan>(), list: [] as BastionPlan[] };
  const reserved = jump.list.flatMap((b) => options.identities.map((id) => b.alias + id.aliasSuffix));
  const { aliases, collisions, notes: aliasNotes } = assignAliases(instances, options.aliasPattern || DEFAULT_ALIAS_PATTERN, reserved, options.identities.map((i) => i.aliasSuffix));
  notes.push(...aliasNotes);

  for (const b of jump.list) {
    for (const id of options.identities) {
      const alias = b.alias + id.aliasSuffix;
      const lines = [`# Bastion ${b.label} (identity ${id.name})`, `Host ${alias}`, `${INDENT}HostName ${b.hostName}`];
      if (b.port) lines.push(`${INDENT}Port ${b.port}`);
      lines.push(`${INDENT}User ${id.user}`);
      const identityFile = identityLine(id, lines);
      if (b.instanceId) lines.push(`${INDENT}HostKeyAlias ${b.instanceId}`);
      lines.push(`${INDENT}StrictHostKeyChecking ${shk}`);
      blocks.push(lines.join('\n'));
      entries.push({ alias, kind: 'bastion', identity: id.name, instanceId: b.instanceId, region: b.region, hostName: b.hostName, port: b.port, user: id.user, identityFile });
    }
  }

  const ordered = [...instances].sort((a, b) => cmp(a.region, b.region) || cmp(aliases.get(a.instanceId)!, aliases.get(b.instanceId)!));
  for (const inst of ordered) {
    const target = connectionTarget(inst, options, jump.byKey);
    if ('reason' in target) {
      skipped.push({ instanceId: inst.instanceId, reason: target.reason });
      continue;
    }
    const raw = inst.name ?? '';
    if (raw && commentText(raw) !== raw) notes.push({ field: `Name tag of ${inst.instanceId}`, original: raw, result: commentText(raw), reason: 'control characters or length trimmed in the comment' });
    for (const id of options.identities) {
      const alias = aliases.get(inst.instanceId)! + id.aliasSuffix;
      const describe = [raw ? `"${commentText(raw)}"` : undefined, inst.instanceId, inst.instanceType, inst.region, inst.hostId].filter(Boolean).join(' · ');
      const port = options.mode === 'ssm' ? undefined : inst.sshPort;
      const lines = [`# ${describe} (identity ${id.name})`, `Host ${alias}`, `${INDENT}HostName ${target.hostName}`];
      if (port) lines.push(`${INDENT}Port ${port}`);
      lines.push(`${INDENT}User ${id.user}`);
      const identityFile = identityLine(id, lines);
      let proxyJump: string | undefined;
      if (target.bastion) {
        proxyJump = `%r@${target.bastion.alias}${id.aliasSuffix}`;
        lines.push(`${INDENT}ProxyJump ${proxyJump}`);
      }
      if (target.proxyCommand) lines.push(`${INDENT}ProxyCommand ${target.proxyCommand}`);
      lines.push(`${INDENT}HostKeyAlias ${inst.instanceId}`, `${INDENT}StrictHostKeyChecking ${shk}`, `${INDENT}ServerAliveInterval 30`);
      blocks.push(lines.join('\n'));
      entries.push({ alias, kind: 'mac', identity: id.name, instanceId: inst.instanceId, region: inst.region, hostName: target.hostName, port, user: id.user, identityFile, proxyJump, proxyCommand: target.proxyCommand });
    }
  }

  const header = [
    '# Managed by AWS OpsDeck (Mac dev hosts). Do not edit: changes are replaced on the next generate.',
    `# Mode: ${options.mode}; identities: ${options.identities.map((i) => i.name).join(', ') || '(none)'}; Regions: ${inventory.regions.map((r) => r.region).join(', ') || '(none)'}.`,
  ];
  const text = `${[header.join('\n'), ...blocks].join('\n\n')}\n`;
  return { text, entries, skipped, collisions, notes };
}

function identityLine(id: ResolvedIdentity, lines: string[]): string | undefined {
  if (!id.identityFile) return undefined;
  lines.push(`${INDENT}IdentityFile ${quotePath(id.identityFile, true)}`, `${INDENT}IdentitiesOnly yes`);
  return id.identityFile;
}

interface BastionPlan {
  readonly alias: string;
  readonly label: string;
  readonly hostName: string;
  readonly port?: number;
  readonly region?: string;
  readonly instanceId?: string;
}

/** Picks the jump host for each Region/VPC and gives each a unique alias (`bastion` when there is only one). */
function planBastions(inventory: Inventory, options: RenderOptions, notes: SanitizeNote[]): { byKey: Map<string, BastionPlan>; list: BastionPlan[] } {
  const byKey = new Map<string, BastionPlan>();
  if (options.bastionHost) {
    const hostName = safeHostName(options.bastionHost);
    if (!hostName) {
      notes.push({ field: 'bastionHost setting', original: options.bastionHost, result: null, reason: 'not a host name or IP address' });
      return { byKey, list: [] };
    }
    const plan = { alias: 'bastion', label: hostName, hostName };
    byKey.set('*', plan);
    return { byKey, list: [plan] };
  }
  // A bastion listed from the setting is rendered from options.bastionHost (above), never as a discovered one.
  const usable = inventory.regions.flatMap((r) => r.bastions).filter((b) => !b.fromSetting && !GONE.has(b.state) && bastionAddress(b))
    .sort((a, b) => cmp(a.region, b.region) || rank(a) - rank(b) || cmp(a.instanceId, b.instanceId));
  // One per (Region, VPC): the first after sorting (running before stopped, then by id).
  const chosen: Bastion[] = [];
  for (const b of usable) if (!chosen.some((c) => c.region === b.region && c.vpcId === b.vpcId)) chosen.push(b);
  const list: BastionPlan[] = [];
  const used = new Set<string>();
  for (const b of chosen) {
    let alias = chosen.length === 1 ? 'bastion' : `bastion-${sanitizeAlias(b.region)}`;
    if (used.has(alias)) alias = `${alias}-${b.instanceId.replace(/^i-/, '').slice(-8)}`;
    used.add(alias);
    const plan: BastionPlan = { alias, label: `${b.name ? `"${commentText(b.name, 60)}" ` : ''}${b.instanceId} · ${b.region}`, hostName: bastionAddress(b)!, port: b.sshPort, region: b.region, instanceId: b.instanceId };
    list.push(plan);
    byKey.set(`${b.region}|${b.vpcId ?? ''}`, plan);
    if (!byKey.has(`${b.region}|*`)) byKey.set(`${b.region}|*`, plan);
  }
  return { byKey, list };
}

function bastionAddress(b: Bastion): string | null {
  return safeHostName(b.publicDns) ?? safeHostName(b.publicIp) ?? safeHostName(b.privateIp);
}

function rank(b: Bastion): number {
  return b.state === 'running' ? 0 : 1;
}

type Target = { hostName: string; bastion?: BastionPlan; proxyCommand?: string } | { reason: string };

function connectionTarget(inst: DevInstance, options: RenderOptions, bastions: Map<string, BastionPlan>): Target {
  switch (options.mode) {
    case 'bastion': {
      const hostName = safeHostName(inst.privateIp);
      if (!hostName) return { reason: 'no private IP address' };
      const bastion = bastions.get('*') ?? bastions.get(`${inst.region}|${inst.vpcId ?? ''}`) ?? bastions.get(`${inst.region}|*`);
      if (!bastion) return { reason: `no bastion found in ${inst.region} (tag one, or set opsdeck.devHosts.bastionHost)` };
      return { hostName, bastion };
    }
    case 'direct': {
      const hostName = safeHostName(inst.publicDns) ?? safeHostName(inst.publicIp);
      return hostName ? { hostName } : { reason: 'no public address (use bastion or ssm mode)' };
    }
    case 'ssm': {
      const region = safeRegion(inst.region);
      if (!region) return { reason: `Region ${JSON.stringify(inst.region)} is not a valid Region name` };
      const profile = options.profile ? safeProfile(options.profile) : undefined;
      if (profile === null) return { reason: `profile ${JSON.stringify(options.profile)} cannot be passed safely to the AWS CLI` };
      const aws = options.awsCli ? quotePath(options.awsCli, true) : 'aws';
      if (!aws) return { reason: 'the AWS CLI path holds quotes or control characters' };
      const proxyCommand = `${aws} ssm start-session --target %h --document-name AWS-StartSSHSession --parameters portNumber=%p --region ${region}${profile ? ` --profile ${profile}` : ''}`;
      return { hostName: inst.instanceId, proxyCommand };
    }
  }
}

function cmp(a: string | undefined, b: string | undefined): number {
  return (a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0;
}

/** An identity a bastion serves: the alias rendered for it and the user it logs in as. */
export interface BastionIdentity {
  readonly alias: string;
  readonly identity: string;
  readonly user: string;
}

/** The bastion entries rendered for a listed bastion (the setting's one has no instance id). */
export function bastionIdentities(render: RenderResult | undefined, b: Bastion): BastionIdentity[] {
  return (render?.entries ?? [])
    .filter((e) => e.kind === 'bastion' && (b.fromSetting ? !e.instanceId : e.instanceId === b.instanceId))
    .map((e) => ({ alias: e.alias, identity: e.identity, user: e.user }));
}

/**
 * How the tree and `opsdeck hosts` describe a bastion: for the setting's one "from settings", what it serves
 * ("admin as ec2-user via bastion, …"), or why it is not used (not a host name; a mode without a bastion).
 */
export function describeBastion(b: Bastion, served: readonly BastionIdentity[], mode: ConnectionMode): string {
  const parts: string[] = [];
  if (b.fromSetting) {
    parts.push('from settings');
    if (!safeHostName(b.name)) parts.push('not a valid host name: not used');
  } else {
    parts.push(b.state);
    const address = b.publicDns ?? b.publicIp ?? b.privateIp;
    if (address) parts.push(commentText(address, 80));
  }
  if (served.length) parts.push(`serves ${served.map((s) => `${s.identity} as ${s.user} via ${s.alias}`).join(', ')}`);
  else if (b.fromSetting && mode !== 'bastion' && safeHostName(b.name)) parts.push(`unused in ${mode} mode`);
  return parts.join(' · ');
}
