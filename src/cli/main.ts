import * as readline from 'node:readline';
import { parseArgs } from 'node:util';
import { isCancellation } from '../aws/cancellation';
import type { ClientFactory } from '../aws/clientFactory';
import { toActionableError } from '../aws/errors';
import { redactSecrets } from '../aws/redact';
import { effectiveProfileName } from '../aws/target';
import { loadCore } from '../coreLoader';
import { GLOBAL_HELP, GLOBAL_OPTIONS, settingsFromFlags, withProfileRegion } from './globalOptions';
import { COMMANDS } from './registry';
import { EXIT, UsageError, type CliCommand, type CliContext } from './types';

declare const __OPSDECK_VERSION__: string | undefined;
const VERSION = typeof __OPSDECK_VERSION__ === 'string' ? __OPSDECK_VERSION__ : '0.0.0-dev';

/** Finds the longest command path that prefixes argv ("batch health" before "batch"). */
function findCommand(argv: string[]): { command?: CliCommand; rest: string[] } {
  const words = argv.filter((a) => !a.startsWith('-'));
  let best: CliCommand | undefined;
  for (const c of COMMANDS) {
    if (c.path.every((w, i) => words[i] === w) && (!best || c.path.length > best.path.length)) best = c;
  }
  if (!best) return { rest: argv };
  const rest = [...argv];
  for (const w of best.path) rest.splice(rest.indexOf(w), 1);
  return { command: best, rest };
}

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.path.join(' ').length));
  const lines = COMMANDS.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`);
  return `opsdeck ${VERSION} — AWS OpsDeck from the command line\n\nUsage: opsdeck <command> [options]\n\nCommands:\n${lines.join('\n')}\n\n${GLOBAL_HELP}\n\nRun "opsdeck <command> --help" for a command's options.`;
}

function commandHelp(c: CliCommand): string {
  return `Usage: opsdeck ${c.path.join(' ')}${c.args ? ` ${c.args}` : ''} [options]\n\n${c.summary}.\n\n${c.help}\n\n${GLOBAL_HELP}`;
}

export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

export async function main(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }): Promise<number> {
  const { command, rest } = findCommand(argv);
  if (!command) {
    const wantsHelp = argv.length === 0 || argv.includes('--help') || argv.includes('-h') || argv[0] === 'help';
    if (argv.includes('--version')) {
      io.stdout.write(`${VERSION}\n`);
      return EXIT.ok;
    }
    (wantsHelp ? io.stdout : io.stderr).write(`${wantsHelp ? '' : `Unknown command: ${argv.filter((a) => !a.startsWith('-')).join(' ')}\n\n`}${mainHelp()}\n`);
    return wantsHelp ? EXIT.ok : EXIT.usage;
  }
  let values: Record<string, unknown>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: rest, options: { ...GLOBAL_OPTIONS, ...command.options }, allowPositionals: true, strict: true }));
  } catch (err) {
    io.stderr.write(`${(err as Error).message}\n\n${commandHelp(command)}\n`);
    return EXIT.usage;
  }
  if (values.help) {
    io.stdout.write(`${commandHelp(command)}\n`);
    return EXIT.ok;
  }
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  let settings;
  try {
    settings = await withProfileRegion(settingsFromFlags(values));
  } catch (err) {
    io.stderr.write(`${(err as Error).message}\n`);
    return EXIT.usage;
  }
  const json = Boolean(values.json);
  const quiet = Boolean(values.quiet);
  let factory: ClientFactory | undefined;
  const ctx: CliContext = {
    settings,
    json,
    quiet,
    signal: controller.signal,
    out: (line) => { if (!json && !quiet) io.stdout.write(`${line}\n`); },
    info: (line) => { if (!quiet) io.stderr.write(`${line}\n`); },
    printJson: (value) => io.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    core: loadCore,
    factory: () => (factory ??= loadCore().createClientFactory({ settings, version: VERSION, mfaCodeProvider: (serial) => ask(io, `MFA code for ${serial}: `) })),
    confirm: async (question) => {
      if (!io.stdin.isTTY) return false;
      return /^y(es)?$/i.test((await ask(io, `${question} [y/N] `)).trim());
    },
  };
  try {
    return await command.run(ctx, values, positionals);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`${err.message}\n\n${commandHelp(command)}\n`);
      return EXIT.usage;
    }
    if (isCancellation(err)) {
      io.stderr.write('Cancelled.\n');
      return EXIT.error;
    }
    const actionable = toActionableError(err, { profile: effectiveProfileName(settings.profile), endpointUrl: settings.endpointUrl });
    if (json) io.stdout.write(`${JSON.stringify({ error: { kind: actionable.kind, code: actionable.code ?? null, message: actionable.message } }, null, 2)}\n`);
    io.stderr.write(`error: ${redactSecrets(actionable.message)}\n`);
    return EXIT.error;
  } finally {
    process.removeListener('SIGINT', onSigint);
    factory?.dispose();
  }
}

function ask(io: { stdin: NodeJS.ReadableStream; stderr: NodeJS.WritableStream }, question: string): Promise<string> {
  const rl = readline.createInterface({ input: io.stdin, output: io.stderr });
  return new Promise((resolve) => rl.question(question, (answer) => { rl.close(); resolve(answer); }));
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
