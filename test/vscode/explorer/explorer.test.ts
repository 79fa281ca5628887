import * as assert from 'node:assert/strict';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
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

  test('purge anyway needs the stream name', async () => {
    await otpHostResponds();
    const count = lattice.streamMessages.length;
    const cache = (await walk(api, 'demo', LATTICE, lattice.streamName)) as CacheNode;
    const logged: string[] = [];
    const listener = api.onDidLog((line) => logged.push(line));
    try {
      // Enter on the warning picks Purge Anyway…, which only opens the input box; Escape there cancels.
      prompter.answerNotifications({ message: /^1 host of lattice default is running\.$/, button: 'Purge Anyway…' }).answerInputs(undefined);
      assert.equal(await vscode.commands.executeCommand('wasmcloudLattice.purgeCache', cache), 'cancelled');
      assert.equal(await streamMessages(nc, lattice.streamName), count);
      const [typed] = prompter.inputs;
      assert.equal(typed.prompt, `Type ${lattice.streamName} to purge ${count} messages from stream ${lattice.streamName} on ${server.url}. Purged messages cannot be restored.`);
      assert.equal(typed.validate?.(''), `Type ${lattice.streamName} to confirm, or press Escape to cancel.`);
      assert.equal(typed.validate?.('LATTICECACHE_other'), `Type ${lattice.streamName} to confirm, or press Escape to cancel.`);
      assert.equal(typed.validate?.(lattice.streamName), undefined);
      assert.ok(logged.some((line) => line === `[info] Purge of stream ${lattice.streamName} on ${server.url} cancelled at the typed confirmation.`), logged.join('\n'));
      assert.ok(!logged.some((line) => line.includes('while hosts may be running')), logged.join('\n'));

      prompter.answerNotifications({ message: /^1 host of lattice default is running\.$/, button: 'Purge Anyway…' }).answerInputs(lattice.streamName);
      assert.equal(await vscode.commands.executeCommand('wasmcloudLattice.purgeCache', cache), 'purged');
      prompter.assertAllAnswersUsed();
      assert.equal(await streamMessages(nc, lattice.streamName), 0);
      // No second modal: the typed name was the confirmation.
      assert.ok(!prompter.notifications.some((notification) => notification.message.startsWith(`Purge ${count} messages`)), JSON.stringify(prompter.notifications));
      assert.ok(logged.some((line) => line.startsWith(`[warning] Purging stream ${lattice.streamName} on ${server.url} while hosts may be running: misty-rain-4242`)), logged.join('\n'));
    } finally {
      listener.dispose();
    }
  });

  test('confirmation defaults to review', async () => {
    const count = lattice.streamMessages.length;
    const cache = (await walk(api, 'demo', LATTICE, lattice.streamName)) as CacheNode;
    prompter.answerNotifications({ message: /^Purge \d+ messages from stream/, button: 'Review Entries' });
    assert.equal(await vscode.commands.executeCommand('wasmcloudLattice.purgeCache', cache), 'cancelled');
    const confirmation = prompter.notifications.find((notification) => notification.modal);
    // VS Code makes the first button the default (Enter) button, so it must not purge.
    assert.deepEqual(confirmation?.buttons, ['Review Entries', `Purge ${count} Messages`]);
    assert.equal(await streamMessages(nc, lattice.streamName), count);
  });

  test('stream refresh updates its label', async () => {
    const cache = (await walk(api, 'demo', LATTICE, lattice.streamName)) as CacheNode;
    const before = String((await api.explorer.tree.getTreeItem(cache)).description);
    assert.match(before, new RegExp(`^${lattice.streamMessages.length} msgs · `));
    await childrenOf(api, cache);

    const js = jetstream(nc);
    for (let i = 0; i < 5; i++) {
      await js.publish(`lc.${LATTICE}.linkdefs.added-${i}`, JSON.stringify({ actor_id: 'M1', provider_id: 'V1', contract_id: 'wasmcloud:test', link_name: `l${i}` }));
    }
    const info = await (await jetstreamManager(nc)).streams.info(lattice.streamName);
    assert.equal(info.state.messages, lattice.streamMessages.length + 5);

    await vscode.commands.executeCommand('wasmcloudLattice.refresh', cache);
    const item = await api.explorer.tree.getTreeItem(cache);
    assert.match(String(item.description), new RegExp(`^${info.state.messages} msgs · `));
    assert.match((item.tooltip as vscode.MarkdownString).value, new RegExp(`\\| Last sequence \\| ${info.state.last_seq} \\|`));
    const groups = (await childrenOf(api, cache)) as GroupNode[];
    assert.equal(groups.find((group) => group.group.kind === 'linkdefs')?.count, lattice.linkDefinitions.length + 5);
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

  test('user and workspace connections merge', async () => {
    const config = vscode.workspace.getConfiguration('wasmcloudLattice');
    await config.update('connections', [{ name: 'from-user', servers: ['nats://127.0.0.1:1'] }, { name: 'shared', servers: ['nats://127.0.0.1:2'] }], vscode.ConfigurationTarget.Global);
    await setWorkspaceSettings({ connections: [{ name: 'from-workspace', servers: ['nats://127.0.0.1:3'] }, { name: 'shared', servers: ['nats://127.0.0.1:4'] }], 'explorer.natsContexts': false });

    const root = await childrenOf(api);
    const connections = root.filter((node): node is ConnectionNode => node.type === 'connection');
    assert.deepEqual(
      connections.map((node) => [node.profile.name, node.profile.servers[0], node.profile.origin]),
      [
        ['from-workspace', 'nats://127.0.0.1:3', 'workspace settings'],
        ['shared', 'nats://127.0.0.1:4', 'workspace settings'],
        ['from-user', 'nats://127.0.0.1:1', 'user settings'],
      ],
    );
    const labels = await Promise.all(root.filter((node) => node.type === 'message').map((node) => labelOf(api, node)));
    assert.ok(labels.includes('Connection "shared" in user settings is hidden by the workspace connection of the same name. Rename one of them to see both.'), JSON.stringify(labels));
  });

  test('missing password offers Set Password', async () => {
    const password = 'pw-set-4a7b';
    const name = `needs-pw-${Date.now()}`;
    const server = await NatsServer.start({ config: `authorization { users: [ { user: lattice, password: "${password}" } ] }` });
    try {
      await setWorkspaceSettings({ connections: [{ name, servers: [server.url], auth: 'userPassword', user: 'lattice' }], 'explorer.natsContexts': false });
      const connection = (await walk(api, name)) as ConnectionNode;
      assert.equal((await api.explorer.tree.getTreeItem(connection)).contextValue, 'connection.settings.password');

      const [error] = (await childrenOf(api, connection)) as ErrorNode[];
      assert.equal(error.type, 'error');
      assert.equal(
        error.message,
        `No password for user lattice is stored for connection "${name}", and ${server.url} rejected it without one. Use Set Password… to store it in secret storage.`,
      );
      const item = await api.explorer.tree.getTreeItem(error);
      assert.equal(item.contextValue, 'error.password');
      assert.equal(item.command?.command, 'wasmcloudLattice.setConnectionPassword');

      prompter.answerInputs(password);
      await vscode.commands.executeCommand('wasmcloudLattice.setConnectionPassword', error);
      prompter.assertAllAnswersUsed();
      assert.equal(prompter.inputs[0].password, true);
      assert.ok(!JSON.stringify(vscode.workspace.getConfiguration('wasmcloudLattice').inspect('connections')).includes(password));

      const children = await childrenOf(api, await walk(api, name));
      assert.ok(
        children.every((child) => child.type !== 'error'),
        JSON.stringify(children.map((child) => (child.type === 'error' ? child.message : child.id))),
      );
    } finally {
      // Removing the connection deletes its stored password.
      prompter.answerNotifications({ message: /^Remove NATS connection/, button: 'Remove' });
      await vscode.commands.executeCommand('wasmcloudLattice.removeConnection', await walk(api, name));
      await server.dispose();
    }
  });

  test('URL password never shown or saved', async () => {
    const secret = 's3cr3t-url-9e';
    await setWorkspaceSettings({ connections: [{ name: 'url-pw', servers: [`nats://alice:${secret}@127.0.0.1:1`] }], 'explorer.natsContexts': false });
    const root = await childrenOf(api);
    const texts: string[] = [];
    for (const node of root) {
      const item = await api.explorer.tree.getTreeItem(node);
      texts.push(String(typeof item.label === 'string' ? item.label : item.label?.label), String(item.description ?? ''), typeof item.tooltip === 'string' ? item.tooltip : (item.tooltip?.value ?? ''));
    }
    assert.ok(!texts.join('\n').includes(secret), texts.join('\n'));
    assert.ok(texts.some((text) => text.startsWith('nats://127.0.0.1:1 · settings')), texts.join('\n'));
    assert.ok(texts.some((text) => text.startsWith('Connection "url-pw": the password in its server URL is ignored')), texts.join('\n'));

    // The Add command rejects the URL and names the step that takes the password.
    let rejection: string | undefined;
    prompter.answerInputs('url-add', (options) => {
      rejection = options.validate?.(`nats://alice:${secret}@127.0.0.1:4222`);
      return undefined;
    });
    await vscode.commands.executeCommand('wasmcloudLattice.addConnection');
    assert.equal(
      rejection,
      'Remove the user and password from nats://alice:[redacted]@127.0.0.1:4222: settings are not a place for passwords. Choose "User and password" in the next step, and the password goes to secret storage.',
    );
    assert.equal(vscode.workspace.getConfiguration('wasmcloudLattice').inspect('connections')?.globalValue, undefined);
  });
});
