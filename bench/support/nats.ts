import type { ConnectionProfile } from '../../src/core/nats/profile';
import { openSession, type LatticeSession } from '../../src/core/nats/session';
import { NatsServer } from '../../test/support/nats-server';
import { onCleanup } from '../harness';

let server: Promise<NatsServer> | undefined;

/**
 * Starts one nats-server with JetStream on 127.0.0.1 for the NATS
 * benchmarks, with its store in a temp folder; it stops when the run ends.
 */
export function benchNatsServer(): Promise<NatsServer> {
  if (server === undefined) {
    server = NatsServer.start({ serverName: 'wcl-bench' });
    const started = server;
    onCleanup(async () => (await started).dispose());
  }
  return server;
}

/** Opens a session through the core, as the CLI does, on the benchmark server. */
export async function benchSession(server: NatsServer, name: string): Promise<LatticeSession> {
  const profile: ConnectionProfile = { id: `bench:${name}`, name, source: 'command-line', servers: [server.url], auth: { kind: 'none' }, selected: false };
  const session = await openSession(profile, { clientName: `wasmcloud-lattice bench ${name}`, maxReconnectAttempts: 0 });
  onCleanup(() => session.close());
  return session;
}
