// Fault injection for the overlay proxy (scripts/lib/overlay.mjs): a hook that, per request, decides with a
// seeded PRNG whether to answer with a fault instead of (or after) forwarding to moto. Faults look exactly like
// what AWS and the network really do, so the SDK's own retry logic is what gets exercised:
//   throttle   the protocol's real throttling error (EC2 query XML RequestLimitExceeded, awsQuery Throttling,
//              JSON 1.0/1.1 `__type`, REST-JSON `x-amzn-ErrorType`, S3 SlowDown)
//   500 / 503  a server error in the protocol's shape
//   reset      the connection is dropped before the request reaches moto (nothing happened)
//   slow       moto acts at once, the answer comes after `delayMs` (set it beyond the client timeout)
//   truncated  moto answers, the status line and headers arrive, the body stops half-way, the socket closes
//   lost       "accepted but response lost": moto acts on the request, then the socket is dropped
// Every request is recorded (service, operation, body, fault), so a test can check what a retry carried.

/** mulberry32: tiny, fast, good enough to make fault patterns repeatable from a seed. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const FAULT_KINDS = ['throttle', '500', '503', 'reset', 'slow', 'truncated', 'lost'];

/** The wire protocol of a request, from what the SDK sent (no per-service tables needed). */
export function protocolOf(req) {
  if (req.service === 'ec2') return 'ec2';
  if (req.headers['x-amz-target']) return /1\.0/.test(String(req.headers['content-type'] ?? '')) ? 'json1.0' : 'json1.1';
  if (/x-www-form-urlencoded/.test(String(req.headers['content-type'] ?? ''))) return 'query';
  if (req.service === 's3') return 'rest-xml';
  return 'rest-json';
}

// REST-JSON services name their throttling error differently; these are the names each SDK models.
const REST_THROTTLE = { lambda: 'TooManyRequestsException', kafka: 'TooManyRequestsException', batch: 'TooManyRequestsException' };
const REST_SERVER = { lambda: 'ServiceException', batch: 'ServerException', kafka: 'InternalServerErrorException', outposts: 'InternalServerException' };

const requestId = (rand) => `fault-${Math.floor(rand() * 1e12).toString(16)}`;

/** An AWS error response in `req`'s protocol. `kind` is throttle, 500 or 503. */
export function errorResponse(req, kind, rand = Math.random) {
  const protocol = protocolOf(req);
  const id = requestId(rand);
  const throttle = kind === 'throttle';
  let status = throttle ? 400 : Number(kind);
  let code;
  switch (protocol) {
    case 'ec2': {
      code = throttle ? 'RequestLimitExceeded' : kind === '503' ? 'Unavailable' : 'InternalError';
      status = throttle ? 503 : status;
      const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${throttle ? 'Request limit exceeded.' : 'An internal error has occurred'}</Message></Error></Errors><RequestID>${id}</RequestID></Response>`;
      return { status, headers: { 'content-type': 'text/xml;charset=UTF-8', 'x-opsdeck-fault': kind }, body: Buffer.from(body) };
    }
    case 'query': {
      code = throttle ? 'Throttling' : kind === '503' ? 'ServiceUnavailable' : 'InternalFailure';
      const body = `<ErrorResponse><Error><Type>${throttle ? 'Sender' : 'Receiver'}</Type><Code>${code}</Code><Message>${throttle ? 'Rate exceeded' : 'Internal failure'}</Message></Error><RequestId>${id}</RequestId></ErrorResponse>`;
      return { status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': id, 'x-opsdeck-fault': kind }, body: Buffer.from(body) };
    }
    case 'rest-xml': {
      code = throttle ? 'SlowDown' : kind === '503' ? 'ServiceUnavailable' : 'InternalError';
      status = throttle ? 503 : status;
      const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${throttle ? 'Please reduce your request rate.' : 'We encountered an internal error. Please try again.'}</Message><RequestId>${id}</RequestId></Error>`;
      return { status, headers: { 'content-type': 'application/xml', 'x-amz-request-id': id, 'x-opsdeck-fault': kind }, body: Buffer.from(body) };
    }
    case 'json1.0':
    case 'json1.1': {
      code = throttle ? 'ThrottlingException' : kind === '503' ? 'ServiceUnavailableException' : 'InternalServerError';
      const body = JSON.stringify({ __type: code, message: throttle ? 'Rate exceeded' : 'Internal server error' });
      return { status, headers: { 'content-type': `application/x-amz-${protocol.replace('json', 'json-')}`, 'x-amzn-requestid': id, 'x-opsdeck-fault': kind }, body: Buffer.from(body) };
    }
    default: {
      code = throttle ? REST_THROTTLE[req.service] ?? 'ThrottlingException' : REST_SERVER[req.service] ?? 'InternalServerException';
      status = throttle ? 429 : status;
      const payload = throttle && req.service === 'lambda' ? { Type: 'User', message: 'Rate exceeded', Reason: 'CallerRateLimitExceeded' } : { message: throttle ? 'Rate exceeded' : 'Internal server error' };
      return { status, headers: { 'content-type': 'application/json', 'x-amzn-errortype': `${code}:http://internal.amazon.com/coral/`, 'x-amzn-requestid': id, 'x-opsdeck-fault': kind }, body: Buffer.from(JSON.stringify(payload)) };
    }
  }
}

function matches(rule, req) {
  if (rule.service && rule.service !== req.service) return false;
  if (rule.operation && rule.operation !== req.operation) return false;
  if (rule.region && rule.region !== req.region) return false;
  if (rule.method && rule.method !== req.method) return false;
  if (rule.path && !rule.path.test(req.url.pathname)) return false;
  if (rule.match && !rule.match(req)) return false;
  return true;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * @param {{ seed: number, rules: Array<{ kind: string, rate: number, service?: string, operation?: string,
 *           region?: string, method?: string, path?: RegExp, match?: (req) => boolean, limit?: number,
 *           delayMs?: number }>, record?: boolean }} options
 * Rules are tried in order; the first that matches and whose die roll falls under `rate` injects its fault
 * (at most `limit` times). Returns the hook with `stats`, `requests` and `enabled` (set false to pause).
 */
export function faultHook({ seed, rules, record = true }) {
  for (const r of rules) {
    if (!FAULT_KINDS.includes(String(r.kind))) throw new Error(`unknown fault kind ${r.kind} (known: ${FAULT_KINDS.join(', ')})`);
    if (!(r.rate >= 0 && r.rate <= 1)) throw new Error(`fault rate must be within 0..1, got ${r.rate}`);
  }
  const rand = prng(seed);
  const counts = rules.map(() => 0);
  const stats = { seen: 0, injected: 0, byKind: Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])), byOperation: {} };
  const requests = [];

  const hook = async (req, ctx) => {
    if (!hook.enabled) return undefined;
    stats.seen++;
    const label = `${req.service ?? '?'}:${req.operation ?? `${req.method} ${req.url.pathname}`}`;
    const entry = { at: Date.now(), service: req.service, region: req.region, operation: req.operation, method: req.method, path: req.url.pathname, label, body: record ? req.body : undefined, fault: undefined };
    if (record) requests.push(entry);
    let rule;
    for (let i = 0; i < rules.length; i++) {
      const r = rules[i];
      if (!matches(r, req)) continue;
      if (r.limit !== undefined && counts[i] >= r.limit) continue;
      if (rand() < r.rate) {
        rule = r;
        counts[i]++;
        break;
      }
    }
    if (!rule) return undefined;
    entry.fault = rule.kind;
    stats.injected++;
    stats.byKind[rule.kind]++;
    stats.byOperation[label] = (stats.byOperation[label] ?? 0) + 1;
    switch (rule.kind) {
      case 'throttle':
      case '500':
      case '503':
        return errorResponse(req, rule.kind, rand);
      case 'reset':
        return 'drop';
      case 'lost':
        await ctx.forward(req);
        return 'drop';
      case 'slow': {
        // Moto acts at once; the answer is held back past the client's timeout (what a slow AWS looks like).
        const res = await ctx.forward(req);
        await sleep(rule.delayMs ?? 5000);
        return res;
      }
      case 'truncated': {
        const res = await ctx.forward(req);
        const socket = req.socket;
        const cut = res.body.subarray(0, Math.floor(res.body.length / 2));
        const headers = Object.entries({ ...res.headers, 'content-length': String(res.body.length), 'transfer-encoding': undefined, connection: 'close' })
          .filter(([, v]) => v !== undefined).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : v}`).join('\r\n');
        await new Promise((resolve) => socket.write(`HTTP/1.1 ${res.status} OK\r\n${headers}\r\n\r\n`, () => socket.write(cut, resolve)));
        await sleep(5);
        return 'drop';
      }
    }
    return undefined;
  };
  hook.enabled = true;
  hook.stats = stats;
  hook.requests = requests;
  /** Requests (optionally only one label, e.g. "ec2:CreateFleet") with the fault each got. */
  hook.seenFor = (label) => requests.filter((r) => !label || r.label === label);
  return hook;
}
