import * as vscode from 'vscode';
import { redactSecrets } from '../aws/redact';

/** A tagged logger over the one "AWS OpsDeck" LogOutputChannel; every line is redacted before it is written. */
export class Logger {
  constructor(private readonly channel: vscode.LogOutputChannel, private readonly tag?: string) {}

  child(tag: string): Logger {
    return new Logger(this.channel, tag);
  }

  trace(message: string): void {
    this.channel.trace(this.format(message));
  }
  debug(message: string): void {
    this.channel.debug(this.format(message));
  }
  info(message: string): void {
    this.channel.info(this.format(message));
  }
  warn(message: string): void {
    this.channel.warn(this.format(message));
  }
  error(message: string, err?: unknown): void {
    const detail = err instanceof Error ? `${err.name}: ${err.message}` : err !== undefined ? String(err) : '';
    this.channel.error(this.format(detail ? `${message} — ${detail}` : message));
  }
  show(): void {
    this.channel.show(true);
  }

  private format(message: string): string {
    return redactSecrets(this.tag ? `[${this.tag}] ${message}` : message);
  }
}
