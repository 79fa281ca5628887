/**
 * Lattice caches outside the single-server case: a three-node JetStream
 * cluster on loopback with replicated (R3) `LATTICECACHE_` streams, one node
 * stopped; a JetStream domain reached across a leaf node; and JetStream
 * imported into another account under an API prefix. Listing, entry paging
 * and purge must work in each, and streams not purged must not change.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { entryGroups, listCacheEntries } from '../../src/core/nats/cache-entries';
import { getCacheStats, listLatticeCaches } from '../../src/core/nats/cache-streams';
import type { ConnectionProfile } from '../../src/core/nats/profile';
import { purgeCacheStream } from '../../src/core/nats/purge';
import { openSession, type LatticeSession } from '../../src/core/nats/session';
import { waitForJetStream } from '../support/jetstream';
import { freePort, NatsServer, startNatsCluster, type NatsCluster } from '../support/nats-server';
import { assertOthersUnchanged, snapshotStreams } from '../support/stream-snapshot';

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function profile(servers: string[], extra: Partial<ConnectionProfile> = {}): ConnectionProfile {
  return { id: 'test:cluster', name: 'cluster', source: 'settings', servers, auth: { kind: 'none' }, selected: false, ...extra };
}

async function publishClaims(nc: NatsConnection, prefix: string, count: number): Promise<void> {
  const js = jetstream(nc);
  for (let i = 0; i < count; i++) {
    await js.publish(`lc.${prefix}.claims.M${i}`, JSON.stringify({ name: `actor-${i}`, sub: `M${i}` }));
  }
}

/** Returns the stream's leader as the server reports it, or undefined while it has none. */
async function streamLeader(nc: NatsConnection, stream: string): Promise<string | undefined> {
  try {
    const info = (await nc.request(`$JS.API.STREAM.INFO.${stream}`, undefined, { timeout: 2_000 })).json<{ cluster?: { leader?: string } }>();
    return info.cluster?.leader;
  } catch {
    return undefined;
  }
}

async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await sleep(100);
  }
}

describe('R3 lattice cache on a three-node cluster', () => {
  let cluster: NatsCluster;
  let nc: NatsConnection;
  let session: LatticeSession;
  const urls = (): string[] => cluster.urls.split(',');

  before(async () => {
    cluster = await startNatsCluster(3);
    await waitForJetStream(urls());
    nc = await connect({ servers: urls(), maxReconnectAttempts: -1, reconnectTimeWait: 100 });
    session = await openSession(profile(urls()), { timeoutMs: 3_000 });
  });

  beforeEach(async () => {
    await waitFor(clusterAnswers, 'every stream to have a leader');
    const jsm = await jetstreamManager(nc);
    for (const name of ['replicated', 'kept']) {
      await waitFor(
        () =>
          jsm.streams.delete(`LATTICECACHE_${name}`).then(
            () => true,
            (error: Error) => /not found/i.test(error.message),
          ),
        `LATTICECACHE_${name} to be deleted`,
      );
      await jsm.streams.add({ name: `LATTICECACHE_${name}`, subjects: [`lc.${name}.>`], num_replicas: 3 });
      await publishClaims(nc, name, 40);
    }
    await waitFor(clusterAnswers, 'the new streams to have leaders');
  });

  /**
   * Tests whether the cluster replies to the requests the explorer makes:
   * stream names (the meta leader) and every stream's info (its leader),
   * sent as plain requests.
   */
  async function clusterAnswers(): Promise<boolean> {
    try {
      const names = (await nc.request('$JS.API.STREAM.NAMES', undefined, { timeout: 2_000 })).json<{ streams: string[] | null; error?: unknown }>();
      if (names.error !== undefined) {
        return false;
      }
      for (const name of names.streams ?? []) {
        if ((await streamLeader(nc, name)) === undefined) {
          return false;
        }
      }
      return true;
    } catch {
      return false;
    }
  }

  after(async () => {
    await session?.close();
    await nc?.close();
    await cluster?.dispose();
  });

  it('lists and purges with the stream leader killed', async () => {
    const leaderName = await streamLeader(nc, 'LATTICECACHE_replicated');
    const leaderIndex = cluster.nodes.findIndex((node) => nodeName(node) === leaderName);
    assert.ok(leaderIndex >= 0, `no node is named ${String(leaderName)}`);
    const before_ = await snapshotStreams(nc);

    // Killed, not stopped: a crash hands over no leadership.
    await cluster.nodes[leaderIndex].kill();
    try {
      await waitFor(async () => {
        const leader = await streamLeader(nc, 'LATTICECACHE_replicated');
        return leader !== undefined && leader !== leaderName && (await clusterAnswers());
      }, 'a new stream leader');
      // A session on the killed node reconnects first; a request in that gap may time out.
      await waitFor(async () => listLatticeCaches(session).then(() => true, () => false), 'the session to list through the remaining nodes');

      const lattices = await listLatticeCaches(session);
      assert.deepEqual(
        lattices.map((lattice) => [lattice.name, lattice.caches.map((cache) => [cache.messages, cache.replicas])]),
        [
          ['kept', [[40, 3]]],
          ['replicated', [[40, 3]]],
        ],
      );

      // Paging is checked with a follower stopped below: right after a crash a
      // new consumer can time out on nats-server 2.9, whatever the client does.
      assert.equal(await purgeCacheStream(session, { stream: 'LATTICECACHE_replicated' }), 40);
      const afterPurge = await snapshotStreams(nc);
      assert.equal(afterPurge.get('LATTICECACHE_replicated')?.state.messages, 0);
      assertOthersUnchanged(before_, afterPurge, ['LATTICECACHE_replicated']);
    } finally {
      await cluster.startNode(leaderIndex);
    }
  });

  it('keeps working when its own node stops', async () => {
    const connectedIndex = cluster.nodes.findIndex((node) => node.url === session.server);
    assert.ok(connectedIndex >= 0, `the session is connected to ${session.server}, not a cluster node`);
    const before_ = await snapshotStreams(nc);

    await cluster.stopNode(connectedIndex);
    try {
      // Meta and stream leaders on the stopped node are elected again first.
      await waitFor(clusterAnswers, 'the remaining nodes to answer');
      await waitFor(async () => listLatticeCaches(session).then(() => true, () => false), 'the session to reconnect to another node');
      assert.notEqual(session.server, cluster.nodes[connectedIndex].url);
      assert.deepEqual(
        (await listLatticeCaches(session)).map((lattice) => lattice.name),
        ['kept', 'replicated'],
      );
      await publishClaims(nc, 'replicated', 3);
      assert.equal(await purgeCacheStream(session, { stream: 'LATTICECACHE_replicated' }), 40 + 3);
      assertOthersUnchanged(before_, await snapshotStreams(nc), ['LATTICECACHE_replicated']);
    } finally {
      await cluster.startNode(connectedIndex);
    }
  });

  it('purges and pages with a follower stopped', async () => {
    const leaderName = await streamLeader(nc, 'LATTICECACHE_kept');
    const followerIndex = cluster.nodes.findIndex((node) => nodeName(node) !== leaderName);
    const js = jetstream(nc);
    for (let i = 0; i < 5; i++) {
      await js.publish(`lc.replicated.linkdefs.L${i}`, JSON.stringify({ actor_id: 'M1', provider_id: 'V1', contract_id: 'wasmcloud:keyvalue' }));
    }
    const before_ = await snapshotStreams(nc);

    await cluster.stopNode(followerIndex);
    try {
      await waitFor(clusterAnswers, 'the remaining nodes to answer');
      assert.deepEqual(
        (await listLatticeCaches(session)).map((lattice) => lattice.name),
        ['kept', 'replicated'],
      );
      assert.equal(await purgeCacheStream(session, { stream: 'LATTICECACHE_replicated', subject: 'lc.replicated.linkdefs.>' }), 5);

      // NOTE: nats-server 2.9 may place the reader's consumer on the stopped
      // peer until the cluster marks it offline, so the first pages may time out.
      const cache = await getCacheStats(session, 'LATTICECACHE_kept');
      let page: Awaited<ReturnType<typeof listCacheEntries>> | undefined;
      await waitFor(async () => {
        page = await listCacheEntries(session, cache, entryGroups(cache)[0], { limit: 25 }).catch(() => undefined);
        return page !== undefined;
      }, 'a page of entries');
      assert.equal(page?.entries.length, 25);
      assert.equal(page?.remaining, 15);

      await waitFor(clusterAnswers, 'the remaining nodes to answer');
      const afterPurge = await snapshotStreams(nc);
      assert.equal(afterPurge.get('LATTICECACHE_replicated')?.state.messages, 40);
      // A page that timed out leaves its reader until the 30 s inactive threshold removes it, so the paged stream's consumers are not compared.
      const withoutConsumers = (name: string, snapshot: typeof before_): unknown => ({ ...snapshot.get(name)?.state, consumer_count: undefined });
      assert.deepEqual(withoutConsumers('LATTICECACHE_kept', afterPurge), withoutConsumers('LATTICECACHE_kept', before_));
      assertOthersUnchanged(before_, afterPurge, ['LATTICECACHE_replicated', 'LATTICECACHE_kept']);
    } finally {
      await cluster.startNode(followerIndex);
    }
  });
});

/** Returns the server name a node logged at startup, which stream info names as leader. */
function nodeName(node: NatsServer): string {
  const match = /Starting nats-server[\s\S]*?Name:\s+(\S+)/.exec(node.output);
  return match?.[1] ?? '';
}

describe('JetStream domain across a leaf node', () => {
  let hub: NatsServer;
  let leaf: NatsServer;
  let hubNc: NatsConnection;

  before(async () => {
    const leafPort = await freePort();
    hub = await NatsServer.start({ jetstreamConfig: 'domain: hub', config: `leafnodes { listen: "127.0.0.1:${leafPort}" }` });
    leaf = await NatsServer.start({ jetstreamConfig: 'domain: leaf', config: `leafnodes { remotes: [ { url: "nats-leaf://127.0.0.1:${leafPort}" } ] }` });
    hubNc = await connect({ servers: hub.url });
    await (await jetstreamManager(hubNc)).streams.add({ name: 'LATTICECACHE_onhub', subjects: ['lc.onhub.>'] });
    await (await jetstreamManager(hubNc)).streams.add({ name: 'LATTICECACHE_alsohub', subjects: ['lc.alsohub.>'] });
    await publishClaims(hubNc, 'onhub', 12);
    await publishClaims(hubNc, 'alsohub', 3);
    const leafNc = await connect({ servers: leaf.url });
    await (await jetstreamManager(leafNc)).streams.add({ name: 'LATTICECACHE_onleaf', subjects: ['lc.onleaf.>'] });
    await leafNc.close();
    // The domain's API is reachable through the leaf only once the leaf connection is up.
    await waitFor(async () => {
      const session = await openSession(profile([leaf.url], { jetstreamDomain: 'hub' }));
      try {
        return (await listLatticeCaches(session).catch(() => [])).length > 0;
      } finally {
        await session.close();
      }
    }, 'the leaf node connection');
  });

  after(async () => {
    await hubNc?.close();
    await leaf?.dispose();
    await hub?.dispose();
  });

  it('lists, pages and purges the hub domain from the leaf', async () => {
    const before_ = await snapshotStreams(hubNc);
    const session = await openSession(profile([leaf.url], { jetstreamDomain: 'hub' }));
    try {
      assert.deepEqual(
        (await listLatticeCaches(session)).map((lattice) => lattice.name),
        ['alsohub', 'onhub'],
      );
      const cache = await getCacheStats(session, 'LATTICECACHE_onhub');
      const page = await listCacheEntries(session, cache, entryGroups(cache)[0], { limit: 5 });
      assert.deepEqual(
        page.entries.map((entry) => entry.seq),
        [1, 2, 3, 4, 5],
      );
      assert.equal(await purgeCacheStream(session, { stream: 'LATTICECACHE_onhub' }), 12);
    } finally {
      await session.close();
    }
    const afterPurge = await snapshotStreams(hubNc);
    assert.equal(afterPurge.get('LATTICECACHE_onhub')?.state.messages, 0);
    assertOthersUnchanged(before_, afterPurge, ['LATTICECACHE_onhub']);
  });

  it('uses the local domain without one', async () => {
    const session = await openSession(profile([leaf.url]));
    try {
      assert.deepEqual(
        (await listLatticeCaches(session)).map((lattice) => lattice.name),
        ['onleaf'],
      );
    } finally {
      await session.close();
    }
  });
});

describe('JetStream imported under an API prefix', () => {
  let server: NatsServer;
  let owner: NatsConnection;
  const accounts = [
    'accounts {',
    '  JS: { jetstream: enabled, users: [ { user: owner, password: "pw-owner-3e1a" } ], exports: [ { service: "$JS.API.>", response_type: stream } ] }',
    '  APP: { users: [ { user: app, password: "pw-app-7b90" } ], imports: [ { service: { account: JS, subject: "$JS.API.>" }, to: "js.shared.API.>" } ] }',
    '}',
  ].join('\n');
  const app = (extra: Partial<ConnectionProfile> = {}): ConnectionProfile => profile([server.url], { auth: { kind: 'user-password', user: 'app', password: 'pw-app-7b90' }, ...extra });

  before(async () => {
    server = await NatsServer.start({ config: accounts });
    owner = await connect({ servers: server.url, user: 'owner', pass: 'pw-owner-3e1a' });
    const jsm = await jetstreamManager(owner);
    await jsm.streams.add({ name: 'LATTICECACHE_shared', subjects: ['lc.shared.>'] });
    await jsm.streams.add({ name: 'LATTICECACHE_other', subjects: ['lc.other.>'] });
    await publishClaims(owner, 'shared', 7);
    await publishClaims(owner, 'other', 2);
  });

  after(async () => {
    await owner?.close();
    await server?.dispose();
  });

  it('lists, pages and purges through the prefix', async () => {
    const before_ = await snapshotStreams(owner);
    const session = await openSession(app({ jetstreamApiPrefix: 'js.shared.API' }));
    try {
      assert.deepEqual(
        (await listLatticeCaches(session)).map((lattice) => lattice.name),
        ['other', 'shared'],
      );
      const cache = await getCacheStats(session, 'LATTICECACHE_shared');
      const page = await listCacheEntries(session, cache, entryGroups(cache)[0], { limit: 100 });
      assert.equal(page.entries.length, 7);
      assert.equal(await purgeCacheStream(session, { stream: 'LATTICECACHE_shared' }), 7);
    } finally {
      await session.close();
    }
    const afterPurge = await snapshotStreams(owner);
    assert.equal(afterPurge.get('LATTICECACHE_shared')?.state.messages, 0);
    assertOthersUnchanged(before_, afterPurge, ['LATTICECACHE_shared']);
  });

  it('says JetStream is off for the account without the prefix', async () => {
    const session = await openSession(app());
    try {
      await assert.rejects(listLatticeCaches(session), (error: Error & { kind?: string }) => error.kind === 'jetstream-not-enabled-account');
    } finally {
      await session.close();
    }
  });
});
