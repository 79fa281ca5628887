import type * as vscode from 'vscode';
import { registerExplorer } from './features/explorer/register';
import { registerKeys } from './features/keys/register';
import { registerLint } from './features/lint/register';
import { registerLogCommands } from './features/log/register';
import { registerProvision } from './features/provision/register';
import type { ExtensionApi, FeatureDeps } from './features/shared/deps';
import { ChannelLogger } from './features/shared/log';
import { NotificationRecord, PrompterSlot, VscodePrompter } from './features/shared/prompter';

// activate() only registers: no file, network or secret-storage access here,
// so opening a .env file or the explorer stays fast.
export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const logger = new ChannelLogger();
  context.subscriptions.push(logger);

  const notifications = new NotificationRecord();
  const prompter = new PrompterSlot(new VscodePrompter(notifications));
  const deps: FeatureDeps = { logger, prompter };

  registerLogCommands(context, deps.logger);
  const keyStore = registerKeys(context, deps);
  registerLint(context, deps, keyStore);
  const explorer = registerExplorer(context, deps);
  registerProvision(context, deps, keyStore);

  return {
    setPrompter: (replacement) => prompter.set(replacement),
    notifications: () => notifications.all(),
    onDidLog: logger.onDidLog,
    explorer,
  };
}

export function deactivate(): void {
  // Every feature disposes through context.subscriptions.
}
