import type { Bastion, DevHost, DevInstance, Inventory } from '../../../src/devhosts/core/model';

let seq = 0;
export function hexId(n: number): string {
  return n.toString(16).padStart(17, '0');
}

export function instance(over: Partial<DevInstance> = {}): DevInstance {
  seq++;
  return { instanceId: `i-${hexId(seq)}`, region: 'us-east-1', state: 'running', privateIp: `10.0.${(seq >> 8) & 255}.${seq & 255}`, vpcId: 'vpc-1', instanceType: 'mac2.metal', tags: {}, ...over };
}

export function host(over: Partial<DevHost> = {}): DevHost {
  seq++;
  return { hostId: `h-${hexId(seq)}`, region: 'us-east-1', state: 'available', instanceType: 'mac2.metal', allocationTime: '2026-01-01T00:00:00.000Z', tags: {}, instanceIds: [], ...over };
}

export function bastion(over: Partial<Bastion> = {}): Bastion {
  seq++;
  return { instanceId: `i-${hexId(seq + 100000)}`, region: 'us-east-1', state: 'running', vpcId: 'vpc-1', publicDns: 'ec2-3-3-3-3.compute-1.amazonaws.com', name: 'bastion', ...over };
}

export function inventory(instances: DevInstance[], bastions: Bastion[] = [bastion()], hosts: DevHost[] = []): Inventory {
  const regions = [...new Set([...instances.map((i) => i.region), ...bastions.map((b) => b.region)])].sort();
  return { regions: regions.map((region) => ({ region, hosts: hosts.filter((h) => h.region === region), instances: instances.filter((i) => i.region === region), bastions: bastions.filter((b) => b.region === region) })) };
}
