import type { MotoServer } from './moto.mjs';
export const DEMO_REGIONS: string[];
export interface DemoBackend {
  endpoint: string;
  motoEndpoint: string;
  settings: Record<string, unknown>;
  env: Record<string, string>;
  stop(): Promise<void>;
}
export function startDemoBackend(options?: { regions?: string[]; workspace?: string; log?: (m: string) => void; moto?: MotoServer }): Promise<DemoBackend>;
