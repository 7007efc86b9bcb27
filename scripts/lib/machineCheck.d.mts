import type { Need } from './machineNeeds.mjs';
export function locate(need: Pick<Need, 'paths'>): string | undefined;
export function checkMachine(options: {
  command: 'start' | 'test';
  steps?: string[];
  profile?: boolean;
  log: (msg: string) => void;
}): Promise<{ ok: boolean; motoMissing: boolean; sentence?: string }>;
export function nodeTooOld(minimum?: string): string | undefined;
