import { DEFAULT_THRESHOLD_MINUTES } from './core/evaluate';
import { renderText } from './core/render';
import { EXIT, UsageError, type CliCommand } from '../cli/types';

/** `opsdeck batch health`: stuck Batch jobs with their diagnosis; exit 3 when anything is stuck (cron, CI). */
export const batchHealthCommand: CliCommand = {
  path: ['batch', 'health'],
  summary: 'List AWS Batch jobs stuck in SUBMITTED, PENDING or RUNNABLE, with why (exit 3 when any)',
  help: `Options:
  --threshold MINUTES   In transit longer than this counts as stuck (default ${DEFAULT_THRESHOLD_MINUTES})
  --queue NAME          Only this job queue (name or ARN); repeatable
  --all                 Also list healthy queues

Lists every queue's SUBMITTED, PENDING and RUNNABLE jobs (every ListJobs page), describes only the stuck
PENDING/RUNNABLE ones and follows dependency chains to their root. Exit 3 when any job is stuck, 1 when a
Region could not be read, 0 otherwise.`,
  options: {
    threshold: { type: 'string' },
    queue: { type: 'string', multiple: true },
    all: { type: 'boolean' },
  },
  async run(ctx, values) {
    const threshold = values.threshold === undefined ? DEFAULT_THRESHOLD_MINUTES : Number(values.threshold);
    if (!Number.isFinite(threshold) || threshold <= 0) throw new UsageError(`--threshold must be a positive number of minutes, not "${String(values.threshold)}"`);
    if (ctx.settings.regions.length === 0) throw new UsageError('No Region: pass --region (or set AWS_REGION / OPSDECK_REGIONS).');
    const queues = ((values.queue as string[] | undefined) ?? []).flatMap((q) => q.split(',')).map((q) => q.trim()).filter(Boolean);
    ctx.info(`Checking Batch queues in ${ctx.settings.regions.join(', ')}…`);
    const report = await ctx.core().batch.batchHealth(ctx.factory(), {
      regions: ctx.settings.regions,
      thresholds: { defaultMinutes: threshold },
      queues,
      signal: ctx.signal,
    });
    if (ctx.json) ctx.printJson(report);
    else for (const line of renderText(report, Boolean(values.all))) ctx.out(line);
    if (report.stuckCount > 0) return EXIT.unhealthy;
    return report.regions.some((r) => r.error) ? EXIT.error : EXIT.ok;
  },
};
