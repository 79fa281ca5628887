import * as assert from 'node:assert/strict';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { NatsConnectionPool } from '../../../src/core/nats/connection-pool';
import type { ConnectionProfile } from '../../../src/core/nats/profile';
import { PurgeFlow, type ProgressRunner } from '../../../src/features/explorer/purge-command';
import type { ChannelLogger } from '../../../src/features/shared/log';
import { NatsServer } from '../../support/nats-server';
import { buildSampleLattice, seedSampleLattice, type SampleLattice } from '../../support/sample-lattice';
import { ScriptedPrompter } from '../../support/scripted-prompter';
import { streamMessages } from './support';

/** Returns a logger that appends each line to `lines`, standing in for the log channel. */
function recordingLogger(lines: string[]): ChannelLogger {
  const record =
    (level: string) =>
    (message: string): void => {
      lines.push(`[${level}] ${message}`);
    };
  return { trace: record('trace'), debug: record('debug'), info: record('info'), warn: record('warning'), error: record('error'), show: () => undefined } as unknown as ChannelLogger;
}

suite('Explorer: purge progress', () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let lattice: SampleLattice;
  let pool: NatsConnectionPool;
  let profile: ConnectionProfile;

  suiteSetup(async () => {
    server = await NatsServer.start();
    nc = await connect({ servers: server.url });
    profile = { id: 'test:progress', name: 'progress', source: 'settings', servers: [server.url], auth: { kind: 'none' }, selected: false };
  });

  setup(async () => {
    const jsm = await jetstreamManager(nc);
    for (const name of await jsm.streams.names().next()) {
      await jsm.streams.delete(name);
    }
    lattice = await seedSampleLattice(nc, buildSampleLattice('progress'));
    pool = new NatsConnectionPool();
  });

  teardown(async () => {
    await pool.dispose();
  });

  suiteTeardown(async () => {
    await nc?.close();
    await server?.dispose();
  });

  test('connect runs inside the progress', async () => {
    const titles: string[] = [];
    const openWhenStarted: number[] = [];
    const progress: ProgressRunner = async (title, _cancellable, work) => {
      titles.push(title);
      openWhenStarted.push(pool.openProfileIds().length);
      return work();
    };
    const lines: string[] = [];
    const prompter = new ScriptedPrompter().answerNotifications({ message: /^Purge \d+ messages from stream/, button: `Purge ${lattice.streamMessages.length} Messages` });
    const flow = new PurgeFlow({ pool, logger: recordingLogger(lines), prompter: () => prompter, pingTimeoutMs: () => 200, refresh: () => undefined, progress });

    assert.equal(await flow.run({ profile, lattice: lattice.prefix, target: { stream: lattice.streamName } }), 'purged');
    assert.deepEqual(titles, [`Checking for running hosts of lattice ${lattice.prefix}…`, `Purging stream ${lattice.streamName}…`]);
    // No connection was open or opening when the first progress began, so connecting was part of it.
    assert.equal(openWhenStarted[0], 0);
    assert.equal(await streamMessages(nc, lattice.streamName), 0);
  });

  test('cancel during the check purges nothing', async () => {
    const before = await streamMessages(nc, lattice.streamName);
    // The user presses Cancel on the progress notification while the check runs.
    const progress: ProgressRunner = async (_title, cancellable, work) => {
      assert.equal(cancellable, true);
      void work().catch(() => undefined);
      return undefined;
    };
    const lines: string[] = [];
    const prompter = new ScriptedPrompter();
    const flow = new PurgeFlow({ pool, logger: recordingLogger(lines), prompter: () => prompter, pingTimeoutMs: () => 200, refresh: () => undefined, progress });

    assert.equal(await flow.run({ profile, lattice: lattice.prefix, target: { stream: lattice.streamName } }), 'cancelled');
    assert.deepEqual(prompter.notifications, []);
    assert.ok(lines.includes(`[info] Purge of stream ${lattice.streamName} on ${server.url} cancelled while checking for running hosts.`), lines.join('\n'));
    assert.equal(await streamMessages(nc, lattice.streamName), before);
  });

  test('cancel at the confirmation is logged', async () => {
    const lines: string[] = [];
    const prompter = new ScriptedPrompter().answerNotifications({ message: /^Purge \d+ messages from stream/, button: undefined });
    const flow = new PurgeFlow({ pool, logger: recordingLogger(lines), prompter: () => prompter, pingTimeoutMs: () => 200, refresh: () => undefined, progress: (_title, _cancellable, work) => work() });

    assert.equal(await flow.run({ profile, lattice: lattice.prefix, target: { stream: lattice.streamName } }), 'cancelled');
    assert.ok(lines.includes(`[info] Purge of stream ${lattice.streamName} on ${server.url} cancelled at the confirmation.`), lines.join('\n'));
    assert.ok(!lines.some((line) => line.startsWith('[info] Purged ')), lines.join('\n'));
  });
});
