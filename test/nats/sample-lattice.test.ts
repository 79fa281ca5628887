import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { NatsServer } from '../support/nats-server';
import { buildSampleLattice, seedSampleLattice } from '../support/sample-lattice';

describe('sample lattice seeding', () => {
  let server: NatsServer;
  let nc: NatsConnection;
  const lattice = buildSampleLattice('default');

  before(async () => {
    server = await NatsServer.start();
    nc = await connect({ servers: server.url });
    await seedSampleLattice(nc, lattice);
  });

  after(async () => {
    await nc?.close();
    await server?.dispose();
  });

  it('stream holds every message', async () => {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info('LATTICECACHE_default', { subjects_filter: '>' });
    assert.equal(info.state.messages, lattice.streamMessages.length);
    assert.deepEqual(Object.keys(info.state.subjects ?? {}).sort(), lattice.streamMessages.map((message) => message.subject).sort());
  });

  it('stream message carries JSON payload', async () => {
    const jsm = await jetstreamManager(nc);
    const first = lattice.streamMessages[0];
    const stored = await jsm.streams.getMessage('LATTICECACHE_default', { last_by_subj: first.subject });
    assert.deepEqual(stored?.json(), first.payload);
  });

  it('KV bucket holds every key', async () => {
    const kv = await new Kvm(nc).open('LATTICEDATA_default');
    const keys: string[] = [];
    for await (const key of await kv.keys()) {
      keys.push(key);
    }
    assert.deepEqual(keys.sort(), lattice.kvEntries.map((entry) => entry.key).sort());
    const status = await kv.status();
    assert.equal(status.streamInfo.config.name, 'KV_LATTICEDATA_default');
  });

  it('seeding twice is rejected', async () => {
    await assert.rejects(seedSampleLattice(nc, lattice), /Stream LATTICECACHE_default already exists/);
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info('LATTICECACHE_default');
    assert.equal(info.state.messages, lattice.streamMessages.length);
  });
});
