import * as vscode from 'vscode';
import { describeError, redactSecrets, type Logger } from '../../core/log';

export const LOG_CHANNEL_NAME = 'wasmCloud Lattice';

/** Logger over the extension's one `LogOutputChannel`, with every line redacted. */
export class ChannelLogger implements Logger, vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  private readonly lineEmitter = new vscode.EventEmitter<string>();

  /**
   * Fires with every line after redaction, prefixed with its level, including
   * lines below the channel's log level. Extension tests listen to check that
   * no secret reaches the log.
   */
  readonly onDidLog: vscode.Event<string> = this.lineEmitter.event;

  constructor() {
    this.channel = vscode.window.createOutputChannel(LOG_CHANNEL_NAME, { log: true });
  }

  trace(message: string): void {
    this.channel.trace(this.redactAndPublish('trace', message));
  }

  debug(message: string): void {
    this.channel.debug(this.redactAndPublish('debug', message));
  }

  info(message: string): void {
    this.channel.info(this.redactAndPublish('info', message));
  }

  warn(message: string): void {
    this.channel.warn(this.redactAndPublish('warning', message));
  }

  error(message: string, error?: unknown): void {
    const detail = error === undefined ? '' : `: ${describeError(error)}`;
    this.channel.error(this.redactAndPublish('error', message + detail));
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
    this.lineEmitter.dispose();
  }

  /** Redacts a message and fires `onDidLog` with the result. */
  private redactAndPublish(level: string, message: string): string {
    const line = redactSecrets(message);
    this.lineEmitter.fire(`[${level}] ${line}`);
    return line;
  }
}
