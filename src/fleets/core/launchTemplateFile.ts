import { nodeAt, openingOf, parseJsonDocument, rangeOf, type ParsedJson } from './document';
import type { FleetDiagnostic } from './types';

/**
 * `*.launch-template.json`: the input of `aws ec2 create-launch-template --cli-input-json`, i.e. the article's
 * launch-template.json as `LaunchTemplateData`, plus `LaunchTemplateName`. OpsDeck creates the template from it.
 */
export interface LaunchTemplateFile {
  readonly LaunchTemplateName: string;
  readonly VersionDescription?: string;
  readonly LaunchTemplateData: Record<string, unknown>;
  readonly TagSpecifications?: unknown[];
}

const TOP_KEYS = ['DryRun', 'ClientToken', 'LaunchTemplateName', 'VersionDescription', 'LaunchTemplateData', 'Operator', 'TagSpecifications'];
const NAME = /^[a-zA-Z0-9().\-/_]{3,128}$/;

export function validateLaunchTemplateFile(text: string): { doc: ParsedJson; file?: LaunchTemplateFile; diagnostics: FleetDiagnostic[] } {
  const doc = parseJsonDocument(text);
  const out = [...doc.diagnostics];
  if (!doc.root || doc.root.type !== 'object') {
    if (doc.root) out.push({ code: 'not-an-object', severity: 'error', message: 'A launch template file is one JSON object.', offset: doc.root.offset, length: doc.root.length });
    return { doc, diagnostics: out };
  }
  for (const prop of doc.root.children ?? []) {
    const k = prop.children?.[0];
    if (k && !TOP_KEYS.includes(String(k.value))) {
      out.push({ code: 'unknown-key', severity: 'error', message: `Unknown key "${String(k.value)}": create-launch-template takes ${TOP_KEYS.join(', ')}. Launch template settings go inside LaunchTemplateData.`, offset: k.offset, length: k.length });
    }
  }
  const v = doc.value as Record<string, unknown>;
  if (typeof v.LaunchTemplateName !== 'string') {
    out.push({ code: 'launch-template-name-missing', severity: 'error', message: 'LaunchTemplateName is required (3–128 characters: letters, digits, ( ) . - / _).', ...(nodeAt(doc, ['LaunchTemplateName']) ? rangeOf(doc, ['LaunchTemplateName']) : openingOf(doc, [])) });
  } else if (!NAME.test(v.LaunchTemplateName)) {
    out.push({ code: 'launch-template-name-invalid', severity: 'error', message: 'LaunchTemplateName must be 3–128 characters: letters, digits, ( ) . - / _.', ...rangeOf(doc, ['LaunchTemplateName']) });
  }
  const data = v.LaunchTemplateData;
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    out.push({ code: 'launch-template-data-missing', severity: 'error', message: 'LaunchTemplateData (the launch template settings: ImageId, NetworkInterfaces, Placement, TagSpecifications…) is required.', ...(nodeAt(doc, ['LaunchTemplateData']) ? rangeOf(doc, ['LaunchTemplateData']) : openingOf(doc, [])) });
  }
  out.push(...placeholderDiagnostics(doc));
  const ok = !out.some((d) => d.severity === 'error');
  return { doc, file: ok ? (v as unknown as LaunchTemplateFile) : undefined, diagnostics: out };
}

/** Strings still holding a template placeholder like "<YOUR-AMI>" (the article's and our own templates use them). */
export function placeholderDiagnostics(doc: ParsedJson): FleetDiagnostic[] {
  const out: FleetDiagnostic[] = [];
  const walk = (n: NonNullable<ParsedJson['root']>): void => {
    if (n.type === 'string' && typeof n.value === 'string' && /<[A-Z0-9][A-Z0-9_-]*>/.test(n.value) && !(n.parent?.type === 'property' && n.parent.children?.[0] === n)) {
      out.push({ code: 'placeholder', severity: 'error', message: `Replace the placeholder ${n.value.match(/<[A-Z0-9][A-Z0-9_-]*>/)![0]} with a real value.`, offset: n.offset, length: n.length });
    }
    n.children?.forEach(walk);
  };
  if (doc.root) walk(doc.root);
  return out;
}

/** Subnet and AZ the template puts instances in: first network interface's subnet (or SubnetId), Placement AZ. */
export function launchTarget(data: Record<string, unknown> | undefined): { subnetId?: string; availabilityZone?: string; instanceType?: string } {
  const nics = Array.isArray(data?.NetworkInterfaces) ? (data.NetworkInterfaces as Record<string, unknown>[]) : [];
  const nic = nics.find((n) => n?.DeviceIndex === 0) ?? nics[0];
  const placement = data?.Placement as Record<string, unknown> | undefined;
  return {
    subnetId: typeof nic?.SubnetId === 'string' ? nic.SubnetId : undefined,
    availabilityZone: typeof placement?.AvailabilityZone === 'string' ? placement.AvailabilityZone : undefined,
    instanceType: typeof data?.InstanceType === 'string' ? data.InstanceType : undefined,
  };
}
