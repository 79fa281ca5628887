import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';

/**
 * Connects to `servers` and waits until JetStream answers account info, which
 * a fresh cluster does only after it elected a meta leader.
 */
export async function waitForJetStream(servers: string | string[], timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    let nc: NatsConnection | undefined;
    try {
      nc = await connect({ servers, timeout: 2_000 });
      const jsm = await jetstreamManager(nc, { timeout: 2_000 });
      await jsm.getAccountInfo();
      return;
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    } finally {
      await nc?.close();
    }
  }
  throw new Error(`JetStream did not become ready within ${timeoutMs} ms: ${String(lastError)}`);
}
