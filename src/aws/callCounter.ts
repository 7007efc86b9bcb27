/**
 * Counts AWS API calls per service and operation. Benchmarks and tests use it to prove a screen made the
 * fewest calls the APIs allow; it is attached to every client the factory builds when one is given.
 */
export interface ApiCall {
  readonly service: string;
  readonly operation: string;
  readonly region: string;
}

export class CallCounter {
  private readonly calls: ApiCall[] = [];

  record(call: ApiCall): void {
    this.calls.push(call);
  }

  /** Calls made, optionally only those of one operation (e.g. "DescribeHosts"). */
  count(operation?: string, region?: string): number {
    return this.calls.filter((c) => (!operation || c.operation === operation) && (!region || c.region === region)).length;
  }

  byOperation(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const c of this.calls) out[c.operation] = (out[c.operation] ?? 0) + 1;
    return out;
  }

  reset(): void {
    this.calls.length = 0;
  }

  get all(): readonly ApiCall[] {
    return this.calls;
  }
}
