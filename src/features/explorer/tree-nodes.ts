import * as vscode from 'vscode';
import type { CacheEntry, EntryGroup } from '../../core/nats/cache-entries';
import { cacheKindLabel, type CacheStats } from '../../core/nats/cache-streams';
import { displayText } from '../../core/nats/display-text';
import { countOf, formatBytes, formatTimeAgo } from '../../core/nats/format';
import { describeServers, type ConnectionProfile } from '../../core/nats/profile';
import { secretFieldOf } from './connection-sources';

export const VIEW_ID = 'wasmcloudLattice.explorer';
export const SET_PASSWORD_COMMAND = 'wasmcloudLattice.setConnectionPassword';
export const SET_TOKEN_COMMAND = 'wasmcloudLattice.setConnectionToken';

interface BaseNode {
  /** Stable tree item id, built from the parent's id, so expansion survives a refresh. */
  readonly id: string;
  readonly parent?: ExplorerNode;
}

export interface ConnectionNode extends BaseNode {
  readonly type: 'connection';
  readonly profile: ConnectionProfile;
  readonly expanded: boolean;
}

export interface LatticeNode extends BaseNode {
  readonly type: 'lattice';
  readonly profile: ConnectionProfile;
  readonly name: string;
  readonly caches: CacheStats[];
  /** Host `.env` files of the workspace that name this lattice. */
  readonly envFiles: string[];
}

export interface CacheNode extends BaseNode {
  readonly type: 'cache';
  readonly profile: ConnectionProfile;
  readonly cache: CacheStats;
}

export interface GroupNode extends BaseNode {
  readonly type: 'group';
  readonly profile: ConnectionProfile;
  readonly cache: CacheStats;
  readonly group: EntryGroup;
  readonly count: number;
}

export interface EntryNode extends BaseNode {
  readonly type: 'entry';
  readonly profile: ConnectionProfile;
  readonly cache: CacheStats;
  readonly entry: CacheEntry;
}

export interface MoreNode extends BaseNode {
  readonly type: 'more';
  readonly group: GroupNode;
  readonly remaining: number;
}

export interface ErrorNode extends BaseNode {
  readonly type: 'error';
  readonly message: string;
  /** The node whose children failed to load; Retry reloads it (the whole tree when undefined). */
  readonly retryTarget: ExplorerNode | undefined;
  /** Set when a settings connection failed because this secret is not stored; the node then offers Set Password… or Set Token…. */
  readonly missingSecret?: 'password' | 'token';
}

export interface MessageNode extends BaseNode {
  readonly type: 'message';
  readonly label: string;
  readonly description?: string;
  readonly tooltip?: string;
  readonly icon: string;
  readonly command?: vscode.Command;
}

export type ExplorerNode = ConnectionNode | LatticeNode | CacheNode | GroupNode | EntryNode | MoreNode | ErrorNode | MessageNode;

/** Returns the connection node a node belongs to, if any. */
export function connectionOf(node: ExplorerNode | undefined): ConnectionNode | undefined {
  let current = node;
  while (current !== undefined && current.type !== 'connection') {
    current = current.parent;
  }
  return current;
}

const CACHE_ICONS: Record<CacheStats['kind'], string> = {
  latticecache: 'database',
  'kv-latticedata': 'symbol-key',
  'kv-configdata': 'settings',
  'object-store': 'file-binary',
};

const GROUP_ICONS: Record<EntryGroup['kind'], string> = {
  claims: 'verified',
  linkdefs: 'link',
  refmap: 'package',
  other: 'question',
  'kv-keys': 'key',
  objects: 'file',
};

const SOURCE_LABELS: Record<ConnectionProfile['source'], string> = {
  settings: 'settings',
  'nats-context': 'NATS context',
  default: 'default',
  'command-line': 'command line',
};

// Tooltip values include stream subjects and entry fields from the server, so they are cleaned like labels, with a longer limit.
const MAX_TOOLTIP_VALUE_LENGTH = 500;

function markdownTable(rows: [string, string][]): vscode.MarkdownString {
  const escape = (text: string): string => displayText(text, MAX_TOOLTIP_VALUE_LENGTH).replace(/\|/g, '\\|');
  const markdown = new vscode.MarkdownString(['| | |', '|---|---|', ...rows.map(([name, value]) => `| ${escape(name)} | ${escape(value)} |`)].join('\n'));
  markdown.supportHtml = false;
  return markdown;
}

function cacheDescription(cache: CacheStats): string {
  const activity = cache.lastActivity === undefined ? 'never written' : formatTimeAgo(cache.lastActivity);
  return `${countOf(cache.messages, 'msg')} · ${formatBytes(cache.bytes)} · ${activity}`;
}

function cacheTooltip(cache: CacheStats): vscode.MarkdownString {
  return markdownTable([
    ['Stream', cache.stream],
    ['Kind', cacheKindLabel(cache.kind)],
    ['Messages', String(cache.messages)],
    ['Bytes', `${formatBytes(cache.bytes)} (${cache.bytes})`],
    ['Last activity', cache.lastActivity?.toISOString() ?? 'none'],
    ['Storage', cache.storage],
    ['Replicas', String(cache.replicas)],
    ['Subjects', cache.subjects.join(', ')],
    ['First sequence', String(cache.firstSeq)],
    ['Last sequence', String(cache.lastSeq)],
    ['Created', cache.created.toISOString()],
    ['Consumers', String(cache.consumers)],
  ]);
}

function tlsMode(profile: ConnectionProfile): string {
  if (profile.tls === undefined) {
    return 'off';
  }
  return profile.tls.handshakeFirst ? 'TLS first' : 'on';
}

function entryIcon(entry: CacheEntry): string {
  if (entry.decoded.ok) {
    return 'json';
  }
  return entry.operation === 'put' ? 'warning' : 'trash';
}

function connectionItem(node: ConnectionNode, state: string | undefined): vscode.TreeItem {
  const { profile } = node;
  const item = new vscode.TreeItem(profile.name, node.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
  const source = profile.selected ? 'selected NATS context' : SOURCE_LABELS[profile.source];
  item.description = [describeServers(profile.servers), source, state].filter((part) => part !== undefined).join(' · ');
  item.iconPath = new vscode.ThemeIcon(state === undefined ? 'server-environment' : 'debug-disconnect');
  // `connection.settings.password` and `.token` offer Set Password… or Set Token… in the context menu.
  const secret = secretFieldOf(profile);
  item.contextValue = secret === undefined ? `connection.${profile.source}` : `connection.${profile.source}.${secret}`;
  item.tooltip = markdownTable([
    ['Servers', profile.servers.join(', ')],
    ['Source', profile.origin === undefined ? source : `${source} (${profile.origin})`],
    ['Auth', profile.auth.kind],
    ['TLS', tlsMode(profile)],
    ['JetStream domain', profile.jetstreamDomain ?? '-'],
    ...(profile.description === undefined ? [] : [['Description', profile.description] as [string, string]]),
  ]);
  return item;
}

function entryItem(node: EntryNode): vscode.TreeItem {
  const { entry } = node;
  const decoded = entry.decoded;
  // The decoding and the key are cleaned with displayText in the core already.
  const item = new vscode.TreeItem(decoded.ok ? decoded.label : entry.key, vscode.TreeItemCollapsibleState.None);
  item.description = decoded.ok ? decoded.description : decoded.reason;
  item.iconPath = new vscode.ThemeIcon(entryIcon(entry));
  item.contextValue = 'entry';
  item.tooltip = markdownTable([
    ['Subject', entry.subject],
    ['Sequence', String(entry.seq)],
    ['Time', entry.time.toISOString()],
    ['Size', formatBytes(entry.size)],
    ...(decoded.ok ? decoded.fields : [['Problem', decoded.reason] as [string, string]]),
  ]);
  item.command = { command: 'wasmcloudLattice.openEntry', title: 'Open Entry', arguments: [node] };
  return item;
}

/** Renders a node as a tree item. `state` is the connection state text for connection nodes ("reconnecting…"). */
export function toTreeItem(node: ExplorerNode, state?: string): vscode.TreeItem {
  let item: vscode.TreeItem;
  switch (node.type) {
    case 'connection':
      item = connectionItem(node, state);
      break;
    case 'lattice': {
      // Lattice and stream names come from stream names on the server.
      item = new vscode.TreeItem(displayText(node.name), node.caches.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
      item.description = node.caches.length === 0 ? 'no cache yet' : countOf(node.caches.length, 'cache');
      item.iconPath = new vscode.ThemeIcon('type-hierarchy');
      item.contextValue = node.caches.length === 0 ? 'lattice.empty' : 'lattice';
      const rows: [string, string][] = [['Lattice', node.name], ...node.caches.map((cache): [string, string] => [cacheKindLabel(cache.kind), cache.stream])];
      if (node.envFiles.length > 0) {
        rows.push(['Named in', node.envFiles.join(', ')]);
      }
      item.tooltip = markdownTable(rows);
      break;
    }
    case 'cache':
      item = new vscode.TreeItem(displayText(node.cache.stream), vscode.TreeItemCollapsibleState.Collapsed);
      item.description = cacheDescription(node.cache);
      item.iconPath = new vscode.ThemeIcon(CACHE_ICONS[node.cache.kind]);
      item.contextValue = `cache.${node.cache.kind}`;
      item.tooltip = cacheTooltip(node.cache);
      break;
    case 'group':
      item = new vscode.TreeItem(node.group.label, node.count > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
      item.description = String(node.count);
      item.iconPath = new vscode.ThemeIcon(GROUP_ICONS[node.group.kind]);
      item.contextValue = node.group.purgeable ? 'group.purgeable' : 'group';
      item.tooltip = `${countOf(node.count, 'message')} on ${node.group.filter}`;
      break;
    case 'entry':
      item = entryItem(node);
      break;
    case 'more':
      item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
      item.description = `${node.remaining} more`;
      item.iconPath = new vscode.ThemeIcon('ellipsis');
      item.contextValue = 'more';
      item.command = { command: 'wasmcloudLattice.explorer.loadMore', title: 'Load More', arguments: [node] };
      break;
    case 'error':
      item = new vscode.TreeItem(node.message, vscode.TreeItemCollapsibleState.None);
      item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
      if (node.missingSecret === undefined) {
        item.contextValue = 'error';
        item.tooltip = `${node.message}\n\nRetry, or open the log for details.`;
        item.command = { command: 'wasmcloudLattice.explorer.retry', title: 'Retry', arguments: [node] };
      } else {
        // Clicking the node prompts for the missing secret, and Retry and Show Log stay in its menu.
        const command = node.missingSecret === 'password' ? SET_PASSWORD_COMMAND : SET_TOKEN_COMMAND;
        item.contextValue = `error.${node.missingSecret}`;
        item.tooltip = `${node.message}\n\nClick to store the ${node.missingSecret}.`;
        item.command = { command, title: node.missingSecret === 'password' ? 'Set Password…' : 'Set Token…', arguments: [node] };
      }
      break;
    case 'message':
      item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
      item.description = node.description;
      item.tooltip = node.tooltip;
      item.iconPath = new vscode.ThemeIcon(node.icon);
      item.contextValue = 'message';
      item.command = node.command;
      break;
  }
  item.id = node.id;
  return item;
}
