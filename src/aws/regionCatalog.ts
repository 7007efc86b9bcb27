/**
 * Regions of the `aws` partition, used only when DescribeRegions cannot be called (offline, no credentials yet).
 * The live list always wins; this is a fallback, not the source of truth.
 */
export interface RegionInfo {
  readonly name: string;
  /** opt-in-not-required | opted-in | not-opted-in, as DescribeRegions reports it; "unknown" offline. */
  readonly optInStatus: string;
}

const ENABLED_BY_DEFAULT = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'sa-east-1', 'eu-west-1', 'eu-west-2',
  'eu-west-3', 'eu-central-1', 'eu-north-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1',
  'ap-southeast-1', 'ap-southeast-2',
];
const OPT_IN = [
  'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-south-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5',
  'ap-southeast-6', 'ap-southeast-7', 'ca-west-1', 'eu-central-2', 'eu-south-1', 'eu-south-2', 'il-central-1',
  'me-central-1', 'me-south-1', 'mx-central-1',
];

export const BUILT_IN_REGIONS: readonly RegionInfo[] = [
  ...ENABLED_BY_DEFAULT.map((name) => ({ name, optInStatus: 'opt-in-not-required' })),
  ...OPT_IN.map((name) => ({ name, optInStatus: 'unknown' })),
];

const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

export function isRegionName(value: string): boolean {
  return REGION_PATTERN.test(value);
}

/** Splits "us-east-1,eu-west-1" and repeated flags into a clean, de-duplicated list; throws on a bad name. */
export function parseRegionList(values: readonly string[]): string[] {
  const out: string[] = [];
  for (const value of values) {
    for (const part of value.split(',').map((s) => s.trim()).filter(Boolean)) {
      if (!isRegionName(part)) throw new Error(`"${part}" is not a Region name (expected something like us-east-1).`);
      if (!out.includes(part)) out.push(part);
    }
  }
  return out;
}
