import type { ParseArgsConfig } from 'node:util';
import { parseRegionList } from '../aws/regionCatalog';
import { loadCore } from '../coreLoader';
import { DEFAULT_CONNECTION, type AwsConnectionSettings } from '../aws/target';

export const GLOBAL_OPTIONS: NonNullable<ParseArgsConfig['options']> = {
  profile: { type: 'string' },
  region: { type: 'string', multiple: true },
  'endpoint-url': { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
};

export const GLOBAL_HELP = `Global options:
  --profile NAME        AWS profile (default: AWS_PROFILE, then the default credential chain)
  --region R[,R…]       Region(s); repeatable (default: OPSDECK_REGIONS, then AWS_REGION /
                        AWS_DEFAULT_REGION, then the profile's region in ~/.aws/config)
  --endpoint-url URL    Send every AWS call to this endpoint (moto, LocalStack)
  --json                Machine-readable output on stdout, nothing else there
  -q, --quiet           No progress or human output
  -h, --help            Help for this command

Exit codes: 0 ok, 1 error, 2 usage, 3 unhealthy, 4 unhealthy and a Region could not be checked`;

/** Connection settings from flags, falling back to the environment the AWS CLI also reads. */
export function settingsFromFlags(values: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): AwsConnectionSettings {
  const flagRegions = (values.region as string[] | undefined) ?? [];
  const envRegions = env.OPSDECK_REGIONS ? [env.OPSDECK_REGIONS] : env.AWS_REGION ? [env.AWS_REGION] : env.AWS_DEFAULT_REGION ? [env.AWS_DEFAULT_REGION] : [];
  return {
    ...DEFAULT_CONNECTION,
    profile: (values.profile as string | undefined) || undefined,
    regions: parseRegionList(flagRegions.length ? flagRegions : envRegions),
    endpointUrl: (values['endpoint-url'] as string | undefined) || env.OPSDECK_ENDPOINT_URL || undefined,
    maxAttempts: Number(env.AWS_MAX_ATTEMPTS) || DEFAULT_CONNECTION.maxAttempts,
  };
}

/**
 * Like the AWS CLI: with no Region from flags or the environment, the profile's own `region` is the default.
 * The config reader lives in dist/core.js (the CLI front end stays SDK-free), so it loads only in that case.
 */
export async function withProfileRegion(settings: AwsConnectionSettings, env: NodeJS.ProcessEnv = process.env): Promise<AwsConnectionSettings> {
  if (settings.regions.length) return settings;
  const region = await loadCore().profileRegion(settings.profile || env.AWS_PROFILE || 'default');
  return region ? { ...settings, regions: parseRegionList([region]) } : settings;
}
