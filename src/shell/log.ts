import type * as vscode from 'vscode';
import { redactSecrets } from '../aws/redact';

/** What Logger writes to: the LogOutputChannel's methods it uses. */
export type LogSink = Pick<vscode.LogOutputChannel, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'show'>;

/**
 * A tagged logger over the one "AWS OpsDeck" LogOutputChannel (or a function giving it, so it can be created on
 * first use: see LazyLogChannel); every line is redacted before it is written. No `vscode` at run time.
 */
export class Logger {
  constructor(private readonly channel: LogSink | (() => LogSink), private readonly tag?: string) {}

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
    return typeof this.channel === 'function' ? this.channel() : this.channel;
  }

  private format(message: string): string {
    return redactSecrets(this.tag ? `[${this.tag}] ${message}` : message);
  }
}
