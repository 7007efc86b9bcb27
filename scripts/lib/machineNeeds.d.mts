export interface Need {
  id: string;
  paths: string[];
  debian: string;
  why: string;
}
export const NEEDS: Readonly<Record<string, Need>>;
export const CI_DEBIAN_PACKAGES: readonly string[];
export function needsFor(command: 'start' | 'test', options?: { profile?: boolean; steps?: string[] }): { needs: Need[]; moto: boolean };
export type Plan =
  | { kind: 'ok' }
  | { kind: 'install'; packages: string[]; then?: string }
  | { kind: 'tell'; sentence: string; fatal: boolean };
export function planFor(facts: {
  missing: Need[];
  motoMissing: boolean;
  motoWhy?: 'not-found' | 'root-only';
  isRoot: boolean;
  hasApt: boolean;
  hasSudo: boolean;
  command: 'start' | 'test';
  isCI: boolean;
}): Plan;
export function describe(missing: Need[]): string;
export function motoAdvice(command: 'start' | 'test', why?: 'not-found' | 'root-only'): string;
export function aptSteps(packages: string[]): { label: string; args: string[] }[];
export function aptFailure(label: string, code: number | null, output: string, logPath: string): string;
