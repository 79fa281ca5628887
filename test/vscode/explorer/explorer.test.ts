import * as assert from 'node:assert/strict';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import * as vscode from 'vscode';
import type { CacheNode, ConnectionNode, EntryNode, ErrorNode, GroupNode } from '../../../src/features/explorer/tree-nodes';
import type { ExtensionApi } from '../../../src/features/shared/deps';
import { NatsServer } from '../../support/nats-server';
import { buildSampleLattice, seedSampleLattice, type SampleLattice } from '../../support/sample-lattice';
import { ScriptedPrompter } from '../../support/scripted-prompter';
import { activateExtension, childLabelled, childrenOf, labelOf, setWorkspaceSettings, streamMessages, walk } from './support';

const LATTICE = 'default';

suite('Explorer: lattice caches', () => {
  let api: ExtensionApi;
  let server: NatsServer;
  let nc: NatsConnection;
  let lattice: SampleLattice;
  let prompter: ScriptedPrompter;
  const responders: Subscription[] = [];

  suiteSetup(async () => {
    api = await activateExtension();
    server = await NatsServer.start();
    nc = await connect({ servers: server.url });
    await setWorkspaceSettings({
      connections: [{ name: 'demo', servers: [server.url] }],
      'explorer.natsContexts': false,
      'explorer.pingTimeoutMs': 300,
    });
  });

  setup(async () => {
    const jsm = await jetstreamManager(nc);
    for (const name of await jsm.streams.names().next()) {
      await jsm.streams.delete(name);
    }
    lattice = await seedSampleLattice(nc, buildSampleLattice(LATTICE));
    prompter = new ScriptedPrompter();
    api.setPrompter(prompter);
    await vscode.commands.executeCommand('wasmcloudLattice.refresh');
  });

  teardown(() => {
    for (const responder of responders.splice(0)) {
      responder.unsubscribe();
    }
    api.setPrompter(undefined);
  });

  suiteTeardown(async () => {
    await setWorkspaceSettings({ connections: undefined, 'explorer.natsContexts': undefined, 'explorer.pingTimeoutMs': undefined });
    await nc?.close();
    await server?.dispose();
  });

  async function otpHostResponds(): Promise<void> {
    responders.push(
      nc.subscribe(`wasmbus.ctl.${LATTICE}.ping.hosts`, {
        callback: (_error, message) => {
          message.respond(JSON.stringify({ id: 'NHOSTDEMO', friendly_name: 'misty-rain-4242', version: '0.59.0', lattice_prefix: LATTICE, uptime_seconds: 12 }));
        },
      }),
    );
    await nc.flush();
  }

  test('tree lists the demo lattice', async () => {
    const connection = (await walk(api, 'demo')) as ConnectionNode;
    assert.equal(connection.type, 'connection');
    const latticeNode = await childLabelled(api, connection, LATTICE);
    const caches = await childrenOf(api, latticeNode);
    assert.deepEqual(await Promise.all(caches.map((cache) => labelOf(api, cache))), [lattice.streamName, `KV_${lattice.bucketName}`]);

    const stream = caches[0] as CacheNode;
    assert.equal(stream.cache.messages, lattice.streamMessages.length);
    const item = await api.explorer.tree.getTreeItem(stream);
    assert.match(String(item.description), new RegExp(`^${lattice.streamMessages.length} msgs · \\d+(\\.\\d)? (B|KiB) · just now$`));
    assert.equal(item.contextValue, 'cache.latticecache');
    assert.equal(item.id, `connection/settings:demo/lattice/${LATTICE}/cache/${lattice.streamName}`);

    const groups = (await childrenOf(api, stream)) as GroupNode[];
    assert.deepEqual(
      groups.map((group) => [group.group.kind, group.count]),
      [
        ['claims', lattice.components.length],
        ['linkdefs', lattice.linkDefinitions.length],
        ['refmap', lattice.components.length + lattice.providers.length],
      ],
    );
    const claims = await childrenOf(api, groups[0]);
    assert.deepEqual((await Promise.all(claims.map((entry) => labelOf(api, entry)))).sort(), lattice.components.map((component) => component.name).sort());
  });

  test('env lattice shows no cache yet', async () => {
    // hosts/host-mistakes.env sets WASMCLOUD_LATTICE_PREFIX=default-staging; no stream exists for it.
    const staging = await walk(api, 'demo', 'default-staging');
    const item = await api.explorer.tree.getTreeItem(staging);
    assert.equal(item.description, 'no cache yet');
    assert.equal(item.collapsibleState, vscode.TreeItemCollapsibleState.None);
    assert.match((item.tooltip as vscode.MarkdownString).value, /hosts\/host-mistakes\.env/);

    const withCache = await walk(api, 'demo', LATTICE);
    assert.equal(withCache.type === 'lattice' ? withCache.envFiles.sort().join(',') : '', 'hosts/edge.env,hosts/host-good.env');
  });

  test('open entry shows its JSON read-only', async () => {
    const group = await walk(api, 'demo', LATTICE, lattice.streamName, 'Link definitions');
    const [entry] = (await childrenOf(api, group)) as EntryNode[];
    await vscode.commands.executeCommand('wasmcloudLattice.openEntry', entry);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor);
    assert.equal(editor.document.uri.scheme, 'wasmcloud-lattice-entry');
    assert.equal(editor.document.languageId, 'json');
    const expected = lattice.streamMessages.find((message) => message.subject === entry.entry.subject);
    assert.deepEqual(JSON.parse(editor.document.getText()), expected?.payload);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('purge with confirmation empties the cache', async () => {
    const count = lattice.streamMessages.length;
    const cache = (await walk(api, 'demo', LATTICE, lattice.streamName)) as CacheNode;
    prompter.answerNotifications({
      message: new RegExp(`^Purge ${count} messages from stream ${lattice.streamName} on ${server.url.replace(/\./g, '\\.')}\\?$`),
      button: `Purge ${count} Messages`,
    });

    const outcome = await vscode.commands.executeCommand('wasmcloudLattice.purgeCache', cache);
    assert.equal(outcome, 'purged');
    prompter.assertAllAnswersUsed();
    assert.equal(await streamMessages(nc, lattice.streamName), 0);
    assert.ok(
      prompter.notifications.some((notification) => notification.message === `Purged ${count} messages from stream ${lattice.streamName} on ${server.url}.`),
      JSON.stringify(prompter.notifications),
    );

    const refreshed = (await walk(api, 'demo', LATTICE, lattice.streamName)) as CacheNode;
    assert.equal(refreshed.cache.messages, 0);
    // The bucket of the same lattice was not touched.
    assert.equal(await streamMessages(nc, `KV_${lattice.bucketName}`), lattice.kvEntries.length);
  });

  test('running host warning stops the purge', async () => {
    await otpHostResponds();
    const cache = (await walk(api, 'demo', LATTICE, lattice.streamName)) as CacheNode;
    prompter.answerNotifications({ message: /^1 host of lattice default is running\.$/, button: undefined });

    const outcome = await vscode.commands.executeCommand('wasmcloudLattice.purgeCache', cache);
    assert.equal(outcome, 'cancelled');
    const warning = prompter.notifications.find((notification) => notification.modal && notification.level === 'warning');
    assert.ok(warning, JSON.stringify(prompter.notifications));
    assert.deepEqual(warning.buttons, ['Purge Anyway…']);
    assert.match(warning.detail ?? '', /^misty-rain-4242 \(NHOSTDEMO, 0\.59\.0\)\n/);
    assert.match(warning.detail ?? '', /documented procedure is to stop all hosts/);
    assert.equal(await streamMessages(nc, lattice.streamName), lattice.streamMessages.length);
  });

  test('purge anyway needs a second choice', async () => {
    await otpHostResponds();
    const count = lattice.streamMessages.length;
    const cache = (await walk(api, 'demo', LATTICE, lattice.streamName)) as CacheNode;
    prompter.answerNotifications({ message: /^1 host of lattice default is running\.$/, button: 'Purge Anyway…' }, { message: /^Purge \d+ messages from stream/, button: undefined });

    assert.equal(await vscode.commands.executeCommand('wasmcloudLattice.purgeCache', cache), 'cancelled');
    assert.equal(await streamMessages(nc, lattice.streamName), count);

    prompter.answerNotifications({ message: /^1 host of lattice default is running\.$/, button: 'Purge Anyway…' }, { message: /^Purge \d+ messages from stream/, button: `Purge ${count} Messages` });
    assert.equal(await vscode.commands.executeCommand('wasmcloudLattice.purgeCache', cache), 'purged');
    assert.equal(await streamMessages(nc, lattice.streamName), 0);
  });

  test('purge entries of one kind', async () => {
    const group = (await walk(api, 'demo', LATTICE, lattice.streamName, 'Link definitions')) as GroupNode;
    const links = lattice.linkDefinitions.length;
    prompter.answerNotifications({
      message: new RegExp(`^Purge ${links} messages from subject lc\\.default\\.linkdefs\\.> of stream ${lattice.streamName} on `),
      button: `Purge ${links} Messages`,
    });
    assert.equal(await vscode.commands.executeCommand('wasmcloudLattice.purgeEntries', group), 'purged');
    assert.equal(await streamMessages(nc, lattice.streamName), lattice.streamMessages.length - links);
  });

  test('double click starts one purge', async () => {
    const count = lattice.streamMessages.length;
    const cache = (await walk(api, 'demo', LATTICE, lattice.streamName)) as CacheNode;
    prompter.answerNotifications({ message: /^Purge \d+ messages from stream/, button: `Purge ${count} Messages` });
    const outcomes = await Promise.all([
      vscode.commands.executeCommand('wasmcloudLattice.purgeCache', cache),
      vscode.commands.executeCommand('wasmcloudLattice.purgeCache', cache),
    ]);
    assert.deepEqual(outcomes, ['purged', 'already-running']);
    assert.ok(prompter.notifications.some((notification) => notification.message === `A purge of stream ${lattice.streamName} is already running.`));
  });

  test('deleted stream gives not found', async () => {
    const cache = (await walk(api, 'demo', LATTICE, lattice.streamName)) as CacheNode;
    await (await jetstreamManager(nc)).streams.delete(lattice.streamName);
    const outcome = await vscode.commands.executeCommand('wasmcloudLattice.purgeCache', cache);
    assert.equal(outcome, 'not-found');
    const warning = prompter.notifications.find((notification) => notification.level === 'warning');
    assert.equal(warning?.message, `Stream ${lattice.streamName} was not found on ${server.url}; it may have been deleted. The explorer was refreshed.`);
    const latticeNode = await walk(api, 'demo', LATTICE);
    assert.deepEqual(await Promise.all((await childrenOf(api, latticeNode)).map((node) => labelOf(api, node))), [`KV_${lattice.bucketName}`]);
  });
});

suite('Explorer: connections', () => {
  let api: ExtensionApi;
  let prompter: ScriptedPrompter;

  suiteSetup(async () => {
    api = await activateExtension();
  });

  setup(() => {
    prompter = new ScriptedPrompter();
    api.setPrompter(prompter);
  });

  teardown(async () => {
    api.setPrompter(undefined);
    await setWorkspaceSettings({ connections: undefined, 'explorer.natsContexts': undefined });
    await vscode.workspace.getConfiguration('wasmcloudLattice').update('connections', undefined, vscode.ConfigurationTarget.Global);
  });

  test('down server gives an error node', async () => {
    const stopped = await NatsServer.start();
    const url = stopped.url;
    await stopped.dispose();
    await setWorkspaceSettings({ connections: [{ name: 'gone', servers: [url] }], 'explorer.natsContexts': false });

    const connection = await walk(api, 'gone');
    const [error] = (await childrenOf(api, connection)) as ErrorNode[];
    assert.equal(error.type, 'error');
    assert.equal(error.message, `Connection refused by ${url}. Check that nats-server is running and listening on that address.`);
    const item = await api.explorer.tree.getTreeItem(error);
    assert.equal(item.contextValue, 'error');
    assert.equal(item.command?.command, 'wasmcloudLattice.explorer.retry');
  });

  test('add connection keeps the password secret', async () => {
    const password = 'pw-add-8c1e';
    const server = await NatsServer.start({ config: `authorization { users: [ { user: lattice, password: "${password}" } ] }` });
    try {
      await setWorkspaceSettings({ 'explorer.natsContexts': false });
      prompter
        .answerInputs('secured', server.url, 'lattice', password)
        .answerPicks('User and password', 'No TLS settings', 'User settings');
      await vscode.commands.executeCommand('wasmcloudLattice.addConnection');
      prompter.assertAllAnswersUsed();

      const stored = vscode.workspace.getConfiguration('wasmcloudLattice').inspect('connections')?.globalValue;
      assert.deepEqual(stored, [{ name: 'secured', servers: [server.url], auth: 'userPassword', user: 'lattice' }]);
      assert.ok(!JSON.stringify(stored).includes(password));
      assert.ok(!prompter.shownTexts().some((text) => text.includes(password)));

      // The tree connects with the password from secret storage: no error
      // node, only lattices from the workspace's .env files without caches.
      const connection = await walk(api, 'secured');
      const children = await childrenOf(api, connection);
      assert.ok(children.length > 0);
      assert.deepEqual(
        children.filter((child) => child.type !== 'lattice' || child.caches.length > 0),
        [],
      );

      prompter.answerNotifications({ message: /^Remove NATS connection "secured" from user settings\?$/, button: 'Remove' });
      await vscode.commands.executeCommand('wasmcloudLattice.removeConnection', connection);
      assert.equal(vscode.workspace.getConfiguration('wasmcloudLattice').inspect('connections')?.globalValue, undefined);
    } finally {
      await server.dispose();
    }
  });
});
