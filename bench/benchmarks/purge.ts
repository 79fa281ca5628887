import { StorageType } from '@nats-io/jetstream';
import type { JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { purgeCacheStream } from '../../src/core/nats/purge';
import { measurePair, ratioResult, type Benchmark } from '../harness';
import { benchNatsServer, benchSession } from '../support/nats';

const MESSAGES = 1_000_000;
const STREAM = 'LATTICECACHE_bench';
const MAX_RATIO = 1.1;
/** Messages published between flushes, so the client's buffer stays small. */
const FLUSH_EVERY = 10_000;
const FILL_TIMEOUT_MS = 120_000;
const SETTLE_MS = 750;

/** A cache-sized message: a small JSON document, like a link definition's. */
const PAYLOAD = new TextEncoder().encode('{"actor_id":"M…","link_name":"default","values":{"port":"8080"}}');

/**
 * Fills the stream with 1,000,000 messages by core publishes on its subjects
 * (no acknowledgement per message, so a fill takes seconds), then waits until
 * the stream reports all of them.
 */
async function fill(nc: NatsConnection, jsm: JetStreamManager): Promise<void> {
  for (let i = 0; i < MESSAGES; i++) {
    nc.publish(`lc.bench.linkdefs.${i % 1000}`, PAYLOAD);
    if (i % FLUSH_EVERY === FLUSH_EVERY - 1) {
      await nc.flush();
    }
  }
  await nc.flush();
  const deadline = Date.now() + FILL_TIMEOUT_MS;
  for (;;) {
    const stored = (await jsm.streams.info(STREAM)).state.messages;
    if (stored === MESSAGES) {
      // The server writes the messages to its file store in the background.
      // A pause lets that finish, so neither side's purge waits for it.
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      return;
    }
    if (stored > MESSAGES || Date.now() > deadline) {
      throw new Error(`${STREAM} contains ${stored} messages after the fill, expected ${MESSAGES}.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * purgeCacheStream (without the host ping the purge command runs first) on a
 * stream of 1,000,000 small messages, against jsm.streams.purge(). Both sides
 * purge the same stream after a refill, and only the purge call is timed.
 */
export const purgeBenchmark: Benchmark = {
  name: 'purge',
  description: `purgeCacheStream on a stream of ${MESSAGES.toLocaleString('en')} small messages (no host ping), against jsm.streams.purge()`,
  run: async () => {
    const server = await benchNatsServer();
    const session = await benchSession(server, 'purge');
    const jsm = await session.jetstreamManager();
    await jsm.streams.add({ name: STREAM, subjects: ['lc.bench.>'], storage: StorageType.File });

    let purged = 0;
    const refill = (): Promise<void> => fill(session.nc, jsm);
    const pair = await measurePair(
      async () => {
        purged = await purgeCacheStream(session, { stream: STREAM });
      },
      () => jsm.streams.purge(STREAM),
      { warmup: 1, runs: 21, prepareWork: refill, prepareReference: refill },
    );
    if (purged !== MESSAGES) {
      throw new Error(`purgeCacheStream reported ${purged} purged messages, expected ${MESSAGES}.`);
    }
    await jsm.streams.delete(STREAM);
    return ratioResult('purge', pair, 'jsm.streams.purge()', MAX_RATIO);
  },
};
