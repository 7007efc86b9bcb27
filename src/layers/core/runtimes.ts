/**
 * Lambda runtime identifiers as the SDK's `Runtime` enum lists them (client-lambda 3.11xx). Kept here as plain
 * strings because pure modules must not load the SDK; an unknown value is a warning, not an error, since
 * Lambda adds runtimes faster than we release.
 */
export const KNOWN_RUNTIMES: readonly string[] = [
  'nodejs18.x', 'nodejs20.x', 'nodejs22.x', 'nodejs24.x', 'nodejs26.x',
  'python3.9', 'python3.10', 'python3.11', 'python3.12', 'python3.13', 'python3.14', 'python3.15',
  'java8.al2', 'java11', 'java17', 'java21', 'java25', 'java8.al2023', 'java11.al2023', 'java17.al2023',
  'ruby3.2', 'ruby3.3', 'ruby3.4', 'ruby4.0',
  'dotnet8', 'dotnet10',
  'provided.al2', 'provided.al2023',
  // Deprecated, still accepted for existing layers.
  'nodejs16.x', 'nodejs14.x', 'python3.8', 'python3.7', 'java8', 'dotnet6', 'ruby2.7', 'provided', 'go1.x',
];

/** What a build kind suggests when a manifest is created from a folder. */
export const DEFAULT_RUNTIMES: Record<'nodejs' | 'python' | 'none', readonly string[]> = {
  nodejs: ['nodejs20.x', 'nodejs22.x'],
  python: ['python3.12', 'python3.13'],
  none: [],
};
