import vscode = require('vscode');
import { redactSecrets } from '../aws/redact';

/** What Logger writes to: the LogOutputChannel's methods it uses. */
export type LogSink = Pick<vscode.LogOutputChannel, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'show'>;

/**
 * The "AWS OpsDeck" LogOutputChannel, created the first time a line is written or the log is shown: creating
 * it costs a couple of milliseconds in the extension host, which activation does not need to pay.
 */
export class LazyLogChannel implements vscode.Disposable {
  private channel: vscode.LogOutputChannel | undefined;

  constructor(private readonly name: string) {}

  get(): vscode.LogOutputChannel {
    return (this.channel ??= vscode.window.createOutputChannel(this.name, { log: true }));
  }

  get isCreated(): boolean {
    return this.channel !== undefined;
  }

  dispose(): void {
    this.channel?.dispose();
  }
}

/** A tagged logger over the one "AWS OpsDeck" LogOutputChannel; every line is redacted before it is written. */
export class Logger {
  constructor(private readonly channel: LogSink | LazyLogChannel, private readonly tag?: string) {}

  child(tag: string): Logger {
    return new Logger(this.channel, tag);
  }

  trace(message: string): void {
    this.sink().trace(this.format(message));
  }
  debug(message: string): void {
    this.sink().debug(this.format(message));
  }
  info(message: string): void {
    this.sink().info(this.format(message));
  }
  warn(message: string): void {
    this.sink().warn(this.format(message));
  }
  error(message: string, err?: unknown): void {
    const detail = err instanceof Error ? `${err.name}: ${err.message}` : err !== undefined ? String(err) : '';
    this.sink().error(this.format(detail ? `${message} — ${detail}` : message));
  }
  show(): void {
    this.sink().show(true);
  }

  private sink(): LogSink {
    return this.channel instanceof LazyLogChannel ? this.channel.get() : this.channel;
  }

  private format(message: string): string {
    return redactSecrets(this.tag ? `[${this.tag}] ${message}` : message);
  }
}
