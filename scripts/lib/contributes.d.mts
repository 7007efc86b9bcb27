export function fragmentPaths(root: string): string[];
export function mergedContributes(root: string): Record<string, unknown>;
export function syncPackageJson(root: string): boolean;
