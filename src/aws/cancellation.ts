/** Cancellation is a typed error, so every layer can tell "the user stopped it" from a failure. */
export class UserCancelledError extends Error {
  constructor(message = 'Cancelled') {
    super(message);
    this.name = 'UserCancelledError';
  }
}

export function isCancellation(err: unknown): boolean {
  if (err instanceof UserCancelledError) return true;
  const name = (err as { name?: string } | undefined)?.name;
  return name === 'AbortError' || name === 'UserCancelledError';
}

/** Throws UserCancelledError when the signal has fired; call between steps of long work. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new UserCancelledError();
}

/** Runs `worker` over `items` with at most `limit` in flight; results keep the input order. */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  worker: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await worker(items[i], i);
    }
  });
  await Promise.all(lanes);
  return results;
}
