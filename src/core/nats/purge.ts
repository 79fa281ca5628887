import { countMessages } from './cache-entries';
import { classifyNatsError, NatsFailure } from './errors';
import { pingLatticeHosts, type LatticeHost } from './host-ping';
import { parseCacheStreamName } from './cache-streams';
import type { LatticeSession } from './session';

export interface PurgeTarget {
  stream: string;
  /** Purge only messages on subjects matching this filter; the whole stream when undefined. */
  subject?: string;
}

/** Describes a purge target for messages: the stream, and the subject filter when there is one. */
export function describePurgeTarget(target: PurgeTarget): string {
  return target.subject === undefined ? `stream ${target.stream}` : `subject ${target.subject} of stream ${target.stream}`;
}

/**
 * Counts the messages a purge of `target` would remove, with the server's
 * own numbers: the stream's message count, or the pending count of a
 * consumer on the subject filter.
 */
export async function countPurgeTarget(session: LatticeSession, target: PurgeTarget): Promise<number> {
  if (target.subject === undefined) {
    try {
      const jsm = await session.jetstreamManager();
      return (await jsm.streams.info(target.stream)).state.messages;
    } catch (error) {
      throw classifyNatsError(error, session.failureContext(target.stream));
    }
  }
  return countMessages(session, target.stream, target.subject);
}

/**
 * Purges `target` (a KV bucket through its stream) and returns the number
 * of messages the server reports as purged. Rejects with a
 * `stream-not-found` failure when the stream is gone. It does not check for
 * running hosts; callers run `checkRunningHosts` first.
 */
export async function purgeCacheStream(session: LatticeSession, target: PurgeTarget): Promise<number> {
  try {
    const jsm = await session.jetstreamManager();
    const response = await jsm.streams.purge(target.stream, target.subject === undefined ? undefined : { filter: target.subject });
    if (!response.success) {
      throw new NatsFailure('other', `The server did not purge ${describePurgeTarget(target)} on ${session.server}.`, JSON.stringify(response));
    }
    return response.purged;
  } catch (error) {
    throw classifyNatsError(error, session.failureContext(target.stream));
  }
}

/** Returns the lattice a cache stream belongs to, or undefined for any other stream. */
export function latticeOfStream(stream: string): string | undefined {
  return parseCacheStreamName(stream)?.lattice;
}

/**
 * Pings the hosts of the lattice that owns `stream`. The documented
 * procedure is to stop every host before purging a lattice cache, so callers
 * refuse (or ask again) when this returns any host.
 */
export async function checkRunningHosts(session: LatticeSession, stream: string, timeoutMs: number): Promise<LatticeHost[]> {
  const lattice = latticeOfStream(stream);
  if (lattice === undefined) {
    return [];
  }
  return pingLatticeHosts(session.nc, lattice, { timeoutMs, logger: session.logger });
}
