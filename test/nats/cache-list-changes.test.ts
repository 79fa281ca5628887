/**
 * Listing lattice caches while streams are deleted between two pages of the
 * stream list. The session talks to JetStream through an API prefix that the
 * test relays to `$JS.API`, so it can delete streams just before the second
 * page is requested, as another client could at any time.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { jetstreamManager, StorageType } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { listLatticeCaches } from '../../src/core/nats/cache-streams';
import type { ConnectionProfile } from '../../src/core/nats/profile';
import { openSession, type LatticeSession } from '../../src/core/nats/session';
import { NatsServer } from '../support/nats-server';

const RELAY_PREFIX = 'relay.API';
const STREAM_COUNT = 300;
const DELETED = 10;

function streamName(index: number): string {
  return `LATTICECACHE_s${String(index).padStart(3, '0')}`;
}

/** Lists every stream name with plain requests, independent of the code under test. */
async function serverStreamNames(nc: NatsConnection): Promise<string[]> {
  const names: string[] = [];
  for (;;) {
    const page = (await nc.request('$JS.API.STREAM.NAMES', JSON.stringify({ offset: names.length }), { timeout: 5_000 })).json<{ total: number; streams: string[] | null }>();
    names.push(...(page.streams ?? []));
    if ((page.streams ?? []).length === 0 || names.length >= page.total) {
      return names.sort();
    }
  }
}

describe('cache listing while streams are deleted', () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let relay: NatsConnection;
  let session: LatticeSession;
  let listRequests = 0;
  let deleteBeforeSecondPage = false;

  before(async () => {
    server = await NatsServer.start();
    nc = await connect({ servers: server.url });
    const jsm = await jetstreamManager(nc);
    for (let index = 0; index < STREAM_COUNT; index++) {
      await jsm.streams.add({ name: streamName(index), subjects: [`lc.s${index}.>`], storage: StorageType.Memory });
    }

    relay = await connect({ servers: server.url });
    relay.subscribe(`${RELAY_PREFIX}.>`, {
      callback: (error, message) => {
        if (error !== null) {
          return;
        }
        void (async () => {
          const subject = `$JS.API.${message.subject.slice(RELAY_PREFIX.length + 1)}`;
          if (subject === '$JS.API.STREAM.LIST') {
            listRequests++;
            if (listRequests === 2 && deleteBeforeSecondPage) {
              for (let index = 0; index < DELETED; index++) {
                await nc.request(`$JS.API.STREAM.DELETE.${streamName(index)}`, undefined, { timeout: 5_000 });
              }
            }
          }
          const response = await nc.request(subject, message.data, { timeout: 5_000 });
          message.respond(response.data);
        })();
      },
    });

    const profile: ConnectionProfile = { id: 'test:relay', name: 'relay', source: 'settings', servers: [server.url], auth: { kind: 'none' }, selected: false, jetstreamApiPrefix: RELAY_PREFIX };
    session = await openSession(profile, { timeoutMs: 5_000 });
  });

  after(async () => {
    await session?.close();
    await relay?.close();
    await nc?.close();
    await server?.dispose();
  });

  it('lists every stream without changes', async () => {
    listRequests = 0;
    const listed = (await listLatticeCaches(session)).flatMap((lattice) => lattice.caches.map((cache) => cache.stream)).sort();
    assert.equal(listRequests, 2, 'the listing did not take two pages');
    assert.deepEqual(listed, await serverStreamNames(nc));
  });

  it('lists the streams that exist after a deletion', async () => {
    listRequests = 0;
    deleteBeforeSecondPage = true;
    const listed = (await listLatticeCaches(session)).flatMap((lattice) => lattice.caches.map((cache) => cache.stream)).sort();
    const existing = await serverStreamNames(nc);
    assert.equal(existing.length, STREAM_COUNT - DELETED);
    assert.deepEqual(listed, existing);
  });
});
