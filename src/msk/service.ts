/**
 * MSK consumer health: every AWS call the feature makes (re-exported from src/core.ts as `msk`).
 *   discovery.ts     ListEventSourceMappings (all pages) and ListMetrics (cached dimension sets)
 *   metrics.ts       GetMetricData, ≤500 queries per call, NextToken pages
 *   health.ts        the per-Region report with verdicts
 *   dashboard.ts     one function's four charts
 *   certificates.ts  the opt-in mTLS expiry check (GetSecretValue; only the certificate is parsed)
 */
export { mskHealth, regionHealth, type HealthOptions } from './service/health';
export { functionDashboard, type DashboardOptions } from './service/dashboard';
export { listKafkaMappings, discoverDimensions, clearDimensionCache, MAPPINGS_PAGE_SIZE } from './service/discovery';
export { fetchSeries } from './service/metrics';
export { checkClientCertificates } from './service/certificates';
