import { silentLogger, type Logger } from '../log';
import type { ProfileSecrets } from './connect-options';
import { connectionFingerprint, type ConnectionProfile } from './profile';
import { openSession, type LatticeSession } from './session';

export type ConnectionState = 'connected' | 'disconnected' | 'reconnected' | 'closed';

export type ConnectionStateListener = (profileId: string, state: ConnectionState) => void;

export interface ConnectionPoolOptions {
  logger?: Logger;
  /** Looks up a profile's password or token (secret storage in the editor). */
  resolveSecrets?: (profile: ConnectionProfile) => Promise<ProfileSecrets>;
  /** Read on every new connection, so a changed setting applies to the next one. */
  connectTimeoutMs?: () => number;
  clientName?: string;
}

interface PoolEntry {
  fingerprint: string;
  session: Promise<LatticeSession>;
}

/**
 * Keeps one connection per profile id and hands the same session to every
 * caller. A connection that closes (after nats.js gave up reconnecting) is
 * dropped, so the next call connects again. A profile whose connection
 * settings changed gets a new connection. Nothing here retries on a timer.
 */
export class NatsConnectionPool {
  private readonly entries = new Map<string, PoolEntry>();
  private readonly listeners = new Set<ConnectionStateListener>();
  private readonly logger: Logger;
  private disposed = false;

  constructor(private readonly options: ConnectionPoolOptions = {}) {
    this.logger = options.logger ?? silentLogger;
  }

  /** Returns the open session for `profile`, connecting when there is none. */
  session(profile: ConnectionProfile): Promise<LatticeSession> {
    if (this.disposed) {
      return Promise.reject(new Error('The NATS connection pool is closed.'));
    }
    const fingerprint = connectionFingerprint(profile);
    const existing = this.entries.get(profile.id);
    if (existing !== undefined && existing.fingerprint === fingerprint) {
      return existing.session;
    }
    if (existing !== undefined) {
      this.logger.info(`Connection settings of "${profile.name}" changed; reconnecting.`);
      this.closeEntry(profile.id, existing);
    }

    const session = this.connect(profile);
    const entry: PoolEntry = { fingerprint, session };
    this.entries.set(profile.id, entry);
    session.then(
      (opened) => this.watch(profile, entry, opened),
      () => {
        // A failed connect is not kept, so Retry connects again.
        if (this.entries.get(profile.id) === entry) {
          this.entries.delete(profile.id);
        }
      },
    );
    return session;
  }

  /** Returns the session of `profileId` if it is open or opening, without connecting. */
  peek(profileId: string): Promise<LatticeSession> | undefined {
    return this.entries.get(profileId)?.session;
  }

  /** Profile ids with an open or opening connection. */
  openProfileIds(): string[] {
    return [...this.entries.keys()];
  }

  /** Closes the connection of `profileId`, if any. */
  async close(profileId: string): Promise<void> {
    const entry = this.entries.get(profileId);
    if (entry !== undefined) {
      await this.closeEntry(profileId, entry);
    }
  }

  /** Calls `listener` when a pooled connection disconnects, reconnects or closes. */
  onDidChangeState(listener: ConnectionStateListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Closes every connection; later `session` calls reject. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const closing = [...this.entries].map(([id, entry]) => this.closeEntry(id, entry));
    this.listeners.clear();
    await Promise.all(closing);
  }

  private async connect(profile: ConnectionProfile): Promise<LatticeSession> {
    const secrets = (await this.options.resolveSecrets?.(profile)) ?? {};
    const session = await openSession(profile, {
      secrets,
      timeoutMs: this.options.connectTimeoutMs?.(),
      clientName: this.options.clientName,
      logger: this.logger,
    });
    if (this.disposed) {
      await session.close();
      throw new Error('The NATS connection pool was closed while connecting.');
    }
    return session;
  }

  private async closeEntry(profileId: string, entry: PoolEntry): Promise<void> {
    if (this.entries.get(profileId) === entry) {
      this.entries.delete(profileId);
    }
    try {
      const session = await entry.session;
      await session.close();
    } catch {
      // The connect failed, so there is nothing to close.
    }
  }

  private emit(profileId: string, state: ConnectionState): void {
    for (const listener of this.listeners) {
      try {
        listener(profileId, state);
      } catch (error) {
        this.logger.error(`A connection state listener failed for "${profileId}"`, error);
      }
    }
  }

  private watch(profile: ConnectionProfile, entry: PoolEntry, session: LatticeSession): void {
    const nc = session.nc;
    void (async () => {
      for await (const status of nc.status()) {
        switch (status.type) {
          case 'disconnect':
            this.logger.warn(`Connection "${profile.name}" lost ${status.server}; nats.js is reconnecting.`);
            this.emit(profile.id, 'disconnected');
            break;
          case 'reconnect':
            this.logger.info(`Connection "${profile.name}" reconnected to ${status.server}.`);
            this.emit(profile.id, 'reconnected');
            break;
          case 'error':
            this.logger.warn(`Connection "${profile.name}" reported an error: ${status.error.message}`);
            break;
          default:
            break;
        }
      }
    })().catch((error: unknown) => this.logger.error(`Watching connection "${profile.name}" failed`, error));

    void nc.closed().then((error) => {
      if (this.entries.get(profile.id) === entry) {
        this.entries.delete(profile.id);
      }
      if (error !== undefined && error !== null) {
        this.logger.warn(`Connection "${profile.name}" closed: ${error.message}`);
      } else {
        this.logger.debug(`Connection "${profile.name}" closed.`);
      }
      this.emit(profile.id, 'closed');
    });
  }
}
