import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { countGroupEntries, entryGroups, getCacheEntry, listCacheEntries, type CacheEntry } from '../../src/core/nats/cache-entries';
import { getCacheStats, listLatticeCaches, type CacheStats } from '../../src/core/nats/cache-streams';
import { NatsFailure } from '../../src/core/nats/errors';
import type { ConnectionProfile } from '../../src/core/nats/profile';
import { openSession, type LatticeSession } from '../../src/core/nats/session';
import { NatsServer } from '../support/nats-server';
import { buildSampleLattice, seedSampleLattice, type SampleLattice } from '../support/sample-lattice';

// Lattice names with '-' and '_', which stream names allow.
const OTP_PREFIX = 'edge-1_eu';
const KV_LATTICE = 'prod_eu-2';
const OBJECT_LATTICE = 'blob-store_x';
const PAGED_PREFIX = 'paged';
const HUGE_BYTES = 8 * 1024 * 1024 - 4096;

interface RawStreamInfo {
  created: string;
  config: { name: string; subjects: string[]; storage: string; num_replicas: number };
  state: { messages: number; bytes: number; first_seq: number; last_seq: number; last_ts: string; consumer_count: number };
}

/** Reads stream info with a plain request, independent of the code under test. */
async function rawStreamInfo(nc: NatsConnection, stream: string): Promise<RawStreamInfo> {
  const reply = await nc.request(`$JS.API.STREAM.INFO.${stream}`, undefined, { timeout: 5_000 });
  return reply.json<RawStreamInfo>();
}

function profileFor(server: NatsServer): ConnectionProfile {
  return { id: 'test:caches', name: 'caches', source: 'settings', servers: [server.url], auth: { kind: 'none' }, selected: false };
}

async function allEntries(session: LatticeSession, cache: CacheStats, groupKind: string, pageSize = 100): Promise<CacheEntry[]> {
  const group = entryGroups(cache).find((candidate) => candidate.kind === groupKind);
  assert.ok(group, `no group ${groupKind}`);
  const entries: CacheEntry[] = [];
  let startSeq: number | undefined = 1;
  while (startSeq !== undefined) {
    const page = await listCacheEntries(session, cache, group, { startSeq, limit: pageSize });
    entries.push(...page.entries);
    startSeq = page.nextSeq;
  }
  return entries;
}

describe('lattice cache discovery and entries', () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let session: LatticeSession;
  let sample: SampleLattice;

  before(async () => {
    server = await NatsServer.start({ config: 'max_payload: 8MB' });
    nc = await connect({ servers: server.url });
    jsm = await jetstreamManager(nc);
    const js = jetstream(nc);

    // OTP-style stream and KV bucket from the shared sample lattice.
    sample = await seedSampleLattice(nc, buildSampleLattice(OTP_PREFIX));
    // Entries a decoder must refuse, on the same stream.
    await js.publish(`lc.${OTP_PREFIX}.claims.MNOTJSON`, 'not json at all');
    await js.publish(`lc.${OTP_PREFIX}.claims.MHUGE`, new Uint8Array(HUGE_BYTES).fill(0x7b));
    await js.publish(`lc.${OTP_PREFIX}.stray`, JSON.stringify({ note: 'written by something else' }));

    // 1.x-style buckets.
    const kvm = new Kvm(nc);
    const data = await kvm.create(`LATTICEDATA_${KV_LATTICE}`);
    await data.put('CLAIMS_MBCDEF', JSON.stringify({ name: 'hello', subject: 'MBCDEF', issuer: 'AISSUER' }));
    await data.put('LINKDEF_1A2B', JSON.stringify({ actor_id: 'MACTOR', provider_id: 'VPROV', contract_id: 'wasmcloud:httpserver', link_name: 'default' }));
    await data.put('REFMAP_ghcr.io_x', JSON.stringify({ oci_url: 'ghcr.io/x/hello:1.0.0', public_key: 'MBCDEF' }));
    await data.put('GONE', '{}');
    await data.delete('GONE');
    const config = await kvm.create(`CONFIGDATA_${KV_LATTICE}`);
    await config.put('http-config', JSON.stringify({ address: '0.0.0.0:8080', timeout: '30s' }));

    // An object store stream in the layout nats.js creates.
    await jsm.streams.add({ name: `OBJ_${OBJECT_LATTICE}`, subjects: [`$O.${OBJECT_LATTICE}.C.>`, `$O.${OBJECT_LATTICE}.M.>`], allow_rollup_hdrs: true });
    await js.publish(`$O.${OBJECT_LATTICE}.C.chunk1`, 'chunk bytes');
    await js.publish(`$O.${OBJECT_LATTICE}.M.aGVsbG8`, JSON.stringify({ name: 'hello.wasm', size: 11, chunks: 1 }));

    // A larger stream for paging, an empty one, and streams that are no lattice cache.
    await jsm.streams.add({ name: `LATTICECACHE_${PAGED_PREFIX}`, subjects: [`lc.${PAGED_PREFIX}.>`] });
    for (let i = 0; i < 250; i++) {
      await js.publish(`lc.${PAGED_PREFIX}.claims.M${String(i).padStart(3, '0')}`, JSON.stringify({ name: `actor-${i}`, sub: `M${i}` }));
    }
    await jsm.streams.add({ name: 'LATTICECACHE_empty', subjects: ['lc.empty.>'] });
    await jsm.streams.add({ name: 'ORDERS', subjects: ['orders.>'] });
    await kvm.create('settings');

    session = await openSession(profileFor(server));
  });

  after(async () => {
    await session?.close();
    await nc?.close();
    await server?.dispose();
  });

  it('finds all four cache kinds by lattice', async () => {
    const lattices = await listLatticeCaches(session);
    assert.deepEqual(
      lattices.map((lattice) => [lattice.name, lattice.caches.map((cache) => `${cache.kind}:${cache.stream}`)]),
      [
        [OBJECT_LATTICE, [`object-store:OBJ_${OBJECT_LATTICE}`]],
        [OTP_PREFIX, [`latticecache:LATTICECACHE_${OTP_PREFIX}`, `kv-latticedata:KV_LATTICEDATA_${OTP_PREFIX}`]],
        ['empty', ['latticecache:LATTICECACHE_empty']],
        [PAGED_PREFIX, [`latticecache:LATTICECACHE_${PAGED_PREFIX}`]],
        [KV_LATTICE, [`kv-latticedata:KV_LATTICEDATA_${KV_LATTICE}`, `kv-configdata:KV_CONFIGDATA_${KV_LATTICE}`]],
      ],
    );
  });

  it('reports stats equal to the server stream info', async () => {
    const lattices = await listLatticeCaches(session);
    const caches = lattices.flatMap((lattice) => lattice.caches);
    assert.equal(caches.length, 7);
    for (const cache of caches) {
      const raw = await rawStreamInfo(nc, cache.stream);
      assert.equal(cache.messages, raw.state.messages, `${cache.stream} messages`);
      assert.equal(cache.bytes, raw.state.bytes, `${cache.stream} bytes`);
      assert.equal(cache.firstSeq, raw.state.first_seq, `${cache.stream} first seq`);
      assert.equal(cache.lastSeq, raw.state.last_seq, `${cache.stream} last seq`);
      assert.equal(cache.storage, raw.config.storage, `${cache.stream} storage`);
      assert.equal(cache.replicas, raw.config.num_replicas, `${cache.stream} replicas`);
      assert.deepEqual(cache.subjects, raw.config.subjects, `${cache.stream} subjects`);
      assert.equal(cache.created.getTime(), new Date(raw.created).getTime(), `${cache.stream} created`);
      if (raw.state.messages === 0) {
        assert.equal(cache.lastActivity, undefined, `${cache.stream} last activity`);
      } else {
        assert.equal(cache.lastActivity?.getTime(), new Date(raw.state.last_ts).getTime(), `${cache.stream} last activity`);
      }
    }
  });

  it('counts entries per kind', async () => {
    const cache = await getCacheStats(session, sample.streamName);
    const counts = Object.fromEntries(await Promise.all(entryGroups(cache).map(async (group) => [group.kind, await countGroupEntries(session, cache, group)])));
    const claimsSubjects = sample.streamMessages.filter((message) => message.subject.includes('.claims.')).length;
    assert.deepEqual(counts, {
      claims: claimsSubjects + 2,
      linkdefs: sample.linkDefinitions.length,
      refmap: sample.components.length + sample.providers.length,
      other: 1,
    });
  });

  it('decodes claims, link definitions and refmaps', async () => {
    const cache = await getCacheStats(session, sample.streamName);
    const claims = await allEntries(session, cache, 'claims');
    for (const component of sample.components) {
      const entry = claims.find((candidate) => candidate.subject === `lc.${OTP_PREFIX}.claims.${component.publicKey}`);
      assert.ok(entry?.decoded.ok, `claims of ${component.name}`);
      assert.equal(entry.decoded.label, component.name);
      assert.deepEqual(entry.decoded.fields.find(([name]) => name === 'subject'), ['subject', component.publicKey]);
    }

    const links = await allEntries(session, cache, 'linkdefs');
    assert.equal(links.length, sample.linkDefinitions.length);
    for (const link of sample.linkDefinitions) {
      const entry = links.find((candidate) => candidate.key === `linkdefs.${link.id}`);
      assert.ok(entry?.decoded.ok, `link ${link.id}`);
      const fields = Object.fromEntries(entry.decoded.fields);
      assert.equal(fields.actor, link.actor_id);
      assert.equal(fields.provider, link.provider_id);
      assert.equal(fields.contract, link.contract_id);
      assert.equal(fields['link name'], link.link_name);
    }

    const refmaps = await allEntries(session, cache, 'refmap');
    assert.deepEqual(
      refmaps.map((entry) => (entry.decoded.ok ? entry.decoded.label : entry.decoded.reason)).sort(),
      [...sample.components, ...sample.providers].map((item) => item.ociUrl).sort(),
    );
  });

  it('says why an entry cannot be decoded', async () => {
    const cache = await getCacheStats(session, sample.streamName);
    const claims = await allEntries(session, cache, 'claims');
    const notJson = claims.find((entry) => entry.key === 'claims.MNOTJSON');
    assert.deepEqual(notJson?.decoded, { ok: false, reason: 'cannot decode: the value is not JSON' });

    const huge = claims.find((entry) => entry.key === 'claims.MHUGE');
    assert.equal(huge?.size, HUGE_BYTES);
    assert.deepEqual(huge?.decoded, { ok: false, reason: 'cannot decode: the value is 8.0 MiB, over the 1.0 MiB decoding limit' });

    const other = await allEntries(session, cache, 'other');
    assert.equal(other.length, 1);
    assert.equal(other[0].subject, `lc.${OTP_PREFIX}.stray`);
    assert.equal(other[0].decoded.ok, false);
    assert.match(other[0].decoded.ok ? '' : other[0].decoded.reason, /^cannot decode: unexpected subject lc\.edge-1_eu\.stray;/);
  });

  it('decodes KV keys and marks deleted ones', async () => {
    const cache = await getCacheStats(session, `KV_LATTICEDATA_${KV_LATTICE}`);
    assert.deepEqual(
      entryGroups(cache).map((group) => [group.kind, group.filter]),
      [['kv-keys', `$KV.LATTICEDATA_${KV_LATTICE}.>`]],
    );
    const entries = await allEntries(session, cache, 'kv-keys');
    const byKey = new Map(entries.map((entry) => [entry.key, entry]));
    assert.deepEqual([...byKey.keys()], ['CLAIMS_MBCDEF', 'LINKDEF_1A2B', 'REFMAP_ghcr.io_x', 'GONE']);

    const claims = byKey.get('CLAIMS_MBCDEF')?.decoded;
    assert.ok(claims?.ok);
    assert.equal(claims.label, 'hello');
    const link = byKey.get('LINKDEF_1A2B')?.decoded;
    assert.ok(link?.ok);
    assert.equal(link.label, 'wasmcloud:httpserver (default)');
    const refmap = byKey.get('REFMAP_ghcr.io_x')?.decoded;
    assert.ok(refmap?.ok);
    assert.equal(refmap.label, 'ghcr.io/x/hello:1.0.0');

    // The bucket keeps one message per key (history 1), so GONE is only its delete marker.
    const gone = entries.filter((entry) => entry.key === 'GONE');
    assert.equal(gone.length, 1);
    assert.equal(gone[0].operation, 'delete');
    assert.deepEqual(gone[0].decoded, { ok: false, reason: 'deleted (KV delete marker)' });
  });

  it('decodes config data and object metadata', async () => {
    const config = await getCacheStats(session, `KV_CONFIGDATA_${KV_LATTICE}`);
    const [configEntry] = await allEntries(session, config, 'kv-keys');
    assert.ok(configEntry.decoded.ok);
    assert.equal(configEntry.decoded.label, 'http-config');
    assert.equal(configEntry.decoded.description, '2 fields');

    const objects = await getCacheStats(session, `OBJ_${OBJECT_LATTICE}`);
    const [objectEntry] = await allEntries(session, objects, 'objects');
    assert.ok(objectEntry.decoded.ok);
    assert.equal(objectEntry.decoded.label, 'hello.wasm');
    assert.equal(objectEntry.decoded.description, '11 B');
  });

  it('pages through a large cache', async () => {
    const cache = await getCacheStats(session, `LATTICECACHE_${PAGED_PREFIX}`);
    const group = entryGroups(cache)[0];
    const first = await listCacheEntries(session, cache, group, { limit: 100 });
    assert.equal(first.entries.length, 100);
    assert.equal(first.nextSeq, 101);
    assert.equal(first.remaining, 150);

    const all = await allEntries(session, cache, 'claims', 100);
    assert.deepEqual(
      all.map((entry) => entry.seq),
      Array.from({ length: 250 }, (_, index) => index + 1),
    );
    const last = await listCacheEntries(session, cache, group, { startSeq: 201, limit: 100 });
    assert.equal(last.entries.length, 50);
    assert.equal(last.nextSeq, undefined);
    assert.equal(last.remaining, 0);

    // Paging leaves no consumer behind.
    const raw = await rawStreamInfo(nc, cache.stream);
    assert.equal(raw.state.consumer_count, 0);
  });

  it('opens an entry as JSON', async () => {
    const cache = await getCacheStats(session, sample.streamName);
    const [first] = sample.streamMessages;
    const stored = await jsm.streams.getMessage(cache.stream, { last_by_subj: first.subject });
    assert.ok(stored);
    const document = await getCacheEntry(session, cache, stored.seq);
    assert.deepEqual(JSON.parse(document.json), first.payload);
    assert.equal(document.entry.subject, first.subject);
  });

  it('describes an entry that is not JSON', async () => {
    const cache = await getCacheStats(session, sample.streamName);
    const stored = await jsm.streams.getMessage(cache.stream, { last_by_subj: `lc.${OTP_PREFIX}.claims.MNOTJSON` });
    assert.ok(stored);
    const document = await getCacheEntry(session, cache, stored.seq);
    const parsed = JSON.parse(document.json) as Record<string, unknown>;
    assert.equal(parsed.error, 'cannot decode: the value is not JSON');
    assert.equal(Buffer.from(String(parsed.base64), 'base64').toString('utf8'), 'not json at all');
  });

  it('reports a vanished stream as not found', async () => {
    await jsm.streams.add({ name: 'LATTICECACHE_doomed', subjects: ['lc.doomed.>'] });
    const cache = await getCacheStats(session, 'LATTICECACHE_doomed');
    await jsm.streams.delete('LATTICECACHE_doomed');

    await assert.rejects(getCacheStats(session, 'LATTICECACHE_doomed'), (error: unknown) => {
      assert.ok(error instanceof NatsFailure);
      assert.equal(error.kind, 'stream-not-found');
      assert.equal(error.message, `Stream LATTICECACHE_doomed was not found on ${server.url}; it may have been deleted.`);
      return true;
    });
    await assert.rejects(listCacheEntries(session, cache, entryGroups(cache)[0], { limit: 10 }), (error: unknown) => {
      assert.ok(error instanceof NatsFailure);
      assert.equal(error.kind, 'stream-not-found');
      return true;
    });
    await assert.rejects(getCacheEntry(session, cache, 1), (error: unknown) => error instanceof NatsFailure && error.kind === 'stream-not-found');
  });

  it('reports a purged entry as gone', async () => {
    const cache = await getCacheStats(session, `LATTICECACHE_${PAGED_PREFIX}`);
    await assert.rejects(getCacheEntry(session, cache, 9_999), (error: unknown) => {
      assert.ok(error instanceof NatsFailure);
      assert.equal(error.message, `Message 9999 of stream LATTICECACHE_paged no longer exists on ${server.url}; it was purged or replaced. Refresh the explorer.`);
      return true;
    });
  });
});
