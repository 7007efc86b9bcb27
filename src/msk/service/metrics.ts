import { CloudWatchClient, GetMetricDataCommand, type MetricDataResult } from '@aws-sdk/client-cloudwatch';
import { mapWithConcurrency } from '../../aws/cancellation';
import type { ClientFactory } from '../../aws/clientFactory';
import { PageTokens } from '../../aws/paginationGuard';
import { alignSeries, collectResults, packQueries, type MetricRequest } from '../core/queries';
import type { Series } from '../core/types';

/** Two GetMetricData calls in flight per Region at most: only beyond 1,000 queries does this matter. */
const CALL_CONCURRENCY = 2;

/**
 * Fetches every planned series with the fewest GetMetricData calls: ⌈requests / 500⌉, each following NextToken
 * (only needed past 100,800 datapoints). Returns series aligned to the window's slots, keyed by request key.
 */
export async function fetchSeries(factory: ClientFactory, region: string, requests: readonly MetricRequest[], window: { startMs: number; endMs: number; periodSeconds: number }, signal?: AbortSignal): Promise<{ series: Map<string, Series>; calls: number }> {
  const client = factory.client(CloudWatchClient, region);
  const calls = packQueries(requests);
  let sent = 0;
  const answered = await mapWithConcurrency(calls, CALL_CONCURRENCY, async (call) => {
    const results: MetricDataResult[] = [];
    const tokens = new PageTokens();
    let token: string | undefined;
    do {
      const res = await client.send(
        new GetMetricDataCommand({ MetricDataQueries: call.queries, StartTime: new Date(window.startMs), EndTime: new Date(window.endMs), ScanBy: 'TimestampAscending', NextToken: token }),
        { abortSignal: signal },
      );
      sent++;
      results.push(...(res.MetricDataResults ?? []));
      token = tokens.next('GetMetricData', res.NextToken);
    } while (token);
    return { keys: call.keys, results };
  });
  const raw = collectResults(answered);
  const out = new Map<string, Series>();
  for (const r of requests) {
    const got = raw.get(r.key) ?? { timestamps: [], values: [] };
    out.set(r.key, alignSeries(got.timestamps, got.values, window.startMs, window.endMs, window.periodSeconds));
  }
  return { series: out, calls: sent };
}
