import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { NatsFailure } from '../../src/core/nats/errors';
import { decodeHostPingReply, pingLatticeHosts } from '../../src/core/nats/host-ping';
import type { ConnectionProfile } from '../../src/core/nats/profile';
import { checkRunningHosts, countPurgeTarget, purgeCacheStream } from '../../src/core/nats/purge';
import { JETSTREAM_API_TIMEOUT_MS, openSession, type LatticeSession } from '../../src/core/nats/session';
import { NatsServer } from '../support/nats-server';
import { buildSampleLattice, seedSampleLattice, type SampleLattice } from '../support/sample-lattice';

const PREFIX = 'purge-me_1';
const BYSTANDER = 'keep-me_2';

/** Reads the `state` of every stream with plain requests, by stream name. */
async function allStreamStates(nc: NatsConnection): Promise<Map<string, unknown>> {
  const names = (await nc.request('$JS.API.STREAM.NAMES', undefined, { timeout: 5_000 })).json<{ streams: string[] | null }>().streams ?? [];
  const states = new Map<string, unknown>();
  for (const name of names) {
    const info = (await nc.request(`$JS.API.STREAM.INFO.${name}`, undefined, { timeout: 5_000 })).json<{ state: unknown }>();
    states.set(name, info.state);
  }
  return states;
}

function profileFor(server: NatsServer): ConnectionProfile {
  return { id: 'test:purge', name: 'purge', source: 'settings', servers: [server.url], auth: { kind: 'none' }, selected: false };
}

describe('cache purge', () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let session: LatticeSession;
  let target: SampleLattice;

  before(async () => {
    server = await NatsServer.start();
    nc = await connect({ servers: server.url });
    jsm = await jetstreamManager(nc);
    session = await openSession(profileFor(server));
  });

  after(async () => {
    await session?.close();
    await nc?.close();
    await server?.dispose();
  });

  beforeEach(async () => {
    for (const name of await jsm.streams.names().next()) {
      await jsm.streams.delete(name);
    }
    target = await seedSampleLattice(nc, buildSampleLattice(PREFIX));
    await seedSampleLattice(nc, buildSampleLattice(BYSTANDER));
    await jsm.streams.add({ name: 'ORDERS', subjects: ['orders.>'] });
    await jetstream(nc).publish('orders.1', 'order');
  });

  it('purges a whole stream and nothing else', async () => {
    const before = await allStreamStates(nc);
    const expected = (before.get(target.streamName) as { messages: number }).messages;
    assert.equal(expected, target.streamMessages.length);
    assert.equal(await countPurgeTarget(session, { stream: target.streamName }), expected);

    const purged = await purgeCacheStream(session, { stream: target.streamName });
    assert.equal(purged, expected);

    const afterPurge = await allStreamStates(nc);
    assert.equal((afterPurge.get(target.streamName) as { messages: number }).messages, 0);
    for (const [name, state] of before) {
      if (name !== target.streamName) {
        assert.deepEqual(afterPurge.get(name), state, `${name} changed`);
      }
    }
  });

  it('purges only the subject filter', async () => {
    const filter = `lc.${PREFIX}.linkdefs.>`;
    const before = await allStreamStates(nc);
    const total = (before.get(target.streamName) as { messages: number }).messages;
    assert.equal(await countPurgeTarget(session, { stream: target.streamName, subject: filter }), target.linkDefinitions.length);

    const purged = await purgeCacheStream(session, { stream: target.streamName, subject: filter });
    assert.equal(purged, target.linkDefinitions.length);

    const afterPurge = await allStreamStates(nc);
    assert.equal((afterPurge.get(target.streamName) as { messages: number }).messages, total - purged);
    const remaining = await jsm.streams.getMessage(target.streamName, { last_by_subj: target.streamMessages[0].subject });
    assert.equal(remaining?.subject, target.streamMessages[0].subject);
    assert.equal(await countPurgeTarget(session, { stream: target.streamName, subject: filter }), 0);
    for (const [name, state] of before) {
      if (name !== target.streamName) {
        assert.deepEqual(afterPurge.get(name), state, `${name} changed`);
      }
    }
  });

  it('purges a KV bucket through its stream', async () => {
    const stream = `KV_${target.bucketName}`;
    const before = await allStreamStates(nc);
    const purged = await purgeCacheStream(session, { stream });
    assert.equal(purged, target.kvEntries.length);

    const kv = await new Kvm(nc).open(target.bucketName);
    const keys: string[] = [];
    for await (const key of await kv.keys()) {
      keys.push(key);
    }
    assert.deepEqual(keys, []);
    const afterPurge = await allStreamStates(nc);
    for (const [name, state] of before) {
      if (name !== stream) {
        assert.deepEqual(afterPurge.get(name), state, `${name} changed`);
      }
    }
  });

  it('names the stream subjects a filter misses', async () => {
    await assert.rejects(countPurgeTarget(session, { stream: target.streamName, subject: 'lc.other.>' }), (error: unknown) => {
      assert.ok(error instanceof NatsFailure);
      assert.equal(error.kind, 'invalid-subject');
      assert.equal(
        error.message,
        `The subject filter lc.other.> matches none of the subjects of stream ${target.streamName} (lc.${PREFIX}.>), so nothing would be purged. Use a filter within lc.${PREFIX}.>.`,
      );
      return true;
    });
  });

  it('reports a deleted stream as not found', async () => {
    await jsm.streams.delete(target.streamName);
    await assert.rejects(purgeCacheStream(session, { stream: target.streamName }), (error: unknown) => {
      assert.ok(error instanceof NatsFailure);
      assert.equal(error.kind, 'stream-not-found');
      assert.equal(error.message, `Stream ${target.streamName} was not found on ${server.url}; it may have been deleted.`);
      return true;
    });
    await assert.rejects(countPurgeTarget(session, { stream: target.streamName }), (error: unknown) => error instanceof NatsFailure && error.kind === 'stream-not-found');
  });
});

/** Stops the server process (SIGSTOP) while `body` runs, then lets it continue. */
async function whileStopped<T>(server: NatsServer, body: () => Promise<T>): Promise<T> {
  const pid = server.pid;
  assert.ok(pid !== undefined, 'the server is not running');
  process.kill(pid, 'SIGSTOP');
  try {
    return await body();
  } finally {
    process.kill(pid, 'SIGCONT');
  }
}

describe('purge on a stalled or crashing server', () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let target: SampleLattice;

  before(async () => {
    server = await NatsServer.start();
    nc = await connect({ servers: server.url });
  });

  after(async () => {
    await nc?.close();
    await server?.dispose();
  });

  beforeEach(async () => {
    const jsm = await jetstreamManager(nc);
    for (const name of await jsm.streams.names().next()) {
      await jsm.streams.delete(name);
    }
    target = await seedSampleLattice(nc, buildSampleLattice(PREFIX));
  });

  it('names the purge request timeout', async () => {
    const session = await openSession(profileFor(server), { maxReconnectAttempts: 0 });
    try {
      // The JetStream manager exists before the server stalls, so only the purge request waits.
      assert.equal(await countPurgeTarget(session, { stream: target.streamName }), target.streamMessages.length);
      const failure = await whileStopped(server, () =>
        purgeCacheStream(session, { stream: target.streamName }, { howToCheck: 'run `cache ls` to check' }).then(
          () => assert.fail('the purge did not fail'),
          (error: unknown) => error,
        ),
      );
      assert.ok(failure instanceof NatsFailure);
      assert.equal(failure.kind, 'timeout');
      assert.equal(
        failure.message,
        `The purge request to ${server.url} timed out after ${JETSTREAM_API_TIMEOUT_MS} ms. The server may still purge stream ${target.streamName}; run \`cache ls\` to check.`,
      );
    } finally {
      await session.close();
    }
  });

  it('says a purge cut off by a crash may be partial', async () => {
    // A server of its own, so the kill leaves the suite's server running.
    const doomed = await NatsServer.start();
    const seeding = await connect({ servers: doomed.url });
    const lattice = await seedSampleLattice(seeding, buildSampleLattice(PREFIX));
    await seeding.close();
    const session = await openSession(profileFor(doomed), { maxReconnectAttempts: 0 });
    const pid = doomed.pid;
    assert.ok(pid !== undefined);
    try {
      await countPurgeTarget(session, { stream: lattice.streamName });
      // The stopped server receives the request but cannot reply, and then it dies.
      process.kill(pid, 'SIGSTOP');
      const purging = purgeCacheStream(session, { stream: lattice.streamName }).then(
        () => assert.fail('the purge did not fail'),
        (error: unknown) => error,
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      await doomed.kill();
      const failure = await purging;
      assert.ok(failure instanceof NatsFailure);
      assert.equal(failure.kind, 'connection-closed');
      assert.equal(
        failure.message,
        `The connection to ${doomed.url} closed during the purge request, so the purge of stream ${lattice.streamName} may be partial. Purging again is safe: it removes only the messages that are left.`,
      );
    } finally {
      await session.close();
      await doomed.dispose();
    }
  });

  it('detects a stall during the host ping', async () => {
    const session = await openSession(profileFor(server));
    try {
      const failure = await whileStopped(server, () =>
        checkRunningHosts(session, target.streamName, 300).then(
          (hosts) => assert.fail(`the ping reported ${hosts.length} hosts from a stopped server`),
          (error: unknown) => error,
        ),
      );
      assert.ok(failure instanceof NatsFailure);
      assert.equal(failure.kind, 'timeout');
      assert.equal(
        failure.message,
        `The server ${server.url} did not answer within ${JETSTREAM_API_TIMEOUT_MS} ms after the host ping, so it is unknown whether hosts of lattice ${PREFIX} are running. Try again when the server responds.`,
      );
      // Once the server runs again, the same session pings normally.
      assert.deepEqual(await checkRunningHosts(session, target.streamName, 200), []);
    } finally {
      await session.close();
    }
  });
});

describe('host ping', () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let session: LatticeSession;
  const responders: Subscription[] = [];

  before(async () => {
    server = await NatsServer.start();
    nc = await connect({ servers: server.url });
    session = await openSession(profileFor(server));
  });

  afterEach(() => {
    for (const responder of responders.splice(0)) {
      responder.unsubscribe();
    }
  });

  after(async () => {
    await session?.close();
    await nc?.close();
    await server?.dispose();
  });

  /** Replies to pings on `subject` with `reply`, as a host would. */
  async function respond(subject: string, reply: object): Promise<void> {
    responders.push(nc.subscribe(subject, {
        callback: (_error, message) => {
          message.respond(JSON.stringify(reply));
        },
      }));
    await nc.flush();
  }

  // Reply shapes taken from the hosts' source: HostCore.ControlInterface.Server
  // (OTP), the 0.8x Rust host's handle_ping_hosts, and the 1.x host's
  // CtlResponse<Host>.
  const otpReply = {
    id: 'NOTPHOST',
    labels: { hostcore_os: 'linux' },
    friendly_name: 'misty-rain-1234',
    uptime_seconds: 42,
    uptime_human: '42 seconds',
    version: '0.59.0',
    cluster_issuers: 'CABC',
    js_domain: null,
    ctl_host: '127.0.0.1',
    prov_rpc_host: '127.0.0.1',
    rpc_host: '127.0.0.1',
    lattice_prefix: PREFIX,
  };
  const rustReply = { ...otpReply, id: 'NRUSTHOST', issuer: 'CISSUER', friendly_name: 'quiet-leaf-77', version: '0.81.0' };
  const v1Reply = {
    success: true,
    message: '',
    response: { id: 'NV1HOST', friendly_name: 'bold-sky-9', version: '1.2.1', labels: {}, lattice: PREFIX, uptime_seconds: 7, uptime_human: '7s', ctl_host: 'nats://127.0.0.1:4222', rpc_host: 'nats://127.0.0.1:4222' },
  };

  it('finds no host when nobody answers', async () => {
    assert.deepEqual(await checkRunningHosts(session, `LATTICECACHE_${PREFIX}`, 200), []);
  });

  it('finds an OTP host on the legacy subject', async () => {
    await respond(`wasmbus.ctl.${PREFIX}.ping.hosts`, otpReply);
    const hosts = await checkRunningHosts(session, `LATTICECACHE_${PREFIX}`, 300);
    assert.deepEqual(hosts, [{ id: 'NOTPHOST', name: 'misty-rain-1234', version: '0.59.0', lattice: PREFIX, uptimeSeconds: 42, subject: `wasmbus.ctl.${PREFIX}.ping.hosts` }]);
  });

  it('finds a 0.8x host on the legacy subject', async () => {
    await respond(`wasmbus.ctl.${PREFIX}.ping.hosts`, rustReply);
    const hosts = await checkRunningHosts(session, `KV_LATTICEDATA_${PREFIX}`, 300);
    assert.deepEqual(
      hosts.map((host) => [host.id, host.name, host.version]),
      [['NRUSTHOST', 'quiet-leaf-77', '0.81.0']],
    );
  });

  it('finds a 1.x host on the v1 subject', async () => {
    await respond(`wasmbus.ctl.v1.${PREFIX}.host.ping`, v1Reply);
    const hosts = await checkRunningHosts(session, `KV_LATTICEDATA_${PREFIX}`, 300);
    assert.deepEqual(hosts, [{ id: 'NV1HOST', name: 'bold-sky-9', version: '1.2.1', lattice: PREFIX, uptimeSeconds: 7, subject: `wasmbus.ctl.v1.${PREFIX}.host.ping` }]);
  });

  it('gathers every host of every generation', async () => {
    await respond(`wasmbus.ctl.${PREFIX}.ping.hosts`, otpReply);
    await respond(`wasmbus.ctl.${PREFIX}.ping.hosts`, rustReply);
    await respond(`wasmbus.ctl.v1.${PREFIX}.host.ping`, v1Reply);
    // A host of another lattice must not count.
    await respond(`wasmbus.ctl.v1.${BYSTANDER}.host.ping`, { ...v1Reply, response: { ...v1Reply.response, id: 'NOTHER' } });
    const hosts = await pingLatticeHosts(nc, PREFIX, { timeoutMs: 300 });
    assert.deepEqual(hosts.map((host) => host.id).sort(), ['NOTPHOST', 'NRUSTHOST', 'NV1HOST']);
  });

  it('counts an unreadable reply as a host', () => {
    const host = decodeHostPingReply(new TextEncoder().encode('pong'), 'wasmbus.ctl.x.ping.hosts');
    assert.equal(host.id, 'unknown');
    assert.equal(host.name, 'unreadable reply (4 bytes)');
  });

  it('refuses to report no hosts when pings are forbidden', async () => {
    const restricted = await NatsServer.start({
      config: 'authorization { users: [ { user: viewer, password: viewer, permissions: { publish: { deny: ["wasmbus.ctl.>"] } } } ] }',
    });
    const viewer = await openSession({ ...profileFor(restricted), auth: { kind: 'user-password', user: 'viewer', password: 'viewer' } });
    try {
      await assert.rejects(pingLatticeHosts(viewer.nc, PREFIX, { timeoutMs: 300 }), (error: unknown) => {
        assert.ok(error instanceof NatsFailure);
        assert.equal(error.kind, 'permission');
        assert.match(error.message, /^Cannot check for running hosts of lattice purge-me_1: this user may not publish to wasmbus\.ctl\./);
        return true;
      });
    } finally {
      await viewer.close();
      await restricted.dispose();
    }
  });
});
