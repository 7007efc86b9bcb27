export function settingsTable(pkg: unknown): string;
export function syncReadme(root: string): boolean;
