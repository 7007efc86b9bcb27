import { EC2Client, ReleaseHostsCommand } from '@aws-sdk/client-ec2';
import type { ClientFactory } from '../../aws/clientFactory';

export interface ReleaseOutcome {
  readonly hostId: string;
  readonly released: boolean;
  readonly error?: string;
}

/** ReleaseHosts for one host; reads `Unsuccessful` (the call itself succeeds when EC2 refuses a host). */
export async function releaseHost(factory: ClientFactory, region: string, hostId: string, signal?: AbortSignal): Promise<ReleaseOutcome> {
  const out = await factory.client(EC2Client, region).send(new ReleaseHostsCommand({ HostIds: [hostId] }), { abortSignal: signal });
  const failed = (out.Unsuccessful ?? []).find((u) => u.ResourceId === hostId);
  if (failed) return { hostId, released: false, error: `${failed.Error?.Code ?? 'Error'}: ${failed.Error?.Message ?? 'EC2 refused to release the host'}` };
  return { hostId, released: (out.Successful ?? []).includes(hostId) };
}
