import type { Clock } from '../../src/common/poller';

/**
 * A clock for driving src/common/poller.ts without waiting: advancing time fires due timers in order, and what a
 * fired timer returns (the poller's check, with its real I/O) is awaited before time moves on.
 */
export class FakeClock implements Clock {
  private t: number;
  private seq = 0;
  private readonly timers = new Map<number, { at: number; fn: () => unknown }>();

  constructor(start = Date.UTC(2026, 10, 26, 9, 0, 0)) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }
  setTimeout(fn: () => unknown, ms: number): unknown {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + Math.max(0, ms), fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  /** Delays of the pending timers from now (the poller keeps at most one). */
  get pending(): number[] {
    return [...this.timers.values()].map((x) => x.at - this.t);
  }

  /** Moves time forward by `ms`, firing due timers in order and waiting for what each starts. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      const next = [...this.timers.entries()].sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!next || next[1].at > end) break;
      this.timers.delete(next[0]);
      this.t = next[1].at;
      await next[1].fn();
    }
    this.t = end;
  }
}
