import {
  DescribeHostsCommand, DescribeImagesCommand, DescribeInstancesCommand, EC2Client, _InstanceType,
  type Filter, type Host, type Instance,
} from '@aws-sdk/client-ec2';
import type { ClientFactory } from '../../aws/clientFactory';
import { mapWithConcurrency, throwIfAborted } from '../../aws/cancellation';
import { toActionableError } from '../../aws/errors';
import { PageTokens } from '../../aws/paginationGuard';
import { macInstanceTypes, macosVersionFromAmiName, tagsToRecord, isMacType, parsePort, SSH_PORT_TAG, type Bastion, type DevHost, type DevInstance, type Inventory, type RegionInventory } from '../core/model';

/** EC2 accepts at most 200 values per filter; DescribeInstances pages hold up to 1000 instances. */
export const FILTER_VALUES_MAX = 200;
const INSTANCES_PAGE = 1000;
const HOSTS_PAGE = 500;
const LIVE_STATES = ['pending', 'running', 'stopping', 'stopped'];

export interface DiscoveryOptions {
  readonly regions: readonly string[];
  /** Tag that marks bastions, default Role=bastion. Ignored when `skipBastions`. */
  readonly bastionTag?: { readonly key: string; readonly value: string };
  /** A bastion host name is configured in settings: no tag lookup needed. */
  readonly skipBastions?: boolean;
  /** Look up AMI names for the macOS version (one DescribeImages per Region, best effort). Default true. */
  readonly amiNames?: boolean;
  readonly signal?: AbortSignal;
  readonly concurrency?: number;
}

/** Mac instance types from the SDK's InstanceType enum (matching ^mac), so new Mac types arrive with the SDK. */
export function macTypes(): string[] {
  return macInstanceTypes(Object.values(_InstanceType) as string[]);
}

/** Discovers Mac hosts, their instances and bastions in every Region, Regions in parallel; a failed Region becomes an error entry. */
export async function discoverDevHosts(factory: ClientFactory, options: DiscoveryOptions): Promise<Inventory> {
  const regions = await mapWithConcurrency(options.regions, options.concurrency ?? 8, async (region) => {
    try {
      return await discoverRegion(factory, region, options);
    } catch (err) {
      throwIfAborted(options.signal);
      const e = toActionableError(err, { region, action: 'ec2:DescribeHosts' });
      return { region, hosts: [], instances: [], bastions: [], error: e.message } satisfies RegionInventory;
    }
  });
  return { regions };
}

/**
 * One Region: DescribeHosts (Mac types, every page) while the bastion lookup runs in parallel; then the
 * instances on those hosts by `instance-id` filter in batches of 200 (a filter, unlike InstanceIds, tolerates
 * ids that vanished meanwhile and allows 1000 per page); then AMI names. Typically 4 calls per Region.
 */
export async function discoverRegion(factory: ClientFactory, region: string, options: Omit<DiscoveryOptions, 'regions'>): Promise<RegionInventory> {
  const ec2 = factory.client(EC2Client, region);
  const signal = options.signal;
  const types = macTypes();
  const [rawHosts, bastions] = await Promise.all([
    describeMacHosts(ec2, types, signal),
    options.skipBastions ? Promise.resolve([]) : findBastions(ec2, region, options.bastionTag ?? { key: 'Role', value: 'bastion' }, signal),
  ]);
  const hosts = rawHosts.filter((h) => h.State !== 'released' && h.State !== 'released-permanent-failure');

  let rawInstances: Instance[];
  if (hosts.some((h) => h.Instances === undefined)) {
    // Emulators (moto 5.2) do not report `Instances` on a host at all (real EC2 always sends the list, empty
    // or not). Then ask for the Mac-type instances of the Region and link them by Placement.HostId: still one page.
    const hostTypes = [...new Set(hosts.map((h) => h.HostProperties?.InstanceType).filter(isMacType))] as string[];
    rawInstances = hostTypes.length ? await describeInstances(ec2, [{ Name: 'instance-type', Values: hostTypes }], signal) : [];
    rawInstances = rawInstances.filter((i) => hosts.some((h) => h.HostId === i.Placement?.HostId));
  } else {
    const ids = [...new Set(hosts.flatMap((h) => (h.Instances ?? []).map((i) => i.InstanceId).filter((x): x is string => !!x)))];
    rawInstances = [];
    for (let i = 0; i < ids.length; i += FILTER_VALUES_MAX) {
      throwIfAborted(signal);
      rawInstances.push(...(await describeInstances(ec2, [{ Name: 'instance-id', Values: ids.slice(i, i + FILTER_VALUES_MAX) }], signal)));
    }
  }

  const hostOf = new Map<string, string>();
  for (const h of hosts) for (const i of h.Instances ?? []) if (i.InstanceId && h.HostId) hostOf.set(i.InstanceId, h.HostId);
  let amiNames = new Map<string, string>();
  if (options.amiNames !== false) amiNames = await describeAmiNames(ec2, rawInstances.map((i) => i.ImageId).filter((x): x is string => !!x), signal);

  const instances = rawInstances.map((i) => toDevInstance(i, region, hostOf.get(i.InstanceId ?? '') ?? i.Placement?.HostId, amiNames));
  return {
    region,
    hosts: hosts.map((h) => toDevHost(h, region, instances)),
    instances,
    bastions: bastions.map((b) => toBastion(b, region)),
  };
}

async function describeMacHosts(ec2: EC2Client, types: string[], signal?: AbortSignal): Promise<Host[]> {
  const out: Host[] = [];
  const seen = new Set<string>();
  const tokens = new PageTokens();
  let token: string | undefined;
  do {
    const page = await ec2.send(new DescribeHostsCommand({ Filter: [{ Name: 'instance-type', Values: types }], MaxResults: HOSTS_PAGE, NextToken: token }), { abortSignal: signal });
    // Hosts configured for a family rather than a type report it in HostProperties; keep only Mac ones.
    for (const h of page.Hosts ?? []) {
      if (!isMacType(h.HostProperties?.InstanceType ?? h.HostProperties?.InstanceFamily)) continue;
      // Pages are not a snapshot: a host can show up on two of them. List it once.
      if (h.HostId) {
        if (seen.has(h.HostId)) continue;
        seen.add(h.HostId);
      }
      out.push(h);
    }
    token = tokens.next('DescribeHosts', page.NextToken);
  } while (token);
  return out;
}

async function describeInstances(ec2: EC2Client, filters: Filter[], signal?: AbortSignal): Promise<Instance[]> {
  const out: Instance[] = [];
  const seen = new Set<string>();
  const tokens = new PageTokens();
  let token: string | undefined;
  do {
    const page = await ec2.send(new DescribeInstancesCommand({ Filters: filters, MaxResults: INSTANCES_PAGE, NextToken: token }), { abortSignal: signal });
    for (const r of page.Reservations ?? []) {
      for (const i of r.Instances ?? []) {
        // An instance can appear on two pages when the listing changes between them: keep the first.
        if (i.InstanceId) {
          if (seen.has(i.InstanceId)) continue;
          seen.add(i.InstanceId);
        }
        out.push(i);
      }
    }
    token = tokens.next('DescribeInstances', page.NextToken);
  } while (token);
  return out;
}

async function findBastions(ec2: EC2Client, region: string, tag: { key: string; value: string }, signal?: AbortSignal): Promise<Instance[]> {
  return describeInstances(ec2, [{ Name: `tag:${tag.key}`, Values: [tag.value] }, { Name: 'instance-state-name', Values: LIVE_STATES }], signal);
}

/** AMI names tell the macOS version. Best effort: a failure here must not hide the hosts. */
async function describeAmiNames(ec2: EC2Client, imageIds: string[], signal?: AbortSignal): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const unique = [...new Set(imageIds)];
  try {
    for (let i = 0; i < unique.length; i += FILTER_VALUES_MAX) {
      const out = await ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'image-id', Values: unique.slice(i, i + FILTER_VALUES_MAX) }] }), { abortSignal: signal });
      for (const img of out.Images ?? []) if (img.ImageId && img.Name) names.set(img.ImageId, img.Name);
    }
  } catch (err) {
    throwIfAborted(signal);
    void err; // deregistered or private AMIs: the version just stays unknown
  }
  return names;
}

function iso(d: Date | string | undefined): string | undefined {
  if (!d) return undefined;
  const t = d instanceof Date ? d : new Date(d);
  return Number.isNaN(t.getTime()) ? undefined : t.toISOString();
}

function toDevInstance(i: Instance, region: string, hostId: string | undefined, amiNames: Map<string, string>): DevInstance {
  const tags = tagsToRecord(i.Tags);
  return {
    instanceId: i.InstanceId ?? '',
    region,
    hostId,
    instanceType: i.InstanceType,
    state: i.State?.Name ?? 'unknown',
    name: tags.Name,
    privateIp: i.PrivateIpAddress,
    publicIp: i.PublicIpAddress,
    publicDns: i.PublicDnsName || undefined,
    vpcId: i.VpcId,
    imageId: i.ImageId,
    macosVersion: macosVersionFromAmiName(amiNames.get(i.ImageId ?? '')),
    launchTime: iso(i.LaunchTime),
    sshPort: parsePort(tags[SSH_PORT_TAG]),
    tags,
  };
}

function toDevHost(h: Host, region: string, instances: DevInstance[]): DevHost {
  const tags = tagsToRecord(h.Tags);
  const reported = (h.Instances ?? []).map((i) => i.InstanceId).filter((x): x is string => !!x);
  const linked = instances.filter((i) => i.hostId === h.HostId).map((i) => i.instanceId);
  return {
    hostId: h.HostId ?? '',
    region,
    availabilityZone: h.AvailabilityZone,
    instanceType: h.HostProperties?.InstanceType,
    instanceFamily: h.HostProperties?.InstanceFamily,
    state: h.State ?? 'unknown',
    allocationTime: iso(h.AllocationTime),
    releaseTime: iso(h.ReleaseTime),
    name: tags.Name,
    tags,
    instanceIds: [...new Set([...reported, ...linked])],
  };
}

function toBastion(i: Instance, region: string): Bastion {
  const tags = tagsToRecord(i.Tags);
  return {
    instanceId: i.InstanceId ?? '',
    region,
    name: tags.Name,
    state: i.State?.Name ?? 'unknown',
    vpcId: i.VpcId,
    publicIp: i.PublicIpAddress,
    publicDns: i.PublicDnsName || undefined,
    privateIp: i.PrivateIpAddress,
    sshPort: parsePort(tags[SSH_PORT_TAG]),
  };
}
