import * as vscode from 'vscode';
import { countGroupEntries, entryGroups, listCacheEntries, type CacheEntry } from '../../core/nats/cache-entries';
import { getCacheStats, listLatticeCaches, type CacheStats } from '../../core/nats/cache-streams';
import type { NatsConnectionPool } from '../../core/nats/connection-pool';
import { classifyNatsError, failureLogLine, NatsFailure } from '../../core/nats/errors';
import { describeServers, type ConnectionProfile } from '../../core/nats/profile';
import type { LatticeSession } from '../../core/nats/session';
import type { ChannelLogger } from '../shared/log';
import { secretFieldOf, type ConnectionSources } from './connection-sources';
import {
  VIEW_ID,
  toTreeItem,
  type CacheNode,
  type ConnectionNode,
  type ExplorerNode,
  type GroupNode,
  type LatticeNode,
  type MessageNode,
  type MoreNode,
} from './tree-nodes';

/** Lattice names from the workspace's host `.env` files, with the files that name each. */
export type EnvLatticeSource = () => Promise<Map<string, string[]>>;

interface LoadedPages {
  entries: CacheEntry[];
  nextSeq?: number;
  remaining: number;
}

export interface ExplorerSettings {
  pageSize(): number;
}

/**
 * Tree of connections, lattices, caches, entry groups and entries. It
 * connects only from `getChildren`, which VS Code calls while the view is
 * visible, and turns every failure into an error node with Retry.
 */
export class LatticeTreeProvider implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  private readonly pages = new Map<string, LoadedPages>();
  /** Stats read again by refreshing a cache node, by node id; they replace the stats the node was created with. */
  private readonly refreshedStats = new Map<string, CacheStats>();
  private readonly connectionStates = new Map<string, string>();
  private connectionNodes = new Map<string, ConnectionNode>();

  constructor(
    private readonly sources: ConnectionSources,
    private readonly pool: NatsConnectionPool,
    private readonly logger: ChannelLogger,
    private readonly settings: ExplorerSettings,
    private readonly envLattices: EnvLatticeSource = async () => new Map(),
  ) {}

  dispose(): void {
    this.changed.dispose();
  }

  /** Reloads `node` (the whole tree when undefined), dropping loaded entry pages and refreshed stats below it. */
  refresh(node?: ExplorerNode): void {
    this.forgetBelow(node);
    this.changed.fire(node);
  }

  private forgetBelow(node: ExplorerNode | undefined): void {
    const below = (id: string): boolean => node === undefined || id === node.id || id.startsWith(`${node.id}/`);
    for (const id of [...this.pages.keys()].filter(below)) {
      this.pages.delete(id);
    }
    for (const id of [...this.refreshedStats.keys()].filter(below)) {
      this.refreshedStats.delete(id);
    }
  }

  /**
   * Reloads `node` as `refresh` does. A cache node first reads its stream
   * info again, because VS Code requests the tree item of the same node
   * object, so its label (messages, bytes, last activity) would stay stale.
   */
  async refreshNode(node?: ExplorerNode): Promise<void> {
    if (node?.type !== 'cache') {
      this.refresh(node);
      return;
    }
    let stats: CacheStats | undefined;
    try {
      const session = await this.session(node.profile);
      stats = await this.withViewProgress(() => getCacheStats(session, node.cache.stream));
    } catch (error) {
      const failure = classifyNatsError(error, { server: node.profile.servers.join(', '), connection: node.profile.name, stream: node.cache.stream });
      this.logger.error(failureLogLine(`Refreshing ${node.id}`, failure));
      // A deleted stream disappears from its lattice; other failures show as the node's error child.
      this.refresh(failure.kind === 'stream-not-found' ? node.parent : node);
      return;
    }
    this.forgetBelow(node);
    this.refreshedStats.set(node.id, stats);
    this.changed.fire(node);
  }

  /** Returns the stats a cache node shows: those of its last refresh, else those it was created with. */
  private statsOf(node: CacheNode): CacheStats {
    return this.refreshedStats.get(node.id) ?? node.cache;
  }

  /** Reloads the connection node of `profileId`, e.g. after a purge or a reconnect. */
  refreshConnection(profileId: string): void {
    const node = this.connectionNodes.get(profileId);
    this.refresh(node);
  }

  /** Shows a connection state ("reconnecting…") next to the connection, or clears it. */
  setConnectionState(profileId: string, state: string | undefined): void {
    if (state === undefined) {
      this.connectionStates.delete(profileId);
    } else {
      this.connectionStates.set(profileId, state);
    }
    const node = this.connectionNodes.get(profileId);
    if (node !== undefined) {
      this.changed.fire(node);
    }
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    if (node.type === 'cache') {
      return toTreeItem({ ...node, cache: this.statsOf(node) });
    }
    return toTreeItem(node, node.type === 'connection' ? this.connectionStates.get(node.profile.id) : undefined);
  }

  getParent(node: ExplorerNode): ExplorerNode | undefined {
    return node.parent;
  }

  async getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    try {
      return await this.withViewProgress(() => this.children(node));
    } catch (error) {
      const connection = node?.type === 'connection' ? node.profile : undefined;
      const failure = classifyNatsError(error, { server: connection?.servers.join(', ') ?? 'NATS', connection: connection?.name });
      this.logger.error(failureLogLine(`Loading ${node === undefined ? 'the lattice explorer' : node.id}`, failure));
      const missing = connection !== undefined && failure.kind === 'authorization' ? await this.missingSecret(connection) : undefined;
      if (missing !== undefined && connection !== undefined) {
        const noun = connection.auth.kind === 'user-password' ? `password for user ${connection.auth.user}` : 'token';
        return [
          {
            type: 'error',
            id: `${node?.id ?? 'root'}/error`,
            parent: node,
            message: `No ${noun} is stored for connection "${connection.name}", and ${describeServers(connection.servers)} rejected it without one. Use Set ${missing === 'password' ? 'Password' : 'Token'}… to store it in secret storage.`,
            retryTarget: node,
            missingSecret: missing,
          },
        ];
      }
      return [{ type: 'error', id: `${node?.id ?? 'root'}/error`, parent: node, message: failure.message, retryTarget: node }];
    }
  }

  /** Returns the secret a settings connection needs but has not stored, if any. */
  private async missingSecret(profile: ConnectionProfile): Promise<'password' | 'token' | undefined> {
    const field = secretFieldOf(profile);
    if (field === undefined) {
      return undefined;
    }
    const stored = await this.sources.secretsFor(profile);
    return stored[field] === undefined || stored[field] === '' ? field : undefined;
  }

  /** Loads the next page of a group's entries and shows it below the ones already loaded. */
  async loadMore(node: MoreNode): Promise<void> {
    const group = node.group;
    const loaded = this.pages.get(group.id);
    if (loaded === undefined || loaded.nextSeq === undefined) {
      this.refresh(group);
      return;
    }
    try {
      const session = await this.session(group.profile);
      const page = await this.withViewProgress(() =>
        listCacheEntries(session, group.cache, group.group, { startSeq: loaded.nextSeq, limit: this.settings.pageSize() }),
      );
      this.pages.set(group.id, { entries: [...loaded.entries, ...page.entries], nextSeq: page.nextSeq, remaining: page.remaining });
    } catch (error) {
      const failure = classifyNatsError(error, { server: group.profile.servers.join(', '), connection: group.profile.name, stream: group.cache.stream });
      this.logger.error(failureLogLine(`Loading more entries of ${group.id}`, failure));
      this.pages.delete(group.id);
    }
    this.changed.fire(group);
  }

  private async withViewProgress<T>(work: () => Promise<T>): Promise<T> {
    return vscode.window.withProgress({ location: { viewId: VIEW_ID } }, work);
  }

  private session(profile: ConnectionProfile): Promise<LatticeSession> {
    return this.pool.session(profile);
  }

  private async children(node: ExplorerNode | undefined): Promise<ExplorerNode[]> {
    if (node === undefined) {
      return this.rootChildren();
    }
    switch (node.type) {
      case 'connection':
        return this.latticeNodes(node);
      case 'lattice':
        return node.caches.map((cache): CacheNode => ({ type: 'cache', id: `${node.id}/cache/${cache.stream}`, parent: node, profile: node.profile, cache }));
      case 'cache':
        return this.groupNodes({ ...node, cache: this.statsOf(node) });
      case 'group':
        return this.entryNodes(node);
      default:
        return [];
    }
  }

  private async rootChildren(): Promise<ExplorerNode[]> {
    const list = await this.sources.list();
    const nodes: ExplorerNode[] = [];
    if (list.untrustedIgnored) {
      nodes.push({
        type: 'message',
        id: 'message/untrusted',
        label: 'Workspace connections are not used',
        description: 'this workspace is not trusted',
        tooltip:
          'wasmcloudLattice.connections in this workspace names NATS servers and credential files. They are used only after you trust the workspace; user settings and NATS contexts still apply.',
        icon: 'workspace-untrusted',
        command: { command: 'workbench.trust.manage', title: 'Manage Workspace Trust' },
      });
    }
    list.problems.forEach((problem, index) => {
      nodes.push({
        type: 'message',
        id: `message/problem/${index}`,
        label: problem,
        tooltip: problem,
        icon: 'warning',
        command: { command: 'workbench.action.openSettings', title: 'Open Settings', arguments: ['wasmcloudLattice.connections'] },
      });
    });

    if (list.onlyDefault) {
      // With nothing configured, the local default server is listed only
      // when it accepts a connection. Otherwise the view is empty and shows
      // its welcome text.
      const [profile] = list.profiles;
      try {
        await this.session(profile);
      } catch (error) {
        this.logger.info(`No connection is configured and ${profile.servers[0]} does not answer: ${error instanceof NatsFailure ? error.message : String(error)}`);
        this.connectionNodes = new Map();
        return nodes;
      }
    }

    // A connection whose profile left the settings is closed, not left idle.
    const listed = new Set(list.profiles.map((profile) => profile.id));
    for (const id of this.pool.openProfileIds().filter((open) => !listed.has(open))) {
      this.logger.info(`Closing the connection of "${id}": it is no longer configured.`);
      void this.pool.close(id);
    }

    const expanded = list.profiles.length === 1;
    const connections = list.profiles.map((profile): ConnectionNode => ({ type: 'connection', id: `connection/${profile.id}`, profile, expanded }));
    this.connectionNodes = new Map(connections.map((connection) => [connection.profile.id, connection]));
    return [...nodes, ...connections];
  }

  private async latticeNodes(node: ConnectionNode): Promise<ExplorerNode[]> {
    const session = await this.session(node.profile);
    const [lattices, fromEnv] = await Promise.all([listLatticeCaches(session), this.envLattices()]);

    const names = new Set([...lattices.map((lattice) => lattice.name), ...fromEnv.keys()]);
    const sorted = [...names].sort((a, b) => a.localeCompare(b));
    if (sorted.length === 0) {
      const message: MessageNode = {
        type: 'message',
        id: `${node.id}/message/empty`,
        parent: node,
        label: 'No lattice caches on this server',
        description: session.server,
        tooltip: 'No stream named LATTICECACHE_*, KV_LATTICEDATA_*, KV_CONFIGDATA_* or OBJ_* exists in this account.',
        icon: 'info',
      };
      return [message];
    }
    return sorted.map(
      (name): LatticeNode => ({
        type: 'lattice',
        id: `${node.id}/lattice/${name}`,
        parent: node,
        profile: node.profile,
        name,
        caches: lattices.find((lattice) => lattice.name === name)?.caches ?? [],
        envFiles: fromEnv.get(name) ?? [],
      }),
    );
  }

  private async groupNodes(node: CacheNode): Promise<ExplorerNode[]> {
    const session = await this.session(node.profile);
    const groups = entryGroups(node.cache);
    const counts = await Promise.all(groups.map((group) => countGroupEntries(session, node.cache, group)));
    return groups
      .map((group, index): GroupNode => ({ type: 'group', id: `${node.id}/group/${group.kind}`, parent: node, profile: node.profile, cache: node.cache, group, count: counts[index] }))
      .filter((group) => group.group.kind !== 'other' || group.count > 0);
  }

  private async entryNodes(node: GroupNode): Promise<ExplorerNode[]> {
    let loaded = this.pages.get(node.id);
    if (loaded === undefined) {
      const session = await this.session(node.profile);
      const page = await listCacheEntries(session, node.cache, node.group, { startSeq: 1, limit: this.settings.pageSize() });
      loaded = { entries: page.entries, nextSeq: page.nextSeq, remaining: page.remaining };
      this.pages.set(node.id, loaded);
    }
    const entries: ExplorerNode[] = loaded.entries.map((entry) => ({
      type: 'entry',
      id: `${node.id}/entry/${entry.seq}`,
      parent: node,
      profile: node.profile,
      cache: node.cache,
      entry,
    }));
    if (loaded.nextSeq !== undefined) {
      entries.push({ type: 'more', id: `${node.id}/more`, parent: node, group: node, remaining: loaded.remaining });
    }
    return entries;
  }
}
