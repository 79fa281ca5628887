import * as vscode from 'vscode';
import { DEFAULT_CONNECT_TIMEOUT_MS } from '../../core/nats/connect-options';
import { NatsConnectionPool } from '../../core/nats/connection-pool';
import { DEFAULT_PING_TIMEOUT_MS } from '../../core/nats/host-ping';
import type { FeatureDeps } from '../shared/deps';
import { addConnection } from './add-connection';
import { CONFIG_SECTION, ConnectionSources } from './connection-sources';
import { ENTRY_SCHEME, EntryDocumentProvider, entryUri } from './entry-document';
import { EnvLatticeIndex } from './env-lattices';
import { PurgeFlow } from './purge-command';
import { removeConnection } from './remove-connection';
import { setConnectionSecret } from './set-secret';
import { LatticeTreeProvider } from './tree-provider';
import {
  SET_PASSWORD_COMMAND,
  SET_TOKEN_COMMAND,
  VIEW_ID,
  connectionOf,
  type CacheNode,
  type ConnectionNode,
  type EntryNode,
  type ErrorNode,
  type ExplorerNode,
  type GroupNode,
  type MoreNode,
} from './tree-nodes';

const DEFAULT_PAGE_SIZE = 100;

/** Explorer parts that tests and other features reach through the extension API. */
export interface ExplorerApi {
  /** The tree as the view shows it. */
  readonly tree: vscode.TreeDataProvider<ExplorerNode>;
}

function setting<T>(key: string, fallback: T): T {
  return vscode.workspace.getConfiguration(CONFIG_SECTION).get<T>(key, fallback);
}

function boundedSetting(key: string, fallback: number, min: number, max: number): number {
  const value = setting<number>(key, fallback);
  return Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : fallback;
}

/**
 * Registers the Lattices view (connections, lattices, caches, entries), its
 * commands, the read-only entry documents and the NATS connection pool,
 * which is closed when the extension deactivates.
 */
export function registerExplorer(context: vscode.ExtensionContext, deps: FeatureDeps): ExplorerApi {
  const { logger } = deps;
  const sources = new ConnectionSources(context.secrets, logger);
  const pool = new NatsConnectionPool({
    logger,
    resolveSecrets: (profile) => sources.secretsFor(profile),
    connectTimeoutMs: () => boundedSetting('explorer.connectTimeoutMs', DEFAULT_CONNECT_TIMEOUT_MS, 500, 60_000),
    clientName: 'wasmcloud-lattice vscode',
  });
  context.subscriptions.push({ dispose: () => void pool.dispose() });

  const envLattices = new EnvLatticeIndex(logger);
  const provider = new LatticeTreeProvider(
    sources,
    pool,
    logger,
    { pageSize: () => boundedSetting('explorer.pageSize', DEFAULT_PAGE_SIZE, 10, 1_000) },
    () => envLattices.lattices(),
  );
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  context.subscriptions.push(envLattices, provider, view, envLattices.onDidChange(() => provider.refresh()));

  const purge = new PurgeFlow({
    pool,
    logger,
    prompter: () => deps.prompter.get(),
    pingTimeoutMs: () => boundedSetting('explorer.pingTimeoutMs', DEFAULT_PING_TIMEOUT_MS, 100, 30_000),
    refresh: (profileId) => provider.refreshConnection(profileId),
    reveal: async (node) => {
      await view.reveal(node, { select: true, focus: true, expand: true });
    },
  });

  // The node is the connection, or the error node below it that reports the missing secret.
  const setSecret = async (node?: ExplorerNode): Promise<void> => {
    const connection = connectionOf(node);
    const profile = connection?.profile;
    if (!(await setConnectionSecret(deps.prompter.get(), sources, profile)) || profile === undefined) {
      return;
    }
    logger.info(`Stored a new ${profile.auth.kind === 'token' ? 'token' : 'password'} for connection "${profile.name}".`);
    // The secret is not part of the pool's fingerprint, so an open connection is closed to use the new one.
    await pool.close(profile.id);
    provider.refreshConnection(profile.id);
    await deps.prompter.get().notify('info', `Stored the ${profile.auth.kind === 'token' ? 'token' : 'password'} of connection "${profile.name}" in secret storage.`);
  };

  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(ENTRY_SCHEME, new EntryDocumentProvider(sources, pool, logger)),

    pool.onDidChangeState((profileId, state) => {
      if (state === 'disconnected') {
        provider.setConnectionState(profileId, 'reconnecting…');
      } else {
        provider.setConnectionState(profileId, undefined);
        if (state === 'reconnected') {
          provider.refreshConnection(profileId);
        }
      }
    }),

    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(`${CONFIG_SECTION}.connections`) || event.affectsConfiguration(`${CONFIG_SECTION}.explorer`)) {
        provider.refresh();
      }
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => provider.refresh()),

    vscode.commands.registerCommand('wasmcloudLattice.addConnection', async () => {
      const name = await addConnection(deps.prompter.get(), sources);
      if (name !== undefined) {
        logger.info(`Added NATS connection "${name}".`);
        provider.refresh();
        await deps.prompter.get().notify('info', `Added NATS connection "${name}". Open the Lattices view to browse it.`);
      }
    }),

    vscode.commands.registerCommand('wasmcloudLattice.removeConnection', async (node?: ConnectionNode) => {
      const removed = await removeConnection(deps.prompter.get(), sources, node?.profile);
      if (removed !== undefined) {
        await pool.close(removed);
        provider.refresh();
      }
    }),

    vscode.commands.registerCommand('wasmcloudLattice.refresh', (node?: ExplorerNode) => provider.refreshNode(node)),

    vscode.commands.registerCommand(SET_PASSWORD_COMMAND, setSecret),
    vscode.commands.registerCommand(SET_TOKEN_COMMAND, setSecret),

    vscode.commands.registerCommand('wasmcloudLattice.explorer.retry', (node?: ErrorNode) => {
      provider.refresh(node?.retryTarget);
    }),

    vscode.commands.registerCommand('wasmcloudLattice.explorer.loadMore', (node: MoreNode) => provider.loadMore(node)),

    vscode.commands.registerCommand('wasmcloudLattice.purgeCache', (node?: CacheNode) => {
      if (node?.type !== 'cache') {
        return deps.prompter.get().notify('info', 'Select a cache in the Lattices view, then run Purge Cache… from its context menu.');
      }
      return purge.run({ profile: node.profile, lattice: node.cache.lattice, target: { stream: node.cache.stream }, node });
    }),

    vscode.commands.registerCommand('wasmcloudLattice.purgeEntries', (node?: GroupNode) => {
      if (node?.type !== 'group' || !node.group.purgeable) {
        return deps.prompter.get().notify('info', 'Select an entry kind (Claims, Link definitions, OCI reference maps) of a lattice cache stream in the Lattices view.');
      }
      return purge.run({ profile: node.profile, lattice: node.cache.lattice, target: { stream: node.cache.stream, subject: node.group.filter }, node });
    }),

    vscode.commands.registerCommand('wasmcloudLattice.openEntry', async (node?: EntryNode) => {
      if (node?.type !== 'entry') {
        return;
      }
      const document = await vscode.workspace.openTextDocument(entryUri(node.profile.id, node.entry.stream, node.entry.seq));
      await vscode.window.showTextDocument(document, { preview: true });
    }),
  );

  logger.debug(`Lattice explorer registered (view ${VIEW_ID}).`);
  return { tree: provider };
}
