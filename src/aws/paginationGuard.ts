/**
 * Pagination tokens as each protocol names them: what the request sends and what the response returns.
 * EC2, CloudWatch, Outposts: NextToken → NextToken; Batch: nextToken → nextToken; Lambda: Marker → NextMarker.
 */
const TOKEN_PAIRS: ReadonlyArray<[input: string, output: string]> = [
  ['NextToken', 'NextToken'],
  ['nextToken', 'nextToken'],
  ['Marker', 'NextMarker'],
];

export class EndlessPaginationError extends Error {
  override readonly name = 'EndlessPaginationError';
}

/**
 * An API that answers a page request with the very token it was sent would make every `do … while (token)`
 * loop run forever (a buggy endpoint, a proxy, an emulator). The client factory calls this on every response,
 * so no listing in OpsDeck can page endlessly, whatever service loop asked.
 */
export function assertPageTokenAdvanced(operation: string, input: unknown, output: unknown): void {
  if (!input || !output || typeof input !== 'object' || typeof output !== 'object') return;
  for (const [inKey, outKey] of TOKEN_PAIRS) {
    const sent = (input as Record<string, unknown>)[inKey];
    const received = (output as Record<string, unknown>)[outKey];
    if (typeof sent === 'string' && sent !== '' && sent === received) {
      throw new EndlessPaginationError(`${operation} returned the same page token it was given; stopped paging to avoid an endless loop. The endpoint is misbehaving: retry later.`);
    }
  }
}

/**
 * The client-factory middleware only sees one request and its response; a listing can also cycle (A → B → A),
 * and tests or other callers may bypass the middleware. Every service pagination loop therefore keeps one
 * `PageTokens` per listing and passes each returned token through `next`, which refuses any token already seen.
 *
 *   const tokens = new PageTokens();
 *   do { const page = await send(…, token); …; token = tokens.next('DescribeHosts', page.NextToken); } while (token);
 */
export class PageTokens {
  private readonly seen = new Set<string>();

  /** The token to request next, or undefined when the listing is complete (no token or an empty one). */
  next(operation: string, token: string | undefined | null): string | undefined {
    if (token === undefined || token === null || token === '') return undefined;
    if (this.seen.has(token)) {
      throw new EndlessPaginationError(`${operation} returned a page token it had already returned; stopped paging to avoid an endless loop. The endpoint is misbehaving: retry later.`);
    }
    this.seen.add(token);
    return token;
  }
}
