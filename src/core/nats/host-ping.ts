import { errors as natsErrors, type Msg, type NatsConnection } from '@nats-io/transport-node';
import { silentLogger, type Logger } from '../log';
import { displayText, optionalDisplayText } from './display-text';
import { NatsFailure, classifyNatsError, describeErrorChain } from './errors';
import { JETSTREAM_API_TIMEOUT_MS } from './session';

/** Default time to gather ping replies: hosts on one NATS cluster reply within milliseconds. */
export const DEFAULT_PING_TIMEOUT_MS = 1_000;

/** A control interface subject that hosts reply to pings on. */
export interface HostPingSubject {
  subject: string;
  /** Host generations that listen on the subject. */
  hosts: string;
}

/**
 * Returns the ping subjects of a lattice, for every host generation:
 * `wasmbus.ctl.{prefix}.ping.hosts` (OTP hosts and Rust hosts 0.78–0.82)
 * and `wasmbus.ctl.v1.{lattice}.host.ping` (1.x hosts).
 */
export function hostPingSubjects(lattice: string): HostPingSubject[] {
  return [
    { subject: `wasmbus.ctl.${lattice}.ping.hosts`, hosts: 'OTP and 0.78–0.82 hosts' },
    { subject: `wasmbus.ctl.v1.${lattice}.host.ping`, hosts: '1.x hosts' },
  ];
}

/** A host that replied to a ping. */
export interface LatticeHost {
  /** The host's public nkey (`N…`), or `unknown` when the reply could not be read. */
  id: string;
  /** Friendly name, e.g. `frosty-sun-4512`. */
  name: string;
  version?: string;
  /** Lattice or lattice prefix the host reports. */
  lattice?: string;
  uptimeSeconds?: number;
  /** Subject the reply answered. */
  subject: string;
}

function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

// Host ids are 56 characters and friendly names two words and a number, so
// these limits only cut replies that are not from a real host.
const MAX_ID_LENGTH = 64;
const MAX_NAME_LENGTH = 64;
const MAX_VERSION_LENGTH = 32;

/**
 * Reads a ping reply. OTP hosts (0.50–0.63) and Rust hosts 0.78–0.82 reply
 * with the host object itself (`id`, `friendly_name`, `version`,
 * `lattice_prefix`, `uptime_seconds`); 1.x hosts wrap it as
 * `{"success":true,"message":"","response":{…, "lattice": …}}`. A reply
 * that is not such JSON still counts as a host that answered. Anyone who
 * can publish to the reply inbox can answer, so every text field is passed
 * through `displayText` and capped before it reaches a terminal or a dialog.
 */
export function decodeHostPingReply(data: Uint8Array, subject: string): LatticeHost {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(data));
  } catch {
    return { id: 'unknown', name: `unreadable reply (${data.length} bytes)`, subject };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { id: 'unknown', name: 'unreadable reply (not a JSON object)', subject };
  }
  let host = value as Record<string, unknown>;
  const wrapped = host.response;
  if (typeof host.success === 'boolean' && typeof wrapped === 'object' && wrapped !== null && !Array.isArray(wrapped)) {
    host = wrapped as Record<string, unknown>;
  }
  const id = optionalDisplayText(optionalText(host.id) ?? optionalText(host.host_id), MAX_ID_LENGTH) ?? 'unknown';
  return {
    id,
    name: optionalDisplayText(optionalText(host.friendly_name), MAX_NAME_LENGTH) ?? '(no friendly name)',
    version: optionalDisplayText(optionalText(host.version), MAX_VERSION_LENGTH),
    lattice: optionalDisplayText(optionalText(host.lattice) ?? optionalText(host.lattice_prefix), MAX_NAME_LENGTH),
    uptimeSeconds: typeof host.uptime_seconds === 'number' ? host.uptime_seconds : undefined,
    subject,
  };
}

async function gatherReplies(nc: NatsConnection, subject: string, timeoutMs: number): Promise<Msg[]> {
  const replies: Msg[] = [];
  try {
    const iterator = await nc.requestMany(subject, undefined, { strategy: 'timer', maxWait: timeoutMs });
    for await (const reply of iterator) {
      replies.push(reply);
    }
  } catch (error) {
    if (error instanceof natsErrors.NoRespondersError || (error instanceof natsErrors.RequestError && error.isNoResponders())) {
      return replies;
    }
    throw error;
  }
  return replies;
}

export interface PingOptions {
  timeoutMs?: number;
  logger?: Logger;
}

/**
 * Sends a PING and waits for the PONG, so replies the server queued during
 * the ping window have arrived. Rejects with a `timeout` failure when the
 * server does not answer within `timeoutMs`: a stalled server delivers no
 * host replies, so "no host replied" would be wrong.
 */
async function confirmRoundTrip(nc: NatsConnection, lattice: string, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timed-out'>((resolve) => {
    timer = setTimeout(() => resolve('timed-out'), timeoutMs);
  });
  // The flush promise stays pending on a stalled server, so its rejection is handled here, never left unhandled.
  const flushed = nc.flush().then(
    () => 'flushed' as const,
    (error: unknown) => ({ error }),
  );
  try {
    const outcome = await Promise.race([flushed, timedOut]);
    const server = displayText(nc.getServer());
    if (outcome === 'timed-out') {
      throw new NatsFailure(
        'timeout',
        `The server nats://${server} did not answer within ${timeoutMs} ms after the host ping, so it is unknown whether hosts of lattice ${lattice} are running. Try again when the server responds.`,
        `flush after the host ping timed out after ${timeoutMs} ms`,
      );
    }
    if (outcome !== 'flushed') {
      throw classifyNatsError(outcome.error, { server: `nats://${server}`, request: { name: 'round trip after the host ping', timeoutMs } });
    }
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Pings the hosts of `lattice` on every ping subject at once and gathers
 * replies for `timeoutMs`, then confirms with a round trip to the server
 * that the connection still works. Returns one item per host id, sorted by
 * name. Rejects with a `permission` failure when this user may not publish
 * a ping. Rejects with a `timeout` failure when the server does not reply
 * to the round trip within the JetStream API timeout. In both cases, no
 * reply does not mean no host.
 */
export async function pingLatticeHosts(nc: NatsConnection, lattice: string, options: PingOptions = {}): Promise<LatticeHost[]> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_PING_TIMEOUT_MS;
  const logger = options.logger ?? silentLogger;
  const subjects = hostPingSubjects(lattice);

  // A denied publish comes back as an asynchronous -ERR, not as a failed
  // request, so the status stream is watched while the replies come in.
  const denied: string[] = [];
  const statusIterator = nc.status();
  const watching = (async () => {
    for await (const status of statusIterator) {
      if (status.type === 'error' && status.error instanceof natsErrors.PermissionViolationError && status.error.operation === 'publish') {
        denied.push(status.error.subject);
      }
    }
  })();

  let results: Msg[][];
  try {
    results = await Promise.all(subjects.map(({ subject }) => gatherReplies(nc, subject, timeoutMs)));
    // The server reports a denied publish before its PONG, so the round trip
    // also lets a late permission error arrive while the status is watched.
    await confirmRoundTrip(nc, lattice, JETSTREAM_API_TIMEOUT_MS);
  } catch (error) {
    if (error instanceof NatsFailure) {
      throw error;
    }
    if (error instanceof natsErrors.PermissionViolationError) {
      denied.push(error.subject);
      results = [];
    } else {
      throw new NatsFailure('other', `Pinging the hosts of lattice ${lattice} failed: ${error instanceof Error ? error.message : String(error)}`, describeErrorChain(error), {
        cause: error,
      });
    }
  } finally {
    (statusIterator as { stop?: () => void }).stop?.();
    await Promise.race([watching, new Promise((resolve) => setTimeout(resolve, 0))]);
  }

  const deniedPing = subjects.find(({ subject }) => denied.includes(subject));
  if (deniedPing !== undefined) {
    throw new NatsFailure(
      'permission',
      `Cannot check for running hosts of lattice ${lattice}: this user may not publish to ${deniedPing.subject}.`,
      `permissions violation for publish to ${deniedPing.subject}`,
    );
  }

  const hosts = new Map<string, LatticeHost>();
  results.forEach((replies, index) => {
    for (const reply of replies) {
      const host = decodeHostPingReply(reply.data, subjects[index].subject);
      // Unreadable replies have no id, so each one is kept as its own host.
      const key = host.id === 'unknown' ? `unknown-${hosts.size}` : host.id;
      if (!hosts.has(key)) {
        hosts.set(key, host);
      }
    }
  });
  const found = [...hosts.values()].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  logger.info(`Pinged lattice ${lattice} for ${timeoutMs} ms: ${found.length} ${found.length === 1 ? 'host' : 'hosts'} replied.`);
  return found;
}

/** Formats a host for messages as `name (id, version)`. */
export function describeHost(host: LatticeHost): string {
  const version = host.version === undefined ? '' : `, ${host.version}`;
  return `${host.name} (${host.id}${version})`;
}
