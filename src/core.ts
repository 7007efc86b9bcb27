/**
 * The lazily loaded half of OpsDeck: everything that talks to AWS through the SDK. It is bundled on its own
 * (dist/core.js) and required on first use by the extension and the CLI, so activation and `opsdeck --help`
 * never pay the SDK's load time. Each feature exposes its AWS-facing service here, one line each.
 */
export { createClientFactory, homeRegion, CallCounter } from './aws/runtime';
export { ClientFactory } from './aws/clientFactory';
export { listAccountRegions } from './aws/regions';
export { listProfiles } from './aws/profiles';
export { getCallerIdentity } from './aws/identity';
// Feature services (one line per feature):
export * as devhosts from './devhosts/service';
export * as batch from './batch/service';
export * as layers from './layers/service';
export * as msk from './msk/service';
export * as fleets from './fleets/service';
