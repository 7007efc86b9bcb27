import type { OverlayHook, OverlayRequest, OverlayResponse } from './overlay.mjs';
export type FaultKind = 'throttle' | '500' | '503' | 'reset' | 'slow' | 'truncated' | 'lost';
export const FAULT_KINDS: readonly FaultKind[];
export interface FaultRule {
  kind: FaultKind;
  /** Probability 0..1 that a matching request gets the fault. */
  rate: number;
  /** SigV4 signing name: ec2, lambda, batch, kafka, outposts, s3, sts… */
  service?: string;
  /** Query/JSON operation name (Action / x-amz-target); REST APIs: use `method` + `path`. */
  operation?: string;
  region?: string;
  method?: string;
  path?: RegExp;
  match?: (req: OverlayRequest) => boolean;
  /** At most this many injections by this rule. */
  limit?: number;
  /** For `slow`: how long before the answer (default 5000 ms). */
  delayMs?: number;
}
export interface RecordedRequest {
  at: number;
  service?: string;
  region?: string;
  operation?: string;
  method: string;
  path: string;
  label: string;
  body?: Buffer;
  fault?: FaultKind;
}
export interface FaultStats {
  seen: number;
  injected: number;
  byKind: Record<FaultKind, number>;
  byOperation: Record<string, number>;
}
export interface FaultHook extends OverlayHook {
  enabled: boolean;
  stats: FaultStats;
  requests: RecordedRequest[];
  seenFor(label?: string): RecordedRequest[];
}
export function prng(seed: number): () => number;
export function protocolOf(req: OverlayRequest): 'ec2' | 'query' | 'rest-xml' | 'json1.0' | 'json1.1' | 'rest-json';
export function errorResponse(req: OverlayRequest, kind: 'throttle' | '500' | '503', rand?: () => number): OverlayResponse;
export function faultHook(options: { seed: number; rules: FaultRule[]; record?: boolean }): FaultHook;
