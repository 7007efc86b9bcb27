import type { OverlayHandler } from '../lib/overlay.mjs';
export interface OutpostsOverlayState {
  outposts?: Array<Record<string, unknown> & { OutpostId: string; OutpostArn: string }>;
  instanceTypes?: Record<string, Array<{ InstanceType: string; VCPUs?: number }>>;
  assets?: Record<string, unknown[]>;
  assetInstances?: Record<string, Array<{ InstanceId: string; InstanceType: string; AssetId?: string; AccountId?: string; AwsServiceName?: string }>>;
  subnets?: Record<string, string>;
}
export function outpostsHandler(state: OutpostsOverlayState): OverlayHandler;
export function articleOutpostState(options?: { region?: string; accountId?: string; subnetIds?: string[] }): Required<OutpostsOverlayState>;
