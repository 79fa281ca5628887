import type { JetStreamManager } from '@nats-io/jetstream';
import { countMessages, subjectFiltersOverlap } from './cache-entries';
import { classifyNatsError, isConnectionClosedDuringRequest, NatsFailure } from './errors';
import { pingLatticeHosts, type LatticeHost } from './host-ping';
import { parseCacheStreamName } from './cache-streams';
import { JETSTREAM_API_TIMEOUT_MS, type LatticeSession } from './session';

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
 * consumer on the subject filter. Rejects with an `invalid-subject` failure
 * naming the stream's subjects when the filter matches none of them.
 */
export async function countPurgeTarget(session: LatticeSession, target: PurgeTarget): Promise<number> {
  let subjects: string[];
  try {
    const jsm = await session.jetstreamManager();
    const info = await jsm.streams.info(target.stream);
    if (target.subject === undefined) {
      return info.state.messages;
    }
    subjects = info.config.subjects ?? [];
  } catch (error) {
    throw classifyNatsError(error, session.failureContext(target.stream, 'stream info request'));
  }

  const filter = target.subject;
  // nats-server answers a filter outside the stream's subjects with "consumer
  // filter subject is not a valid subset of the interest subjects".
  if (subjects.length > 0 && !subjects.some((subject) => subjectFiltersOverlap(filter, subject))) {
    throw new NatsFailure(
      'invalid-subject',
      `The subject filter ${filter} matches none of the subjects of stream ${target.stream} (${subjects.join(', ')}), so nothing would be purged. Use a filter within ${subjects.join(' or ')}.`,
      `filter ${filter} does not overlap the stream subjects ${subjects.join(', ')}`,
    );
  }
  return countMessages(session, target.stream, filter);
}

export interface PurgeOptions {
  /**
   * Instruction that ends the timed-out message, "The server may still
   * purge …; <howToCheck>." Default: "list the caches again to check".
   */
  howToCheck?: string;
}

/**
 * Purges `target` (a KV bucket through its stream) and returns the number
 * of messages the server reports as purged. Rejects with a
 * `stream-not-found` failure when the stream is gone. A purge request that
 * times out or whose connection closes may still have been applied, in full
 * or in part, and its failure message states that. It does not check for
 * running hosts; callers run `checkRunningHosts` first.
 */
export async function purgeCacheStream(session: LatticeSession, target: PurgeTarget, options: PurgeOptions = {}): Promise<number> {
  const what = describePurgeTarget(target);
  let jsm: JetStreamManager;
  try {
    jsm = await session.jetstreamManager();
  } catch (error) {
    // Nothing was sent yet, so the usual message applies.
    throw classifyNatsError(error, session.failureContext(target.stream));
  }

  let response: Awaited<ReturnType<JetStreamManager['streams']['purge']>>;
  try {
    response = await jsm.streams.purge(target.stream, target.subject === undefined ? undefined : { filter: target.subject });
  } catch (error) {
    const failure = classifyNatsError(error, session.failureContext(target.stream, 'purge request'));
    const server = session.server;
    if (failure.kind === 'timeout') {
      const howToCheck = options.howToCheck ?? 'list the caches again to check';
      throw new NatsFailure(
        'timeout',
        `The purge request to ${server} timed out after ${JETSTREAM_API_TIMEOUT_MS} ms. The server may still purge ${what}; ${howToCheck}.`,
        failure.detail,
        { cause: error },
      );
    }
    if (isConnectionClosedDuringRequest(error)) {
      throw new NatsFailure(
        'connection-closed',
        `The connection to ${server} closed during the purge request, so the purge of ${what} may be partial. Purging again is safe: it removes only the messages that are left.`,
        failure.detail,
        { cause: error },
      );
    }
    throw failure;
  }
  if (!response.success) {
    throw new NatsFailure('other', `The server did not purge ${what} on ${session.server}.`, JSON.stringify(response));
  }
  return response.purged;
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
