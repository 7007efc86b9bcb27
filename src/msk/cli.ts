import { EXIT, UsageError, type CliCommand } from '../cli/types';
import { renderText } from './core/report';
import { DEFAULT_THRESHOLDS, DEFAULT_WINDOW_MINUTES } from './core/types';

const positive = (name: string, raw: unknown, fallback: number, allowZero = false): number => {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) throw new UsageError(`--${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, not "${String(raw)}"`);
  return n;
};

/** `opsdeck msk health`: every Kafka event source mapping's verdict; exit 3 when any is WARN, STALLED or ERROR. */
export const mskHealthCommand: CliCommand = {
  path: ['msk', 'health'],
  summary: 'Judge Lambda consumers of MSK / self-managed Kafka by OffsetLag over a window (exit 3 when any is lagging)',
  help: `Options:
  --window MINUTES        Window the verdict looks at (default ${DEFAULT_WINDOW_MINUTES})
  --allowed-lag RECORDS   Lag that still counts as keeping up (default ${DEFAULT_THRESHOLDS.allowedLag})
  --stalled MINUTES       Lag with no invocations this long = STALLED (default ${DEFAULT_THRESHOLDS.stalledMinutes})
  --check-certificates    Also read mutual-TLS client-certificate secrets (secretsmanager:GetSecretValue) and warn
                          when one expires within 30 days; only the certificate is parsed, never the key

Per Region: ListEventSourceMappings (every page), ListMetrics for OffsetLag's dimensions, then one GetMetricData
for all functions (another per 500 queries beyond that). Verdicts: OK, WARN (falling behind), STALLED, ERROR
(errors with rising lag, or a PROBLEM: processing result), DISABLED (disabled while lag grows).
Exit 3 when any mapping is WARN, STALLED or ERROR; 1 when a Region could not be read and nothing lags elsewhere;
4 when both (lagging AND a Region not checked); 0 otherwise.`,
  options: {
    window: { type: 'string' },
    'allowed-lag': { type: 'string' },
    stalled: { type: 'string' },
    'check-certificates': { type: 'boolean' },
  },
  async run(ctx, values) {
    const windowMinutes = positive('window', values.window, DEFAULT_WINDOW_MINUTES);
    const allowedLag = positive('allowed-lag', values['allowed-lag'], DEFAULT_THRESHOLDS.allowedLag, true);
    const stalledMinutes = positive('stalled', values.stalled, DEFAULT_THRESHOLDS.stalledMinutes);
    if (ctx.settings.regions.length === 0) throw new UsageError('No Region: pass --region (or set AWS_REGION / OPSDECK_REGIONS).');
    ctx.info(`Checking Kafka event source mappings in ${ctx.settings.regions.join(', ')}…`);
    const report = await ctx.core().msk.mskHealth(ctx.factory(), {
      regions: ctx.settings.regions,
      windowMinutes,
      thresholds: { allowedLag, stalledMinutes },
      checkCertificates: Boolean(values['check-certificates']),
      signal: ctx.signal,
    });
    if (ctx.json) ctx.printJson(report);
    else for (const line of renderText(report)) ctx.out(line);
    const incomplete = report.regions.filter((r) => r.error);
    if (incomplete.length && !ctx.json) ctx.info(`Not checked: ${incomplete.map((r) => r.region).join(', ')} (see above).`);
    return mskExitCode(report);
  },
};

/** Like `batch health`: lagging consumers and a Region that could not be checked are both visible in the code. */
export function mskExitCode(report: { badCount: number; regions: ReadonlyArray<{ error?: unknown }> }): number {
  const incomplete = report.regions.some((r) => r.error);
  if (report.badCount > 0) return incomplete ? EXIT.unhealthyIncomplete : EXIT.unhealthy;
  return incomplete ? EXIT.error : EXIT.ok;
}
