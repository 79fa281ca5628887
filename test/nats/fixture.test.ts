import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { jetstream, jetstreamManager, type StreamInfo } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { NatsServer, startNatsCluster } from '../support/nats-server';
import { waitForJetStream } from '../support/jetstream';

describe('nats-server fixture', () => {
  let server: NatsServer;
  let nc: NatsConnection;

  before(async () => {
    server = await NatsServer.start();
    nc = await connect({ servers: server.url });
  });

  after(async () => {
    await nc?.close();
    await server?.dispose();
  });

  it('listens on 127.0.0.1', () => {
    assert.match(server.url, /^nats:\/\/127\.0\.0\.1:\d+$/);
  });

  it('stores and returns a JetStream message', async () => {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'LATTICECACHE_fixture', subjects: ['lc.fixture.>'] });
    const js = jetstream(nc);
    const ack = await js.publish('lc.fixture.claims.Mabc', JSON.stringify({ name: 'echo' }));

    const stored = await jsm.streams.getMessage('LATTICECACHE_fixture', { seq: ack.seq });
    assert.equal(stored?.subject, 'lc.fixture.claims.Mabc');
    assert.deepEqual(stored?.json(), { name: 'echo' });

    const info = await jsm.streams.info('LATTICECACHE_fixture');
    assert.equal(info.state.messages, 1);
  });

  it('keeps streams across a restart', async () => {
    await nc.close();
    await server.restart();
    nc = await connect({ servers: server.url });
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info('LATTICECACHE_fixture');
    assert.equal(info.state.messages, 1);
  });
});

describe('nats-server cluster fixture', () => {
  it('serves JetStream with one of three nodes stopped', async () => {
    const cluster = await startNatsCluster(3);
    try {
      await waitForJetStream(cluster.urls.split(','));
      const nc = await connect({ servers: cluster.urls.split(',') });
      const jsm = await jetstreamManager(nc);
      await jsm.streams.add({ name: 'LATTICECACHE_r3', subjects: ['lc.r3.>'], num_replicas: 3 });
      await nc.close();

      await cluster.stopNode(0);
      const survivors = cluster.nodes.slice(1).map((node) => node.url);
      await waitForJetStream(survivors);
      const again = await connect({ servers: survivors });
      // If the stopped node led the stream, the survivors elect a new leader
      // first, and info requests time out until then.
      const survivorsJsm = await jetstreamManager(again);
      const deadline = Date.now() + 30_000;
      let info: StreamInfo | Error = await survivorsJsm.streams.info('LATTICECACHE_r3').catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
      while (info instanceof Error && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        info = await survivorsJsm.streams.info('LATTICECACHE_r3').catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
      }
      if (info instanceof Error) {
        throw info;
      }
      assert.equal(info.config.num_replicas, 3);
      await again.close();
    } finally {
      await cluster.dispose();
    }
  });
});
