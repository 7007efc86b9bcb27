/**
 * The Mac dev hosts inventory as OpsDeck sees it: plain data, built by the service from DescribeHosts /
 * DescribeInstances and consumed by the renderer, the tree and the CLI. No SDK types leak past the service.
 */
export interface DevInstance {
  readonly instanceId: string;
  readonly region: string;
  readonly hostId?: string;
  readonly instanceType?: string;
  /** pending | running | stopping | stopped | shutting-down | terminated */
  readonly state: string;
  /** Raw Name tag, untrusted: may hold newlines, quotes, `%`… Sanitize before it touches a config file. */
  readonly name?: string;
  readonly privateIp?: string;
  readonly publicIp?: string;
  readonly publicDns?: string;
  readonly vpcId?: string;
  readonly imageId?: string;
  /** e.g. "macOS 14.3" when the AMI name tells us. */
  readonly macosVersion?: string;
  readonly launchTime?: string;
  /** From the `opsdeck:ssh-port` tag, for sshd on a non-standard port. */
  readonly sshPort?: number;
  readonly tags: Readonly<Record<string, string>>;
}

export interface DevHost {
  readonly hostId: string;
  readonly region: string;
  readonly availabilityZone?: string;
  readonly instanceType?: string;
  readonly instanceFamily?: string;
  /** available | pending | under-assessment | permanent-failure | released | … */
  readonly state: string;
  /** ISO time; the 24-hour minimum counts from here. */
  readonly allocationTime?: string;
  readonly releaseTime?: string;
  readonly name?: string;
  readonly tags: Readonly<Record<string, string>>;
  /** Instance ids the host reports (DescribeHosts `Instances`). */
  readonly instanceIds: readonly string[];
}

/** An instance used as the SSH jump host. */
export interface Bastion {
  readonly instanceId: string;
  readonly region: string;
  readonly name?: string;
  readonly state: string;
  readonly vpcId?: string;
  readonly publicIp?: string;
  readonly publicDns?: string;
  readonly privateIp?: string;
  /** From the `opsdeck:ssh-port` tag. */
  readonly sshPort?: number;
  /** Set when the bastion comes from the `opsdeck.devHosts.bastionHost` setting rather than a tag. */
  readonly fromSetting?: boolean;
}

export interface RegionInventory {
  readonly region: string;
  readonly hosts: readonly DevHost[];
  readonly instances: readonly DevInstance[];
  readonly bastions: readonly Bastion[];
  /** Set when discovery in this Region failed; the other Regions still show. */
  readonly error?: string;
}

export interface Inventory {
  readonly regions: readonly RegionInventory[];
}

/** Tag that sets a non-standard SSH port on an instance or bastion. */
export const SSH_PORT_TAG = 'opsdeck:ssh-port';

/** A TCP port from a tag value; undefined unless it is exactly a number 1–65535. */
export function parsePort(raw: string | undefined): number | undefined {
  if (!raw || !/^\d{1,5}$/.test(raw.trim())) return undefined;
  const n = Number(raw.trim());
  return n >= 1 && n <= 65535 ? n : undefined;
}

export function tagsToRecord(tags: readonly { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) if (t.Key !== undefined) out[t.Key] = t.Value ?? '';
  return out;
}

/** Mac instance types from the SDK's InstanceType enum values (matching `^mac`, never a hard-coded list). */
export function macInstanceTypes(enumValues: readonly string[]): string[] {
  return [...new Set(enumValues.filter((v) => /^mac[\w-]*\.metal$/.test(v)))].sort();
}

export function isMacType(type: string | undefined): boolean {
  return !!type && /^mac/.test(type);
}

/** "amzn-ec2-macos-14.3.1-20240227-…" → "macOS 14.3.1". */
export function macosVersionFromAmiName(name: string | undefined): string | undefined {
  const m = /macos[-_ ]?(\d+(?:\.\d+){0,2})/i.exec(name ?? '');
  return m ? `macOS ${m[1]}` : undefined;
}

/** Every instance of the inventory, with the host it sits on (if known). */
export function allInstances(inv: Inventory): DevInstance[] {
  return inv.regions.flatMap((r) => r.instances);
}
