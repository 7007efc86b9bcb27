import { DEFAULT_THRESHOLD_MINUTES } from './core/evaluate';
import { renderText } from './core/render';
import type { HealthReport } from './core/types';
import { EXIT, UsageError, type CliCommand } from '../cli/types';

/** Exit code when jobs are stuck AND a Region could not be checked (3 and 1 at once: both facts stay visible). */
export const EXIT_STUCK_INCOMPLETE = EXIT.unhealthyIncomplete;

/**
 * `--queue-threshold NAME=MINUTES` (repeatable, comma-separated too) → the per-queue map the extension reads from
 * `opsdeck.batch.queueThresholds`. NAME is a queue name or ARN; the last "=" splits (ARNs have none).
 */
export function parseQueueThresholds(values: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean)) {
    const eq = item.lastIndexOf('=');
    const name = eq > 0 ? item.slice(0, eq).trim() : '';
    const minutes = eq > 0 ? Number(item.slice(eq + 1).trim()) : NaN;
    if (!name || !Number.isFinite(minutes) || minutes <= 0 || item.slice(eq + 1).trim() === '') {
      throw new UsageError(`--queue-threshold must be NAME=MINUTES with a positive number of minutes (e.g. nightly-etl=120), not "${item}"`);
    }
    out[name] = minutes;
  }
  return out;
}

/**
 * 0 all Regions checked, nothing stuck · 3 all Regions checked, something stuck · 1 a Region could not be checked
 * and nothing was stuck in the others · 4 something stuck AND a Region could not be checked. So "stuck" is 3 or 4
 * and "could not check everything" is 1 or 4.
 */
export function healthExitCode(report: Pick<HealthReport, 'stuckCount' | 'regions'>): number {
  const incomplete = report.regions.some((r) => r.error);
  if (report.stuckCount > 0) return incomplete ? EXIT_STUCK_INCOMPLETE : EXIT.unhealthy;
  return incomplete ? EXIT.error : EXIT.ok;
}

/** `opsdeck batch health`: stuck Batch jobs with their diagnosis; exit 3 when anything is stuck (cron, CI). */
export const batchHealthCommand: CliCommand = {
  path: ['batch', 'health'],
  summary: 'List AWS Batch jobs stuck in SUBMITTED, PENDING or RUNNABLE, with why (exit 3 when any)',
  help: `Options:
  --threshold MINUTES             In transit longer than this counts as stuck (default ${DEFAULT_THRESHOLD_MINUTES})
  --queue-threshold NAME=MINUTES  Threshold for one queue (name or ARN), as the extension's
                                  opsdeck.batch.queueThresholds; repeatable or comma-separated
  --queue NAME                    Only this job queue (name or ARN); repeatable
  --all                           Also list healthy queues

Lists every queue's SUBMITTED, PENDING and RUNNABLE jobs (every ListJobs page), describes only the stuck
PENDING/RUNNABLE ones and follows dependency chains to their root. A Region that could not be checked is named
on stderr (and in the output), and the exit code says so:
  0  every Region checked, nothing stuck
  3  every Region checked, jobs stuck
  1  a Region could not be checked, nothing stuck in the others
  4  jobs stuck AND a Region could not be checked
So "stuck" is 3 or 4, "could not check everything" is 1 or 4.`,
  options: {
    threshold: { type: 'string' },
    'queue-threshold': { type: 'string', multiple: true },
    queue: { type: 'string', multiple: true },
    all: { type: 'boolean' },
  },
  async run(ctx, values) {
    const threshold = values.threshold === undefined ? DEFAULT_THRESHOLD_MINUTES : Number(values.threshold);
    if (!Number.isFinite(threshold) || threshold <= 0) throw new UsageError(`--threshold must be a positive number of minutes, not "${String(values.threshold)}"`);
    const perQueue = parseQueueThresholds((values['queue-threshold'] as string[] | undefined) ?? []);
    if (ctx.settings.regions.length === 0) throw new UsageError('No Region: pass --region (or set AWS_REGION / OPSDECK_REGIONS).');
    const queues = ((values.queue as string[] | undefined) ?? []).flatMap((q) => q.split(',')).map((q) => q.trim()).filter(Boolean);
    ctx.info(`Checking Batch queues in ${ctx.settings.regions.join(', ')}…`);
    const report = await ctx.core().batch.batchHealth(ctx.factory(), {
      regions: ctx.settings.regions,
      thresholds: { defaultMinutes: threshold, ...(Object.keys(perQueue).length ? { perQueue } : {}) },
      queues,
      signal: ctx.signal,
    });
    if (ctx.json) ctx.printJson(report);
    else for (const line of renderText(report, Boolean(values.all))) ctx.out(line);
    const failed = report.regions.filter((r) => r.error);
    for (const r of failed) ctx.info(`Incomplete: ${r.region} could not be checked: ${r.error}`);
    if (failed.length && report.stuckCount > 0) ctx.info(`${report.stuckCount} stuck job(s) found in the Regions that answered; ${failed.length} Region(s) not checked (exit ${EXIT_STUCK_INCOMPLETE}).`);
    return healthExitCode(report);
  },
};
