import * as assert from 'assert';
import { resolveIdentities } from '../../../src/devhosts/core/identities';
import { renderSshConfig } from '../../../src/devhosts/core/render';
import { mergeRegion } from '../../../src/devhosts/core/merge';
import type { Bastion, DevInstance, Inventory } from '../../../src/devhosts/core/model';

import { findRegion, regionBody } from '../../../src/devhosts/core/merge';

/**
 * Render + merge for 10,000 instances (2 identities → 20,000 entries, 1 in 10 names clashing): correctness at
 * scale only. How long it takes is measured by the benchmark (`npm run bench -- --only cpu`, cpu.sshConfig),
 * never asserted here (issue 8: no wall-clock assertions in tests).
 */
describe('devhosts: 10,000 instances', function () {
  this.timeout(60_000);
  it('renders every instance once per identity with unique aliases, deterministically, and merges without touching a user byte', () => {
    const regions = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2'];
    const instances: DevInstance[] = Array.from({ length: 10_000 }, (_, n) => ({
      instanceId: `i-${(0x1000000 + n).toString(16).padStart(17, '0')}`, region: regions[n % 4], state: 'running', vpcId: 'vpc-1',
      privateIp: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`, name: n % 10 === 0 ? 'shared-name' : `mac-${n}`, tags: {},
      launchTime: new Date(1_700_000_000_000 + n * 1000).toISOString(),
    }));
    const bastions: Bastion[] = regions.map((region, k) => ({ instanceId: `i-0b${k}bbbbbbbbbbbbbbb`, region, state: 'running', vpcId: 'vpc-1', publicIp: `3.3.3.${k + 1}` }));
    const inv: Inventory = { regions: regions.map((region) => ({ region, hosts: [], instances: instances.filter((i) => i.region === region), bastions: bastions.filter((b) => b.region === region) })) };
    const { identities } = resolveIdentities(undefined);
    const user = Buffer.from('Host *\n  ServerAliveInterval 5\n'.repeat(200));

    const r = renderSshConfig(inv, { mode: 'bastion', identities });
    assert.strictEqual(r.entries.length, 20_000 + 8, '10,000 × 2 identities + 4 bastions × 2');
    assert.deepStrictEqual(r.skipped, []);
    const aliases = r.entries.map((e) => e.alias);
    assert.strictEqual(new Set(aliases).size, aliases.length, 'every alias is unique');
    const perInstance = new Map<string, number>();
    for (const e of r.entries) if (e.kind === 'mac') perInstance.set(e.instanceId!, (perInstance.get(e.instanceId!) ?? 0) + 1);
    assert.strictEqual(perInstance.size, 10_000);
    assert.ok([...perInstance.values()].every((n) => n === 2), 'one entry per identity for each instance');
    assert.strictEqual(r.collisions.reduce((a, c) => a + c.renamed.length, 0) >= 999, true, '999 of the 1,000 "shared-name" instances are renamed');
    assert.strictEqual([...r.text.matchAll(/^Host /gm)].length, 20_008);
    assert.strictEqual(renderSshConfig(inv, { mode: 'bastion', identities }).text, r.text, 'deterministic');

    const merged = mergeRegion(user, r.text);
    assert.ok(merged.changed);
    const s = merged.content.toString('latin1');
    const region = findRegion(s)!;
    assert.ok(Buffer.from(s.slice(0, region.start) + s.slice(region.end), 'latin1').equals(user), 'every user byte kept');
    assert.strictEqual(regionBody(merged.content), r.text.replace(/\n+$/, ''));
    assert.strictEqual(mergeRegion(merged.content, r.text).changed, false, 'regenerating the same inventory changes nothing');
  });
});
