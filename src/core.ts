/**
 * The lazily loaded half of OpsDeck: everything that talks to AWS through the SDK. It is bundled on its own
 * (dist/core.js) and required on first use by the extension and the CLI, so activation and `opsdeck --help`
 * never pay the SDK's load time.
 *
 * Inside it, each feature's service (and with it the SDK clients only that feature uses) is evaluated the first
 * time the feature touches it: opening Batch Health evaluates the Batch client, not EC2, Lambda, CloudWatch,
 * Outposts, S3 or Secrets Manager. esbuild turns each `require` below into a lazy initializer in the bundle.
 */
import type { ClientFactory } from './aws/clientFactory';

export { createClientFactory, homeRegion, CallCounter } from './aws/runtime';
export { ClientFactory } from './aws/clientFactory';
export { listProfiles, profileRegion } from './aws/profiles';

type DevhostsService = typeof import('./devhosts/service');
type BatchService = typeof import('./batch/service');
type LayersService = typeof import('./layers/service');
type MskService = typeof import('./msk/service');
type FleetsService = typeof import('./fleets/service');

const evaluated = new Set<string>();

/** A module namespace whose module is evaluated on the first property read. */
function lazy<T extends object>(name: string, load: () => T): T {
  let module: T | undefined;
  const get = (): T => {
    if (!module) {
      module = load();
      evaluated.add(name);
    }
    return module;
  };
  return new Proxy({} as T, {
    get: (_target, key) => Reflect.get(get(), key),
    has: (_target, key) => Reflect.has(get(), key),
    ownKeys: () => Reflect.ownKeys(get()),
    getOwnPropertyDescriptor: (_target, key) => {
      const d = Reflect.getOwnPropertyDescriptor(get(), key);
      return d && { ...d, configurable: true };
    },
  });
}

// Feature services (one line per feature):
export const devhosts: DevhostsService = lazy('devhosts', () => require('./devhosts/service'));
export const batch: BatchService = lazy('batch', () => require('./batch/service'));
export const layers: LayersService = lazy('layers', () => require('./layers/service'));
export const msk: MskService = lazy('msk', () => require('./msk/service'));
export const fleets: FleetsService = lazy('fleets', () => require('./fleets/service'));

// Account-wide calls: EC2 (DescribeRegions) and STS, evaluated only when called.
export function listAccountRegions(...args: Parameters<typeof import('./aws/regions').listAccountRegions>): ReturnType<typeof import('./aws/regions').listAccountRegions> {
  evaluated.add('regions');
  return (require('./aws/regions') as typeof import('./aws/regions')).listAccountRegions(...args);
}
export function getCallerIdentity(factory: ClientFactory, region: string, signal?: AbortSignal): ReturnType<typeof import('./aws/identity').getCallerIdentity> {
  evaluated.add('identity');
  return (require('./aws/identity') as typeof import('./aws/identity')).getCallerIdentity(factory, region, signal);
}

/** Which lazily evaluated parts have been evaluated so far (tests and the benchmark read it). */
export function evaluatedParts(): string[] {
  return [...evaluated].sort();
}
