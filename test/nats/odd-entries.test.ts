/**
 * Cache entries no host would write: values that are not JSON or not UTF-8,
 * JSON of the wrong shape, deeply nested JSON, an entry of exactly the 8 MiB
 * the test server allows (max_payload raised to 8MB), odd subjects and KV
 * keys. Then a lattice cache of 100,000 entries, paged. Every entry must list
 * and open without an exception, with a "cannot decode" reason where it
 * cannot be shown, and paging must return every entry once, in order.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { countGroupEntries, entryGroups, getCacheEntry, listCacheEntries, type CacheEntry, type EntryGroupKind } from '../../src/core/nats/cache-entries';
import { getCacheStats, type CacheStats } from '../../src/core/nats/cache-streams';
import type { ConnectionProfile } from '../../src/core/nats/profile';
import { openSession, type LatticeSession } from '../../src/core/nats/session';
import { NatsServer } from '../support/nats-server';
import { snapshotStreams } from '../support/stream-snapshot';

const ODD = 'odd';
const BIG = 'big';
const BIG_COUNT = 100_000;
/** nats-server reads `max_payload: 8MB` as 8 × 1024 × 1024 bytes. */
const MAX_PAYLOAD = 8 * 1024 * 1024;

/** Odd values on claims subjects: the subject token, the bytes, and the reason expected. */
const ODD_VALUES: { token: string; data: Uint8Array; reason: RegExp }[] = [
  { token: 'MTEXT', data: Buffer.from('plain text, not JSON'), reason: /^cannot decode: the value is not JSON$/ },
  { token: 'MLATIN1', data: Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d]), reason: /^cannot decode: the value is not UTF-8 text$/ },
  { token: 'MARRAY', data: Buffer.from('[1,2,3]'), reason: /^cannot decode: expected a JSON object, found an array$/ },
  { token: 'MNULL', data: Buffer.from('null'), reason: /^cannot decode: expected a JSON object, found null$/ },
  { token: 'MNUMBER', data: Buffer.from('42'), reason: /^cannot decode: expected a JSON object, found a number$/ },
  { token: 'MEMPTY', data: new Uint8Array(0), reason: /^cannot decode: the value is not JSON$/ },
  { token: 'MNOFIELDS', data: Buffer.from('{"caps":"x"}'), reason: /^cannot decode: claims without a name or subject$/ },
  { token: 'MNUL', data: Buffer.from('{"name":"a\u0000b"}\u0000'), reason: /^cannot decode: the value is not JSON$/ },
  { token: 'MMAX', data: new Uint8Array(MAX_PAYLOAD).fill(0x20), reason: /^cannot decode: the value is 8\.0 MiB, over the 1\.0 MiB decoding limit$/ },
];

/** Subjects outside the layout hosts use (`lc.{prefix}.claims|linkdefs|refmap.{key}`). */
const ODD_SUBJECTS = [`lc.${ODD}.claims`, `lc.${ODD}.claims.M1.extra`, `lc.${ODD}.linkdefs.a.b.c`, `lc.${ODD}.unknown.key`, `lc.${ODD}.refmap`];

/** Keys of the right shape with characters no host writes; they decode like any claims. */
const STRANGE_KEYS = ['ключ-🚀', '<script>alert(1)</script>', 'L'.repeat(2_000)];

function profileFor(server: NatsServer): ConnectionProfile {
  return { id: 'test:odd', name: 'odd', source: 'settings', servers: [server.url], auth: { kind: 'none' }, selected: false };
}

async function allEntries(session: LatticeSession, cache: CacheStats, kind: EntryGroupKind, limit = 100): Promise<CacheEntry[]> {
  const group = entryGroups(cache).find((candidate) => candidate.kind === kind);
  assert.ok(group, `no ${kind} group`);
  const entries: CacheEntry[] = [];
  let startSeq: number | undefined = 1;
  while (startSeq !== undefined) {
    const page = await listCacheEntries(session, cache, group, { startSeq, limit });
    assert.ok(page.entries.length <= limit, `a page of ${page.entries.length} entries for a limit of ${limit}`);
    entries.push(...page.entries);
    assert.ok(page.nextSeq === undefined || page.nextSeq > startSeq, 'paging must move forward');
    startSeq = page.nextSeq;
  }
  return entries;
}

/** Publishes many messages with bounded concurrency, much faster than one acknowledgement at a time. */
async function publishMany(js: JetStreamClient, count: number, message: (index: number) => [string, string]): Promise<void> {
  const batch = 1_000;
  for (let start = 0; start < count; start += batch) {
    const pending: Promise<unknown>[] = [];
    for (let index = start; index < Math.min(count, start + batch); index++) {
      const [subject, payload] = message(index);
      pending.push(js.publish(subject, payload));
    }
    await Promise.all(pending);
  }
}

describe('odd cache entries', () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let session: LatticeSession;

  before(async () => {
    server = await NatsServer.start({ config: 'max_payload: 8MB' });
    nc = await connect({ servers: server.url });
    const jsm = await jetstreamManager(nc);
    const js = jetstream(nc);
    await jsm.streams.add({ name: `LATTICECACHE_${ODD}`, subjects: [`lc.${ODD}.>`] });
    for (const value of ODD_VALUES) {
      await js.publish(`lc.${ODD}.claims.${value.token}`, value.data);
    }
    // Nested deeper than JSON.stringify can format, below the 1 MiB decoding limit.
    const depth = 50_000;
    await js.publish(`lc.${ODD}.claims.MDEEP`, `${'{"name":"deep","a":'.repeat(depth)}1${'}'.repeat(depth)}`);
    for (const subject of [...ODD_SUBJECTS, ...STRANGE_KEYS.map((key) => `lc.${ODD}.claims.${key}`)]) {
      await js.publish(subject, JSON.stringify({ name: 'stray' }));
    }

    const kv = await new Kvm(nc).create(`LATTICEDATA_${ODD}`);
    await kv.put('CLAIMS_', 'not json');
    await kv.put('LINKDEF_x.y', JSON.stringify({ actor_id: 'M' }));
    await kv.put('a=b/c_d-e', '[]');
    await kv.put('REFMAP_', JSON.stringify({}));
    await kv.put('gone', '{}');
    await kv.purge('gone');

    await jsm.streams.add({ name: `LATTICECACHE_${BIG}`, subjects: [`lc.${BIG}.>`] });
    await publishMany(js, BIG_COUNT, (index) => [`lc.${BIG}.claims.M${index}`, JSON.stringify({ name: `actor-${index}`, sub: `M${index}` })]);
    await js.publish(`lc.${BIG}.stray`, '{}');

    session = await openSession(profileFor(server));
  });

  after(async () => {
    await session?.close();
    await nc?.close();
    await server?.dispose();
  });

  it('says why each odd value cannot be decoded', async () => {
    const cache = await getCacheStats(session, `LATTICECACHE_${ODD}`);
    const claims = await allEntries(session, cache, 'claims');
    for (const value of ODD_VALUES) {
      const entry = claims.find((candidate) => candidate.key === `claims.${value.token}`);
      assert.ok(entry, `no entry for ${value.token}`);
      assert.equal(entry.size, value.data.length);
      assert.equal(entry.decoded.ok, false, `${value.token} decoded`);
      assert.match(entry.decoded.ok ? '' : entry.decoded.reason, value.reason, value.token);
    }
  });

  it('opens each odd value with the reason', async () => {
    const cache = await getCacheStats(session, `LATTICECACHE_${ODD}`);
    const claims = await allEntries(session, cache, 'claims');
    for (const value of ODD_VALUES) {
      const entry = claims.find((candidate) => candidate.key === `claims.${value.token}`) as CacheEntry;
      const document = await getCacheEntry(session, cache, entry.seq);
      const parsed = JSON.parse(document.json) as unknown;
      let valueIsJson = true;
      try {
        JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(value.data));
      } catch {
        valueIsJson = false;
      }
      if (valueIsJson && value.data.length <= 1024 * 1024) {
        // JSON of the wrong shape is still shown as it is.
        assert.deepEqual(parsed, JSON.parse(Buffer.from(value.data).toString('utf8')), value.token);
        continue;
      }
      const shown = parsed as { error?: string; subject?: string; size?: number; base64?: string };
      assert.match(shown.error ?? '', value.reason, value.token);
      assert.equal(shown.subject, entry.subject);
      assert.equal(shown.size, value.data.length);
      // Small values are shown as base64, so nothing is lost; large ones are not copied into the editor.
      assert.equal(shown.base64, value.data.length <= 4096 ? Buffer.from(value.data).toString('base64') : undefined, value.token);
    }
  });

  it('opens deeply nested JSON consistently', async () => {
    const cache = await getCacheStats(session, `LATTICECACHE_${ODD}`);
    const deep = (await allEntries(session, cache, 'claims')).find((entry) => entry.key === 'claims.MDEEP') as CacheEntry;
    const document = await getCacheEntry(session, cache, deep.seq);
    const shown = JSON.parse(document.json) as { error?: string };
    // The value is valid JSON: the tree decodes it, so the editor must not call it "not JSON".
    assert.ok(deep.decoded.ok, 'the tree decodes the nested claims');
    assert.doesNotMatch(shown.error ?? '', /not JSON/, `the editor says ${shown.error}`);
  });

  it('lists odd subjects under other subjects', async () => {
    const cache = await getCacheStats(session, `LATTICECACHE_${ODD}`);
    const groups = Object.fromEntries(await Promise.all(entryGroups(cache).map(async (group) => [group.kind, await allEntries(session, cache, group.kind)] as const)));
    const listed = Object.values(groups).flat();
    for (const subject of ODD_SUBJECTS) {
      const found = listed.filter((entry) => entry.subject === subject);
      assert.equal(found.length, 1, `${subject} listed ${found.length} times`);
      const [entry] = found;
      assert.equal(entry.decoded.ok, false, `${subject} decoded`);
      assert.match(entry.decoded.ok ? '' : entry.decoded.reason, /^cannot decode: unexpected subject /);
    }
    // Matched by subject: an entry's key is shortened for display.
    for (const key of STRANGE_KEYS) {
      const found = groups.claims.filter((entry) => entry.subject === `lc.${ODD}.claims.${key}`);
      assert.equal(found.length, 1, `claims.${key.slice(0, 40)} listed ${found.length} times`);
      assert.equal(found[0].decoded.ok ? found[0].decoded.label : '', 'stray');
    }
    // Counts agree with the listing, every entry exactly once.
    for (const group of entryGroups(cache)) {
      assert.equal(await countGroupEntries(session, cache, group), groups[group.kind].length, group.kind);
    }
    assert.equal(listed.length, (await snapshotStreams(nc)).get(cache.stream)?.state.messages);
  });

  it('lists odd KV keys and markers', async () => {
    const cache = await getCacheStats(session, `KV_LATTICEDATA_${ODD}`);
    const entries = await allEntries(session, cache, 'kv-keys');
    const byKey = new Map(entries.map((entry) => [entry.key, entry]));
    assert.deepEqual([...byKey.keys()].sort(), ['CLAIMS_', 'LINKDEF_x.y', 'REFMAP_', 'a=b/c_d-e', 'gone'].sort());
    for (const [key, reason] of [
      ['CLAIMS_', /^cannot decode: the value is not JSON$/],
      ['LINKDEF_x.y', /^cannot decode: link definition without provider_id, contract_id$/],
      ['a=b/c_d-e', /^cannot decode: expected a JSON object, found an array$/],
      ['REFMAP_', /^cannot decode: OCI reference map without oci_url$/],
      ['gone', /^purged \(KV purge marker\)$/],
    ] as const) {
      const decoded = byKey.get(key)?.decoded;
      assert.equal(decoded?.ok, false, key);
      assert.match(decoded?.ok === false ? decoded.reason : '', reason, key);
    }
  });

  it(`pages a lattice of ${BIG_COUNT.toLocaleString('en-US')} entries`, async () => {
    const cache = await getCacheStats(session, `LATTICECACHE_${BIG}`);
    assert.equal(cache.messages, BIG_COUNT + 1);
    const claims = entryGroups(cache).find((group) => group.kind === 'claims');
    assert.ok(claims);
    assert.equal(await countGroupEntries(session, cache, claims), BIG_COUNT);

    // The view's first page: 100 entries and the count of the rest.
    const first = await listCacheEntries(session, cache, claims, { limit: 100 });
    assert.equal(first.entries.length, 100);
    assert.equal(first.nextSeq, 101);
    assert.equal(first.remaining, BIG_COUNT - 100);

    // Every page after it, at the largest page size the setting allows.
    const all = await allEntries(session, cache, 'claims', 1_000);
    assert.equal(all.length, BIG_COUNT);
    for (let index = 0; index < all.length; index++) {
      if (all[index].seq !== index + 1 || all[index].subject !== `lc.${BIG}.claims.M${index}`) {
        assert.fail(`entry ${index} is seq ${all[index].seq} on ${all[index].subject}`);
      }
    }
    assert.ok(all.every((entry) => entry.decoded.ok));

    // The one stray message after 100,000 claims is found by the scan of "Other subjects".
    const other = await allEntries(session, cache, 'other');
    assert.deepEqual(
      other.map((entry) => entry.subject),
      [`lc.${BIG}.stray`],
    );

    const state = (await snapshotStreams(nc)).get(cache.stream)?.state;
    assert.equal(state?.consumer_count, 0, 'paging left consumers behind');
    assert.equal(state?.messages, BIG_COUNT + 1);
  });
});
