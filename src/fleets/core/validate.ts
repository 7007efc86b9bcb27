import { nodeAt, openingOf, parseJsonDocument, rangeOf, keyRangeOf, type JsonPath, type ParsedJson } from './document';
import { launchTemplateKey, refusedByFleet, resolveOverrides, type ResolvedOverride } from './overrides';
import { planFleet } from './plan';
import { checkFleetStructure, suggest } from './structure';
import type { FleetDiagnostic, FleetFacts, FleetRequest } from './types';

/**
 * The fleet file validator: pure, synchronous, fed with whatever facts the caller has cached. Every rule
 * reports the exact JSON range it is about. Rules that need AWS facts (instance types, launch templates,
 * Outposts) stay silent until the facts are there, so typing never waits on (or calls) AWS.
 */
export interface ValidateOptions {
  /** Structural checks (unknown keys, types, enums). The editor turns them off: the JSON schema reports those. */
  readonly structural?: boolean;
}

export interface FleetValidation {
  readonly doc: ParsedJson;
  readonly request?: FleetRequest;
  readonly diagnostics: FleetDiagnostic[];
}

export const MAX_TARGET_CAPACITY = 10_000;
export const MAX_MIN_TARGET_CAPACITY = 1_000;
const VERSION = /^(\d+|\$Latest|\$Default)$/;

export function validateFleet(text: string, facts: FleetFacts = {}, options: ValidateOptions = {}): FleetValidation {
  const doc = parseJsonDocument(text);
  const out = [...doc.diagnostics];
  if (!doc.root || doc.root.type !== 'object') {
    // Always, even for the editor: with no object there is nothing else to check, and the JSON schema's own
    // "expected object" does not reach every editor (an extension-host test found none), so say it here.
    out.push(...checkFleetStructure(doc));
    return { doc, diagnostics: sortDiagnostics(out) };
  }
  const request = doc.value as FleetRequest;
  if (options.structural !== false) out.push(...checkFleetStructure(doc));
  const report = (code: string, severity: FleetDiagnostic['severity'], message: string, at: { offset: number; length: number }, related?: FleetDiagnostic['related']): void => {
    out.push({ code, severity, message, offset: at.offset, length: at.length, ...(related ? { related } : {}) });
  };

  checkTopLevel(doc, request, report);
  checkCapacity(doc, request, report);
  checkLaunchTemplates(doc, request, facts, report);
  const resolved = resolveOverrides(request, facts);
  checkOverrides(doc, request, resolved, facts, report);
  checkPlan(doc, request, facts, report);
  return { doc, request, diagnostics: sortDiagnostics(out) };
}

type Report = (code: string, severity: FleetDiagnostic['severity'], message: string, at: { offset: number; length: number }, related?: FleetDiagnostic['related']) => void;

function checkTopLevel(doc: ParsedJson, r: FleetRequest, report: Report): void {
  if (r.Type === undefined) {
    report('type-default-maintain', 'warning', 'No "Type": CreateFleet makes a "maintain" fleet that keeps replacing instances. The Outposts pattern is "instant" (launch once, report what fit).', openingOf(doc, []));
  }
  if (typeof r.ClientToken === 'string' && r.ClientToken) {
    report('client-token-in-file', 'warning', 'A fixed ClientToken makes every later launch of this file return the first fleet (idempotency for up to 7 days). OpsDeck generates one per launch; remove it.', rangeOf(doc, ['ClientToken']));
  }
  if (r.DryRun === true) {
    report('dry-run-in-file', 'info', 'DryRun is true: the AWS CLI would only check permissions. OpsDeck sends DryRun itself (Dry run / Launch).', rangeOf(doc, ['DryRun']));
  }
}

function checkCapacity(doc: ParsedJson, r: FleetRequest, report: Report): void {
  const tcsNode = nodeAt(doc, ['TargetCapacitySpecification']);
  if (!tcsNode) {
    report('target-capacity-missing', 'error', 'TargetCapacitySpecification is required (at least TotalTargetCapacity).', openingOf(doc, []));
    return;
  }
  const tcs = r.TargetCapacitySpecification ?? {};
  const total = numberAt(tcs.TotalTargetCapacity);
  const onDemand = numberAt(tcs.OnDemandTargetCapacity);
  const spot = numberAt(tcs.SpotTargetCapacity);
  const P = ['TargetCapacitySpecification'];
  if (total === undefined) {
    if (tcsNode.type === 'object') report('target-capacity-missing', 'error', 'TotalTargetCapacity is required.', openingOf(doc, P));
  } else if (total <= 0) {
    report('capacity-not-positive', 'error', `TotalTargetCapacity must be at least 1 (it is ${total}).`, rangeOf(doc, [...P, 'TotalTargetCapacity']));
  } else if (total > MAX_TARGET_CAPACITY) {
    report('capacity-over-quota', 'error', `TotalTargetCapacity ${total} is over the per-fleet quota of ${MAX_TARGET_CAPACITY}.`, rangeOf(doc, [...P, 'TotalTargetCapacity']));
  }
  for (const [key, v] of [['OnDemandTargetCapacity', onDemand], ['SpotTargetCapacity', spot]] as const) {
    if (v !== undefined && v < 0) report('capacity-negative', 'error', `${key} cannot be negative.`, rangeOf(doc, [...P, key]));
  }
  if (total !== undefined && total > 0) {
    const sum = (onDemand ?? 0) + (spot ?? 0);
    if (sum > total) {
      const which = onDemand !== undefined && spot !== undefined ? 'OnDemandTargetCapacity + SpotTargetCapacity' : onDemand !== undefined ? 'OnDemandTargetCapacity' : 'SpotTargetCapacity';
      report('capacity-sum', 'error', `${which} = ${sum} is more than TotalTargetCapacity ${total}: the totals do not add up.`, rangeOf(doc, [...P, 'TotalTargetCapacity']),
        { ...rangeOf(doc, [...P, onDemand !== undefined ? 'OnDemandTargetCapacity' : 'SpotTargetCapacity']), message: 'part of the sum' });
    } else if (sum < total && tcs.DefaultTargetCapacityType === undefined) {
      report('capacity-default-missing', 'error', `OnDemandTargetCapacity + SpotTargetCapacity = ${sum} leaves ${total - sum} of TotalTargetCapacity ${total} without a type: set DefaultTargetCapacityType.`, rangeOf(doc, [...P, 'TotalTargetCapacity']));
    }
    if (tcs.DefaultTargetCapacityType === 'on-demand' && spot !== undefined && spot === total && total > 0) {
      report('capacity-default-unused', 'info', 'All capacity is Spot: DefaultTargetCapacityType "on-demand" has nothing left to apply to.', rangeOf(doc, [...P, 'DefaultTargetCapacityType']));
    }
  }

  for (const optionsKey of ['OnDemandOptions', 'SpotOptions'] as const) {
    const opts = r[optionsKey];
    if (!opts || typeof opts !== 'object') continue;
    const min = numberAt(opts.MinTargetCapacity);
    if (min === undefined) continue;
    const at = rangeOf(doc, [optionsKey, 'MinTargetCapacity']);
    if (r.Type !== 'instant') {
      report('min-target-not-instant', 'error', `MinTargetCapacity works only for "instant" fleets (Type is ${r.Type === undefined ? 'missing, so "maintain"' : `"${String(r.Type)}"`}).`, at);
    }
    if (opts.SingleInstanceType !== true && opts.SingleAvailabilityZone !== true) {
      report('min-target-needs-single', 'error', `MinTargetCapacity needs SingleInstanceType or SingleAvailabilityZone set to true in ${optionsKey}.`, at);
    }
    if (min > MAX_MIN_TARGET_CAPACITY) report('min-target-over-limit', 'error', `MinTargetCapacity can be at most ${MAX_MIN_TARGET_CAPACITY}.`, at);
    if (total !== undefined && min > total) report('min-target-exceeds-total', 'error', `MinTargetCapacity ${min} is more than TotalTargetCapacity ${total}: the launch can never succeed.`, at);
  }
}

function checkLaunchTemplates(doc: ParsedJson, r: FleetRequest, facts: FleetFacts, report: Report): void {
  const configsNode = nodeAt(doc, ['LaunchTemplateConfigs']);
  if (!configsNode || configsNode.type !== 'array' || !configsNode.children?.length) {
    report('launch-template-configs-missing', 'error', 'LaunchTemplateConfigs needs at least one launch template (created from a *.launch-template.json).', configsNode ? rangeOf(doc, ['LaunchTemplateConfigs']) : openingOf(doc, []));
    return;
  }
  (r.LaunchTemplateConfigs ?? []).forEach((config, i) => {
    const P: JsonPath = ['LaunchTemplateConfigs', i, 'LaunchTemplateSpecification'];
    const spec = config?.LaunchTemplateSpecification;
    if (!spec || typeof spec !== 'object') {
      report('launch-template-spec-missing', 'error', 'LaunchTemplateSpecification is required: give LaunchTemplateId or LaunchTemplateName, and Version.', openingOf(doc, ['LaunchTemplateConfigs', i]));
      return;
    }
    const hasId = typeof spec.LaunchTemplateId === 'string' && spec.LaunchTemplateId !== '';
    const hasName = typeof spec.LaunchTemplateName === 'string' && spec.LaunchTemplateName !== '';
    if (!hasId && !hasName) report('launch-template-spec-missing', 'error', 'Give LaunchTemplateId or LaunchTemplateName.', openingOf(doc, P));
    if (hasId && hasName) report('launch-template-id-and-name', 'error', 'Give LaunchTemplateId or LaunchTemplateName, not both.', keyRangeOf(doc, [...P, 'LaunchTemplateName']));
    if (spec.Version === undefined) {
      report('launch-template-version-missing', 'error', 'Version is required for CreateFleet: a number, "$Latest" or "$Default".', openingOf(doc, P));
    } else if (typeof spec.Version === 'string' && !VERSION.test(spec.Version)) {
      report('launch-template-version-invalid', 'error', `Version "${spec.Version}" must be a number, "$Latest" or "$Default".`, rangeOf(doc, [...P, 'Version']));
    }
    const key = launchTemplateKey(spec);
    if (!key || !facts.launchTemplates?.has(key)) return;
    const lt = facts.launchTemplates.get(key);
    const at = rangeOf(doc, [...P, hasId ? 'LaunchTemplateId' : 'LaunchTemplateName']);
    if (lt === null) {
      report('launch-template-not-found', 'error', `Launch template ${hasId ? spec.LaunchTemplateId : `"${spec.LaunchTemplateName}"`} does not exist in ${facts.region ?? 'this Region'}. Create it from a *.launch-template.json (CodeLens there), then use its id.`, at);
      return;
    }
    if (lt && typeof spec.Version === 'string' && /^\d+$/.test(spec.Version)) {
      const v = Number(spec.Version);
      const exists = lt.versions ? lt.versions.includes(v) : v >= 1 && v <= lt.latestVersion;
      if (!exists) report('launch-template-version-not-found', 'error', `Launch template ${lt.id} has no version ${v} (latest is ${lt.latestVersion}).`, rangeOf(doc, [...P, 'Version']));
    }
  });
}

function checkOverrides(doc: ParsedJson, r: FleetRequest, resolved: ResolvedOverride[], facts: FleetFacts, report: Report): void {
  const onDemandStrategy = r.OnDemandOptions?.AllocationStrategy;
  const spotStrategy = r.SpotOptions?.AllocationStrategy;
  const prioritized = onDemandStrategy === 'prioritized' || spotStrategy === 'capacity-optimized-prioritized';
  const strategyPath: JsonPath = onDemandStrategy === 'prioritized' ? ['OnDemandOptions', 'AllocationStrategy'] : ['SpotOptions', 'AllocationStrategy'];
  const seenPriorities = new Map<number, { offset: number; length: number }>();
  const explicit = resolved.filter((o) => o.overrideIndex !== undefined);
  let launchable = 0;
  let judged = 0;

  for (const o of explicit) {
    const P = o.path;
    const w = o.override.WeightedCapacity;
    if (typeof w === 'number' && w <= 0) {
      report('weight-not-positive', 'error', `WeightedCapacity must be more than 0 (it is ${w}): it is the share of one capacity unit an instance of this type provides.`, rangeOf(doc, [...P, 'WeightedCapacity']));
    }
    const p = o.override.Priority;
    if (typeof p === 'number') {
      const at = rangeOf(doc, [...P, 'Priority']);
      if (p < 0) report('priority-negative', 'error', `Priority must be 0 or more (lower number = tried first); it is ${p}.`, at);
      else if (!Number.isInteger(p)) report('priority-fraction', 'warning', `Priority ${p} is not a whole number; EC2 documents priorities as whole numbers from 0.`, at);
      const first = seenPriorities.get(p);
      if (first && prioritized) {
        // A warning, not an error: EC2 accepts ties ("You can set the same priority for different launch template
        // overrides", CreateFleet's Priority), so the AWS CLI would send the file; but it does not say which tied
        // override it tries first, so a fallback order the user meant is not guaranteed.
        report('priority-duplicate', 'warning', `Priority ${p} is used twice. EC2 accepts equal priorities but does not say which of them it tries first, so the fallback order between these overrides is EC2's choice. Give each a different number unless either may go first.`, at, { ...first, message: `Priority ${p} first used here` });
      } else if (!first) seenPriorities.set(p, at);
      if (!prioritized) report('priority-ignored', 'info', `Priority is ignored with AllocationStrategy "${onDemandStrategy ?? 'lowest-price'}" (only "prioritized" uses it).`, keyRangeOf(doc, [...P, 'Priority']));
    } else if (prioritized) {
      report('priority-missing', 'error', `AllocationStrategy is "prioritized" but this override has no Priority: give every override one (lower number = tried first), or it is tried last in no defined order.`, rangeOf(doc, P),
        { ...rangeOf(doc, strategyPath), message: 'prioritized here' });
    }
    if (typeof o.override.InstanceType === 'string' && o.override.InstanceRequirements !== undefined) {
      report('type-and-requirements', 'error', 'Give InstanceType or InstanceRequirements in an override, not both.', keyRangeOf(doc, [...P, 'InstanceRequirements']));
    }
  }

  for (const o of resolved) {
    const type = o.instanceType;
    const fromFile = typeof o.override.InstanceType === 'string';
    const at = fromFile ? rangeOf(doc, [...o.path, 'InstanceType']) : rangeOf(doc, o.path);
    if (!type) {
      if (o.override.InstanceRequirements !== undefined) {
        launchable++;
        judged++;
      } else if (o.launchTemplate) {
        report('type-missing', 'error', `No InstanceType in this override nor in launch template ${o.launchTemplate.id}.`, at);
        judged++;
      }
      continue;
    }
    const refused = refusedByFleet(type);
    if (refused) {
      report('type-refused', 'error', refused, at);
      judged++;
      continue;
    }
    if (facts.instanceTypes?.has(type)) {
      judged++;
      if (facts.instanceTypes.get(type) === null) {
        const known = facts.instanceTypeSuggestions?.get(type);
        const hint = known?.length ? known.slice(0, 3).join('", "') : suggestInstanceType(type, [...facts.instanceTypes].filter(([, v]) => v).map(([k]) => k));
        report('type-unknown', 'warning', `"${type}" is not an instance type in ${facts.region ?? 'this Region'} (DescribeInstanceTypes); EC2 Fleet will report an error for this override and move on.${hint ? ` Did you mean "${hint}"?` : ''}`, at);
        continue;
      }
    }
    if (o.outpost?.configuredTypes) {
      if (!facts.instanceTypes?.has(type)) judged++;
      if (!o.outpost.configuredTypes.has(type)) {
        const list = [...o.outpost.configuredTypes.keys()].sort().join(', ');
        report('type-not-on-outpost', 'warning', `Outpost ${o.outpost.outpostId} is not configured for ${type} (configured: ${list || 'none'}); expect InvalidParameterValue for this override.`, at);
        continue;
      }
    }
    if (o.outpost && (r.TargetCapacitySpecification?.SpotTargetCapacity ?? 0) > 0) {
      report('spot-on-outpost', 'error', `Subnet ${o.subnetId} is on Outpost ${o.outpost.outpostId}, which runs On-Demand only: set SpotTargetCapacity to 0.`, rangeOf(doc, ['TargetCapacitySpecification', 'SpotTargetCapacity']));
    }
    launchable++;
  }
  if (resolved.length && judged === resolved.length && launchable === 0) {
    report('no-launchable-override', 'error', 'No override can launch: every instance type is refused, unknown or not configured on the Outpost.', keyRangeOf(doc, ['LaunchTemplateConfigs']));
  }
}

/** Where Outpost capacity is known, say so when no override is expected to fill the target. */
function checkPlan(doc: ParsedJson, r: FleetRequest, facts: FleetFacts, report: Report): void {
  if (!facts.outposts?.size) return;
  const plan = planFleet(r, facts);
  if (plan.target > 0 && plan.rows.length && !plan.assumed && plan.unfilled > 0 && plan.rows.some((row) => row.available !== undefined)) {
    const got = plan.target - plan.unfilled;
    report('capacity-unfillable', 'warning', `With the Outpost's free capacity now, the overrides fill ${got} of ${plan.target} ${plan.unit}: expect InsufficientCapacityOnOutpost${r.OnDemandOptions?.MinTargetCapacity ? ' and, with MinTargetCapacity, no instances at all' : ''}.`, rangeOf(doc, ['TargetCapacitySpecification', 'TotalTargetCapacity']));
  }
}

/** "m6.2xlarge" → the same size in the families that extend it (m6i, m6a, m6g…), else the closest spelling. */
export function suggestInstanceType(type: string, known: readonly string[]): string | undefined {
  const [family, size] = type.split('.');
  if (family && size) {
    const sameSize = known.filter((k) => k.endsWith(`.${size}`) && k.startsWith(family) && k !== type).sort();
    if (sameSize.length) return sameSize.slice(0, 3).join('", "');
  }
  return suggest(type, known, 2);
}

const numberAt = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export function sortDiagnostics(list: FleetDiagnostic[]): FleetDiagnostic[] {
  return list.sort((a, b) => a.offset - b.offset || a.code.localeCompare(b.code));
}

export function hasErrors(list: readonly FleetDiagnostic[]): boolean {
  return list.some((d) => d.severity === 'error');
}
