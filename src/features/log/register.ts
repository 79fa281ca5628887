import * as vscode from 'vscode';
import type { ChannelLogger } from '../shared/log';

/** Registers `wasmCloud: Show Log`. */
export function registerLogCommands(context: vscode.ExtensionContext, logger: ChannelLogger): void {
  context.subscriptions.push(vscode.commands.registerCommand('wasmcloudLattice.showLog', () => logger.show()));
}
