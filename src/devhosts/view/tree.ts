import vscode = require('vscode');
import { ErrorNode, MessageNode, type TreeNode } from '../../shell/tree';
import type { Bastion, DevHost, DevInstance, RegionInventory } from '../core/model';
import { allocationClock, hostStateLabel, releasability, releaseLabel } from '../core/releaseRule';
import { bastionIdentities, describeBastion } from '../core/render';
import { commentText } from '../core/sanitize';
import { CTX } from './ids';
import type { DevHostsState } from './state';

/** Region → Dedicated Host → instance; bastions under their own node. Ids come from AWS resource ids. */

export class RegionNode implements TreeNode {
  readonly id: string;
  constructor(private readonly region: RegionInventory, private readonly state: DevHostsState, private readonly retry: () => void) {
    this.id = `devhosts/${region.region}`;
  }
  treeItem(): vscode.TreeItem {
    const r = this.region;
    const item = new vscode.TreeItem(r.region, vscode.TreeItemCollapsibleState.Expanded);
    item.iconPath = new vscode.ThemeIcon(r.error ? 'warning' : 'globe');
    item.description = r.error ? 'failed' : `${r.hosts.length} Mac host${r.hosts.length === 1 ? '' : 's'}${r.bastions.length ? ` · ${r.bastions.length} bastion${r.bastions.length === 1 ? '' : 's'}` : ''}`;
    item.contextValue = CTX.region;
    return item;
  }
  children(): TreeNode[] {
    const r = this.region;
    if (r.error) return [new ErrorNode(`${this.id}/error`, r.error, this.retry)];
    const nodes: TreeNode[] = r.hosts.map((h) => new HostNode(h, this.state));
    if (r.bastions.length) nodes.push(new BastionsNode(r, this.state));
    if (!r.hosts.length) nodes.unshift(new MessageNode(`${this.id}/empty`, 'No Mac Dedicated Hosts in this Region'));
    return nodes;
  }
}

function hostIcon(h: DevHost, instances: readonly DevInstance[]): vscode.ThemeIcon {
  switch (h.state) {
    case 'available': return instances.some((i) => i.state === 'running') ? new vscode.ThemeIcon('vm-running', new vscode.ThemeColor('testing.iconPassed')) : new vscode.ThemeIcon('server');
    case 'pending': return new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('charts.yellow'));
    case 'under-assessment': return new vscode.ThemeIcon('warning', new vscode.ThemeColor('charts.yellow'));
    case 'permanent-failure': return new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    default: return new vscode.ThemeIcon('circle-slash');
  }
}

export class HostNode implements TreeNode {
  readonly id: string;
  constructor(readonly host: DevHost, private readonly state: DevHostsState) {
    this.id = `devhosts/${host.region}/${host.hostId}`;
  }
  treeItem(): vscode.TreeItem {
    const h = this.host;
    const on = this.state.instancesOn(h);
    const now = new Date();
    const clock = allocationClock(h, now);
    const full = releasability(h, on, now);
    const item = new vscode.TreeItem(h.name ? commentText(h.name, 60) : h.hostId, on.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    item.description = [h.instanceType ?? h.instanceFamily, h.availabilityZone, hostStateLabel(h), h.state === 'pending' ? undefined : releaseLabel(clock)].filter(Boolean).join(' · ');
    item.iconPath = hostIcon(h, on);
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**Dedicated Host** \`${h.hostId}\`\n\n`);
    md.appendMarkdown(`- Type: ${h.instanceType ?? h.instanceFamily ?? 'unknown'} in ${h.availabilityZone ?? '?'}\n- State: ${hostStateLabel(h)}\n`);
    md.appendMarkdown(`- Allocated: ${h.allocationTime ? new Date(h.allocationTime).toLocaleString() : 'unknown'}\n`);
    md.appendMarkdown(`- 24-hour minimum: ${clock.kind === 'wait' ? `ends ${clock.at.toLocaleString()} (${releaseLabel(clock)})` : clock.kind === 'now' ? 'over' : clock.reason}\n`);
    if (full.kind === 'blocked') md.appendMarkdown(`- Release: ${full.reason}\n`);
    if (h.state === 'pending') md.appendMarkdown('\nEC2 is scrubbing the host after its instance stopped (up to ~50 min, ~3 h with a bridgeOS update); billing pauses meanwhile.\n');
    item.tooltip = md;
    item.contextValue = CTX.host(h.state, full.kind === 'now');
    return item;
  }
  children(): TreeNode[] {
    const on = this.state.instancesOn(this.host);
    if (!on.length) return [new MessageNode(`${this.id}/none`, this.host.state === 'pending' ? 'Being scrubbed: no instance can start yet' : 'No instance on this host', 'circle-outline')];
    return on.map((i) => new InstanceNode(i, this.state));
  }
}

export class InstanceNode implements TreeNode {
  readonly id: string;
  constructor(readonly instance: DevInstance, private readonly state: DevHostsState) {
    this.id = `devhosts/${instance.region}/${instance.hostId ?? 'nohost'}/${instance.instanceId}`;
  }
  treeItem(): vscode.TreeItem {
    const i = this.instance;
    const aliases = this.state.aliasesFor(i.instanceId);
    const item = new vscode.TreeItem(i.name ? commentText(i.name, 60) : i.instanceId, vscode.TreeItemCollapsibleState.None);
    item.description = [i.state, i.privateIp, i.macosVersion, aliases.length ? `ssh ${aliases[0].alias}` : undefined].filter(Boolean).join(' · ');
    item.iconPath = new vscode.ThemeIcon(i.state === 'running' ? 'vm-running' : i.state === 'stopped' ? 'vm-outline' : 'vm', i.state === 'running' ? new vscode.ThemeColor('testing.iconPassed') : undefined);
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${i.instanceId}** (${i.instanceType ?? '?'})\n\n- State: ${i.state}\n- Private IP: ${i.privateIp ?? '—'}\n- Public: ${i.publicDns ?? i.publicIp ?? '—'}\n- AMI: ${i.imageId ?? '—'}${i.macosVersion ? ` (${i.macosVersion})` : ''}\n`);
    md.appendMarkdown(aliases.length ? `- SSH aliases: ${aliases.map((a) => `\`${a.alias}\` (${a.identity})`).join(', ')}\n` : '- Not in the SSH config yet: run **Generate SSH Config**\n');
    item.tooltip = md;
    item.contextValue = CTX.instance(i.state, aliases.length > 0);
    return item;
  }
}

export class BastionsNode implements TreeNode {
  readonly id: string;
  constructor(private readonly region: RegionInventory, private readonly state: DevHostsState) {
    this.id = `devhosts/${region.region}/bastions`;
  }
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Bastions', vscode.TreeItemCollapsibleState.Collapsed);
    item.iconPath = new vscode.ThemeIcon('shield');
    item.description = String(this.region.bastions.length);
    item.contextValue = CTX.bastions;
    return item;
  }
  children(): TreeNode[] {
    return this.region.bastions.map((b) => new BastionNode(b, this.state));
  }
}

export class BastionNode implements TreeNode {
  readonly id: string;
  constructor(readonly bastion: Bastion, private readonly state: DevHostsState) {
    this.id = `devhosts/${bastion.region}/bastion/${bastion.fromSetting ? 'setting' : bastion.instanceId}`;
  }
  treeItem(): vscode.TreeItem {
    const b = this.bastion;
    const served = bastionIdentities(this.state.rendered, b);
    const item = new vscode.TreeItem(b.name ? commentText(b.name, 60) : b.instanceId, vscode.TreeItemCollapsibleState.None);
    item.description = describeBastion(b, served, this.state.mode ?? 'bastion');
    item.iconPath = new vscode.ThemeIcon(b.fromSetting ? 'settings-gear' : 'shield', b.state === 'running' ? new vscode.ThemeColor('testing.iconPassed') : undefined);
    item.tooltip = b.fromSetting
      ? `Bastion host from the opsdeck.devHosts.bastionHost setting (used for every Region; no tag lookup is made)${served.length ? `\n${served.map((s) => `${s.alias}: ${s.identity} (${s.user})`).join('\n')}` : ''}`
      : `${b.instanceId} · VPC ${b.vpcId ?? '?'}`;
    item.contextValue = CTX.bastion;
    return item;
  }
}
