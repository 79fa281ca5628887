import * as vscode from 'vscode';
import { describeError, redactSecrets } from '../../core/log';
import type { FeatureDeps } from './deps';

/**
 * Registers a command whose unexpected errors are logged and shown as an
 * error notification naming `title`, instead of surfacing as VS Code's
 * generic "command failed". Messages are redacted, because an error can
 * quote a seed read from a host file or a key store.
 */
export function registerReportingCommand(
  context: vscode.ExtensionContext,
  deps: FeatureDeps,
  command: string,
  title: string,
  run: (...args: unknown[]) => Promise<unknown>,
): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(command, async (...args: unknown[]) => {
      try {
        return await run(...args);
      } catch (error) {
        deps.logger.error(`${title} failed`, error);
        void deps.prompter.get().notify('error', `${title} failed: ${redactSecrets(describeError(error))}`);
        return undefined;
      }
    }),
  );
}
