import { StorageType, type StreamConfig } from '@nats-io/jetstream';
import { listLatticeCaches } from '../../src/core/nats/cache-streams';
import { measurePair, ratioResult, type Benchmark } from '../harness';
import { benchNatsServer, benchSession } from '../support/nats';

const STREAMS = 1000;
const LATTICES = 250;
const MAX_RATIO = 1.2;
/** Streams created at once; the server creates each one in a few milliseconds. */
const CREATE_BATCH = 50;

type NewStream = Partial<StreamConfig> & { name: string };

/**
 * Lists the streams to create. Each of 250 lattices gets a `KV_LATTICEDATA_`
 * and a `KV_CONFIGDATA_` bucket stream. Every other lattice (the older hosts)
 * also gets a `LATTICECACHE_` stream and every fourth an `OBJ_` store.
 * Application streams, which are no lattice cache, fill up to 1,000.
 */
function cacheListStreams(): NewStream[] {
  const streams: NewStream[] = [];
  for (let i = 0; i < LATTICES; i++) {
    const lattice = `lattice-${String(i).padStart(3, '0')}`;
    if (i % 2 === 0) {
      streams.push({ name: `LATTICECACHE_${lattice}`, subjects: [`lc.${lattice}.>`], max_msgs_per_subject: 1 });
    }
    streams.push({ name: `KV_LATTICEDATA_${lattice}`, subjects: [`$KV.LATTICEDATA_${lattice}.>`], max_msgs_per_subject: 1, allow_rollup_hdrs: true, deny_delete: true });
    streams.push({ name: `KV_CONFIGDATA_${lattice}`, subjects: [`$KV.CONFIGDATA_${lattice}.>`], max_msgs_per_subject: 1, allow_rollup_hdrs: true, deny_delete: true });
    if (i % 4 === 0) {
      streams.push({ name: `OBJ_${lattice}`, subjects: [`$O.${lattice}.C.>`, `$O.${lattice}.M.>`], allow_rollup_hdrs: true });
    }
  }
  for (let i = 0; streams.length < STREAMS; i++) {
    streams.push({ name: `ORDERS_${i}`, subjects: [`orders.${i}.>`] });
  }
  return streams.map((stream) => ({ ...stream, storage: StorageType.File }));
}

/**
 * listLatticeCaches on a server with 1,000 streams, against iterating
 * jsm.streams.list(), which returns the same stream infos page by page.
 */
export const cacheListBenchmark: Benchmark = {
  name: 'cache-list',
  description: `listLatticeCaches on a nats-server with ${STREAMS.toLocaleString('en')} streams, against iterating jsm.streams.list()`,
  run: async () => {
    const server = await benchNatsServer();
    const session = await benchSession(server, 'cache-list');
    const jsm = await session.jetstreamManager();
    const streams = cacheListStreams();
    for (let start = 0; start < streams.length; start += CREATE_BATCH) {
      await Promise.all(streams.slice(start, start + CREATE_BATCH).map((config) => jsm.streams.add(config)));
    }

    let listed = 0;
    const pair = await measurePair(
      async () => {
        listed = (await listLatticeCaches(session)).reduce((count, lattice) => count + lattice.caches.length, 0);
      },
      async () => {
        let count = 0;
        for await (const info of jsm.streams.list()) {
          count += info.state.messages >= 0 ? 1 : 0;
        }
        return count;
      },
      // A run takes about 10 ms, mostly the server's, so many runs are needed for a stable median on a shared machine.
      { warmup: 5, runs: 51, minRuns: 5, budgetMs: 30_000 },
    );
    const caches = streams.length - streams.filter((stream) => stream.name.startsWith('ORDERS_')).length;
    if (listed !== caches) {
      throw new Error(`listLatticeCaches found ${listed} caches, but the server has ${caches}.`);
    }
    for (const config of streams) {
      await jsm.streams.delete(config.name);
    }
    return ratioResult('cache-list', pair, 'jsm.streams.list()', MAX_RATIO);
  },
};
