import vscode = require('vscode');
import { ErrorNode, MessageNode, type TreeNode } from '../../shell/tree';
import { certificateText } from '../core/certificate';
import { mappingFields, worstOf, isBad } from '../core/report';
import type { FunctionHealth, MappingHealth, RegionHealth, Verdict } from '../core/types';

/** Region → function → mapping → fields. Ids come from Regions, function ARNs and mapping UUIDs (stable). */

const ICONS: Record<Verdict, [string, string]> = {
  OK: ['pass', 'testing.iconPassed'],
  WARN: ['warning', 'list.warningForeground'],
  STALLED: ['debug-pause', 'list.warningForeground'],
  ERROR: ['error', 'list.errorForeground'],
  DISABLED: ['circle-slash', 'disabledForeground'],
};
export const verdictIcon = (v: Verdict): vscode.ThemeIcon => new vscode.ThemeIcon(ICONS[v][0], new vscode.ThemeColor(ICONS[v][1]));

export class RegionNode implements TreeNode {
  readonly id: string;
  constructor(readonly health: RegionHealth, private readonly retry: () => void) {
    this.id = `msk/${health.region}`;
  }
  treeItem(): vscode.TreeItem {
    const h = this.health;
    const item = new vscode.TreeItem(h.region, vscode.TreeItemCollapsibleState.Expanded);
    const mappings = h.functions.flatMap((f) => f.mappings);
    const bad = mappings.filter((m) => isBad(m.verdict)).length;
    item.description = h.error ? 'error' : `${h.functions.length} function${h.functions.length === 1 ? '' : 's'} · ${mappings.length} mapping${mappings.length === 1 ? '' : 's'}${bad ? ` · ${bad} lagging` : ''}`;
    item.iconPath = new vscode.ThemeIcon('globe');
    item.contextValue = `mskRegion${h.error ? ' error' : ''}`;
    item.tooltip = [h.error, ...h.warnings].filter(Boolean).join('\n') || undefined;
    return item;
  }
  children(): TreeNode[] {
    const h = this.health;
    if (h.error) return [new ErrorNode(`${this.id}/error`, h.error, this.retry)];
    const nodes: TreeNode[] = h.functions.map((f) => new FunctionNode(h.region, f));
    if (nodes.length === 0) nodes.push(new MessageNode(`${this.id}/empty`, 'No Kafka event source mappings'));
    for (const [i, w] of h.warnings.entries()) nodes.push(new MessageNode(`${this.id}/warning/${i}`, w, 'info'));
    return nodes;
  }
}

export class FunctionNode implements TreeNode {
  readonly id: string;
  constructor(readonly region: string, readonly fn: FunctionHealth) {
    this.id = `msk/${region}/${fn.functionArn}`;
  }
  get worst(): Verdict {
    return worstOf(this.fn.mappings.map((m) => m.verdict));
  }
  treeItem(): vscode.TreeItem {
    const worst = this.worst;
    const item = new vscode.TreeItem(this.fn.functionName, vscode.TreeItemCollapsibleState.Expanded);
    const n = this.fn.mappings.length;
    item.description = `${worst}${n > 1 ? ` · ${n} mappings` : ''}`;
    item.iconPath = verdictIcon(worst);
    item.tooltip = `${this.fn.functionArn}\n${this.fn.mappings.map((m) => `${m.verdict} ${m.mapping.topic ?? m.mapping.uuid}: ${m.trend}`).join('\n')}`;
    item.contextValue = `mskFunction verdict:${worst}`;
    return item;
  }
  children(): TreeNode[] {
    return this.fn.mappings.map((m) => new MappingNode(this.region, m));
  }
}

export class MappingNode implements TreeNode {
  readonly id: string;
  constructor(readonly region: string, readonly health: MappingHealth) {
    this.id = `msk/${region}/esm/${health.mapping.uuid}`;
  }
  treeItem(): vscode.TreeItem {
    const h = this.health;
    const m = h.mapping;
    const item = new vscode.TreeItem(m.topic ?? m.uuid, vscode.TreeItemCollapsibleState.Collapsed);
    item.description = `${h.verdict} · ${h.trend}`;
    item.iconPath = verdictIcon(h.verdict);
    const md = new vscode.MarkdownString(`**${m.topic ?? m.uuid}** → \`${m.functionName}\`\n\n`);
    md.appendMarkdown(mappingFields(h).map(([k, v]) => `- **${k}:** ${escapeMd(v)}`).join('\n'));
    item.tooltip = md;
    item.contextValue = `mskMapping verdict:${h.verdict} kind:${m.kind} auth:${m.auth.mode}${h.problem ? ' problem' : ''}`;
    item.accessibilityInformation = { label: `${m.topic ?? m.uuid}, ${h.verdict}, ${h.trend}` };
    return item;
  }
  children(): TreeNode[] {
    const h = this.health;
    const nodes: TreeNode[] = [];
    // A PROBLEM: result is an error, shown verbatim first.
    if (h.problem) nodes.push(new FieldNode(`${this.id}/problem`, 'Last processing result', h.problem, 'error'));
    if (h.certificate && (h.certificate.error || h.certificate.expiringSoon)) {
      nodes.push(new FieldNode(`${this.id}/certificate`, 'Client certificate', certificateText(h.certificate), 'warning'));
    }
    for (const [label, value] of mappingFields(h)) {
      if (h.problem && label === 'Last processing result') continue;
      nodes.push(new FieldNode(`${this.id}/field/${label}`, label, value));
    }
    return nodes;
  }
}

export class FieldNode implements TreeNode {
  constructor(readonly id: string, private readonly label: string, private readonly value: string, private readonly severity?: 'error' | 'warning') {}
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.severity === 'error' ? `Error: ${this.value}` : this.label, vscode.TreeItemCollapsibleState.None);
    item.description = this.severity === 'error' ? this.label : this.value;
    item.tooltip = `${this.label}: ${this.value}`;
    if (this.severity === 'error') item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    else if (this.severity === 'warning') item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
    item.contextValue = `mskField${this.severity ? ` ${this.severity}` : ''}`;
    return item;
  }
}

function escapeMd(s: string): string {
  return s.replace(/([\\`*_{}[\]()#+\-.!|<>])/g, '\\$1');
}

