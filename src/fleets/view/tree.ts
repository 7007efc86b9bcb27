import vscode = require('vscode');
import type { Shell } from '../../shell/shell';
import { MessageNode, type TreeNode } from '../../shell/tree';
import type { OutpostFacts } from '../core/types';
import type { FleetSummary } from '../service';

/**
 * The "Outposts Fleets" view: per Region, the Outposts (ListOutposts) with their configured instance types and,
 * where readable, free/total slots; and the fleets (DescribeFleets) with their instances and state.
 */

export class RegionNode implements TreeNode {
  readonly id: string;
  constructor(private readonly shell: Shell, readonly region: string) {
    this.id = `fleets/${region}`;
  }
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.region, vscode.TreeItemCollapsibleState.Expanded);
    item.iconPath = new vscode.ThemeIcon('globe');
    item.contextValue = 'fleetRegion';
    return item;
  }
  children(): TreeNode[] {
    return [new OutpostsGroupNode(this.shell, this.region), new FleetsGroupNode(this.shell, this.region)];
  }
}

export class OutpostsGroupNode implements TreeNode {
  readonly id: string;
  constructor(private readonly shell: Shell, readonly region: string) {
    this.id = `fleets/${region}/outposts`;
  }
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Outposts', vscode.TreeItemCollapsibleState.Expanded);
    item.iconPath = new vscode.ThemeIcon('server-environment');
    item.contextValue = 'outpostsGroup';
    return item;
  }
  async children(signal: AbortSignal): Promise<TreeNode[]> {
    const outposts = await this.shell.session.core().fleets.listOutposts(this.shell.session.factory(), this.region, { signal });
    if (!outposts.length) return [new MessageNode(`${this.id}/none`, 'No Outposts in this Region')];
    return outposts.map((o) => new OutpostNode(this.region, o));
  }
}

export class OutpostNode implements TreeNode {
  readonly id: string;
  constructor(readonly region: string, readonly outpost: OutpostFacts) {
    this.id = outpost.outpostArn;
  }
  treeItem(): vscode.TreeItem {
    const o = this.outpost;
    const item = new vscode.TreeItem(o.name ?? o.outpostId, vscode.TreeItemCollapsibleState.Expanded);
    const free = o.available ? [...o.available.values()].reduce((a, b) => a + b, 0) : undefined;
    item.description = [o.outpostId, o.availabilityZone, o.lifeCycleStatus, free !== undefined ? `${free} free slots` : 'capacity unknown'].filter(Boolean).join(' · ');
    item.tooltip = new vscode.MarkdownString(`**${o.name ?? o.outpostId}**\n\n${o.outpostArn}\n\nConfigured types: ${[...(o.configuredTypes?.keys() ?? [])].join(', ') || 'unknown'}`);
    item.iconPath = new vscode.ThemeIcon('server');
    item.contextValue = `outpost:${o.lifeCycleStatus ?? 'unknown'}`;
    return item;
  }
  children(): TreeNode[] {
    const types = [...(this.outpost.configuredTypes ?? new Map<string, number>())].sort(([a], [b]) => a.localeCompare(b));
    if (!types.length) return [new MessageNode(`${this.id}/types`, 'No configured instance types reported')];
    return types.map(([type, vcpus]) => new InstanceTypeNode(`${this.id}/${type}`, type, vcpus, this.outpost.available?.get(type), this.outpost.capacity?.get(type)));
  }
}

export class InstanceTypeNode implements TreeNode {
  constructor(readonly id: string, readonly type: string, readonly vcpus: number, readonly available?: number, readonly capacity?: number) {}
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.type, vscode.TreeItemCollapsibleState.None);
    item.description = `${this.vcpus} vCPUs${this.capacity !== undefined ? ` · ${this.available ?? '?'} free of ${this.capacity}` : ''}`;
    item.iconPath = new vscode.ThemeIcon(this.available === 0 ? 'circle-slash' : 'vm');
    item.contextValue = `outpostInstanceType${this.available === 0 ? ':full' : ''}`;
    return item;
  }
}

export class FleetsGroupNode implements TreeNode {
  readonly id: string;
  constructor(private readonly shell: Shell, readonly region: string) {
    this.id = `fleets/${region}/fleets`;
  }
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Fleets', vscode.TreeItemCollapsibleState.Expanded);
    item.iconPath = new vscode.ThemeIcon('rocket');
    item.contextValue = 'fleetsGroup';
    return item;
  }
  async children(signal: AbortSignal): Promise<TreeNode[]> {
    const fleets = await this.shell.session.core().fleets.describeFleets(this.shell.session.factory(), this.region, { signal });
    if (!fleets.length) return [new MessageNode(`${this.id}/none`, 'No fleets (launch one from a *.fleet.json)')];
    return fleets.sort((a, b) => (b.createTime?.getTime() ?? 0) - (a.createTime?.getTime() ?? 0)).map((f) => new FleetNode(f));
  }
}

export class FleetNode implements TreeNode {
  readonly id: string;
  constructor(readonly fleet: FleetSummary) {
    this.id = `fleet/${fleet.region}/${fleet.fleetId}`;
  }
  treeItem(): vscode.TreeItem {
    const f = this.fleet;
    const item = new vscode.TreeItem(f.name ?? f.fleetId, f.instances.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.description = [f.type, f.state, `${f.instances.length} instance(s)`, f.target !== undefined ? `target ${f.target}` : ''].filter(Boolean).join(' · ');
    item.tooltip = `${f.fleetId}\nCreated ${f.createTime?.toISOString() ?? '?'}`;
    item.iconPath = new vscode.ThemeIcon(f.state?.startsWith('deleted') ? 'trash' : 'rocket');
    item.contextValue = `fleet:${f.type ?? 'unknown'}:${f.state ?? 'unknown'}`;
    return item;
  }
  children(): TreeNode[] {
    return this.fleet.instances.map((i) => new FleetInstanceNode(`${this.id}/${i.instanceId}`, i.instanceId, i.instanceType, i.state));
  }
}

export class FleetInstanceNode implements TreeNode {
  constructor(readonly id: string, readonly instanceId: string, readonly instanceType?: string, readonly state?: string) {}
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.instanceId, vscode.TreeItemCollapsibleState.None);
    item.description = [this.instanceType, this.state].filter(Boolean).join(' · ');
    item.iconPath = new vscode.ThemeIcon(this.state === 'running' ? 'vm-running' : 'vm-outline');
    item.contextValue = `fleetInstance:${this.state ?? 'unknown'}`;
    return item;
  }
}
