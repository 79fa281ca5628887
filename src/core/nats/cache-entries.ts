import { AckPolicy, DeliverPolicy, JetStreamApiCodes, JetStreamApiError, type JsMsg, type StoredMsg } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { CacheStats } from './cache-streams';
import { displayText } from './display-text';
import { classifyNatsError, NatsFailure } from './errors';
import { decodeEntry, kvOperation, MAX_DECODE_BYTES, type EntryDecoding, type KvOperation } from './entry-decoding';
import { formatBytes } from './format';
import type { LatticeSession } from './session';

/** The groups a cache's entries are shown in. */
export type EntryGroupKind = 'claims' | 'linkdefs' | 'refmap' | 'other' | 'kv-keys' | 'objects';

export interface EntryGroup {
  kind: EntryGroupKind;
  label: string;
  /** Subject filter of the group's messages. */
  filter: string;
  /**
   * Subjects matching `filter` that belong to other groups and are skipped
   * when listing (the "other subjects" group of a lattice cache stream).
   */
  excludeFilters: string[];
  /** True when purging only this group's subject filter is offered. */
  purgeable: boolean;
}

/** The cache fields that decide its entry groups. */
export type CacheShape = Pick<CacheStats, 'stream' | 'kind' | 'lattice' | 'subjects'>;

/** Returns the stream's subject base: its first subject without a trailing `.>`, e.g. `lc.default` or `$KV.LATTICEDATA_default`. */
export function subjectBase(cache: CacheShape): string {
  if (cache.kind === 'object-store') {
    // Object stores have two subjects, `$O.{bucket}.C.>` (chunks) and `$O.{bucket}.M.>` (metadata).
    const meta = cache.subjects.find((subject) => subject.endsWith('.M.>'));
    return meta === undefined ? `$O.${cache.lattice}` : meta.slice(0, -'.M.>'.length);
  }
  const first = cache.subjects[0];
  if (first !== undefined && first.endsWith('.>')) {
    return first.slice(0, -2);
  }
  switch (cache.kind) {
    case 'latticecache':
      return `lc.${cache.lattice}`;
    case 'kv-latticedata':
      return `$KV.LATTICEDATA_${cache.lattice}`;
    case 'kv-configdata':
      return `$KV.CONFIGDATA_${cache.lattice}`;
  }
}

/**
 * Returns the entry groups of a cache. A `LATTICECACHE_` stream has claims,
 * link definitions, OCI reference maps and other subjects. A KV bucket has
 * keys, and an object store has object metadata.
 */
export function entryGroups(cache: CacheShape): EntryGroup[] {
  const base = subjectBase(cache);
  switch (cache.kind) {
    case 'latticecache': {
      const claims = `${base}.claims.>`;
      const linkdefs = `${base}.linkdefs.>`;
      const refmap = `${base}.refmap.>`;
      return [
        { kind: 'claims', label: 'Claims', filter: claims, excludeFilters: [], purgeable: true },
        { kind: 'linkdefs', label: 'Link definitions', filter: linkdefs, excludeFilters: [], purgeable: true },
        { kind: 'refmap', label: 'OCI reference maps', filter: refmap, excludeFilters: [], purgeable: true },
        { kind: 'other', label: 'Other subjects', filter: `${base}.>`, excludeFilters: [claims, linkdefs, refmap], purgeable: false },
      ];
    }
    case 'kv-latticedata':
    case 'kv-configdata':
      return [{ kind: 'kv-keys', label: 'Keys', filter: `${base}.>`, excludeFilters: [], purgeable: false }];
    case 'object-store':
      return [{ kind: 'objects', label: 'Objects', filter: `${base}.M.>`, excludeFilters: [], purgeable: false }];
  }
}

/** True when `subject` matches the NATS subject filter `filter` (`*` one token, `>` the rest). */
export function subjectMatches(filter: string, subject: string): boolean {
  const filterTokens = filter.split('.');
  const subjectTokens = subject.split('.');
  for (let i = 0; i < filterTokens.length; i++) {
    const token = filterTokens[i];
    if (token === '>') {
      return subjectTokens.length > i;
    }
    if (i >= subjectTokens.length || (token !== '*' && token !== subjectTokens[i])) {
      return false;
    }
  }
  return filterTokens.length === subjectTokens.length;
}

/**
 * True when some subject matches both NATS subject filters, e.g.
 * `lc.default.linkdefs.>` and `lc.*.>`, but not `lc.other.>` and `lc.default.>`.
 */
export function subjectFiltersOverlap(a: string, b: string): boolean {
  const left = a.split('.');
  const right = b.split('.');
  for (let i = 0; ; i++) {
    const x = left[i];
    const y = right[i];
    if (x === undefined || y === undefined) {
      return x === undefined && y === undefined;
    }
    // Both filters have a token here, and '>' matches one or more tokens.
    if (x === '>' || y === '>') {
      return true;
    }
    if (x !== '*' && y !== '*' && x !== y) {
      return false;
    }
  }
}

/** One message of a cache stream, decoded for display. Large values are not kept. */
export interface CacheEntry {
  stream: string;
  seq: number;
  subject: string;
  /** The subject after the stream's subject base (`claims.M…`, a KV key, `M.<object>`), made safe to show with `displayText`. */
  key: string;
  time: Date;
  size: number;
  operation: KvOperation;
  decoded: EntryDecoding;
}

export interface EntryPage {
  entries: CacheEntry[];
  /** Sequence to pass as `startSeq` for the next page; undefined after the last page. */
  nextSeq?: number;
  /** Messages matching the group's filter at or after `nextSeq` when the page was read (an upper bound for the "other" group). */
  remaining: number;
}

export interface ListEntriesOptions {
  /** First stream sequence to read (default 1). */
  startSeq?: number;
  /** Entries per page. */
  limit: number;
}

// Ephemeral consumers made for counting and paging are deleted right away;
// the server removes any left behind (a dropped connection) after this long.
const CONSUMER_INACTIVE_THRESHOLD_MS = 30_000;
const FETCH_EXPIRES_MS = 5_000;
const SCAN_BATCH = 500;

async function createReader(session: LatticeSession, stream: string, filter: string, startSeq: number): Promise<{ name: string; pending: number }> {
  const jsm = await session.jetstreamManager();
  const info = await jsm.consumers.add(stream, {
    ack_policy: AckPolicy.None,
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: Math.max(1, startSeq),
    filter_subject: filter,
    inactive_threshold: nanos(CONSUMER_INACTIVE_THRESHOLD_MS),
    mem_storage: true,
    description: 'wasmcloud-lattice explorer page',
  });
  return { name: info.name, pending: info.num_pending };
}

async function deleteReader(session: LatticeSession, stream: string, name: string): Promise<void> {
  try {
    const jsm = await session.jetstreamManager();
    await jsm.consumers.delete(stream, name);
  } catch {
    // The inactive threshold removes it anyway.
  }
}

/**
 * Counts the messages of `stream` whose subject matches `filter`, with the
 * server's own count (the pending count of a short-lived consumer).
 */
export async function countMessages(session: LatticeSession, stream: string, filter: string): Promise<number> {
  try {
    const reader = await createReader(session, stream, filter, 1);
    await deleteReader(session, stream, reader.name);
    return reader.pending;
  } catch (error) {
    throw classifyNatsError(error, session.failureContext(stream, 'message count request'));
  }
}

/**
 * Counts the entries of one group. The "other subjects" count is all
 * messages under the stream's subject base minus those of the named groups.
 */
export async function countGroupEntries(session: LatticeSession, cache: CacheShape, group: EntryGroup): Promise<number> {
  const total = await countMessages(session, cache.stream, group.filter);
  if (group.excludeFilters.length === 0) {
    return total;
  }
  let excluded = 0;
  for (const filter of group.excludeFilters) {
    excluded += await countMessages(session, cache.stream, filter);
  }
  return Math.max(0, total - excluded);
}

function tokensAfterBase(subject: string, base: string): string[] {
  const rest = subject.startsWith(`${base}.`) ? subject.slice(base.length + 1) : subject;
  return rest.split('.');
}

function toEntry(cache: CacheShape, message: { subject: string; seq: number; time: Date; data: Uint8Array; operationHeader?: string }): CacheEntry {
  const base = subjectBase(cache);
  const tokens = tokensAfterBase(message.subject, base);
  const operation = cache.kind === 'kv-latticedata' || cache.kind === 'kv-configdata' ? kvOperation(message.operationHeader) : 'put';
  return {
    stream: cache.stream,
    seq: message.seq,
    subject: message.subject,
    key: displayText(tokens.join('.')),
    time: message.time,
    size: message.data.length,
    operation,
    decoded: decodeEntry({ cacheKind: cache.kind, tokens, subject: message.subject }, message.data, operation),
  };
}

function fromJsMsg(cache: CacheShape, message: JsMsg): CacheEntry {
  return toEntry(cache, {
    subject: message.subject,
    seq: message.seq,
    time: message.time,
    data: message.data,
    operationHeader: message.headers?.get('KV-Operation'),
  });
}

/**
 * Reads one page of a group's entries in stream order, starting at
 * `startSeq`. Each page uses one short-lived consumer, so a cache of a
 * million entries costs one page of memory. For the "other subjects" group
 * it reads on until `limit` entries outside the named groups are found.
 */
export async function listCacheEntries(session: LatticeSession, cache: CacheShape, group: EntryGroup, options: ListEntriesOptions): Promise<EntryPage> {
  const limit = Math.max(1, Math.floor(options.limit));
  const entries: CacheEntry[] = [];
  let nextSeq = Math.max(1, options.startSeq ?? 1);
  let remaining = 0;

  try {
    const js = session.jetstream();
    while (entries.length < limit) {
      const reader = await createReader(session, cache.stream, group.filter, nextSeq);
      remaining = reader.pending;
      if (remaining === 0) {
        await deleteReader(session, cache.stream, reader.name);
        break;
      }
      try {
        const consumer = await js.consumers.get(cache.stream, reader.name);
        // Skipping subjects of other groups may take many messages per entry,
        // so that scan reads larger batches.
        const wanted = group.excludeFilters.length === 0 ? limit - entries.length : Math.max(limit, SCAN_BATCH);
        const batch = Math.min(wanted, remaining);
        const messages = await consumer.fetch({ max_messages: batch, expires: FETCH_EXPIRES_MS });
        let received = 0;
        for await (const message of messages) {
          received++;
          nextSeq = message.seq + 1;
          remaining = message.info.pending;
          if (!group.excludeFilters.some((filter) => subjectMatches(filter, message.subject))) {
            entries.push(fromJsMsg(cache, message));
          }
          if (received >= batch || entries.length >= limit) {
            messages.stop();
            break;
          }
        }
        if (received === 0) {
          // Pending messages that a fetch did not deliver were purged meanwhile.
          remaining = 0;
        }
      } finally {
        await deleteReader(session, cache.stream, reader.name);
      }
      if (remaining === 0 || group.excludeFilters.length === 0) {
        break;
      }
    }
  } catch (error) {
    throw classifyNatsError(error, session.failureContext(cache.stream, 'entry page request'));
  }
  return { entries, nextSeq: remaining > 0 ? nextSeq : undefined, remaining };
}

/** One entry with its full value, for the read-only editor. */
export interface CacheEntryDocument {
  entry: CacheEntry;
  /** Pretty-printed JSON: the value itself, or a description of why it cannot be shown. */
  json: string;
}

/** Renders a stored message as JSON text: the value when it is JSON, else what is known about it. */
export function renderEntryJson(entry: CacheEntry, data: Uint8Array): string {
  if (entry.operation !== 'put') {
    return `${JSON.stringify({ subject: entry.subject, seq: entry.seq, operation: entry.operation, time: entry.time.toISOString() }, null, 2)}\n`;
  }
  if (data.length <= MAX_DECODE_BYTES) {
    let text: string | undefined;
    let value: unknown;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(data);
      value = JSON.parse(text);
    } catch {
      text = undefined;
    }
    if (text !== undefined) {
      try {
        return `${JSON.stringify(value, null, 2)}\n`;
      } catch {
        // JSON.stringify recurses, so JSON nested deeper than its stack allows is shown as stored.
        return text.endsWith('\n') ? text : `${text}\n`;
      }
    }
  }
  const reason = entry.decoded.ok ? 'cannot decode: the value is not JSON' : entry.decoded.reason;
  const description: Record<string, unknown> = {
    subject: entry.subject,
    seq: entry.seq,
    time: entry.time.toISOString(),
    size: entry.size,
    sizeText: formatBytes(entry.size),
    error: reason,
  };
  if (data.length <= 4096) {
    description.base64 = Buffer.from(data).toString('base64');
  }
  return `${JSON.stringify(description, null, 2)}\n`;
}

/**
 * Reads the message with sequence `seq` of a cache stream. Rejects with a
 * `NatsFailure` of kind `stream-not-found` when the stream is gone, and
 * `other` when the message was purged or replaced.
 */
export async function getCacheEntry(session: LatticeSession, cache: CacheShape, seq: number): Promise<CacheEntryDocument> {
  let stored: StoredMsg | null;
  try {
    const jsm = await session.jetstreamManager();
    stored = await jsm.streams.getMessage(cache.stream, { seq });
  } catch (error) {
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.NoMessageFound) {
      stored = null;
    } else {
      throw classifyNatsError(error, session.failureContext(cache.stream, 'message request'));
    }
  }
  if (stored === null) {
    throw new NatsFailure(
      'other',
      `Message ${seq} of stream ${cache.stream} no longer exists on ${session.server}; it was purged or replaced. Refresh the explorer.`,
      'no message found',
    );
  }
  const entry = toEntry(cache, {
    subject: stored.subject,
    seq: stored.seq,
    time: stored.time,
    data: stored.data,
    operationHeader: stored.header?.get('KV-Operation'),
  });
  return { entry, json: renderEntryJson(entry, stored.data) };
}
