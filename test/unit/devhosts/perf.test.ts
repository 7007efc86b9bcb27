import * as assert from 'assert';
import { resolveIdentities } from '../../../src/devhosts/core/identities';
import { renderSshConfig } from '../../../src/devhosts/core/render';
import { mergeRegion } from '../../../src/devhosts/core/merge';
import type { Bastion, DevInstance, Inventory } from '../../../src/devhosts/core/model';

/** Render + merge for 10,000 instances (2 identities → 20,000 entries, 1 in 10 names clashing), median of 5. */
describe('devhosts: 10,000 instances', function () {
  this.timeout(60_000);
  it('renders and merges within 5 s even on a loaded machine (prints DEVHOSTS-BENCH: wall and CPU time)', async () => {
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
    const renders: number[] = [];
    const merges: number[] = [];
    const cpus: number[] = [];
    let text = '';
    for (let run = 0; run < 5; run++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const r = renderSshConfig(inv, { mode: 'bastion', identities });
      const t1 = performance.now();
      const merged = mergeRegion(user, r.text);
      const t2 = performance.now();
      const c = process.cpuUsage(c0);
      cpus.push((c.user + c.system) / 1000);
      renders.push(t1 - t0);
      merges.push(t2 - t1);
      text = r.text;
      assert.strictEqual(r.entries.length, 20_000 + 8);
      assert.ok(merged.changed);
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[2];
    const result = { instances: 10_000, entries: 20_008, bytes: text.length, renderMs: Math.round(median(renders)), mergeMs: Math.round(median(merges)), totalMs: Math.round(median(renders.map((r, i) => r + merges[i]))), cpuMs: Math.round(median(cpus)), loadAverage: (await import('os')).loadavg()[0].toFixed(1) };
    console.log(`      DEVHOSTS-BENCH ${JSON.stringify(result)}`);
    assert.ok(result.totalMs < 5000, `render+merge took ${result.totalMs} ms`);
  });
});
