/**
 * Listing lattice caches on a three-node JetStream cluster where one stream
 * is offline. nats-server 2.9 then still lists the stream, with an empty
 * state, and names it in the page's `missing` list, so the listing must ask
 * for that stream on its own instead of showing it as an empty cache.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { listLatticeCaches } from '../../src/core/nats/cache-streams';
import type { NatsFailure } from '../../src/core/nats/errors';
import type { ConnectionProfile } from '../../src/core/nats/profile';
import { openSession, type LatticeSession } from '../../src/core/nats/session';
import { waitForJetStream } from '../support/jetstream';
import { startNatsCluster, type NatsCluster } from '../support/nats-server';

const SOLO = 'LATTICECACHE_solo';
const SHARED = 'LATTICECACHE_shared';

interface RawStreamList {
  streams: { config: { name: string }; state: { messages: number } }[] | null;
  missing?: string[];
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await sleep(200);
  }
}

/** Requests the first stream list page with a plain request, independent of the code under test. */
async function rawStreamList(nc: NatsConnection, timeoutMs = 5_000): Promise<RawStreamList | undefined> {
  try {
    return (await nc.request('$JS.API.STREAM.LIST', '{}', { timeout: timeoutMs })).json<RawStreamList>();
  } catch {
    return undefined;
  }
}

/** Returns the index in the cluster of the node that leads `stream`; nodes are named `…-n1`, `…-n2`, …. */
async function leaderIndex(nc: NatsConnection, stream: string): Promise<number> {
  const info = (await nc.request(`$JS.API.STREAM.INFO.${stream}`, undefined, { timeout: 5_000 })).json<{ cluster?: { leader?: string } }>();
  const match = /-n(\d+)$/.exec(info.cluster?.leader ?? '');
  assert.ok(match, `${stream} has no leader named like a cluster node: ${String(info.cluster?.leader)}`);
  return Number(match[1]) - 1;
}

describe('cache listing with an offline stream', () => {
  let cluster: NatsCluster;
  let nc: NatsConnection;
  let session: LatticeSession;
  let soloNode: number;

  before(async () => {
    cluster = await startNatsCluster(3);
    const urls = cluster.urls.split(',');
    await waitForJetStream(urls);
    const setup = await connect({ servers: urls });
    const jsm = await jetstreamManager(setup);
    await jsm.streams.add({ name: SOLO, subjects: ['lc.solo.>'], num_replicas: 1 });
    await jsm.streams.add({ name: SHARED, subjects: ['lc.shared.>'], num_replicas: 3 });
    const js = jetstream(setup);
    for (let i = 0; i < 4; i++) {
      await js.publish(`lc.solo.claims.M${i}`, JSON.stringify({ name: `solo-${i}` }));
    }
    await js.publish('lc.shared.claims.M0', JSON.stringify({ name: 'shared-0' }));
    soloNode = await leaderIndex(setup, SOLO);
    await setup.close();

    // Both clients stay on a node that keeps running.
    const runningUrl = urls[(soloNode + 1) % urls.length];
    nc = await connect({ servers: runningUrl });
    const profile: ConnectionProfile = { id: 'test:offline', name: 'offline', source: 'settings', servers: [runningUrl], auth: { kind: 'none' }, selected: false };
    session = await openSession(profile, { timeoutMs: 5_000 });
  });

  after(async () => {
    await session?.close();
    await nc?.close();
    await cluster?.dispose();
  });

  it('lists every cache with its messages', async () => {
    const lattices = await listLatticeCaches(session);
    assert.deepEqual(
      lattices.map((lattice) => [lattice.name, lattice.caches.map((cache) => cache.messages)]),
      [
        ['shared', [1]],
        ['solo', [4]],
      ],
    );
  });

  it('rejects instead of listing an offline stream as empty', async () => {
    await cluster.stopNode(soloNode);
    try {
      await waitFor(async () => (await rawStreamList(nc))?.missing?.includes(SOLO) === true, `the server to name ${SOLO} as missing`);
      const listed = await rawStreamList(nc);
      assert.equal(listed?.streams?.find((stream) => stream.config.name === SOLO)?.state.messages, 0, 'the page lists the offline stream as empty');

      await assert.rejects(listLatticeCaches(session), (error: NatsFailure) => {
        assert.match(error.message, /stream is offline/);
        return true;
      });
    } finally {
      await cluster.startNode(soloNode);
    }

    await waitFor(async () => listLatticeCaches(session).then(() => true, () => false), `${SOLO} to be back online`);
    const lattices = await listLatticeCaches(session);
    assert.deepEqual(
      lattices.map((lattice) => [lattice.name, lattice.caches.map((cache) => cache.messages)]),
      [
        ['shared', [1]],
        ['solo', [4]],
      ],
    );
  });
});

describe('cache listing with every listed stream missing', () => {
  const NAMES = ['LATTICECACHE_m0', 'LATTICECACHE_m1', 'LATTICECACHE_m2', 'LATTICECACHE_m3', 'LATTICECACHE_m4', 'LATTICECACHE_m5'];
  let cluster: NatsCluster;
  let nc: NatsConnection;
  let session: LatticeSession;
  let pausedNode: number;
  let pausedStreams: string[];

  before(async () => {
    cluster = await startNatsCluster(3);
    const urls = cluster.urls.split(',');
    await waitForJetStream(urls);
    const setup = await connect({ servers: urls });
    const jsm = await jetstreamManager(setup);
    for (const name of NAMES) {
      await jsm.streams.add({ name, subjects: [`lc.${name}.>`], num_replicas: 1 });
    }
    // Only the streams led by one node stay, so that every stream the list
    // request covers is on the node that is paused below.
    pausedNode = await leaderIndex(setup, NAMES[0]);
    pausedStreams = [];
    for (const name of NAMES) {
      if ((await leaderIndex(setup, name)) === pausedNode) {
        pausedStreams.push(name);
        await jetstream(setup).publish(`lc.${name}.claims.M0`, '{}');
      } else {
        await jsm.streams.delete(name);
      }
    }
    await setup.close();

    const other = urls[(pausedNode + 1) % urls.length];
    nc = await connect({ servers: other });
    const profile: ConnectionProfile = { id: 'test:missing', name: 'missing', source: 'settings', servers: [other], auth: { kind: 'none' }, selected: false };
    session = await openSession(profile, { timeoutMs: 5_000 });
  });

  after(async () => {
    cluster?.nodes[pausedNode]?.resume();
    await session?.close();
    await nc?.close();
    await cluster?.dispose();
  });

  it('rejects instead of listing no caches', async () => {
    const before = await listLatticeCaches(session);
    assert.deepEqual(before.map((lattice) => lattice.name), pausedStreams.map((name) => name.slice('LATTICECACHE_'.length)));

    cluster.nodes[pausedNode].pause();
    try {
      // The server waits a few seconds for the paused node before it
      // responds. When the paused node was the meta leader, requests go
      // unanswered until the other nodes elect a new one.
      let listed: RawStreamList | undefined;
      await waitFor(
        async () => {
          listed = await rawStreamList(nc, 10_000);
          return listed !== undefined;
        },
        'a response to the stream list request',
        60_000,
      );
      assert.ok(listed);
      assert.equal(listed.streams?.length ?? 0, 0, 'the page has stream infos');
      assert.deepEqual([...(listed.missing ?? [])].sort(), [...pausedStreams].sort());

      await assert.rejects(listLatticeCaches(session), (error: NatsFailure) => {
        assert.equal(error.kind, 'timeout', error.message);
        assert.match(error.message, new RegExp(`^The stream (list request|info request for stream LATTICECACHE_m\\d) to ${session.server.replace(/[.]/g, '\\.')} timed out after 5000 ms\\.`));
        return true;
      });
    } finally {
      cluster.nodes[pausedNode].resume();
    }
  });
});
