import {
  DescribeInstanceTypesCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeSubnetsCommand,
  EC2Client,
  type LaunchTemplate,
} from '@aws-sdk/client-ec2';
import { GetOutpostInstanceTypesCommand, ListAssetInstancesCommand, ListAssetsCommand, ListOutpostsCommand, OutpostsClient } from '@aws-sdk/client-outposts';
import { mapWithConcurrency } from '../../aws/cancellation';
import type { ClientFactory } from '../../aws/clientFactory';
import { PageTokens } from '../../aws/paginationGuard';
import { launchTarget } from '../core/launchTemplateFile';
import type { FleetReferences } from '../core/overrides';
import type { FleetFacts, InstanceTypeFacts, LaunchTemplateFacts, OutpostFacts, SubnetFacts } from '../core/types';

/**
 * Everything the validator and planner need from AWS, fetched in as few calls as the APIs allow. The editor
 * calls these from a cache refreshed off the keystroke path; the CLI calls `loadFleetFacts` once per command.
 */
export interface CallOptions {
  readonly signal?: AbortSignal;
}

const code = (err: unknown): string => String((err as { name?: string; Code?: string })?.name ?? (err as { Code?: string })?.Code ?? '');
const NOT_FOUND = /NotFound|NotFoundException|InvalidLaunchTemplateId\.Malformed|InvalidLaunchTemplateName\.MalformedException/;

/**
 * Looks up the given instance types (DescribeInstanceTypes with an `instance-type` filter, so an unknown type is
 * simply absent instead of failing the call): known → vCPUs and memory, unknown → null. For each unknown type a
 * second, wildcard query finds the same size in the families that extend it (m6.2xlarge → m6i/m6a/m6g.2xlarge).
 */
export async function describeInstanceTypes(factory: ClientFactory, region: string, types: readonly string[], { signal }: CallOptions = {}): Promise<{ types: Map<string, InstanceTypeFacts | null>; suggestions: Map<string, string[]> }> {
  const ec2 = factory.client(EC2Client, region);
  const found = new Map<string, InstanceTypeFacts | null>(types.map((t) => [t, null]));
  const query = async (values: string[]): Promise<Map<string, InstanceTypeFacts>> => {
    const out = new Map<string, InstanceTypeFacts>();
    const pageTokens = new PageTokens();
    let NextToken: string | undefined;
    do {
      const page = await ec2.send(new DescribeInstanceTypesCommand({ Filters: [{ Name: 'instance-type', Values: values }], MaxResults: 100, NextToken }), { abortSignal: signal });
      for (const t of page.InstanceTypes ?? []) {
        if (t.InstanceType) out.set(t.InstanceType, { vcpus: t.VCpuInfo?.DefaultVCpus ?? 0, memoryMiB: t.MemoryInfo?.SizeInMiB ?? 0 });
      }
      NextToken = pageTokens.next('DescribeInstanceTypes', page.NextToken);
    } while (NextToken);
    return out;
  };
  for (let i = 0; i < types.length; i += 100) {
    for (const [t, f] of await query(types.slice(i, i + 100))) found.set(t, f);
  }
  const suggestions = new Map<string, string[]>();
  const unknown = [...found].filter(([t, f]) => f === null && /^[a-z0-9-]+\.[a-z0-9-]+$/.test(t)).map(([t]) => t);
  if (unknown.length) {
    const patterns = unknown.map((t) => { const [family, size] = t.split('.'); return `${family}*.${size}`; });
    const similar = await query(patterns.slice(0, 100));
    for (const t of unknown) {
      const [family, size] = t.split('.');
      suggestions.set(t, [...similar.keys()].filter((k) => k.startsWith(family) && k.endsWith(`.${size}`)).sort());
    }
  }
  return { types: found, suggestions };
}

/**
 * Launch templates by id and by name (keys as `launchTemplateKey` makes them: the id, or `name:<name>`), with
 * the subnet/AZ/type of the version the fleet uses. A template that does not exist maps to null.
 */
export async function lookupLaunchTemplates(factory: ClientFactory, region: string, refs: Pick<FleetReferences, 'launchTemplateIds' | 'launchTemplateNames' | 'versions'>, { signal }: CallOptions = {}): Promise<Map<string, LaunchTemplateFacts | null>> {
  const ec2 = factory.client(EC2Client, region);
  const out = new Map<string, LaunchTemplateFacts | null>();
  // One call per reference: DescribeLaunchTemplates fails as a whole when one id of a list is missing.
  const lookups = [...refs.launchTemplateIds.map((id) => ({ key: id, input: { LaunchTemplateIds: [id] } })), ...refs.launchTemplateNames.map((n) => ({ key: `name:${n}`, input: { LaunchTemplateNames: [n] } }))];
  await mapWithConcurrency(lookups, 4, async ({ key, input }) => {
    let lt: LaunchTemplate | undefined;
    try {
      lt = (await ec2.send(new DescribeLaunchTemplatesCommand(input), { abortSignal: signal })).LaunchTemplates?.[0];
    } catch (err) {
      if (NOT_FOUND.test(code(err))) {
        out.set(key, null);
        return;
      }
      throw err;
    }
    if (!lt?.LaunchTemplateId) {
      out.set(key, null);
      return;
    }
    const wanted = refs.versions[key] ?? '$Default';
    let data: Record<string, unknown> | undefined;
    let versions: number[] | undefined;
    try {
      const v = await ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: lt.LaunchTemplateId, Versions: [wanted] }), { abortSignal: signal });
      data = v.LaunchTemplateVersions?.[0]?.LaunchTemplateData as Record<string, unknown> | undefined;
      const n = v.LaunchTemplateVersions?.[0]?.VersionNumber;
      if (n !== undefined) versions = [n, lt.DefaultVersionNumber ?? 1, lt.LatestVersionNumber ?? 1];
    } catch (err) {
      if (!NOT_FOUND.test(code(err)) && !/InvalidLaunchTemplate|Version/.test(code(err))) throw err;
      versions = [lt.DefaultVersionNumber ?? 1, lt.LatestVersionNumber ?? 1];
    }
    out.set(key, {
      id: lt.LaunchTemplateId,
      name: lt.LaunchTemplateName ?? '',
      defaultVersion: lt.DefaultVersionNumber ?? 1,
      latestVersion: lt.LatestVersionNumber ?? 1,
      versions,
      ...launchTarget(data),
    });
  });
  return out;
}

/** Subnets with their Outpost (DescribeSubnets OutpostArn); a filter, so a missing id maps to null instead of failing the call. */
export async function lookupSubnets(factory: ClientFactory, region: string, subnetIds: readonly string[], { signal }: CallOptions = {}): Promise<Map<string, SubnetFacts | null>> {
  const out = new Map<string, SubnetFacts | null>(subnetIds.map((s) => [s, null]));
  if (!subnetIds.length) return out;
  const ec2 = factory.client(EC2Client, region);
  const pageTokens = new PageTokens();
  let NextToken: string | undefined;
  do {
    const page = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'subnet-id', Values: [...subnetIds] }], NextToken }), { abortSignal: signal });
    for (const s of page.Subnets ?? []) {
      if (s.SubnetId) out.set(s.SubnetId, { subnetId: s.SubnetId, availabilityZone: s.AvailabilityZone, outpostArn: s.OutpostArn || undefined });
    }
    NextToken = pageTokens.next('DescribeSubnets', page.NextToken);
  } while (NextToken);
  return out;
}

export interface OutpostListOptions extends CallOptions {
  /** Also GetOutpostInstanceTypes per Outpost (default true). */
  readonly withTypes?: boolean;
  /** Also ListAssets + ListAssetInstances for free capacity (default true; AccessDenied leaves it unknown). */
  readonly withCapacity?: boolean;
}

/** The Region's Outposts (ListOutposts) with their configured instance types and, where readable, free capacity. */
export async function listOutposts(factory: ClientFactory, region: string, options: OutpostListOptions = {}): Promise<OutpostFacts[]> {
  const { signal } = options;
  const client = factory.client(OutpostsClient, region);
  const outposts: OutpostFacts[] = [];
  const pageTokens = new PageTokens();
  let NextToken: string | undefined;
  do {
    const page = await client.send(new ListOutpostsCommand({ MaxResults: 100, NextToken }), { abortSignal: signal });
    for (const o of page.Outposts ?? []) {
      if (o.OutpostId && o.OutpostArn) outposts.push({ outpostId: o.OutpostId, outpostArn: o.OutpostArn, name: o.Name, availabilityZone: o.AvailabilityZone, lifeCycleStatus: o.LifeCycleStatus });
    }
    NextToken = pageTokens.next('ListOutposts', page.NextToken);
  } while (NextToken);
  return mapWithConcurrency(outposts, 4, async (o) => {
    const configuredTypes = options.withTypes === false ? undefined : await outpostInstanceTypes(client, o.outpostId, signal);
    const capacity = options.withCapacity === false ? undefined : await outpostCapacity(client, o.outpostId, signal);
    return { ...o, configuredTypes, ...capacity };
  });
}

async function outpostInstanceTypes(client: OutpostsClient, outpostId: string, signal?: AbortSignal): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const pageTokens = new PageTokens();
  let NextToken: string | undefined;
  do {
    const page = await client.send(new GetOutpostInstanceTypesCommand({ OutpostId: outpostId, MaxResults: 100, NextToken }), { abortSignal: signal });
    for (const t of page.InstanceTypes ?? []) if (t.InstanceType) out.set(t.InstanceType, t.VCPUs ?? 0);
    NextToken = pageTokens.next('GetOutpostInstanceTypes', page.NextToken);
  } while (NextToken);
  return out;
}

/**
 * Slots per type from the Outpost's compute assets, minus the instances running on them. Only the Outpost
 * owner may call ListAssets: for a shared Outpost it is denied and capacity stays unknown (the plan says so).
 */
async function outpostCapacity(client: OutpostsClient, outpostId: string, signal?: AbortSignal): Promise<{ capacity?: Map<string, number>; available?: Map<string, number> }> {
  try {
    const capacity = new Map<string, number>();
    const pageTokens = new PageTokens();
    let NextToken: string | undefined;
    do {
      const page = await client.send(new ListAssetsCommand({ OutpostIdentifier: outpostId, MaxResults: 100, NextToken }), { abortSignal: signal });
      for (const a of page.Assets ?? []) {
        if (a.ComputeAttributes?.State && a.ComputeAttributes.State !== 'ACTIVE') continue;
        for (const c of a.ComputeAttributes?.InstanceTypeCapacities ?? []) {
          if (c.InstanceType) capacity.set(c.InstanceType, (capacity.get(c.InstanceType) ?? 0) + (c.Count ?? 0));
        }
      }
      NextToken = pageTokens.next('ListAssets', page.NextToken);
    } while (NextToken);
    const running = new Map<string, number>();
    const instancesTokens = new PageTokens();
    let instancesToken: string | undefined;
    do {
      const page = await client.send(new ListAssetInstancesCommand({ OutpostIdentifier: outpostId, MaxResults: 100, NextToken: instancesToken }), { abortSignal: signal });
      for (const i of page.AssetInstances ?? []) if (i.InstanceType) running.set(i.InstanceType, (running.get(i.InstanceType) ?? 0) + 1);
      instancesToken = instancesTokens.next('ListAssetInstances', page.NextToken);
    } while (instancesToken);
    const available = new Map([...capacity].map(([t, n]) => [t, Math.max(0, n - (running.get(t) ?? 0))]));
    return { capacity, available };
  } catch (err) {
    if (/AccessDenied|NotFound|ValidationException/.test(code(err))) return {};
    throw err;
  }
}

/** All facts for one fleet file (the CLI's path; the editor assembles the same from its caches). */
export async function loadFleetFacts(factory: ClientFactory, region: string, refs: FleetReferences, options: CallOptions & { outposts?: boolean } = {}): Promise<FleetFacts> {
  const launchTemplates = await lookupLaunchTemplates(factory, region, refs, options);
  const types = new Set(refs.instanceTypes);
  for (const lt of launchTemplates.values()) if (lt?.instanceType) types.add(lt.instanceType);
  const [{ types: instanceTypes, suggestions: instanceTypeSuggestions }] = await Promise.all([describeInstanceTypes(factory, region, [...types].sort(), options)]);
  const subnetIds = new Set(refs.subnetIds);
  for (const lt of launchTemplates.values()) if (lt?.subnetId) subnetIds.add(lt.subnetId);
  const subnets = await lookupSubnets(factory, region, [...subnetIds].sort(), options);
  const onOutpost = [...subnets.values()].some((s) => s?.outpostArn);
  const outposts = onOutpost && options.outposts !== false ? await listOutposts(factory, region, options) : [];
  return { region, instanceTypes, instanceTypeSuggestions, launchTemplates, subnets, outposts: new Map(outposts.map((o) => [o.outpostArn, o])) };
}
