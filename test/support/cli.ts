// Runs the `opsdeck` CLI in-process (src/cli/main.ts) with captured output, for unit and integration tests.
import { PassThrough, Writable } from 'stream';
import { main } from '../../src/cli/main';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunCliOptions {
  /** Appended to every argument list (e.g. `--endpoint-url`, `--region`). */
  extraArgs?: readonly string[];
  /** Also capture what the command writes straight to process.stdout (`ssh-config --print`). */
  captureProcessStdout?: boolean;
  /** A terminal stdin makes the CLI ask questions; tests answer none, so it is not a TTY by default. */
  stdinIsTTY?: boolean;
}

/** `opsdeck <args>`: its exit code and everything it printed. */
export async function runCli(args: readonly string[], options: RunCliOptions = {}): Promise<CliRun> {
  const captured = { stdout: '', stderr: '' };
  const sink = (key: keyof typeof captured) =>
    new Writable({ write(chunk, _enc, done) { captured[key] += String(chunk); done(); } }) as unknown as NodeJS.WriteStream;
  const stdin = Object.assign(new PassThrough(), { isTTY: options.stdinIsTTY ?? false });
  const write = process.stdout.write.bind(process.stdout);
  if (options.captureProcessStdout) {
    process.stdout.write = ((chunk: string | Uint8Array) => { captured.stdout += chunk.toString(); return true; }) as typeof process.stdout.write;
  }
  try {
    const code = await main([...args, ...(options.extraArgs ?? [])], { stdout: sink('stdout'), stderr: sink('stderr'), stdin });
    return { code, ...captured };
  } finally {
    process.stdout.write = write;
  }
}
