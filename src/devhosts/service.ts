/** The Mac dev hosts feature's AWS calls (re-exported from src/core.ts as `devhosts`). */
export { discoverDevHosts, discoverRegion, macTypes, FILTER_VALUES_MAX, type DiscoveryOptions } from './service/discovery';
export { releaseHost, type ReleaseOutcome } from './service/release';
