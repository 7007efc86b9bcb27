import * as assert from 'assert';
import { formatRemaining, recheckRelease, releasability, releaseLabel } from '../../../src/devhosts/core/releaseRule';
import { host, instance } from './fixtures';

const NOW = new Date('2026-11-26T12:00:00Z');
const hoursAgo = (h: number): string => new Date(NOW.getTime() - h * 3_600_000).toISOString();

describe('devhosts: 24-hour release rule', () => {
  const cases: { name: string; host: Parameters<typeof host>[0]; instances?: Parameters<typeof instance>[0][]; label: string; reason?: RegExp }[] = [
    { name: 'allocated 25h ago, empty', host: { allocationTime: hoursAgo(25) }, label: 'releasable now' },
    { name: 'allocated exactly 24h ago', host: { allocationTime: hoursAgo(24) }, label: 'releasable now' },
    { name: 'allocated 18h48m ago', host: { allocationTime: hoursAgo(18.8) }, label: 'releasable in 5h 12m' },
    { name: 'allocated 23h59m30s ago rounds up to 1m', host: { allocationTime: new Date(NOW.getTime() - 86_370_000).toISOString() }, label: 'releasable in 1m' },
    { name: 'just allocated', host: { allocationTime: NOW.toISOString() }, label: 'releasable in 24h 0m' },
    { name: 'running instance blocks even after 24h', host: { allocationTime: hoursAgo(30) }, instances: [{ state: 'running' }], label: 'not releasable', reason: /must be stopped/ },
    { name: 'stopping instance blocks', host: { allocationTime: hoursAgo(30) }, instances: [{ state: 'stopping' }], label: 'not releasable', reason: /stopping/ },
    { name: 'stopped instance does not block', host: { allocationTime: hoursAgo(30) }, instances: [{ state: 'stopped' }], label: 'releasable now' },
    { name: 'terminated instance does not block', host: { allocationTime: hoursAgo(30) }, instances: [{ state: 'terminated' }], label: 'releasable now' },
    { name: 'pending host is being scrubbed', host: { state: 'pending', allocationTime: hoursAgo(30) }, label: 'not releasable', reason: /scrubbed/ },
    { name: 'released host', host: { state: 'released', allocationTime: hoursAgo(30) }, label: 'not releasable', reason: /already released/ },
    { name: 'unknown allocation time', host: { allocationTime: undefined }, label: 'not releasable', reason: /unknown/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = releasability(host(c.host), (c.instances ?? []).map((i) => instance(i)), NOW);
      assert.strictEqual(releaseLabel(r), c.label);
      if (c.reason) assert.match(r.kind === 'blocked' ? r.reason : '', c.reason);
    });
  }
  it('formats durations', () => {
    assert.deepStrictEqual([1, 59_000, 60_000, 61_000, 3_600_000, 5 * 3_600_000 + 12 * 60_000].map(formatRemaining), ['1m', '1m', '1m', '2m', '1h 0m', '5h 12m']);
  });
});

describe('devhosts: Release re-checks the host as EC2 reports it right before asking', () => {
  it('goes on only when the fresh state still allows it; explains what changed otherwise', () => {
    assert.strictEqual(recheckRelease(host({ allocationTime: hoursAgo(30) }), [], NOW), undefined);
    assert.match(recheckRelease(host({ allocationTime: hoursAgo(30) }), [instance({ state: 'pending' })], NOW) ?? '', /must be stopped or terminated first/, 'an instance started on it since the view loaded');
    assert.match(recheckRelease(host({ allocationTime: hoursAgo(30), state: 'pending' }), [], NOW) ?? '', /being scrubbed/);
    assert.match(recheckRelease(host({ allocationTime: hoursAgo(30), state: 'released' }), [], NOW) ?? '', /already released/);
    assert.match(recheckRelease(host({ allocationTime: hoursAgo(2) }), [], NOW) ?? '', /24-hour minimum ends 2026-11-27T10:00:00.000Z \(in 22h 0m\)/);
    assert.strictEqual(recheckRelease(undefined, [], NOW), 'EC2 no longer lists it.');
  });
});
