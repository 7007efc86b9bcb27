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
  /** Skip the tag lookup (no bastion is listed unless `bastionHost` names one). */
  readonly skipBastions?: boolean;
  /**
   * A bastion host name from settings (`opsdeck.devHosts.bastionHost`, `--bastion-host`): no tag lookup is made,
   * and every Region lists this host as its bastion (`fromSetting`), so the view and `opsdeck hosts` show it.
   */
  readonly bastionHost?: string;
  /** Look up AMI names for the macOS version (one DescribeImages per Region, best effort). Default true. */
  readonly amiNames?: boolean;
  readonly signal?: AbortSignal;
  readonly concurrency?: number;
}

/** Mac instance types from the SDK's InstanceType enum (matching ^mac): for reference only, discovery does not filter on it. */
export function macTypes(): string[] {
  return macInstanceTypes(Object.values(_InstanceType) as string[]);
}

/**
 * DescribeHosts `instance-type` filter value: an EC2 wildcard, so a Mac type newer than the installed SDK is
 * still found (the SDK's enum lags new launches). Each host is checked again client-side (`isMacType`).
 */
export const MAC_HOST_TYPE_FILTER = 'mac*';

/** The bastion a setting names, as listed under every Region (no instance behind it that OpsDeck knows of). */
export function configuredBastion(hostName: string, region: string): Bastion {
  return { instanceId: '', region, name: hostName, state: 'configured', fromSetting: true };
}

/** Discovers Mac hosts, their instances and bastions in every Region, Regions in parallel; a failed Region becomes an error entry. */
export async function discoverDevHosts(factory: ClientFactory, options: DiscoveryOptions): Promise<Inventory> {
  const regions = await mapWithConcurrency(options.regions, options.concurrency ?? 8, async (region) => {
    try {
      const r = await discoverRegion(factory, region, options);
      return options.bastionHost ? { ...r, bastions: [...r.bastions, configuredBastion(options.bastionHost, region)] } : r;
    } catch (err) {
      throwIfAborted(options.signal);
      const e = toActionableError(err, { region, action: 'ec2:DescribeHosts' });
      return { region, hosts: [], instances: [], bastions: [], error: e.message } satisfies RegionInventory;
    }
  });
  return { regions };
}

/**
 * One Region: DescribeHosts (instance-type `mac*`, every page) while the bastion lookup runs in parallel; then
 * the instances on those hosts with one `instance-type` filter naming the types the hosts report (only Mac
 * instances run on a Mac host), 1,000 per page, kept only when a listed host reports them (or, where an
 * emulator reports no `Instances`, sits on one by Placement.HostId); then AMI names. Typically 4 calls per
 * Region, and 1,000 Mac instances still take one DescribeInstances page where `instance-id` batches would take
 * five. No step depends on the SDK's list of instance types.
 */
export async function discoverRegion(factory: ClientFactory, region: string, options: Omit<DiscoveryOptions, 'regions'>): Promise<RegionInventory> {
  const ec2 = factory.client(EC2Client, region);
  const signal = options.signal;
  const [rawHosts, bastions] = await Promise.all([
    describeMacHosts(ec2, signal),
    options.skipBastions || options.bastionHost ? Promise.resolve([]) : findBastions(ec2, region, options.bastionTag ?? { key: 'Role', value: 'bastion' }, signal),
  ]);
  const hosts = rawHosts.filter((h) => h.State !== 'released' && h.State !== 'released-permanent-failure');
  const rawInstances = await instancesOnHosts(ec2, hosts, signal);
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

/**
 * The instances on `hosts`. Real EC2 lists each host's instance ids in `Instances` (empty or not); emulators
 * (moto 5.2) leave it out, and then an instance belongs to a host by its Placement.HostId. Either way one
 * `instance-type` query finds them: the Mac types the hosts report (a host set up for a family: the wildcard
 * `<family>.*`, never the SDK's list). A reported id the query did not return (gone or retyped meanwhile) is fetched by
 * `instance-id` (a filter, unlike InstanceIds, tolerates an id that vanished meanwhile), so none is missed;
 * a Mac instance no listed host claims (terminated, on a released or unlisted host) is left out.
 */
export async function instancesOnHosts(ec2: EC2Client, hosts: readonly Host[], signal?: AbortSignal): Promise<Instance[]> {
  const reportedIds = new Set(hosts.flatMap((h) => (h.Instances ?? []).map((i) => i.InstanceId).filter((x): x is string => !!x)));
  const unreported = new Set(hosts.filter((h) => h.Instances === undefined && h.HostId).map((h) => h.HostId as string));
  if (reportedIds.size === 0 && unreported.size === 0) return [];
  const typeValues = new Set<string>();
  for (const h of hosts) {
    const t = h.HostProperties?.InstanceType;
    if (isMacType(t)) typeValues.add(t as string);
    for (const i of h.Instances ?? []) if (isMacType(i.InstanceType)) typeValues.add(i.InstanceType as string);
    const family = h.HostProperties?.InstanceFamily;
    if (!t && isMacType(family)) typeValues.add(`${family}.*`);
  }
  const out: Instance[] = [];
  const found = new Set<string>();
  const values = [...typeValues].sort();
  for (let i = 0; i < values.length; i += FILTER_VALUES_MAX) {
    throwIfAborted(signal);
    for (const inst of await describeInstances(ec2, [{ Name: 'instance-type', Values: values.slice(i, i + FILTER_VALUES_MAX) }], signal)) {
      const id = inst.InstanceId ?? '';
      const onListedHost = reportedIds.has(id) || unreported.has(inst.Placement?.HostId ?? '');
      if (!onListedHost || found.has(id)) continue;
      found.add(id);
      out.push(inst);
    }
  }
  const missing = [...reportedIds].filter((id) => !found.has(id));
  for (let i = 0; i < missing.length; i += FILTER_VALUES_MAX) {
    throwIfAborted(signal);
    for (const inst of await describeInstances(ec2, [{ Name: 'instance-id', Values: missing.slice(i, i + FILTER_VALUES_MAX) }], signal)) {
      if (inst.InstanceId && !found.has(inst.InstanceId)) {
        found.add(inst.InstanceId);
        out.push(inst);
      }
    }
  }
  return out;
}

/**
 * One host as EC2 sees it now, for Release to check the rules against fresh state rather than the last
 * discovery: one DescribeHosts by id, then (only when the host lists instances, or an emulator does not say)
 * the instances on it. `host` is undefined when EC2 no longer knows the host.
 */
export async function describeHostNow(factory: ClientFactory, region: string, hostId: string, signal?: AbortSignal): Promise<{ host?: DevHost; instances: DevInstance[] }> {
  const ec2 = factory.client(EC2Client, region);
  let raw: Host | undefined;
  try {
    raw = (await ec2.send(new DescribeHostsCommand({ HostIds: [hostId] }), { abortSignal: signal })).Hosts?.find((h) => h.HostId === hostId);
  } catch (err) {
    if ((err as { name?: string }).name === 'InvalidHostID.NotFound') return { instances: [] };
    throw err;
  }
  if (!raw) return { instances: [] };
  const instances = (await instancesOnHosts(ec2, [raw], signal)).map((i) => toDevInstance(i, region, hostId, new Map()));
  return { host: toDevHost(raw, region, instances), instances };
}

async function describeMacHosts(ec2: EC2Client, signal?: AbortSignal): Promise<Host[]> {
  const out: Host[] = [];
  const seen = new Set<string>();
  const tokens = new PageTokens();
  let token: string | undefined;
  do {
    const page = await ec2.send(new DescribeHostsCommand({ Filter: [{ Name: 'instance-type', Values: [MAC_HOST_TYPE_FILTER] }], MaxResults: HOSTS_PAGE, NextToken: token }), { abortSignal: signal });
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
