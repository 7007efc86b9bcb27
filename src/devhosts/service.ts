/** The Mac dev hosts feature's AWS calls (re-exported from src/core.ts as `devhosts`). */
export { configuredBastion, describeHostNow, discoverDevHosts, discoverRegion, macTypes, FILTER_VALUES_MAX, MAC_HOST_TYPE_FILTER, type DiscoveryOptions } from './service/discovery';
export { releaseHost, type ReleaseOutcome } from './service/release';
