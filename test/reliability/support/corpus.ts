import * as fs from 'fs';
import * as path from 'path';

/** The hostile corpus kept in the repo (test/fixtures/hostile); see its README. */
export const CORPUS = path.resolve(__dirname, '../../fixtures/hostile');

export interface HostileValue { id: string; value: string }

export function hostileTags(): HostileValue[] {
  const raw = JSON.parse(fs.readFileSync(path.join(CORPUS, 'tags.json'), 'utf8')) as { values: Array<{ id: string; value: string; repeat?: number }> };
  return raw.values.map((v) => ({ id: v.id, value: v.repeat ? v.value.repeat(v.repeat) : v.value }));
}

export function corpusFiles(sub: string): Array<{ name: string; bytes: Buffer }> {
  const dir = path.join(CORPUS, sub);
  return fs.readdirSync(dir).sort().map((name) => ({ name, bytes: fs.readFileSync(path.join(dir, name)) }));
}

/** A ≈10 MB JSON document, made at test time rather than stored: a valid fleet/manifest-looking object. */
export function tenMegabytes(): string {
  const item = JSON.stringify({ InstanceType: 'm5.large', SubnetId: 'subnet-0123456789abcdef0', WeightedCapacity: 1, Priority: 1 });
  const count = Math.ceil((10 * 1024 * 1024) / (item.length + 1));
  return `{"name":"big","source":".","Type":"instant","LaunchTemplateConfigs":[{"LaunchTemplateSpecification":{"LaunchTemplateId":"lt-0123456789abcdef0","Version":"1"},"Overrides":[${new Array(count).fill(item).join(',')}]}],"TargetCapacitySpecification":{"TotalTargetCapacity":1,"DefaultTargetCapacityType":"on-demand"}}`;
}

export const counts = { tags: 0, json: 0, ssh: 0, aws: 0 };
