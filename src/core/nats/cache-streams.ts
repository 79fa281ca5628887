import type { StreamInfo } from '@nats-io/jetstream';
import { classifyNatsError } from './errors';
import type { LatticeSession } from './session';

/**
 * The kinds of lattice cache a stream name reveals:
 * - `latticecache`: `LATTICECACHE_{prefix}`, written by wasmCloud OTP hosts
 *   0.50–0.59 on subjects `lc.{prefix}.>`;
 * - `kv-latticedata`: the KV bucket `LATTICEDATA_{lattice}` (stream
 *   `KV_LATTICEDATA_{lattice}`) of later hosts;
 * - `kv-configdata`: the KV bucket `CONFIGDATA_{lattice}`;
 * - `object-store`: an object store bucket `{lattice}` (stream `OBJ_{lattice}`).
 */
export type CacheKind = 'latticecache' | 'kv-latticedata' | 'kv-configdata' | 'object-store';

export const CACHE_KINDS: readonly CacheKind[] = ['latticecache', 'kv-latticedata', 'kv-configdata', 'object-store'];

// Longest prefix first, so KV_LATTICEDATA_ is not read as some shorter kind.
const STREAM_PREFIXES: readonly [string, CacheKind][] = [
  ['LATTICECACHE_', 'latticecache'],
  ['KV_LATTICEDATA_', 'kv-latticedata'],
  ['KV_CONFIGDATA_', 'kv-configdata'],
  ['OBJ_', 'object-store'],
];

export interface CacheStreamName {
  kind: CacheKind;
  /** The lattice prefix or lattice name: everything after the kind's stream prefix, `-` and `_` included. */
  lattice: string;
}

/** Reads the cache kind and lattice from a stream name, or returns undefined for any other stream. */
export function parseCacheStreamName(stream: string): CacheStreamName | undefined {
  for (const [prefix, kind] of STREAM_PREFIXES) {
    if (stream.startsWith(prefix) && stream.length > prefix.length) {
      return { kind, lattice: stream.slice(prefix.length) };
    }
  }
  return undefined;
}

/** Returns the stream name of a cache of `kind` for `lattice`. */
export function cacheStreamName(kind: CacheKind, lattice: string): string {
  const prefix = STREAM_PREFIXES.find(([, candidate]) => candidate === kind);
  return `${prefix?.[0] ?? ''}${lattice}`;
}

/** Human-readable name of a cache kind. */
export function cacheKindLabel(kind: CacheKind): string {
  switch (kind) {
    case 'latticecache':
      return 'lattice cache stream';
    case 'kv-latticedata':
      return 'lattice data KV bucket';
    case 'kv-configdata':
      return 'config data KV bucket';
    case 'object-store':
      return 'object store';
  }
}

/** A cache stream's size and activity, taken from the server's stream info. */
export interface CacheStats {
  stream: string;
  kind: CacheKind;
  lattice: string;
  messages: number;
  bytes: number;
  /** Time of the newest message; undefined for a stream that never held one. */
  lastActivity?: Date;
  firstSeq: number;
  lastSeq: number;
  /** `file` or `memory`. */
  storage: string;
  replicas: number;
  subjects: string[];
  created: Date;
  consumers: number;
}

export interface LatticeCaches {
  /** Lattice prefix or name. */
  name: string;
  caches: CacheStats[];
}

// nats-server reports the zero time for a stream that has no messages.
function parseServerTime(value: string | undefined): Date | undefined {
  if (value === undefined || value.startsWith('0001-01-01')) {
    return undefined;
  }
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? undefined : time;
}

/** Builds `CacheStats` from stream info; returns undefined when the stream is not a lattice cache. */
export function cacheStatsFromStreamInfo(info: StreamInfo): CacheStats | undefined {
  const parsed = parseCacheStreamName(info.config.name);
  if (parsed === undefined) {
    return undefined;
  }
  return {
    stream: info.config.name,
    kind: parsed.kind,
    lattice: parsed.lattice,
    messages: info.state.messages,
    bytes: info.state.bytes,
    lastActivity: info.state.messages > 0 || info.state.last_seq > 0 ? parseServerTime(info.state.last_ts) : undefined,
    firstSeq: info.state.first_seq,
    lastSeq: info.state.last_seq,
    storage: String(info.config.storage),
    replicas: info.config.num_replicas,
    subjects: [...(info.config.subjects ?? [])],
    created: new Date(info.created),
    consumers: info.state.consumer_count,
  };
}

/** Reads the stats of one cache stream. Rejects with a `stream-not-found` failure when it is gone. */
export async function getCacheStats(session: LatticeSession, stream: string): Promise<CacheStats> {
  try {
    const jsm = await session.jetstreamManager();
    const info = await jsm.streams.info(stream);
    const stats = cacheStatsFromStreamInfo(info);
    if (stats === undefined) {
      throw new Error(`${stream} is not a lattice cache stream (LATTICECACHE_, KV_LATTICEDATA_, KV_CONFIGDATA_ or OBJ_).`);
    }
    return stats;
  } catch (error) {
    throw classifyNatsError(error, session.failureContext(stream, 'stream info request'));
  }
}

/**
 * Lists every lattice cache stream in the account, grouped by lattice and
 * sorted by lattice name, then by kind in the order of `CACHE_KINDS`. The
 * stream list API returns every stream's info in pages of up to 256. When
 * the listing stopped below the server's total, or the total changed between
 * pages, the stream names are listed too: to find the streams no page
 * returned and to drop streams deleted meanwhile. A stream that a clustered
 * server names as missing from a page, or that only the names returned, has
 * its info requested on its own. A stream deleted before that request is
 * left out, and any other failure of that request rejects the listing.
 */
export async function listLatticeCaches(session: LatticeSession): Promise<LatticeCaches[]> {
  const byStream = new Map<string, CacheStats>();
  try {
    const jsm = await session.jetstreamManager();
    const lister = jsm.streams.list();
    const missing = new Set<string>();
    const totals = new Set<number>();
    let page: StreamInfo[];
    do {
      page = await lister.next();
      const total = listerPosition(lister).total;
      if (total !== undefined) {
        totals.add(total);
      }
      for (const info of page) {
        const stats = cacheStatsFromStreamInfo(info);
        if (stats !== undefined) {
          byStream.set(stats.stream, stats);
        }
      }
      // A page whose streams are all missing has no stream info, and the
      // lister stops there, so its missing names are read before that check.
      for (const name of missingStreams(lister)) {
        if (parseCacheStreamName(name) !== undefined) {
          missing.add(name);
        }
      }
    } while (page.length > 0);

    const { offset, total } = listerPosition(lister);
    if (offset === undefined || total === undefined || offset < total || totals.size > 1) {
      // Either the lister stopped early and never listed the streams after
      // that page, or streams were added or deleted between pages, which
      // moves others across page borders. The meta leader serves the names
      // API without the streams' leaders, so it lists every stream now.
      const names = new Set<string>();
      for await (const name of jsm.streams.names()) {
        if (parseCacheStreamName(name) !== undefined) {
          names.add(name);
          if (!byStream.has(name)) {
            missing.add(name);
          }
        }
      }
      for (const name of [...byStream.keys()]) {
        if (!names.has(name)) {
          byStream.delete(name);
        }
      }
    }

    const retryNames = [...missing];
    const retried = await Promise.all(
      retryNames.map((name) =>
        jsm.streams.info(name).then(cacheStatsFromStreamInfo, (error: unknown) => {
          const failure = classifyNatsError(error, session.failureContext(name, 'stream info request'));
          if (failure.kind === 'stream-not-found') {
            return undefined;
          }
          throw failure;
        }),
      ),
    );
    retryNames.forEach((name, index) => {
      const stats = retried[index];
      if (stats === undefined) {
        byStream.delete(name);
      } else {
        byStream.set(name, stats);
      }
    });
  } catch (error) {
    throw classifyNatsError(error, session.failureContext(undefined, 'stream list request'));
  }

  const byLattice = new Map<string, CacheStats[]>();
  for (const stats of byStream.values()) {
    const caches = byLattice.get(stats.lattice) ?? [];
    caches.push(stats);
    byLattice.set(stats.lattice, caches);
  }
  return [...byLattice.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, caches]) => ({
      name,
      caches: caches.sort((a, b) => CACHE_KINDS.indexOf(a.kind) - CACHE_KINDS.indexOf(b.kind)),
    }));
}

/**
 * Returns the streams that the last stream list page names as `missing`. A
 * clustered nats-server (2.9) names there the streams whose leader did not
 * send their info in time, and offline streams, which the page also contains
 * with an empty state. NOTE: the lister of @nats-io/jetstream 3.4 keeps the
 * last response in its `pageInfo` field, which its type does not declare.
 * Without that field this returns nothing, so such streams would be left out
 * or listed as empty.
 */
function missingStreams(lister: object): string[] {
  const missing = (lister as { pageInfo?: { missing?: unknown } }).pageInfo?.missing;
  return Array.isArray(missing) ? missing.filter((name): name is string => typeof name === 'string') : [];
}

/**
 * Returns how many streams the lister has read and the total that the
 * server's last page gave. The lister of @nats-io/jetstream 3.4 ends at the
 * first page without stream infos, even when its offset is still below the
 * total. NOTE: `offset` and `pageInfo` are fields that its type does not
 * declare. Without them both are undefined, and the names are always listed.
 */
function listerPosition(lister: object): { offset?: number; total?: number } {
  const { offset, pageInfo } = lister as { offset?: unknown; pageInfo?: { total?: unknown } };
  const total = pageInfo?.total;
  return { offset: typeof offset === 'number' ? offset : undefined, total: typeof total === 'number' ? total : undefined };
}
