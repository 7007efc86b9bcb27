import type { FleetFacts, FleetOverride, FleetRequest, LaunchTemplateFacts, OutpostFacts } from './types';

/**
 * Every override of a fleet with where it sits in the file and what it resolves to: its launch template, the
 * subnet instances would land in (override first, then the template's network interface) and the Outpost that
 * subnet belongs to (DescribeSubnets OutpostArn). An override-less config counts as one override.
 */
export interface ResolvedOverride {
  readonly configIndex: number;
  /** Undefined when the config has no Overrides (the template's own type is used). */
  readonly overrideIndex?: number;
  readonly override: FleetOverride;
  readonly path: readonly (string | number)[];
  readonly instanceType?: string;
  readonly launchTemplate?: LaunchTemplateFacts | null;
  readonly subnetId?: string;
  readonly outpost?: OutpostFacts;
}

export function launchTemplateKey(spec: { LaunchTemplateId?: string; LaunchTemplateName?: string } | undefined): string | undefined {
  if (!spec) return undefined;
  if (typeof spec.LaunchTemplateId === 'string' && spec.LaunchTemplateId) return spec.LaunchTemplateId;
  if (typeof spec.LaunchTemplateName === 'string' && spec.LaunchTemplateName) return `name:${spec.LaunchTemplateName}`;
  return undefined;
}

export function resolveOverrides(request: FleetRequest, facts: FleetFacts): ResolvedOverride[] {
  const out: ResolvedOverride[] = [];
  const configs = Array.isArray(request.LaunchTemplateConfigs) ? request.LaunchTemplateConfigs : [];
  configs.forEach((config, configIndex) => {
    if (!config || typeof config !== 'object') return;
    const key = launchTemplateKey(config.LaunchTemplateSpecification);
    const lt = key ? facts.launchTemplates?.get(key) : undefined;
    const overrides = Array.isArray(config.Overrides) && config.Overrides.length ? config.Overrides : undefined;
    const list: (FleetOverride | undefined)[] = overrides ?? [undefined];
    list.forEach((ov, overrideIndex) => {
      const override: FleetOverride = ov && typeof ov === 'object' ? ov : {};
      const instanceType = typeof override.InstanceType === 'string' ? override.InstanceType : lt?.instanceType;
      const subnetId = typeof override.SubnetId === 'string' ? override.SubnetId : lt?.subnetId;
      const subnet = subnetId ? facts.subnets?.get(subnetId) : undefined;
      const outpost = subnet?.outpostArn ? facts.outposts?.get(subnet.outpostArn) : undefined;
      out.push({
        configIndex,
        overrideIndex: overrides ? overrideIndex : undefined,
        override,
        path: overrides ? ['LaunchTemplateConfigs', configIndex, 'Overrides', overrideIndex] : ['LaunchTemplateConfigs', configIndex],
        instanceType,
        launchTemplate: lt,
        subnetId,
        outpost,
      });
    });
  });
  return out;
}

/** What the fleet file refers to, so the editor's cache can fetch exactly that (and nothing per keystroke). */
export interface FleetReferences {
  readonly launchTemplateIds: string[];
  readonly launchTemplateNames: string[];
  readonly versions: Record<string, string | undefined>;
  readonly subnetIds: string[];
  readonly instanceTypes: string[];
}

export function fleetReferences(request: FleetRequest | undefined): FleetReferences {
  const ids = new Set<string>();
  const names = new Set<string>();
  const subnets = new Set<string>();
  const types = new Set<string>();
  const versions: Record<string, string | undefined> = {};
  for (const config of Array.isArray(request?.LaunchTemplateConfigs) ? request.LaunchTemplateConfigs : []) {
    const spec = config?.LaunchTemplateSpecification;
    if (typeof spec?.LaunchTemplateId === 'string' && spec.LaunchTemplateId) ids.add(spec.LaunchTemplateId);
    else if (typeof spec?.LaunchTemplateName === 'string' && spec.LaunchTemplateName) names.add(spec.LaunchTemplateName);
    const key = launchTemplateKey(spec);
    if (key) versions[key] = typeof spec?.Version === 'string' ? spec.Version : undefined;
    for (const o of Array.isArray(config?.Overrides) ? config.Overrides : []) {
      if (typeof o?.SubnetId === 'string') subnets.add(o.SubnetId);
      if (typeof o?.InstanceType === 'string') types.add(o.InstanceType);
    }
  }
  return { launchTemplateIds: [...ids].sort(), launchTemplateNames: [...names].sort(), versions, subnetIds: [...subnets].sort(), instanceTypes: [...types].sort() };
}

/** EC2 Fleet cannot launch Mac instances (they need a Dedicated Host, allocated on its own). */
export function refusedByFleet(instanceType: string): string | undefined {
  if (/^mac/i.test(instanceType)) return `EC2 Fleet does not launch ${instanceType}: Mac instances run only on a Dedicated Host you allocate (use RunInstances with host placement).`;
  return undefined;
}
