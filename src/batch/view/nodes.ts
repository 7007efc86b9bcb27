import vscode = require('vscode');
import { computeEnvironmentConsoleUrl, queueConsoleUrl } from '../core/consoleUrl';
import { formatAge, formatTime, nameFromArn, plural } from '../core/format';
import { queueSummary, stuckLabel } from '../core/render';
import { TRANSIT_STATUSES, type ComputeEnvironmentInfo, type Finding, type QueueReport, type RegionReport, type StuckJob, type TransitStatus } from '../core/types';
import { ErrorNode, MessageNode, type TreeNode } from '../../shell/tree';

/**
 * The Batch Health tree: Region → queue → (findings, compute environments, stuck jobs grouped by status) →
 * a job's diagnosis → evidence. Ids come from ARNs and job ids so expansion survives refreshes.
 */
export interface TreeOptions {
  readonly showAll: boolean;
  readonly retry: () => void;
}

/** Groups larger than this show the oldest jobs and a "… more" line: a tree of 10,000 rows helps nobody. */
export const MAX_JOBS_PER_GROUP = 200;

const SEVERITY_ICON: Record<Finding['severity'], vscode.ThemeIcon> = {
  error: new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')),
  warning: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
  info: new vscode.ThemeIcon('info'),
};

export class RegionNode implements TreeNode {
  readonly id: string;
  constructor(readonly report: RegionReport, private readonly options: TreeOptions) {
    this.id = `batch/${report.region}`;
  }
  treeItem(): vscode.TreeItem {
    const stuck = this.report.queues.reduce((n, q) => n + q.stuck.length, 0);
    const item = new vscode.TreeItem(this.report.region, vscode.TreeItemCollapsibleState.Expanded);
    item.description = this.report.error ? 'error' : `${plural(this.report.queues.length, 'queue')}${stuck ? ` · ${stuck} stuck` : ''}`;
    item.iconPath = new vscode.ThemeIcon('globe');
    item.contextValue = 'batchRegion';
    return item;
  }
  children(): TreeNode[] {
    if (this.report.error) return [new ErrorNode(`${this.id}/error`, this.report.error, this.options.retry)];
    if (this.report.queues.length === 0) return [new MessageNode(`${this.id}/empty`, 'No job queues in this Region')];
    const problem = this.report.queues.filter((q) => this.options.showAll || q.health !== 'ok' || q.stuck.length > 0);
    const healthy = this.report.queues.filter((q) => !problem.includes(q));
    const nodes: TreeNode[] = problem.map((q) => new QueueNode(this.report.region, q));
    if (healthy.length) nodes.push(new HealthyQueuesNode(this.id, this.report.region, healthy));
    return nodes;
  }
}

/** Healthy queues collapsed to one line ("✓ 3 healthy queues"); expanding lists them, one line each. */
class HealthyQueuesNode implements TreeNode {
  readonly id: string;
  constructor(parentId: string, private readonly region: string, private readonly queues: readonly QueueReport[]) {
    this.id = `${parentId}/healthy`;
  }
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(plural(this.queues.length, 'healthy queue'), vscode.TreeItemCollapsibleState.Collapsed);
    item.description = this.queues.map((q) => q.queue.name).join(', ');
    item.iconPath = new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    item.tooltip = 'Nothing stuck and no configuration problem. "Show All Queues" lists them in full.';
    item.contextValue = 'batchHealthyQueues';
    return item;
  }
  children(): TreeNode[] {
    return this.queues.map((q) => new QueueNode(this.region, q, true));
  }
}

export class QueueNode implements TreeNode {
  readonly id: string;
  constructor(readonly region: string, readonly report: QueueReport, private readonly oneLine = false) {
    this.id = `batch/${report.queue.arn}`;
  }
  treeItem(): vscode.TreeItem {
    const { queue, health, canRunWork } = this.report;
    const expand = this.oneLine ? vscode.TreeItemCollapsibleState.None : this.report.stuck.length || health !== 'ok' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(queue.name, expand);
    item.description = queueSummary(this.report);
    item.iconPath = health === 'blocked' || !canRunWork ? new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')) : health === 'warning' ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')) : new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    const md = new vscode.MarkdownString(`**${queue.name}** (${this.region})\n\n`);
    md.appendMarkdown(`State ${queue.state}, status ${queue.status ?? '?'}, priority ${queue.priority ?? '?'}\n\n`);
    if (queue.statusReason) md.appendMarkdown(`statusReason: \`${queue.statusReason}\`\n\n`);
    md.appendMarkdown(`Stuck after ${this.report.thresholdMinutes} min · in transit: ${TRANSIT_STATUSES.map((s) => `${s} ${this.report.inTransit[s]}`).join(', ')}\n\n`);
    if (queue.timeLimitActions.length) md.appendMarkdown(`RUNNABLE time limits: ${queue.timeLimitActions.map((a) => `${a.reason} → ${a.action} after ${a.maxTimeSeconds} s`).join('; ')}`);
    item.tooltip = md;
    item.contextValue = `batchQueue.${health}${this.report.stuck.length ? '.stuck' : ''}`;
    return item;
  }
  children(): TreeNode[] {
    if (this.oneLine) return [];
    const nodes: TreeNode[] = this.report.findings.map((f, i) => new FindingNode(`${this.id}/finding/${i}`, f));
    for (const ce of this.report.computeEnvironments) nodes.push(new ComputeEnvironmentNode(this.id, this.region, ce));
    for (const status of TRANSIT_STATUSES) {
      const jobs = this.report.stuck.filter((s) => s.status === status);
      if (jobs.length) nodes.push(new StatusGroupNode(this.id, this.region, this.report, status, jobs));
    }
    if (this.report.stuck.length === 0) nodes.push(new MessageNode(`${this.id}/none`, `No job in transit longer than ${this.report.thresholdMinutes} min`, 'check'));
    return nodes;
  }
  consoleUrl(): string {
    return queueConsoleUrl(this.region, this.report.queue.arn);
  }
}

class ComputeEnvironmentNode implements TreeNode {
  readonly id: string;
  constructor(parentId: string, private readonly region: string, readonly ce: ComputeEnvironmentInfo) {
    this.id = `${parentId}/ce/${ce.arn}`;
  }
  treeItem(): vscode.TreeItem {
    const { ce } = this;
    const item = new vscode.TreeItem(ce.name, vscode.TreeItemCollapsibleState.None);
    const bad = ce.state === 'DISABLED' || ce.status === 'INVALID';
    item.description = `${ce.state ?? '?'}/${ce.status ?? '?'} · vCPUs ${ce.minvCpus ?? '-'}/${ce.desiredvCpus ?? '-'}/${ce.maxvCpus ?? '-'}${ce.statusReason ? ` · ${ce.statusReason}` : ''}`;
    item.iconPath = new vscode.ThemeIcon('server-environment', bad ? new vscode.ThemeColor('errorForeground') : undefined);
    item.tooltip = new vscode.MarkdownString(
      `**Compute environment ${ce.name}**\n\n${ce.type ?? ''} ${ce.resourceType ?? ''}\n\nState ${ce.state}, status ${ce.status}\n\nstatusReason: \`${ce.statusReason ?? '(none)'}\`\n\nvCPUs min ${ce.minvCpus ?? '-'} · desired ${ce.desiredvCpus ?? '-'} · max ${ce.maxvCpus ?? '-'}\n\nInstance types: ${ce.instanceTypes.join(', ') || '—'}`,
    );
    item.contextValue = `batchComputeEnvironment${bad ? '.unusable' : ''}`;
    return item;
  }
  consoleUrl(): string {
    return computeEnvironmentConsoleUrl(this.region, this.ce.arn);
  }
}

class StatusGroupNode implements TreeNode {
  readonly id: string;
  constructor(parentId: string, private readonly region: string, private readonly queue: QueueReport, readonly status: TransitStatus, private readonly jobs: readonly StuckJob[]) {
    this.id = `${parentId}/status/${status}`;
  }
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.status, vscode.TreeItemCollapsibleState.Expanded);
    item.description = `${this.jobs.length} stuck · oldest ${formatAge(this.jobs[0].ageMs)}`;
    item.iconPath = new vscode.ThemeIcon(this.status === 'RUNNABLE' ? 'debug-pause' : this.status === 'PENDING' ? 'clock' : 'inbox');
    item.contextValue = `batchStatusGroup.${this.status}`;
    return item;
  }
  children(): TreeNode[] {
    const nodes: TreeNode[] = this.jobs.slice(0, MAX_JOBS_PER_GROUP).map((s) => new StuckJobNode(this.region, this.queue, s));
    if (this.jobs.length > MAX_JOBS_PER_GROUP) nodes.push(new MessageNode(`${this.id}/more`, `… ${this.jobs.length - MAX_JOBS_PER_GROUP} more (oldest shown first; \`opsdeck batch health --json\` lists all)`, 'ellipsis'));
    return nodes;
  }
}

export class StuckJobNode implements TreeNode {
  readonly id: string;
  constructor(readonly region: string, readonly queue: QueueReport, readonly stuck: StuckJob) {
    this.id = `batch/job/${stuck.job.jobId}`;
  }
  treeItem(): vscode.TreeItem {
    const { job, findings } = this.stuck;
    const item = new vscode.TreeItem(`${stuckLabel(this.stuck)}  ${job.jobName}`, vscode.TreeItemCollapsibleState.Collapsed);
    item.description = [job.jobDefinition ? nameFromArn(job.jobDefinition) : undefined, job.statusReason].filter(Boolean).join(' · ');
    const worst = findings[0]?.severity ?? 'info';
    item.iconPath = this.stuck.willNeverRun ? new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('errorForeground')) : SEVERITY_ICON[worst];
    const md = new vscode.MarkdownString(`**${job.jobName}** \`${job.jobId}\`\n\n${this.stuck.status} for ${formatAge(this.stuck.ageMs)} (created ${formatTime(job.createdAt)}; stuck after ${this.stuck.thresholdMinutes} min)\n\n`);
    if (job.jobDefinition) md.appendMarkdown(`Definition: \`${nameFromArn(job.jobDefinition)}\`\n\n`);
    if (job.statusReason) md.appendMarkdown(`statusReason: \`${job.statusReason}\`\n\n`);
    for (const f of findings) md.appendMarkdown(`- ${f.message}\n`);
    item.tooltip = md;
    item.contextValue = `batchJob.stuck.${this.stuck.status}${this.stuck.willNeverRun ? '.never' : ''}`;
    return item;
  }
  children(): TreeNode[] {
    return this.stuck.findings.map((f, i) => new FindingNode(`${this.id}/finding/${i}`, f, this.queue.findings.includes(f)));
  }
}

/** One diagnosis line; its children are the evidence it rests on and the advice. */
export class FindingNode implements TreeNode {
  constructor(readonly id: string, readonly finding: Finding, private readonly fromQueue = false) {}
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(`${this.fromQueue ? 'Queue: ' : ''}${this.finding.message}`, vscode.TreeItemCollapsibleState.Collapsed);
    item.iconPath = SEVERITY_ICON[this.finding.severity];
    const md = new vscode.MarkdownString(`${this.finding.message}\n\n**Evidence**\n\n${this.finding.evidence.map((e) => `- ${e}`).join('\n')}`);
    if (this.finding.advice) md.appendMarkdown(`\n\n**What to do:** ${this.finding.advice}`);
    item.tooltip = md;
    item.contextValue = `batchFinding.${this.finding.severity}`;
    return item;
  }
  children(): TreeNode[] {
    const nodes: TreeNode[] = this.finding.evidence.map((e, i) => new MessageNode(`${this.id}/evidence/${i}`, e, 'eye'));
    if (this.finding.advice) nodes.push(new MessageNode(`${this.id}/advice`, this.finding.advice, 'lightbulb'));
    return nodes;
  }
}

/** A plain-text picture of the tree, for extension-host tests (walks `depth` levels below the roots). */
export async function snapshot(nodes: readonly TreeNode[], depth: number, signal: AbortSignal): Promise<string[]> {
  const out: string[] = [];
  const walk = async (list: readonly TreeNode[], level: number): Promise<void> => {
    for (const n of list) {
      const item = n.treeItem();
      const label = typeof item.label === 'string' ? item.label : item.label?.label ?? '';
      out.push(`${'  '.repeat(level)}${label}${item.description ? ` — ${String(item.description)}` : ''}`);
      if (level < depth && n.children) await walk(await n.children(signal), level + 1);
    }
  };
  await walk(nodes, 0);
  return out;
}
