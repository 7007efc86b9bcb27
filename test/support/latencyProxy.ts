/**
 * A tiny HTTP proxy in front of moto for tests and benchmarks: it delays every request by `latencyMs` (what a
 * far-away AWS Region feels like), and can inject failures per request (e.g. every call signed for one Region),
 * either as an AWS error response or as a lost response (forwarded to moto, then the connection is dropped).
 * The Region and service come from the SigV4 credential scope, so no SDK setting has to change.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedRequest {
  readonly method: string;
  readonly path: string;
  readonly region?: string;
  readonly service?: string;
}

export type Injection =
  | { readonly kind: 'error'; readonly status: number; readonly code: string; readonly message: string }
  /** Forward the request (moto acts on it), then drop the connection: the caller never sees the answer. */
  | { readonly kind: 'lose-response' };

export interface LatencyProxyOptions {
  readonly upstream: string;
  readonly latencyMs?: number;
  /** Decides per request whether to inject a failure; change it between test steps through `proxy.inject`. */
  readonly inject?: (req: ProxiedRequest) => Injection | undefined;
}

export interface LatencyProxy {
  readonly endpoint: string;
  latencyMs: number;
  inject: ((req: ProxiedRequest) => Injection | undefined) | undefined;
  readonly requests: ProxiedRequest[];
  close(): Promise<void>;
}

export function signingScope(authorization: string | undefined): { region?: string; service?: string } {
  const m = (authorization ?? '').match(/Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/);
  return m ? { region: m[1], service: m[2] } : {};
}

export async function startLatencyProxy(options: LatencyProxyOptions): Promise<LatencyProxy> {
  const up = new URL(options.upstream);
  const state = {
    latencyMs: options.latencyMs ?? 0,
    inject: options.inject,
    requests: [] as ProxiedRequest[],
  };
  const server: Server = createServer((incoming: IncomingMessage, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (c: Buffer) => chunks.push(c));
    incoming.on('end', () => {
      const info: ProxiedRequest = { method: incoming.method ?? 'GET', path: incoming.url ?? '/', ...signingScope(incoming.headers.authorization) };
      state.requests.push(info);
      const injection = state.inject?.(info);
      setTimeout(() => {
        if (injection?.kind === 'error') {
          const body = JSON.stringify({ Type: 'User', Message: injection.message, message: injection.message });
          outgoing.writeHead(injection.status, { 'content-type': 'application/json', 'x-amzn-errortype': injection.code, 'x-amzn-requestid': 'injected' });
          outgoing.end(body);
          return;
        }
        const forward = httpRequest(
          { host: up.hostname, port: up.port, method: incoming.method, path: incoming.url, headers: { ...incoming.headers, host: up.host } },
          (res) => {
            if (injection?.kind === 'lose-response') {
              res.resume();
              res.on('end', () => outgoing.socket?.destroy());
              return;
            }
            outgoing.writeHead(res.statusCode ?? 502, res.headers);
            res.pipe(outgoing);
          },
        );
        forward.on('error', (err) => {
          outgoing.writeHead(502, { 'content-type': 'text/plain' });
          outgoing.end(String(err));
        });
        forward.end(Buffer.concat(chunks));
      }, state.latencyMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get latencyMs() { return state.latencyMs; },
    set latencyMs(v: number) { state.latencyMs = v; },
    get inject() { return state.inject; },
    set inject(f) { state.inject = f; },
    requests: state.requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
