export function seed(options: { endpoint: string; regions: string[]; workspace: string; log?: (m: string) => void }): Promise<Record<string, unknown>>;
