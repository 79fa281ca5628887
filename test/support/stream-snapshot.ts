/**
 * Snapshots of every JetStream stream as the server reports it, read with
 * plain JetStream API requests (not the code under test), so a fault test can
 * show that streams it did not target are unchanged afterwards.
 */
import assert from 'node:assert/strict';
import type { NatsConnection } from '@nats-io/transport-node';

/** The parts of a stream that a test must leave unchanged unless it targets the stream: config and state. */
export interface StreamSnapshot {
  config: Record<string, unknown>;
  state: {
    messages: number;
    bytes: number;
    first_seq: number;
    last_seq: number;
    first_ts: string;
    last_ts: string;
    consumer_count: number;
    num_subjects?: number;
  };
}

interface ApiReply {
  error?: { code: number; description: string };
}

/** Sends one JetStream API request; `apiPrefix` is `$JS.API` unless a domain or import changes it. */
async function api<T>(nc: NatsConnection, subject: string, body: unknown, apiPrefix: string): Promise<T & ApiReply> {
  const reply = await nc.request(`${apiPrefix}.${subject}`, body === undefined ? undefined : JSON.stringify(body), { timeout: 5_000 });
  return reply.json<T & ApiReply>();
}

/** Config and state of every stream in the account, by name. */
export async function snapshotStreams(nc: NatsConnection, apiPrefix = '$JS.API'): Promise<Map<string, StreamSnapshot>> {
  const names: string[] = [];
  for (let offset = 0; ; ) {
    const page = await api<{ streams: string[] | null; total: number; limit: number }>(nc, 'STREAM.NAMES', { offset }, apiPrefix);
    assert.equal(page.error, undefined, `STREAM.NAMES failed: ${page.error?.description}`);
    names.push(...(page.streams ?? []));
    offset += page.limit;
    if (names.length >= page.total || (page.streams ?? []).length === 0) {
      break;
    }
  }
  const snapshots = new Map<string, StreamSnapshot>();
  for (const name of names.sort()) {
    const info = await api<StreamSnapshot>(nc, `STREAM.INFO.${name}`, undefined, apiPrefix);
    assert.equal(info.error, undefined, `STREAM.INFO.${name} failed: ${info.error?.description}`);
    const { messages, bytes, first_seq, last_seq, first_ts, last_ts, consumer_count, num_subjects } = info.state;
    snapshots.set(name, { config: info.config, state: { messages, bytes, first_seq, last_seq, first_ts, last_ts, consumer_count, num_subjects } });
  }
  return snapshots;
}

/** Fails when a stream other than `targeted` was added, removed or changed between the two snapshots. */
export function assertOthersUnchanged(before: ReadonlyMap<string, StreamSnapshot>, after: ReadonlyMap<string, StreamSnapshot>, targeted: readonly string[] = []): void {
  const skip = new Set(targeted);
  const names = new Set([...before.keys(), ...after.keys()].filter((name) => !skip.has(name)));
  for (const name of names) {
    assert.ok(before.has(name), `stream ${name} appeared`);
    assert.ok(after.has(name), `stream ${name} disappeared`);
    assert.deepEqual(after.get(name), before.get(name), `stream ${name} changed`);
  }
}
