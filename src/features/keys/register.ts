import * as vscode from 'vscode';
import { describeError, redactSecrets } from '../../core/log';
import type { FeatureDeps } from '../shared/deps';
import { generateKeyCommand } from './generateCommand';
import { inspectKeyCommand } from './inspectCommand';
import { KeyStore, type StoredKeysReader } from './keyStore';
import { deleteAllStoredKeysCommand, manageStoredKeysCommand } from './manageCommands';

/**
 * Registers the key commands: Generate Cluster Key, Generate Key…, Inspect
 * Key…, Manage Stored Keys and Delete All Stored Keys. Returns a read-only
 * view of the stored keys for other features.
 */
export function registerKeys(context: vscode.ExtensionContext, deps: FeatureDeps): StoredKeysReader {
  const store = new KeyStore(context.secrets, context.globalState, deps.logger);
  context.subscriptions.push(store);

  const register = (command: string, title: string, run: (...args: unknown[]) => Promise<unknown>): void => {
    context.subscriptions.push(
      vscode.commands.registerCommand(command, async (...args: unknown[]) => {
        try {
          return await run(...args);
        } catch (error) {
          // Messages of unexpected errors are redacted, because one could quote a key.
          deps.logger.error(`${title} failed`, error);
          void deps.prompter.get().notify('error', `${title} failed: ${redactSecrets(describeError(error))}`);
          return undefined;
        }
      }),
    );
  };

  register('wasmcloudLattice.generateClusterKey', 'Generate Cluster Key', () => generateKeyCommand('cluster', deps, store));
  register('wasmcloudLattice.generateKey', 'Generate Key', (kind) => generateKeyCommand(kind, deps, store));
  register('wasmcloudLattice.inspectKey', 'Inspect Key', (text) => inspectKeyCommand(text, deps));
  register('wasmcloudLattice.manageStoredKeys', 'Manage Stored Keys', () => manageStoredKeysCommand(deps, store));
  register('wasmcloudLattice.deleteAllStoredKeys', 'Delete All Stored Keys', () => deleteAllStoredKeysCommand(deps, store));

  return store;
}
