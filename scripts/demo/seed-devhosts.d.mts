/** Seeds moto with EC2 Mac hosts, instances and bastions in two Regions; returns the demo's VS Code settings. */
export function seed(options: { endpoint: string; regions: string[]; workspace: string; log: (msg: string) => void }): Promise<Record<string, string>>;
