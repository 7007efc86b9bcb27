import { readFileSync } from 'fs';
import * as path from 'path';
import type { FleetFacts, OutpostFacts } from '../../../src/fleets/core/types';

export const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'fleets');
/** The seed article's ec2-fleet.json, byte for byte. */
export const ARTICLE_FLEET = readFileSync(path.join(FIXTURES, 'article', 'ec2-fleet.json'), 'utf8');
export const ARTICLE_LT_DATA = readFileSync(path.join(FIXTURES, 'article', 'launch-template.json'), 'utf8');
export const OUTPOST_ARN = 'arn:aws:outposts:us-west-2:111111111111:outpost/op-0000ffff0000fffff';

/** A full catalogue as the validator sees it: every type not listed was looked up and does not exist. */
class Catalogue<V> extends Map<string, V | null> {
  override has(): boolean {
    return true;
  }
  override get(key: string): V | null {
    return super.has(key) ? (super.get(key) as V) : null;
  }
}

export const TYPES = new Catalogue<{ vcpus: number; memoryMiB: number }>([
  ['c5.2xlarge', { vcpus: 8, memoryMiB: 16384 }],
  ['m5.large', { vcpus: 2, memoryMiB: 8192 }],
  ['m5.2xlarge', { vcpus: 8, memoryMiB: 32768 }],
  ['r5.2xlarge', { vcpus: 8, memoryMiB: 65536 }],
  ['m6i.2xlarge', { vcpus: 8, memoryMiB: 32768 }],
  ['mac1.metal', { vcpus: 12, memoryMiB: 32768 }],
]);

export function outpost(available: Record<string, number> | undefined, configured = ['c5.2xlarge', 'm5.large', 'm5.2xlarge']): OutpostFacts {
  return {
    outpostId: 'op-0000ffff0000fffff',
    outpostArn: OUTPOST_ARN,
    configuredTypes: new Map(configured.map((t) => [t, TYPES.get(t)?.vcpus ?? 0])),
    available: available ? new Map(Object.entries(available)) : undefined,
  };
}

/** The article's situation: m6.2xlarge does not exist, c5.2xlarge has no free slot, m5.large has room. */
export function articleFacts(available: Record<string, number> | undefined = { 'c5.2xlarge': 0, 'm5.large': 8, 'm5.2xlarge': 2 }, withTypes = true): FleetFacts {
  return {
    region: 'us-west-2',
    instanceTypes: withTypes ? TYPES : undefined,
    launchTemplates: new Map([['lt-010654c96462292e8', { id: 'lt-010654c96462292e8', name: 'outpost-lt', defaultVersion: 1, latestVersion: 1, subnetId: 'subnet-0op' }]]),
    subnets: new Map([['subnet-0op', { subnetId: 'subnet-0op', outpostArn: OUTPOST_ARN }]]),
    outposts: new Map([[OUTPOST_ARN, outpost(available)]]),
  };
}

/** Offset of the n-th occurrence of `needle` (0-based) — used to state the exact range a rule must report. */
export function offsetOf(text: string, needle: string, nth = 0): number {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" #${nth} not in text`);
  }
  return at;
}

export function pretty(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function articleObject(): Record<string, unknown> {
  return JSON.parse(ARTICLE_FLEET) as Record<string, unknown>;
}
