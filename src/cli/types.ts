import type { ParseArgsConfig } from 'node:util';
import type { ClientFactory } from '../aws/clientFactory';
import type { AwsConnectionSettings } from '../aws/target';
import type { Core } from '../coreLoader';

/** 4 = unhealthy AND some Region could not be checked: a health check never hides either fact. */
export const EXIT = { ok: 0, error: 1, usage: 2, unhealthy: 3, unhealthyIncomplete: 4 } as const;

/** Everything a subcommand gets: settings from the global flags, output helpers, lazily loaded AWS access. */
export interface CliContext {
  readonly settings: AwsConnectionSettings;
  readonly json: boolean;
  readonly quiet: boolean;
  readonly signal: AbortSignal;
  /** Human output on stdout (suppressed by --json and --quiet). */
  out(line: string): void;
  /** Progress and warnings on stderr (suppressed by --quiet). */
  info(line: string): void;
  /** Machine output: with --json this is the only thing on stdout. */
  printJson(value: unknown): void;
  core(): Core;
  factory(): ClientFactory;
  /** Asks a yes/no question on the terminal; false when stdin is not a TTY. */
  confirm(question: string): Promise<boolean>;
}

export interface CliCommand {
  /** Words after `opsdeck`, e.g. ["batch", "health"]. */
  readonly path: readonly string[];
  readonly summary: string;
  /** Usage text shown by --help, after the generated "Usage:" line. */
  readonly help: string;
  readonly args?: string;
  readonly options?: NonNullable<ParseArgsConfig['options']>;
  run(ctx: CliContext, values: Record<string, unknown>, positionals: string[]): Promise<number>;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}
