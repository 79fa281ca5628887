/**
 * 1,000 connect/close cycles must leave no sockets, timers or server-side
 * connections behind: counted with `process.getActiveResourcesInfo()` in
 * this process and with the server's own /connz monitoring endpoint.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { listLatticeCaches } from '../../src/core/nats/cache-streams';
import { NatsConnectionPool } from '../../src/core/nats/connection-pool';
import type { ConnectionProfile } from '../../src/core/nats/profile';
import { openSession } from '../../src/core/nats/session';
import { freePort, NatsServer } from '../support/nats-server';

const CYCLES = 1_000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Counts of the active handles and requests this process holds, by type (TCPSocketWrap, Timeout…). */
function activeResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo()) {
    counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  return counts;
}

/** Resources that grew from `before` to `after`, as `type: before → after`. */
function grown(before: Map<string, number>, after: Map<string, number>): string[] {
  return [...after].filter(([type, count]) => count > (before.get(type) ?? 0)).map(([type, count]) => `${type}: ${before.get(type) ?? 0} → ${count}`);
}

/** Client connections the server counts, from its monitoring endpoint. */
function serverConnections(monitorPort: number): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: monitorPort, path: '/connz' }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        response.on('end', () => resolve((JSON.parse(body) as { num_connections: number }).num_connections));
      })
      .once('error', reject);
  });
}

/** Waits until nothing grew compared with `baseline`, or returns what still grew after `timeoutMs`. */
async function settled(baseline: Map<string, number>, timeoutMs = 5_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let growth = grown(baseline, activeResources());
  while (growth.length > 0 && Date.now() < deadline) {
    await sleep(50);
    growth = grown(baseline, activeResources());
  }
  return growth;
}

describe('connection churn', () => {
  let server: NatsServer;
  let monitorPort: number;
  let profile: ConnectionProfile;

  before(async () => {
    monitorPort = await freePort();
    server = await NatsServer.start({ config: `http: "127.0.0.1:${monitorPort}"` });
    profile = { id: 'test:churn', name: 'churn', source: 'settings', servers: [server.url], auth: { kind: 'none' }, selected: false };
    // One warm-up cycle, so lazily created module state is not counted as growth.
    const warm = await openSession(profile);
    await listLatticeCaches(warm);
    await warm.close();
    await sleep(100);
  });

  after(async () => {
    await server?.dispose();
  });

  it(`${CYCLES} sessions opened and closed`, async () => {
    const baseline = activeResources();
    let atTenth: string[] = [];
    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      const session = await openSession(profile, { timeoutMs: 5_000 });
      await session.jetstreamManager();
      await session.close();
      if (cycle === CYCLES / 10) {
        atTenth = grown(baseline, activeResources());
      }
    }
    const growth = await settled(baseline);
    assert.deepEqual(growth, [], `after ${CYCLES} cycles (after ${CYCLES / 10}: ${atTenth.join(', ') || 'nothing'})`);
    assert.equal(await serverConnections(monitorPort), 0, 'the server still counts client connections');
  });

  it(`${CYCLES} pooled connections opened and closed`, async () => {
    const pool = new NatsConnectionPool({ connectTimeoutMs: () => 5_000 });
    const baseline = activeResources();
    try {
      for (let cycle = 1; cycle <= CYCLES; cycle++) {
        const session = await pool.session(profile);
        if (cycle % 100 === 0) {
          await listLatticeCaches(session);
        }
        await pool.close(profile.id);
      }
      assert.deepEqual(pool.openProfileIds(), []);
    } finally {
      await pool.dispose();
    }
    assert.deepEqual(await settled(baseline), []);
    assert.equal(await serverConnections(monitorPort), 0, 'the server still counts client connections');
  });

  it(`${CYCLES} refused connects`, async () => {
    const gone = await NatsServer.start();
    const url = gone.url;
    await gone.dispose();
    const refused: ConnectionProfile = { ...profile, id: 'test:refused', servers: [url] };
    const pool = new NatsConnectionPool({ connectTimeoutMs: () => 2_000 });
    const baseline = activeResources();
    try {
      for (let cycle = 1; cycle <= CYCLES; cycle++) {
        await assert.rejects(pool.session(refused));
      }
      assert.deepEqual(pool.openProfileIds(), []);
    } finally {
      await pool.dispose();
    }
    assert.deepEqual(await settled(baseline), []);
  });
});
