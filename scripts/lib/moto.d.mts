export interface MotoServer {
  endpoint: string;
  port: number;
  reset(): Promise<void>;
  stop(): Promise<void>;
}
export function freePort(): Promise<number>;
export function findMoto(): string[] | undefined;
export function startMoto(options?: { log?: (line: string) => void }): Promise<MotoServer>;
