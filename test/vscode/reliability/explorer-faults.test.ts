/**
 * NATS faults as the Lattices view and its purge commands meet them, on a
 * real nats-server started by the suite. A server is down at connect and then
 * started (Retry), restarted (refresh, and the automatic refresh on
 * reconnect), or frozen (SIGSTOP) so requests time out. The server is killed,
 * or the stream deleted, while the purge confirmation is open. A purge is
 * clicked twice, two streams are purged at once, and a lattice of 100,000
 * entries is paged with Load more. After each fault every stream not purged must be
 * unchanged.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import * as vscode from 'vscode';
import type { PurgeOutcome } from '../../../src/features/explorer/purge-command';
import type { CacheNode, ErrorNode, ExplorerNode, GroupNode, MoreNode } from '../../../src/features/explorer/tree-nodes';
import type { NotifyOptions } from '../../../src/features/shared/prompter';
import type { ExtensionApi } from '../../../src/features/shared/deps';
import { NatsServer } from '../../support/nats-server';
import { buildSampleLattice, seedSampleLattice, type SampleLattice } from '../../support/sample-lattice';
import { ScriptedPrompter } from '../../support/scripted-prompter';
import { assertOthersUnchanged, snapshotStreams } from '../../support/stream-snapshot';
import { activateExtension, childLabelled, childrenOf, labelOf, setWorkspaceSettings, walk } from '../explorer/support';

const CONNECTION = 'faults';
/** The JetStream API timeout of the explorer's requests (JETSTREAM_API_TIMEOUT_MS). */
const REQUEST_TIMEOUT_MS = 5_000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await sleep(50);
  }
}

/** Stops the process and waits until the kernel reports it stopped. */
async function freeze(server: NatsServer): Promise<number> {
  const pid = server.pid;
  assert.ok(server.running, 'the server is not running');
  assert.ok(pid !== undefined, 'the server has no process id');
  process.kill(pid, 'SIGSTOP');
  await waitFor(() => /\)\s+T\b/.test(readFileSync(`/proc/${pid}/stat`, 'utf8')), `nats-server ${pid} to stop`, 5_000);
  return pid;
}

/**
 * A scripted prompter that keeps the purge confirmation open until `release`
 * is called, so a test can act while the modal dialog is open.
 */
class GatedPrompter extends ScriptedPrompter {
  private gate: Promise<void> = Promise.resolve();
  private open: (() => void) | undefined;
  /** Resolves when a confirmation is waiting at the gate. */
  waiting: Promise<void> = new Promise(() => undefined);
  private signalWaiting: (() => void) | undefined;

  hold(): void {
    this.gate = new Promise((resolve) => {
      this.open = resolve;
    });
    this.waiting = new Promise((resolve) => {
      this.signalWaiting = resolve;
    });
  }

  release(): void {
    this.open?.();
  }

  override async notify(level: 'info' | 'warning' | 'error', message: string, options: NotifyOptions = {}, ...buttons: string[]): Promise<string | undefined> {
    if (/^Purge \d+ messages? from /.test(message)) {
      this.signalWaiting?.();
      await this.gate;
    }
    return super.notify(level, message, options, ...buttons);
  }
}

suite('Reliability: Lattices view under NATS faults', () => {
  let api: ExtensionApi;
  let server: NatsServer;
  let nc: NatsConnection;
  let target: SampleLattice;
  let prompter: GatedPrompter;

  suiteSetup(async () => {
    api = await activateExtension();
    server = await NatsServer.start();
    nc = await connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
    await setWorkspaceSettings({
      connections: [{ name: CONNECTION, servers: [server.url] }],
      'explorer.natsContexts': false,
      'explorer.pingTimeoutMs': 200,
    });
  });

  setup(async () => {
    if (!server.running) {
      await server.restart();
    }
    await waitFor(async () => nc.flush().then(() => true, () => false), 'the observer connection');
    const jsm = await jetstreamManager(nc);
    for (const name of await jsm.streams.names().next()) {
      await jsm.streams.delete(name);
    }
    target = await seedSampleLattice(nc, buildSampleLattice('faulty'));
    await seedSampleLattice(nc, buildSampleLattice('steady'));
    prompter = new GatedPrompter();
    api.setPrompter(prompter);
    // A test before may have left the view's connection reconnecting; each test starts from a view that lists the lattices.
    await waitFor(async () => {
      await vscode.commands.executeCommand('wasmcloudLattice.refresh');
      return (await lattices().catch((): string[] => [])).includes(target.prefix);
    }, 'the view to list the lattices');
  });

  teardown(() => {
    prompter.release();
    api.setPrompter(undefined);
  });

  suiteTeardown(async () => {
    await setWorkspaceSettings({ connections: undefined, 'explorer.natsContexts': undefined, 'explorer.pingTimeoutMs': undefined });
    await nc?.close();
    await server?.dispose();
  });

  async function cacheNode(stream: string, lattice = target.prefix): Promise<CacheNode> {
    return (await walk(api, CONNECTION, lattice, stream)) as CacheNode;
  }

  async function lattices(): Promise<string[]> {
    const connection = await walk(api, CONNECTION);
    return Promise.all((await childrenOf(api, connection)).map((node) => labelOf(api, node)));
  }

  test('down server recovers with Retry', async () => {
    const down = await NatsServer.start();
    const port = down.port;
    const url = down.url;
    await down.dispose();
    await setWorkspaceSettings({ connections: [{ name: 'late', servers: [url] }] });
    let late: NatsServer | undefined;
    try {
      const [error] = (await childrenOf(api, await walk(api, 'late'))) as ErrorNode[];
      assert.equal(error.type, 'error');
      assert.equal(error.message, `Connection refused by ${url}. Check that nats-server is running and listening on that address.`);

      late = await NatsServer.start({ port });
      await vscode.commands.executeCommand('wasmcloudLattice.explorer.retry', error);
      const children = await childrenOf(api, await walk(api, 'late'));
      assert.ok(
        children.every((child) => child.type !== 'error'),
        `still an error after Retry: ${JSON.stringify(children.map((child) => child.id))}`,
      );
    } finally {
      await late?.dispose();
      await setWorkspaceSettings({ connections: [{ name: CONNECTION, servers: [server.url] }] });
    }
  });

  test('restart recovers on refresh and on reconnect', async () => {
    const before = await snapshotStreams(nc);
    assert.ok((await lattices()).includes(target.prefix));

    const refreshed: (ExplorerNode | undefined)[] = [];
    const listener = (api.explorer.tree.onDidChangeTreeData as vscode.Event<ExplorerNode | undefined>)((node) => refreshed.push(node));
    try {
      await server.kill();
      await server.restart();
      // The connection reconnects on its own: the view marks it reconnecting, then refreshes it.
      const connection = await walk(api, CONNECTION);
      const description = async (): Promise<string> => String((await api.explorer.tree.getTreeItem(connection)).description);
      const connectionEvents = (): number => refreshed.filter((node) => node?.type === 'connection' && node.profile.name === CONNECTION).length;
      await waitFor(async () => connectionEvents() >= 2 && !/reconnecting/.test(await description()), 'the view to mark the connection reconnecting, then refresh it');
      assert.ok((await lattices()).includes(target.prefix));

      // A refresh of the whole view works as well.
      await vscode.commands.executeCommand('wasmcloudLattice.refresh');
      assert.ok((await lattices()).includes(target.prefix));
    } finally {
      listener.dispose();
    }
    assertOthersUnchanged(before, await snapshotStreams(nc));
  });

  test('slow server error names the timeout', async () => {
    const before = await snapshotStreams(nc);
    const connection = await walk(api, CONNECTION);
    const pid = await freeze(server);
    let children: ExplorerNode[];
    try {
      await vscode.commands.executeCommand('wasmcloudLattice.refresh', connection);
      children = await childrenOf(api, connection);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    const [error] = children as ErrorNode[];
    assert.equal(error?.type, 'error', `expected an error node, got ${JSON.stringify(children.map((child) => child.id))}`);
    assert.ok(error.message.includes(server.url), error.message);
    assert.match(error.message, new RegExp(`\\b${REQUEST_TIMEOUT_MS} ms\\b|\\b${REQUEST_TIMEOUT_MS / 1000} (s|seconds)\\b`), `the message does not name the timeout: ${error.message}`);
    assert.doesNotMatch(error.message, /connecting/i, `the connection was up, yet the message is about connecting: ${error.message}`);
    await vscode.commands.executeCommand('wasmcloudLattice.explorer.retry', error);
    assert.ok((await lattices()).includes(target.prefix));
    assertOthersUnchanged(before, await snapshotStreams(nc));
  });

  test('kill during purge confirmation fails cleanly', async () => {
    const before = await snapshotStreams(nc);
    const cache = await cacheNode(target.streamName);
    const count = target.streamMessages.length;
    prompter.hold();
    prompter.answerNotifications({ message: /^Purge \d+ messages from stream/, button: `Purge ${count} Messages` });
    const outcome = vscode.commands.executeCommand<PurgeOutcome>('wasmcloudLattice.purgeCache', cache);
    await prompter.waiting;
    await server.kill();
    prompter.release();
    assert.equal(await outcome, 'failed');
    const error = prompter.notifications.find((notification) => notification.level === 'error');
    assert.ok(error?.message.includes(server.url), JSON.stringify(prompter.notifications));

    await server.restart();
    await waitFor(async () => nc.flush().then(() => true, () => false), 'the observer to reconnect');
    // The purge never reached the server: nothing changed, the target included.
    assertOthersUnchanged(before, await snapshotStreams(nc));
  });

  test('stream deleted during confirmation gives not found', async () => {
    const cache = await cacheNode(target.streamName);
    prompter.hold();
    prompter.answerNotifications({ message: /^Purge \d+ messages from stream/, button: `Purge ${target.streamMessages.length} Messages` });
    const outcome = vscode.commands.executeCommand<PurgeOutcome>('wasmcloudLattice.purgeCache', cache);
    await prompter.waiting;
    await (await jetstreamManager(nc)).streams.delete(target.streamName);
    const before = await snapshotStreams(nc);
    prompter.release();
    assert.equal(await outcome, 'not-found');
    assert.ok(
      prompter.notifications.some((notification) => notification.message === `Stream ${target.streamName} was not found on ${server.url}; it may have been deleted. The explorer was refreshed.`),
      JSON.stringify(prompter.notifications),
    );
    assertOthersUnchanged(before, await snapshotStreams(nc));
  });

  test('double click during confirmation starts one purge', async () => {
    const before = await snapshotStreams(nc);
    const count = target.streamMessages.length;
    const cache = await cacheNode(target.streamName);
    const links = (await walk(api, CONNECTION, target.prefix, target.streamName, 'Link definitions')) as GroupNode;
    prompter.hold();
    prompter.answerNotifications({ message: /^Purge \d+ messages from stream/, button: `Purge ${count} Messages` });
    const first = vscode.commands.executeCommand<PurgeOutcome>('wasmcloudLattice.purgeCache', cache);
    await prompter.waiting;
    // A second click on the same stream, and a click on one of its entry kinds, while the first waits.
    assert.equal(await vscode.commands.executeCommand<PurgeOutcome>('wasmcloudLattice.purgeCache', cache), 'already-running');
    assert.equal(await vscode.commands.executeCommand<PurgeOutcome>('wasmcloudLattice.purgeEntries', links), 'already-running');
    prompter.release();
    assert.equal(await first, 'purged');
    assert.deepEqual(
      prompter.notifications.filter((notification) => notification.message.startsWith('Purged ')).map((notification) => notification.message),
      [`Purged ${count} messages from stream ${target.streamName} on ${server.url}.`],
    );
    const after = await snapshotStreams(nc);
    assert.equal(after.get(target.streamName)?.state.messages, 0);
    assertOthersUnchanged(before, after, [target.streamName]);
  });

  test('two streams purge at once', async () => {
    const before = await snapshotStreams(nc);
    const stream = await cacheNode(target.streamName);
    const bucket = await cacheNode(`KV_${target.bucketName}`);
    prompter.answerNotifications(
      { message: /^Purge \d+ messages from stream LATTICECACHE_/, button: `Purge ${target.streamMessages.length} Messages` },
      { message: /^Purge \d+ messages from stream KV_/, button: `Purge ${target.kvEntries.length} Messages` },
    );
    const outcomes = await Promise.all([
      vscode.commands.executeCommand<PurgeOutcome>('wasmcloudLattice.purgeCache', stream),
      vscode.commands.executeCommand<PurgeOutcome>('wasmcloudLattice.purgeCache', bucket),
    ]);
    assert.deepEqual(outcomes, ['purged', 'purged']);
    const after = await snapshotStreams(nc);
    assert.equal(after.get(target.streamName)?.state.messages, 0);
    assert.equal(after.get(`KV_${target.bucketName}`)?.state.messages, 0);
    assertOthersUnchanged(before, after, [target.streamName, `KV_${target.bucketName}`]);
  });

  test('odd entries say cannot decode', async () => {
    const js = jetstream(nc);
    await js.publish(`lc.${target.prefix}.claims.MNOTJSON`, 'not json');
    await js.publish(`lc.${target.prefix}.claims.MBYTES`, new Uint8Array([0xff, 0xfe, 0x00]));
    await js.publish(`lc.${target.prefix}.stray.subject`, '{}');
    await vscode.commands.executeCommand('wasmcloudLattice.refresh');
    const claims = (await walk(api, CONNECTION, target.prefix, target.streamName, 'Claims')) as GroupNode;
    const other = (await walk(api, CONNECTION, target.prefix, target.streamName, 'Other subjects')) as GroupNode;
    const described = new Map<string, string>();
    for (const node of [...(await childrenOf(api, claims)), ...(await childrenOf(api, other))]) {
      if (node.type === 'entry') {
        described.set(node.entry.subject, String((await api.explorer.tree.getTreeItem(node)).description));
      }
    }
    assert.equal(described.get(`lc.${target.prefix}.claims.MNOTJSON`), 'cannot decode: the value is not JSON');
    assert.equal(described.get(`lc.${target.prefix}.claims.MBYTES`), 'cannot decode: the value is not UTF-8 text');
    assert.match(described.get(`lc.${target.prefix}.stray.subject`) ?? '', /^cannot decode: unexpected subject /);
  });

  test('100,000 entries page with Load more', async () => {
    const prefix = 'huge';
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: `LATTICECACHE_${prefix}`, subjects: [`lc.${prefix}.>`] });
    const js = jetstream(nc);
    const total = 100_000;
    for (let start = 0; start < total; start += 1_000) {
      const pending: Promise<unknown>[] = [];
      for (let index = start; index < start + 1_000; index++) {
        pending.push(js.publish(`lc.${prefix}.claims.M${index}`, JSON.stringify({ name: `actor-${index}`, sub: `M${index}` })));
      }
      await Promise.all(pending);
    }
    await vscode.commands.executeCommand('wasmcloudLattice.refresh');

    const group = (await walk(api, CONNECTION, prefix, `LATTICECACHE_${prefix}`, 'Claims')) as GroupNode;
    assert.equal(group.count, total);
    const firstPage = await childrenOf(api, group);
    assert.equal(firstPage.filter((node) => node.type === 'entry').length, 100);
    const more = firstPage[firstPage.length - 1] as MoreNode;
    assert.equal(more.type, 'more');
    assert.equal(more.remaining, total - 100);
    assert.equal((await api.explorer.tree.getTreeItem(more)).description, `${total - 100} more`);

    await vscode.commands.executeCommand('wasmcloudLattice.explorer.loadMore', more);
    const secondPage = await childrenOf(api, group);
    const entries = secondPage.filter((node) => node.type === 'entry');
    assert.equal(entries.length, 200);
    assert.deepEqual(
      entries.map((node) => (node.type === 'entry' ? node.entry.seq : 0)),
      Array.from({ length: 200 }, (_, index) => index + 1),
    );
    assert.equal((secondPage[secondPage.length - 1] as MoreNode).remaining, total - 200);
    assert.equal(await labelOf(api, await childLabelled(api, group, 'actor-150')), 'actor-150');
  });
});
