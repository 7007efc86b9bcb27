import vscode = require('vscode');
import { decodeBlockedReason, TIME_LIMIT_REASONS } from '../core/blockedReasons';
import { jobConsoleUrl } from '../core/consoleUrl';
import { formatAge } from '../core/format';
import { describeTimeLimitPlan, parseDuration, planTimeLimitActions, validateTimeLimitSeconds } from '../core/timeLimit';
import { UserCancelledError } from '../../aws/cancellation';
import { abortSignalFor } from '../../shell/cancellation';
import type { Shell } from '../../shell/shell';
import type { BatchHealthModel } from './model';
import { QueueNode, StuckJobNode } from './nodes';

const LIST_LIMIT = 15;

/** The stuck jobs a command acts on: the multi-selection when the clicked node is part of it, else the node. */
export function selectedJobs(node: unknown, selection: unknown): StuckJobNode[] {
  const all = Array.isArray(selection) ? selection : [];
  const picked = all.filter((n): n is StuckJobNode => n instanceof StuckJobNode);
  if (node instanceof StuckJobNode && !picked.includes(node)) return [node];
  return picked.length ? picked : node instanceof StuckJobNode ? [node] : [];
}

export async function cancelJobs(shell: Shell, model: BatchHealthModel, jobs: StuckJobNode[]): Promise<void> {
  if (jobs.length === 0) {
    void vscode.window.showInformationMessage('Select one or more stuck jobs in Batch Health first.');
    return;
  }
  const lines = jobs.slice(0, LIST_LIMIT).map((j) => `• ${j.stuck.job.jobName} (${j.stuck.job.jobId}) — ${j.queue.queue.name}, ${j.stuck.status} · ${formatAge(j.stuck.ageMs)}`);
  if (jobs.length > LIST_LIMIT) lines.push(`… and ${jobs.length - LIST_LIMIT} more`);
  const title = `Cancel ${jobs.length} stuck job${jobs.length === 1 ? '' : 's'}`;
  const answer = await vscode.window.showWarningMessage(`${title}?`, { modal: true, detail: `${lines.join('\n')}\n\nBatch marks cancelled jobs FAILED; jobs that depend on them fail too.` }, title);
  if (answer !== title) throw new UserCancelledError();
  const byRegion = new Map<string, string[]>();
  for (const j of jobs) byRegion.set(j.region, [...(byRegion.get(j.region) ?? []), j.stuck.job.jobId]);
  const results = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `${title}…`, cancellable: true }, async (_p, token) => {
    const signal = abortSignalFor(token);
    const core = shell.session.core();
    const out = [];
    for (const [region, ids] of byRegion) out.push(...(await core.batch.cancelJobs(shell.session.factory(), region, ids, 'Cancelled from AWS OpsDeck (stuck in transit)', signal)));
    return out;
  });
  const failed = results.filter((r) => !r.ok);
  shell.log.info(`batch: cancel requested for ${results.length} job(s), ${failed.length} failed`);
  if (failed.length) void vscode.window.showWarningMessage(`Cancelled ${results.length - failed.length} of ${results.length} jobs. ${failed.map((f) => `${f.jobId}: ${f.error}`).join('; ')}`);
  else void vscode.window.showInformationMessage(`Cancel requested for ${results.length} job${results.length === 1 ? '' : 's'}. Batch moves them to FAILED shortly.`);
  await model.load();
}

export async function copyJobId(node: unknown): Promise<void> {
  if (!(node instanceof StuckJobNode)) return;
  await vscode.env.clipboard.writeText(node.stuck.job.jobId);
  vscode.window.setStatusBarMessage(`Copied job id ${node.stuck.job.jobId}`, 3000);
}

export async function openInConsole(node: unknown): Promise<void> {
  let url: string | undefined;
  if (node instanceof StuckJobNode) url = jobConsoleUrl(node.region, node.stuck.job.jobId);
  else if (node instanceof QueueNode) url = node.consoleUrl();
  else if (node && typeof (node as { consoleUrl?: unknown }).consoleUrl === 'function') url = (node as { consoleUrl(): string }).consoleUrl();
  if (url) await vscode.env.openExternal(vscode.Uri.parse(url, true));
}

/** "Set a RUNNABLE time limit on this queue…": reasons, a duration, a confirmation, then UpdateJobQueue. */
export async function setRunnableTimeLimit(shell: Shell, model: BatchHealthModel, node: unknown): Promise<void> {
  const target = node instanceof QueueNode ? node : node instanceof StuckJobNode ? new QueueNode(node.region, node.queue) : undefined;
  const queueNode = target ?? (await pickQueue(model));
  if (!queueNode) throw new UserCancelledError();
  const queue = queueNode.report.queue;
  const existing = new Map(queue.timeLimitActions.map((a) => [a.reason, a]));
  const picks = await vscode.window.showQuickPick(
    TIME_LIMIT_REASONS.map((reason) => ({
      label: reason,
      description: existing.has(reason) ? `now ${existing.get(reason)!.action} after ${existing.get(reason)!.maxTimeSeconds} s` : undefined,
      detail: decodeBlockedReason(reason)?.title,
      picked: true,
    })),
    { canPickMany: true, title: `RUNNABLE time limit for ${queue.name} (1/2): when a job blocks the queue because…`, ignoreFocusOut: true },
  );
  if (!picks || picks.length === 0) throw new UserCancelledError();
  const text = await vscode.window.showInputBox({
    title: `RUNNABLE time limit for ${queue.name} (2/2)`,
    prompt: 'How long may a blocked job stay RUNNABLE before Batch cancels it? 600–86400 seconds, or e.g. "30m", "4h".',
    value: '3600',
    ignoreFocusOut: true,
    validateInput: (v) => {
      const s = parseDuration(v);
      return s === undefined ? 'Enter seconds, or a number followed by m or h.' : validateTimeLimitSeconds(s);
    },
  });
  if (text === undefined) throw new UserCancelledError();
  const seconds = parseDuration(text)!;
  const plan = planTimeLimitActions(queue, seconds, picks.map((p) => p.label));
  const ok = 'Set Time Limit';
  const answer = await vscode.window.showWarningMessage(
    `Set a RUNNABLE time limit on queue ${queue.name}?`,
    { modal: true, detail: `UpdateJobQueue will set jobStateTimeLimitActions to:\n${describeTimeLimitPlan(queue, plan).map((l) => `• ${l}`).join('\n')}\n\nFrom then on AWS Batch itself cancels jobs that stay blocked that long.` },
    ok,
  );
  if (answer !== ok) throw new UserCancelledError();
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Updating ${queue.name}…`, cancellable: true }, (_p, token) =>
    shell.session.core().batch.setTimeLimitActions(shell.session.factory(), queueNode.region, queue.arn, plan, abortSignalFor(token)),
  );
  void vscode.window.showInformationMessage(`Queue ${queue.name}: RUNNABLE time limit set (${plan.length} reason${plan.length === 1 ? '' : 's'}).`);
  await model.load();
}

async function pickQueue(model: BatchHealthModel): Promise<QueueNode | undefined> {
  const report = await model.current();
  const items = report.regions.flatMap((r) => r.queues.map((q) => ({ label: q.queue.name, description: r.region, node: new QueueNode(r.region, q) })));
  return (await vscode.window.showQuickPick(items, { title: 'Set a RUNNABLE time limit on which queue?' }))?.node;
}
