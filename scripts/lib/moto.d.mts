export interface MotoServer {
  endpoint: string;
  port: number;
  reset(): Promise<void>;
  stop(): Promise<void>;
}
export function freePort(): Promise<number>;
export function findMoto(): string[] | undefined;
export function whyNoMoto(): 'root-only' | 'not-found';
export function startMoto(options?: { log?: (line: string) => void; command?: 'start' | 'test' }): Promise<MotoServer>;
