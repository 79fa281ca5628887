import type * as vscode from 'vscode';
import { registerReportingCommand } from '../shared/commands';
import type { FeatureDeps } from '../shared/deps';
import { generateKeyCommand } from './generate-command';
import { inspectKeyCommand } from './inspect-command';
import { KeyStore } from './key-store';
import { LocalHistoryHint } from './local-history';
import { deleteAllStoredKeysCommand, manageStoredKeysCommand } from './manage-commands';

/**
 * Registers the key commands: Generate Cluster Key, Generate Key…, Inspect
 * Key…, Manage Stored Keys and Delete All Stored Keys. Returns the one key
 * store: provisioning stores seeds through it and the linter completes
 * issuers from its public keys.
 */
export function registerKeys(context: vscode.ExtensionContext, deps: FeatureDeps): KeyStore {
  const store = new KeyStore(context.secrets, context.globalState, deps.logger);
  context.subscriptions.push(store);
  const hint = new LocalHistoryHint(context.globalState, deps.logger, deps.prompter);

  const register = (command: string, title: string, run: (...args: unknown[]) => Promise<unknown>): void =>
    registerReportingCommand(context, deps, command, title, run);

  register('wasmcloudLattice.generateClusterKey', 'Generate Cluster Key', () => generateKeyCommand('cluster', deps, store, hint));
  register('wasmcloudLattice.generateKey', 'Generate Key', (kind) => generateKeyCommand(kind, deps, store, hint));
  register('wasmcloudLattice.inspectKey', 'Inspect Key', (text) => inspectKeyCommand(text, deps));
  register('wasmcloudLattice.manageStoredKeys', 'Manage Stored Keys', () => manageStoredKeysCommand(deps, store, hint));
  register('wasmcloudLattice.deleteAllStoredKeys', 'Delete All Stored Keys', () => deleteAllStoredKeysCommand(deps, store));

  return store;
}
