import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import type { ClientFactory } from './clientFactory';
import { BUILT_IN_REGIONS, type RegionInfo } from './regionCatalog';

/**
 * All Regions of the account's partition with their opt-in status (DescribeRegions AllRegions=true, one call).
 * Falls back to the built-in list when the call fails, and says so through `offline`.
 */
export async function listAccountRegions(
  factory: ClientFactory,
  homeRegion: string,
  signal?: AbortSignal,
): Promise<{ regions: RegionInfo[]; offline: boolean; error?: unknown }> {
  try {
    const ec2 = factory.client(EC2Client, homeRegion);
    const out = await ec2.send(new DescribeRegionsCommand({ AllRegions: true }), { abortSignal: signal });
    const regions = (out.Regions ?? [])
      .filter((r) => r.RegionName)
      .map((r) => ({ name: r.RegionName as string, optInStatus: r.OptInStatus ?? 'opt-in-not-required' }))
      .sort((a, b) => a.name.localeCompare(b.name));
    return { regions, offline: false };
  } catch (error) {
    return { regions: [...BUILT_IN_REGIONS], offline: true, error };
  }
}
