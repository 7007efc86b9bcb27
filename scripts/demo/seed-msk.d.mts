export function ensureLambdaRole(endpoint: string): Promise<string>;
export function createFunction(lambda: unknown, name: string): Promise<string>;
export function mskArn(region: string, cluster: string): string;
export function minutes(count: number, fn: (i: number) => number | null, now?: number): Array<{ t: Date; v: number | null }>;
export function putSeries(cw: unknown, namespace: string, metricName: string, dimensions: Array<{ Name: string; Value: string }>, points: Array<{ t: Date; v: number | null }>, unit?: string): Promise<void>;
export function clientCertificateSecret(days: number, cn?: string): string;
export function seed(options: { endpoint: string; motoEndpoint?: string; regions: string[]; workspace?: string; log?: (s: string) => void; overlayState: Record<string, unknown> }): Promise<Record<string, unknown>>;
