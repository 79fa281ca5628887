/**
 * NATS faults on a real nats-server, against the lattice cache code that the
 * explorer and the CLI share. The server is down, killed in the middle of a
 * listing or a purge, restarted, or frozen (SIGSTOP) so requests time out. It
 * runs without JetStream, or its authorization changes under a live
 * connection. Streams are deleted or purged concurrently.
 *
 * Each test snapshots every stream with plain JetStream API requests before
 * the fault and checks afterwards that no stream it did not target changed.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { listLatticeCaches } from '../../src/core/nats/cache-streams';
import { NatsConnectionPool, type ConnectionState } from '../../src/core/nats/connection-pool';
import { NatsFailure } from '../../src/core/nats/errors';
import type { ConnectionProfile, ProfileAuth } from '../../src/core/nats/profile';
import { countPurgeTarget, purgeCacheStream } from '../../src/core/nats/purge';
import { JETSTREAM_API_TIMEOUT_MS, openSession, type LatticeSession } from '../../src/core/nats/session';
import { NatsServer } from '../support/nats-server';
import { buildSampleLattice, seedSampleLattice, type SampleLattice } from '../support/sample-lattice';
import { assertOthersUnchanged, snapshotStreams, type StreamSnapshot } from '../support/stream-snapshot';

const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function profileFor(servers: string | string[], auth: ProfileAuth = { kind: 'none' }, id = 'faults'): ConnectionProfile {
  return { id: `test:${id}`, name: id, source: 'settings', servers: Array.isArray(servers) ? servers : [servers], auth, selected: false };
}

/** Awaits `promise` and returns the NatsFailure it rejects with; fails when it resolves or rejects with anything else. */
async function failureOf(promise: Promise<unknown>): Promise<NatsFailure> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof NatsFailure, `expected a NatsFailure, got ${error instanceof Error ? error.stack : String(error)}`);
    return error;
  }
  assert.fail('expected a failure');
}

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await sleep(50);
  }
}

/**
 * Sends SIGSTOP and waits until the kernel reports the process as stopped,
 * because the signal is delivered asynchronously and the server could still
 * reply to a request written before the stop takes effect.
 */
async function freeze(server: NatsServer): Promise<number> {
  const pid = server.pid;
  assert.ok(server.running, 'the server is not running');
  assert.ok(pid !== undefined, 'the server has no process id');
  process.kill(pid, 'SIGSTOP');
  // The state is the field after the parenthesized command name in /proc/PID/stat.
  await waitFor(() => /\)\s+T\b/.test(readFileSync(`/proc/${pid}/stat`, 'utf8')), `nats-server ${pid} to stop`, 5_000);
  return pid;
}

/** Stops a server for the length of `work`, then continues it, so it accepts bytes but sends no reply. */
async function whileFrozen<T>(server: NatsServer, work: () => Promise<T>): Promise<T> {
  const pid = await freeze(server);
  try {
    return await work();
  } finally {
    process.kill(pid, 'SIGCONT');
  }
}

/**
 * Freezes the server, starts `work` so its request is on the wire, then kills
 * the server. Returns what `work` rejected with, or undefined when it resolved.
 */
async function killedWhileWaiting(server: NatsServer, work: () => Promise<unknown>): Promise<unknown> {
  await freeze(server);
  const pending = work().then(
    () => undefined,
    (error: unknown) => error,
  );
  await sleep(100);
  // SIGKILL also ends a stopped process.
  await server.kill();
  return pending;
}

describe('NATS faults on one server', () => {
  let server: NatsServer;
  /** An observer connection that never gives up reconnecting, for snapshots and setup. */
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let target: SampleLattice;
  let bystander: SampleLattice;
  let session: LatticeSession;
  let before_: Map<string, StreamSnapshot>;

  before(async () => {
    server = await NatsServer.start();
    nc = await connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
  });

  after(async () => {
    await nc?.close();
    await server?.dispose();
  });

  beforeEach(async () => {
    if (!server.running) {
      await server.restart();
    }
    await waitFor(async () => !nc.isClosed() && (await nc.flush().then(() => true, () => false)), 'the observer connection');
    jsm = await jetstreamManager(nc);
    for (const name of await jsm.streams.names().next()) {
      await jsm.streams.delete(name);
    }
    target = await seedSampleLattice(nc, buildSampleLattice('target_1'));
    bystander = await seedSampleLattice(nc, buildSampleLattice('bystander-2'));
    await jsm.streams.add({ name: 'ORDERS', subjects: ['orders.>'] });
    await nc.publish('orders.1', 'order');
    await nc.flush();
    session = await openSession(profileFor(server.url), { timeoutMs: 2_000 });
    before_ = await snapshotStreams(nc);
  });

  afterEach(async () => {
    await session?.close();
  });

  /** Waits until the observer is connected again, then compares every stream not in `targeted` with the snapshot from before the fault. */
  async function assertUntouched(...targeted: string[]): Promise<void> {
    await waitFor(async () => nc.flush().then(() => true, () => false), 'the observer to reconnect');
    assertOthersUnchanged(before_, await snapshotStreams(nc), targeted);
  }

  it('server down at connect', async () => {
    const down = await NatsServer.start();
    const url = down.url;
    const port = down.port;
    await down.dispose();
    const pool = new NatsConnectionPool({ connectTimeoutMs: () => 2_000 });
    try {
      const profile = profileFor(url, { kind: 'none' }, 'down');
      const failure = await failureOf(pool.session(profile));
      assert.equal(failure.kind, 'connection-refused');
      assert.equal(failure.message, `Connection refused by ${url}. Check that nats-server is running and listening on that address.`);
      assert.deepEqual(pool.openProfileIds(), [], 'a failed connect must not stay in the pool');

      // Retry after the server came up connects.
      const revived = await NatsServer.start({ port });
      try {
        const revivedSession = await pool.session(profile);
        assert.deepEqual(await listLatticeCaches(revivedSession), []);
      } finally {
        await revived.dispose();
      }
    } finally {
      await pool.dispose();
    }
    await assertUntouched();
  });

  it('server killed during listing', async () => {
    const listing = await killedWhileWaiting(server, () => listLatticeCaches(session));
    assert.ok(listing instanceof NatsFailure, `listing must fail with a NatsFailure, got ${String(listing)}`);
    assert.ok(listing.message.includes(server.url), listing.message);

    await server.restart();
    await waitFor(async () => listLatticeCaches(session).then(() => true, () => false), 'the same session to list again after the restart');
    const lattices = await listLatticeCaches(session);
    assert.deepEqual(
      lattices.map((lattice) => lattice.name),
      [bystander.prefix, target.prefix],
    );
    await assertUntouched();
  });

  it('server killed during purge', async () => {
    const purging = await killedWhileWaiting(server, () => purgeCacheStream(session, { stream: target.streamName }));
    assert.ok(purging instanceof NatsFailure, `the purge must fail with a NatsFailure, got ${String(purging)}`);
    assert.ok(purging.message.includes(server.url), purging.message);

    await server.restart();
    await waitFor(async () => nc.flush().then(() => true, () => false), 'the observer to reconnect');
    // The server died before it read the request, so nothing was purged.
    // A purge is atomic, so the stream must be either whole or empty anyway.
    const afterRestart = await snapshotStreams(nc);
    const messages = afterRestart.get(target.streamName)?.state.messages;
    assert.ok(messages === target.streamMessages.length || messages === 0, `partly purged: ${messages} messages`);
    await assertUntouched(target.streamName);
  });

  it('session recovers after a restart', async () => {
    const pool = new NatsConnectionPool({ connectTimeoutMs: () => 2_000 });
    const states: ConnectionState[] = [];
    pool.onDidChangeState((_, state) => states.push(state));
    try {
      const profile = profileFor(server.url, { kind: 'none' }, 'restart');
      const pooled = await pool.session(profile);
      await server.restart();
      await waitFor(() => states.includes('reconnected'), 'the reconnected state');
      assert.equal(await pool.session(profile), pooled, 'the pool keeps the reconnected session');
      assert.deepEqual(
        (await listLatticeCaches(pooled)).map((lattice) => lattice.name),
        [bystander.prefix, target.prefix],
      );
      assert.deepEqual(states.slice(0, 2), ['disconnected', 'reconnected']);
    } finally {
      await pool.dispose();
    }
    await assertUntouched();
  });

  it('slow server times out naming the timeout', async () => {
    const started = Date.now();
    const failure = await whileFrozen(server, () => failureOf(listLatticeCaches(session)));
    const elapsed = Date.now() - started;
    assert.equal(failure.kind, 'timeout');
    assert.ok(failure.message.includes(server.url), failure.message);
    // The connection itself is fine, so the message must be about the request and its limit.
    assert.match(failure.message, new RegExp(`\\b${JETSTREAM_API_TIMEOUT_MS} ms\\b|\\b${JETSTREAM_API_TIMEOUT_MS / 1000} (s|seconds)\\b`), `the message does not name the ${JETSTREAM_API_TIMEOUT_MS} ms timeout: ${failure.message}`);
    assert.doesNotMatch(failure.message, /connecting/i, `the connection was up, yet the message is about connecting: ${failure.message}`);
    // Not a speed check: the request must give up at its timeout instead of hanging.
    assert.ok(elapsed < JETSTREAM_API_TIMEOUT_MS + 5_000, `gave up after ${elapsed} ms`);

    // Once the server replies again, the same session works.
    assert.equal((await listLatticeCaches(session)).length, 2);
    await assertUntouched();
  });

  it('slow server at connect times out', async () => {
    const failure = await whileFrozen(server, () => failureOf(openSession(profileFor(server.url), { timeoutMs: 1_000 })));
    assert.equal(failure.kind, 'timeout');
    assert.equal(failure.message, `Timed out connecting to ${server.url} after 1000 ms. Check the address, the port and any firewall between you and the server.`);
    await assertUntouched();
  });

  it('stream deleted between listing and purge', async () => {
    const listed = await listLatticeCaches(session);
    assert.ok(listed.some((lattice) => lattice.caches.some((cache) => cache.stream === target.streamName)));
    await jsm.streams.delete(target.streamName);

    const count = await failureOf(countPurgeTarget(session, { stream: target.streamName }));
    assert.equal(count.kind, 'stream-not-found');
    const purge = await failureOf(purgeCacheStream(session, { stream: target.streamName }));
    assert.equal(purge.kind, 'stream-not-found');
    assert.equal(purge.message, `Stream ${target.streamName} was not found on ${server.url}; it may have been deleted.`);

    const afterPurge = await snapshotStreams(nc);
    assert.equal(afterPurge.has(target.streamName), false);
    assertOthersUnchanged(before_, afterPurge, [target.streamName]);
  });

  it('two purges of different streams at once', async () => {
    const kvStream = `KV_${target.bucketName}`;
    const [streamPurged, bucketPurged] = await Promise.all([
      purgeCacheStream(session, { stream: target.streamName }),
      purgeCacheStream(session, { stream: kvStream, subject: undefined }),
    ]);
    assert.equal(streamPurged, target.streamMessages.length);
    assert.equal(bucketPurged, target.kvEntries.length);

    const afterPurge = await snapshotStreams(nc);
    assert.equal(afterPurge.get(target.streamName)?.state.messages, 0);
    assert.equal(afterPurge.get(kvStream)?.state.messages, 0);
    assertOthersUnchanged(before_, afterPurge, [target.streamName, kvStream]);
  });

  it('purges of two subject filters at once', async () => {
    const linkdefs = `lc.${target.prefix}.linkdefs.>`;
    const claims = `lc.${target.prefix}.claims.>`;
    const [links, claimsPurged] = await Promise.all([
      purgeCacheStream(session, { stream: target.streamName, subject: linkdefs }),
      purgeCacheStream(session, { stream: target.streamName, subject: claims }),
    ]);
    assert.equal(links, target.linkDefinitions.length);
    assert.equal(claimsPurged, target.components.length);
    const afterPurge = await snapshotStreams(nc);
    assert.equal(afterPurge.get(target.streamName)?.state.messages, target.streamMessages.length - links - claimsPurged);
    assertOthersUnchanged(before_, afterPurge, [target.streamName]);
  });

  it('leaves no unhandled rejection', async () => {
    await sleep(100);
    assert.deepEqual(unhandled, []);
  });
});

describe('NATS faults in server configuration', () => {
  it('JetStream disabled on the server', async () => {
    const server = await NatsServer.start({ jetstream: false });
    try {
      const session = await openSession(profileFor(server.url));
      try {
        const failure = await failureOf(listLatticeCaches(session));
        assert.equal(failure.kind, 'jetstream-not-enabled-server');
        assert.equal(failure.message, `JetStream is not enabled on ${server.url}. Start nats-server with -js or add a jetstream block to its configuration.`);
      } finally {
        await session.close();
      }
    } finally {
      await server.dispose();
    }
  });

  it('JetStream disabled for the account by a reload', async () => {
    const password = 'pw-reload-js-5d2f';
    const enabled = `accounts {\n  APP: { jetstream: enabled, users: [ { user: app, password: "${password}" } ] }\n}`;
    const server = await NatsServer.start({ config: enabled });
    const profile = profileFor(server.url, { kind: 'user-password', user: 'app', password }, 'account');
    const session = await openSession(profile);
    try {
      const observer = await connect({ servers: server.url, user: 'app', pass: password });
      await (await jetstreamManager(observer)).streams.add({ name: 'LATTICECACHE_kept', subjects: ['lc.kept.>'] });
      await observer.publish('lc.kept.claims.M1', '{}');
      await observer.flush();
      const before_ = await snapshotStreams(observer);
      assert.deepEqual(
        (await listLatticeCaches(session)).map((lattice) => lattice.name),
        ['kept'],
      );

      await server.reload(enabled.replace(' jetstream: enabled,', ''));
      const failure = await failureOf(listLatticeCaches(session));
      assert.equal(failure.kind, 'jetstream-not-enabled-account');
      assert.match(failure.message, new RegExp(`^JetStream is not enabled for the account of connection "account" on ${server.url.replace(/\./g, '\\.')}\\.`));
      assert.ok(!failure.message.includes(password), 'the message names the password');
      assert.ok(!failure.detail.includes(password), 'the detail names the password');

      // Enabled again, the stream is back as it was.
      await server.reload(enabled);
      await waitFor(async () => listLatticeCaches(session).then(() => true, () => false), 'JetStream to answer again');
      assertOthersUnchanged(before_, await snapshotStreams(observer));
      await observer.close();
    } finally {
      await session.close();
      await server.dispose();
    }
  });

  it('authorization revoked by a reload', async () => {
    const password = 'pw-revoked-81c3';
    const granted = `authorization { users: [ { user: lattice, password: "${password}" } ] }`;
    const server = await NatsServer.start({ config: granted });
    const pool = new NatsConnectionPool({ connectTimeoutMs: () => 2_000 });
    const states: ConnectionState[] = [];
    pool.onDidChangeState((_, state) => states.push(state));
    const profile = profileFor(server.url, { kind: 'user-password', user: 'lattice', password }, 'revoked');
    try {
      const pooled = await pool.session(profile);
      assert.deepEqual(await listLatticeCaches(pooled), []);

      await server.reload(granted.replace(password, 'pw-changed-by-admin'));
      await waitFor(() => states.includes('closed'), 'nats.js to give up on the revoked credentials');
      const onOld = await failureOf(listLatticeCaches(pooled));
      assert.equal(onOld.kind, 'connection-closed');
      assert.equal(onOld.message, `The connection to ${server.url} is closed. Refresh to connect again.`);

      // A refresh connects again and gets a plain authorization message.
      const refreshed = await failureOf(pool.session(profile));
      assert.equal(refreshed.kind, 'authorization');
      assert.equal(
        refreshed.message,
        `Authorization violation on ${server.url}: the server rejected the credentials for connection "revoked". Check the user and password, token, nkey seed or creds file.`,
      );
      for (const failure of [onOld, refreshed]) {
        assert.ok(!failure.message.includes(password), 'a message names the password');
        assert.ok(!failure.detail.includes(password), 'a detail names the password');
      }

      // Restored, the next refresh works.
      await server.reload(granted);
      assert.deepEqual(await listLatticeCaches(await pool.session(profile)), []);
    } finally {
      await pool.dispose();
      await server.dispose();
    }
  });
});
