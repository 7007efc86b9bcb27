// A small HTTP proxy in front of moto_server. It forwards every request unchanged, except:
//   - handlers answer the APIs moto lacks (Kafka event source mappings, the Outposts API) from data they hold;
//   - hooks run before forwarding (latency for benchmarks, fault injection for reliability tests).
// Every overlay-answered call is labelled in the response header `x-opsdeck-overlay`, so a test can see it.
import { createServer, request as httpRequest } from 'node:http';
import { freePort } from './moto.mjs';

/** Service and Region from the SigV4 credential scope: Credential=AKID/date/REGION/SERVICE/aws4_request. */
export function signingScope(headers) {
  const auth = headers.authorization ?? '';
  const m = auth.match(/Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/);
  return m ? { region: m[1], service: m[2] } : { region: undefined, service: undefined };
}

/** The operation name for query (EC2) and JSON (x-amz-target) protocols; REST APIs are matched by path. */
export function operationOf(req) {
  const target = req.headers['x-amz-target'];
  if (target) return String(target).split('.').pop();
  if (req.body?.length && /x-www-form-urlencoded/.test(req.headers['content-type'] ?? '')) {
    return new URLSearchParams(req.body.toString()).get('Action') ?? undefined;
  }
  return undefined;
}

export const json = (status, value, headers = {}) => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: Buffer.from(JSON.stringify(value)),
});

/**
 * @param {{ upstream: string, handlers?: Array<{ name: string, handle: (req, ctx) => any }>,
 *           hooks?: Array<(req, ctx) => any>, log?: (s: string) => void }} options
 * A hook may return a response (to short-circuit, e.g. an injected throttle), 'drop' (destroy the socket), or
 * undefined. Handlers return a response or undefined (= forward to moto).
 */
export async function startOverlay({ upstream, handlers = [], hooks = [], log = () => {} }) {
  const port = await freePort();
  const up = new URL(upstream);
  const stats = { requests: 0, overlay: 0 };

  const forward = (req) =>
    new Promise((resolve, reject) => {
      const r = httpRequest(
        { host: up.hostname, port: up.port, method: req.method, path: req.url.pathname + req.url.search, headers: { ...req.headers, host: `${up.hostname}:${up.port}` } },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      r.on('error', reject);
      r.end(req.body);
    });

  const server = createServer((incoming, outgoing) => {
    const chunks = [];
    incoming.on('data', (c) => chunks.push(c));
    incoming.on('end', async () => {
      stats.requests++;
      const req = {
        method: incoming.method ?? 'GET',
        url: new URL(incoming.url ?? '/', `http://${incoming.headers.host ?? 'localhost'}`),
        headers: incoming.headers,
        body: Buffer.concat(chunks),
        socket: incoming.socket,
      };
      Object.assign(req, signingScope(req.headers));
      req.operation = operationOf(req);
      const ctx = { forward, log, stats };
      try {
        let response;
        for (const hook of hooks) {
          response = await hook(req, ctx);
          if (response) break;
        }
        if (response === 'drop') return incoming.socket.destroy();
        if (!response) {
          for (const h of handlers) {
            response = await h.handle(req, ctx);
            if (response) {
              stats.overlay++;
              response.headers = { ...response.headers, 'x-opsdeck-overlay': h.name };
              break;
            }
          }
        }
        response ??= await forward(req);
        const headers = { ...response.headers };
        delete headers['transfer-encoding'];
        headers['content-length'] = String(response.body.length);
        outgoing.writeHead(response.status, headers);
        outgoing.end(response.body);
      } catch (err) {
        log(`overlay error: ${err.message}`);
        outgoing.writeHead(502, { 'content-type': 'text/plain' });
        outgoing.end(`overlay: ${err.message}`);
      }
    });
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${port}`;
  log(`AWS overlay on ${endpoint} → ${upstream} (${handlers.map((h) => h.name).join(', ') || 'no handlers'})`);
  return {
    endpoint,
    port,
    stats,
    handlers,
    hooks,
    stop: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); }),
  };
}
