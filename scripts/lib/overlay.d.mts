import type { IncomingHttpHeaders } from 'node:http';
export interface OverlayRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
  region?: string;
  service?: string;
  operation?: string;
}
export interface OverlayResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}
export interface OverlayContext {
  forward(req: OverlayRequest): Promise<OverlayResponse>;
  log(line: string): void;
  stats: { requests: number; overlay: number };
}
export interface OverlayHandler {
  name: string;
  handle(req: OverlayRequest, ctx: OverlayContext): OverlayResponse | undefined | Promise<OverlayResponse | undefined>;
}
export type OverlayHook = (req: OverlayRequest, ctx: OverlayContext) => OverlayResponse | 'drop' | undefined | Promise<OverlayResponse | 'drop' | undefined>;
export interface Overlay {
  endpoint: string;
  port: number;
  stats: { requests: number; overlay: number };
  handlers: OverlayHandler[];
  hooks: OverlayHook[];
  stop(): Promise<void>;
}
export function signingScope(headers: IncomingHttpHeaders): { region?: string; service?: string };
export function operationOf(req: OverlayRequest): string | undefined;
export function json(status: number, value: unknown, headers?: Record<string, string>): OverlayResponse;
export function startOverlay(options: { upstream: string; handlers?: OverlayHandler[]; hooks?: OverlayHook[]; log?: (s: string) => void }): Promise<Overlay>;
