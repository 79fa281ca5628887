import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager, type JetStreamOptions } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { silentLogger, type Logger } from '../log';
import { buildConnectOptions, DEFAULT_CONNECT_TIMEOUT_MS, type ProfileSecrets } from './connect-options';
import { classifyNatsError, type FailureContext } from './errors';
import { describeServers, type ConnectionProfile } from './profile';

/** Milliseconds a JetStream API request may take before it fails as timed out. */
export const JETSTREAM_API_TIMEOUT_MS = 5_000;

/**
 * An open connection for one profile, with the JetStream API prefix the
 * profile selects (domain or API prefix). Every lattice cache function in
 * this folder takes a session.
 */
export class LatticeSession {
  private manager: Promise<JetStreamManager> | undefined;
  private client: JetStreamClient | undefined;

  constructor(
    readonly profile: ConnectionProfile,
    readonly nc: NatsConnection,
    readonly logger: Logger = silentLogger,
  ) {}

  /** The server as shown in messages: the one connected to, else the profile's list. */
  get server(): string {
    const connected = this.nc.isClosed() ? '' : this.nc.getServer();
    if (connected === '') {
      return describeServers(this.profile.servers);
    }
    return /^[a-z]+:\/\//i.test(connected) ? connected : `nats://${connected}`;
  }

  /**
   * Context for `classifyNatsError` about a JetStream API request of this
   * session, optionally naming a stream. `request` names the request in a
   * timed-out message, e.g. "stream list request".
   */
  failureContext(stream?: string, request = 'JetStream API request'): FailureContext {
    const jetstream = this.profile.jetstreamDomain !== undefined ? { domain: this.profile.jetstreamDomain } : this.profile.jetstreamApiPrefix !== undefined ? { apiPrefix: this.profile.jetstreamApiPrefix } : undefined;
    return { server: this.server, connection: this.profile.name, stream, request: { name: request, timeoutMs: JETSTREAM_API_TIMEOUT_MS }, ...(jetstream === undefined ? {} : { jetstream }) };
  }

  get jetstreamOptions(): JetStreamOptions {
    const options: JetStreamOptions = { timeout: JETSTREAM_API_TIMEOUT_MS };
    if (this.profile.jetstreamDomain !== undefined) {
      options.domain = this.profile.jetstreamDomain;
    } else if (this.profile.jetstreamApiPrefix !== undefined) {
      options.apiPrefix = this.profile.jetstreamApiPrefix;
    }
    return options;
  }

  /**
   * Returns the JetStream manager, created once per session. Creating it
   * requests JetStream account info, so "JetStream not enabled" surfaces
   * here. A failure is not cached, so a later call tries again.
   */
  async jetstreamManager(): Promise<JetStreamManager> {
    if (this.manager === undefined) {
      const pending = jetstreamManager(this.nc, this.jetstreamOptions);
      this.manager = pending;
      pending.catch(() => {
        if (this.manager === pending) {
          this.manager = undefined;
        }
      });
    }
    try {
      return await this.manager;
    } catch (error) {
      throw classifyNatsError(error, this.failureContext(undefined, 'JetStream account info request'));
    }
  }

  jetstream(): JetStreamClient {
    this.client ??= jetstream(this.nc, this.jetstreamOptions);
    return this.client;
  }

  /** Closes the connection; pending requests fail. */
  async close(): Promise<void> {
    if (!this.nc.isClosed()) {
      await this.nc.close();
    }
  }
}

export interface OpenSessionOptions {
  secrets?: ProfileSecrets;
  timeoutMs?: number;
  clientName?: string;
  maxReconnectAttempts?: number;
  logger?: Logger;
}

/**
 * Connects with `profile` and returns a session. Rejects with a
 * `NatsFailure` that names the server and the cause, with the underlying
 * error in its `detail`.
 */
export async function openSession(profile: ConnectionProfile, options: OpenSessionOptions = {}): Promise<LatticeSession> {
  const logger = options.logger ?? silentLogger;
  const timeoutMs = options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const servers = describeServers(profile.servers);
  try {
    const connectOptions = await buildConnectOptions(profile, options.secrets ?? {}, {
      timeoutMs,
      clientName: options.clientName,
      maxReconnectAttempts: options.maxReconnectAttempts,
    });
    logger.debug(`Connecting "${profile.name}" to ${profile.servers.join(', ')} (auth: ${profile.auth.kind}, timeout ${timeoutMs} ms)`);
    // NOTE: nats.js 3.4 leaves the TCP socket open when the connect timeout
    // fires after the dial but before the server's INFO line, because its
    // transport ignores close() until connected. A silent peer keeps that
    // socket open until the peer closes it.
    const nc = await connect(connectOptions);
    logger.info(`Connected "${profile.name}" to ${nc.getServer()} (nats-server ${nc.info?.version ?? 'unknown version'})`);
    return new LatticeSession(profile, nc, logger);
  } catch (error) {
    // Callers log the failure with what they were doing.
    throw classifyNatsError(error, { server: servers, connection: profile.name, timeoutMs });
  }
}
