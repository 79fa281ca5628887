import type { CacheKind } from './cache-streams';
import { displayText } from './display-text';
import { formatBytes, shortKey } from './format';

/**
 * Entries larger than this are not parsed: a lattice cache entry is a few
 * hundred bytes, so a megabyte means something else wrote to the subject.
 */
export const MAX_DECODE_BYTES = 1024 * 1024;

/** Kind of a decoded entry value. */
export type ValueKind = 'claims' | 'linkdef' | 'refmap' | 'component' | 'config' | 'object' | 'json';

export type EntryDecoding =
  | {
      ok: true;
      valueKind: ValueKind;
      /** Tree label: the claims' name, a link's contract and link name, a refmap's OCI URL… */
      label: string;
      description?: string;
      /** Decoded fields shown in tooltips and the CLI, in display order. */
      fields: [string, string][];
    }
  | { ok: false; reason: string };

export type KvOperation = 'put' | 'delete' | 'purge';

/** Reads the `KV-Operation` header value of a KV bucket message. */
export function kvOperation(header: string | undefined): KvOperation {
  switch (header?.toUpperCase()) {
    case 'DEL':
      return 'delete';
    case 'PURGE':
      return 'purge';
    default:
      return 'put';
  }
}

function cannotDecode(reason: string): EntryDecoding {
  return { ok: false, reason: `cannot decode: ${reason}` };
}

type JsonObject = Record<string, unknown>;

type ParsedValue = { object: JsonObject } | { failure: EntryDecoding };

function parseJsonObject(data: Uint8Array): ParsedValue {
  const fail = (reason: string): ParsedValue => ({ failure: cannotDecode(reason) });
  if (data.length > MAX_DECODE_BYTES) {
    return fail(`the value is ${formatBytes(data.length)}, over the ${formatBytes(MAX_DECODE_BYTES)} decoding limit`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return fail('the value is not UTF-8 text');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail('the value is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(`expected a JSON object, found ${Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`}`);
  }
  return { object: value as JsonObject };
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') {
    return value;
  }
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

function fieldList(entries: [string, unknown][]): [string, string][] {
  return entries.flatMap(([name, value]) => {
    const shown = text(value);
    return shown === undefined ? [] : [[name, shown] as [string, string]];
  });
}

// OTP hosts store claims with `sub` and `iss`; 1.x hosts use `subject` and `issuer`.
function decodeClaims(value: JsonObject): EntryDecoding {
  const name = text(value.name);
  const subject = text(value.sub) ?? text(value.subject);
  if (name === undefined && subject === undefined) {
    return cannotDecode('claims without a name or subject');
  }
  return {
    ok: true,
    valueKind: 'claims',
    label: name ?? subject ?? '',
    description: subject === undefined ? undefined : shortKey(subject),
    fields: fieldList([
      ['name', name],
      ['subject', subject],
      ['issuer', value.iss ?? value.issuer],
      ['version', value.version],
      ['revision', value.rev ?? value.revision],
      ['call alias', value.call_alias],
      ['capabilities', Array.isArray(value.caps) ? value.caps.join(',') : value.caps],
    ]),
  };
}

function decodeLinkDefinition(value: JsonObject): EntryDecoding {
  const actor = text(value.actor_id);
  const provider = text(value.provider_id);
  const contract = text(value.contract_id);
  const linkName = text(value.link_name) ?? 'default';
  const missing = [
    ['actor_id', actor],
    ['provider_id', provider],
    ['contract_id', contract],
  ]
    .filter(([, present]) => present === undefined)
    .map(([field]) => field);
  if (missing.length > 0) {
    return cannotDecode(`link definition without ${missing.join(', ')}`);
  }
  return {
    ok: true,
    valueKind: 'linkdef',
    label: `${contract} (${linkName})`,
    description: `${shortKey(actor ?? '')} → ${shortKey(provider ?? '')}`,
    fields: fieldList([
      ['actor', actor],
      ['provider', provider],
      ['contract', contract],
      ['link name', linkName],
      ['id', value.id],
    ]),
  };
}

function decodeRefmap(value: JsonObject): EntryDecoding {
  const ociUrl = text(value.oci_url);
  if (ociUrl === undefined) {
    return cannotDecode('OCI reference map without oci_url');
  }
  const publicKey = text(value.public_key);
  return {
    ok: true,
    valueKind: 'refmap',
    label: ociUrl,
    description: publicKey === undefined ? undefined : shortKey(publicKey),
    fields: fieldList([
      ['OCI URL', ociUrl],
      ['public key', publicKey],
    ]),
  };
}

function decodeComponent(key: string, value: JsonObject): EntryDecoding {
  const url = text(value.url) ?? text(value.image_ref);
  return {
    ok: true,
    valueKind: 'component',
    label: key,
    description: url,
    fields: fieldList([
      ['id', key],
      ['image', url],
    ]),
  };
}

function decodeGenericJson(key: string, value: JsonObject, valueKind: ValueKind): EntryDecoding {
  const count = Object.keys(value).length;
  return {
    ok: true,
    valueKind,
    label: key,
    description: `${count} ${count === 1 ? 'field' : 'fields'}`,
    fields: fieldList(Object.entries(value).slice(0, 20)),
  };
}

function decodeObjectInfo(value: JsonObject): EntryDecoding {
  const name = text(value.name);
  if (name === undefined) {
    return cannotDecode('object metadata without a name');
  }
  const size = typeof value.size === 'number' ? value.size : undefined;
  return {
    ok: true,
    valueKind: 'object',
    label: name,
    description: size === undefined ? undefined : formatBytes(size),
    fields: fieldList([
      ['name', name],
      ['size', size],
      ['chunks', value.chunks],
      ['digest', value.digest],
      ['deleted', value.deleted],
    ]),
  };
}

/** Location of an entry: the cache kind and the subject tokens after the stream's subject base. */
export interface EntryLocation {
  cacheKind: CacheKind;
  /** Subject tokens after the stream's subject base, e.g. `['claims', 'M…']` or `['CLAIMS_M…']`. */
  tokens: string[];
  subject: string;
}

// Longer field values (a capability list, a config value) stay readable in a tooltip.
const MAX_FIELD_LENGTH = 200;

/**
 * Makes a decoding safe to show: any host or client that can write to the
 * cache chose these texts, so control characters, bidi overrides and
 * seed-shaped strings are removed and the lengths capped (see `displayText`).
 */
function displayDecoding(decoding: EntryDecoding): EntryDecoding {
  if (!decoding.ok) {
    return { ok: false, reason: displayText(decoding.reason, MAX_FIELD_LENGTH) };
  }
  return {
    ...decoding,
    label: displayText(decoding.label),
    description: decoding.description === undefined ? undefined : displayText(decoding.description),
    fields: decoding.fields.map(([name, value]): [string, string] => [name, displayText(value, MAX_FIELD_LENGTH)]),
  };
}

/**
 * Decodes one cache entry from where it sits and its bytes, with every
 * text made safe to show (see `displayDecoding`). Returns a "cannot decode"
 * result, never throws, for non-JSON, oversized or unexpectedly placed
 * entries.
 */
export function decodeEntry(location: EntryLocation, data: Uint8Array, operation: KvOperation = 'put'): EntryDecoding {
  return displayDecoding(decodeEntryValue(location, data, operation));
}

function decodeEntryValue(location: EntryLocation, data: Uint8Array, operation: KvOperation): EntryDecoding {
  if (operation !== 'put') {
    return { ok: false, reason: operation === 'delete' ? 'deleted (KV delete marker)' : 'purged (KV purge marker)' };
  }
  const { cacheKind, tokens, subject } = location;

  if (cacheKind === 'latticecache') {
    const [group, ...rest] = tokens;
    const known = group === 'claims' || group === 'linkdefs' || group === 'refmap';
    if (!known || rest.length !== 1) {
      return cannotDecode(`unexpected subject ${subject}; lattice cache entries use lc.{prefix}.claims|linkdefs|refmap.{key}`);
    }
    const parsed = parseJsonObject(data);
    if ('failure' in parsed) {
      return parsed.failure;
    }
    if (group === 'claims') {
      return decodeClaims(parsed.object);
    }
    return group === 'linkdefs' ? decodeLinkDefinition(parsed.object) : decodeRefmap(parsed.object);
  }

  if (cacheKind === 'object-store') {
    if (tokens[0] !== 'M') {
      return cannotDecode(`${subject} is an object chunk, not object metadata`);
    }
    const parsed = parseJsonObject(data);
    return 'failure' in parsed ? parsed.failure : decodeObjectInfo(parsed.object);
  }

  // KV buckets: one token, the key.
  const key = tokens.join('.');
  if (key === '') {
    return cannotDecode(`unexpected subject ${subject} without a key`);
  }
  const parsed = parseJsonObject(data);
  if ('failure' in parsed) {
    return parsed.failure;
  }
  const object = parsed.object;
  if (cacheKind === 'kv-configdata') {
    return decodeGenericJson(key, object, 'config');
  }
  if (key.startsWith('CLAIMS_')) {
    return decodeClaims(object);
  }
  if (key.startsWith('LINKDEF_')) {
    return decodeLinkDefinition(object);
  }
  if (key.startsWith('REFMAP_')) {
    return decodeRefmap(object);
  }
  if (key.startsWith('COMPONENT_')) {
    return decodeComponent(key.slice('COMPONENT_'.length), object);
  }
  return decodeGenericJson(key, object, 'json');
}
