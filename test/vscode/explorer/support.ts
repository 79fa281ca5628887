import * as assert from 'node:assert/strict';
import type { NatsConnection } from '@nats-io/transport-node';
import * as vscode from 'vscode';
import type { ExplorerNode } from '../../../src/features/explorer/tree-nodes';
import type { ExtensionApi } from '../../../src/features/shared/deps';

export async function activateExtension(): Promise<ExtensionApi> {
  const extension = vscode.extensions.all.find((candidate) => candidate.packageJSON?.name === 'wasmcloud-lattice') as vscode.Extension<ExtensionApi> | undefined;
  assert.ok(extension, 'the wasmcloud-lattice extension is not loaded');
  return extension.activate();
}

/** Loads the children of `node` (the root when undefined) as the view would. */
export async function childrenOf(api: ExtensionApi, node?: ExplorerNode): Promise<ExplorerNode[]> {
  return (await api.explorer.tree.getChildren(node)) ?? [];
}

/** Returns the label of a node's tree item. */
export async function labelOf(api: ExtensionApi, node: ExplorerNode): Promise<string> {
  const item = await api.explorer.tree.getTreeItem(node);
  const label = item.label;
  return typeof label === 'string' ? label : (label?.label ?? '');
}

/** Finds the child of `node` whose tree item label is `label`, or fails listing the labels there are. */
export async function childLabelled(api: ExtensionApi, node: ExplorerNode | undefined, label: string): Promise<ExplorerNode> {
  const children = await childrenOf(api, node);
  const labels: string[] = [];
  for (const child of children) {
    const text = await labelOf(api, child);
    if (text === label) {
      return child;
    }
    labels.push(text);
  }
  assert.fail(`No child labelled '${label}' under ${node?.id ?? 'the root'}; found: ${JSON.stringify(labels)}`);
}

/** Walks labels from the root: `walk(api, 'demo', 'default', 'LATTICECACHE_default')`. */
export async function walk(api: ExtensionApi, ...labels: string[]): Promise<ExplorerNode> {
  let node: ExplorerNode | undefined;
  for (const label of labels) {
    node = await childLabelled(api, node, label);
  }
  assert.ok(node, 'walk needs at least one label');
  return node;
}

/** Message count of a stream, read with a plain JetStream API request. */
export async function streamMessages(nc: NatsConnection, stream: string): Promise<number> {
  const reply = await nc.request(`$JS.API.STREAM.INFO.${stream}`, undefined, { timeout: 5_000 });
  const info = reply.json<{ state?: { messages: number }; error?: { description: string } }>();
  assert.ok(info.state, `stream info of ${stream} failed: ${info.error?.description ?? 'no state'}`);
  return info.state.messages;
}

/** Sets `wasmcloudLattice.*` settings in the workspace; `undefined` removes one. */
export async function setWorkspaceSettings(values: Record<string, unknown>): Promise<void> {
  const config = vscode.workspace.getConfiguration('wasmcloudLattice');
  for (const [key, value] of Object.entries(values)) {
    await config.update(key, value, vscode.ConfigurationTarget.Workspace);
  }
}
