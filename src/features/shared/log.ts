import * as vscode from 'vscode';
import { describeError, redactSecrets, type Logger } from '../../core/log';

export const LOG_CHANNEL_NAME = 'wasmCloud Lattice';

/** Logger over the extension's one `LogOutputChannel`, with every line redacted. */
export class ChannelLogger implements Logger, vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;

  constructor() {
    this.channel = vscode.window.createOutputChannel(LOG_CHANNEL_NAME, { log: true });
  }

  trace(message: string): void {
    this.channel.trace(redactSecrets(message));
  }

  debug(message: string): void {
    this.channel.debug(redactSecrets(message));
  }

  info(message: string): void {
    this.channel.info(redactSecrets(message));
  }

  warn(message: string): void {
    this.channel.warn(redactSecrets(message));
  }

  error(message: string, error?: unknown): void {
    const detail = error === undefined ? '' : `: ${describeError(error)}`;
    this.channel.error(redactSecrets(message + detail));
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
