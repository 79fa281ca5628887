/**
 * Runs in a workspace that is not trusted (the runner starts a code-server
 * with workspace trust on for it). Its .vscode/settings.json names a NATS
 * connection with a creds file. Neither may be used, and the Lattices view
 * must explain why. Connections from user settings still work.
 *
 * The runner checks from outside that nothing dialed the workspace
 * connection's port and nothing opened its creds file (a FIFO).
 */
import * as assert from 'node:assert/strict';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import * as vscode from 'vscode';
import type { ExplorerNode, MessageNode } from '../../src/features/explorer/tree-nodes';
import type { ExtensionApi } from '../../src/features/shared/deps';
import { NatsServer } from '../support/nats-server';

/** The connection the runner wrote into the workspace settings. */
const WORKSPACE_CONNECTION = process.env.WCL_UNTRUSTED_CONNECTION ?? 'workspace-only';

async function activate(): Promise<ExtensionApi> {
  const extension = vscode.extensions.all.find((candidate) => candidate.packageJSON?.name === 'wasmcloud-lattice') as vscode.Extension<ExtensionApi> | undefined;
  assert.ok(extension, 'the wasmcloud-lattice extension is not loaded');
  return extension.activate();
}

async function labels(api: ExtensionApi, nodes: readonly ExplorerNode[]): Promise<string[]> {
  return Promise.all(
    nodes.map(async (node) => {
      const label = (await api.explorer.tree.getTreeItem(node)).label;
      return typeof label === 'string' ? label : (label?.label ?? '');
    }),
  );
}

suite('Untrusted workspace', () => {
  let api: ExtensionApi;

  suiteSetup(async () => {
    api = await activate();
  });

  test('workspace is not trusted', () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the harness opened a trusted workspace, so restricted mode cannot be tested');
    // The runner's settings file also sets the page size, which is not restricted: it shows the file was read.
    const pageSize = vscode.workspace.getConfiguration('wasmcloudLattice').inspect<number>('explorer.pageSize');
    assert.equal(pageSize?.workspaceValue, 42, `the workspace settings were not read: ${JSON.stringify(pageSize)}`);
  });

  test('view says why workspace connections are unused', async () => {
    const root = (await api.explorer.tree.getChildren()) ?? [];
    const message = root.find((node): node is MessageNode => node.type === 'message' && node.id === 'message/untrusted');
    const inspected = vscode.workspace.getConfiguration('wasmcloudLattice').inspect<unknown>('connections');
    assert.ok(
      message,
      `no explanation in the view; root: ${JSON.stringify(await labels(api, root))}; VS Code reports the restricted setting as ${JSON.stringify(inspected)}`,
    );
    const item = await api.explorer.tree.getTreeItem(message);
    assert.equal(item.label, 'Workspace connections are not used');
    assert.equal(item.description, 'this workspace is not trusted');
    assert.match(String(item.tooltip), /used only after you trust the workspace/);
    assert.ok(!(await labels(api, root)).includes(WORKSPACE_CONNECTION), 'the workspace connection is listed');
  });

  test('user settings connections still work', async () => {
    const server = await NatsServer.start();
    const nc = await connect({ servers: server.url });
    try {
      await (await jetstreamManager(nc)).streams.add({ name: 'LATTICECACHE_usertrusted', subjects: ['lc.usertrusted.>'] });
      await vscode.workspace.getConfiguration('wasmcloudLattice').update('connections', [{ name: 'from-user', servers: [server.url] }], vscode.ConfigurationTarget.Global);
      await vscode.workspace.getConfiguration('wasmcloudLattice').update('explorer.natsContexts', false, vscode.ConfigurationTarget.Global);
      const root = (await api.explorer.tree.getChildren()) ?? [];
      const names = await labels(api, root);
      assert.ok(names.includes('from-user'), `the user connection is missing: ${JSON.stringify(names)}`);
      assert.ok(!names.includes(WORKSPACE_CONNECTION), 'the workspace connection is listed');
      const user = root.find((node) => node.type === 'connection' && node.profile.name === 'from-user') as ExplorerNode;
      const lattices = await labels(api, (await api.explorer.tree.getChildren(user)) ?? []);
      assert.ok(lattices.includes('usertrusted'), `the user connection lists ${JSON.stringify(lattices)}`);
    } finally {
      await vscode.workspace.getConfiguration('wasmcloudLattice').update('connections', undefined, vscode.ConfigurationTarget.Global);
      await vscode.workspace.getConfiguration('wasmcloudLattice').update('explorer.natsContexts', undefined, vscode.ConfigurationTarget.Global);
      await nc.close();
      await server.dispose();
    }
  });
});
