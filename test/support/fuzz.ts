/**
 * Seeded input generation for the fuzz suites: a small PRNG, valid host
 * `.env` files with marked positions, byte-level mutations of them, and the
 * text VS Code would show for a file's bytes. Everything is a pure function
 * of the seed, so a failing input can be generated again from the seed and
 * case number that the suite prints.
 */
import { fromSeed } from '@nats-io/nkeys';

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** sfc32, seeded through splitmix32; fast and good enough to spread inputs. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream = 0) {
    let state = (seed ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
    const next = (): number => {
      state = (state + 0x9e3779b9) >>> 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) {
      this.nextUint32();
    }
  }

  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Returns a float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Returns an integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Returns an integer in [min, max]. */
  range(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      out[i] = this.nextUint32() & 0xff;
    }
    return out;
  }
}

/** Reads a 32-bit seed from `WCL_FUZZ_SEED` (decimal or 0x hex), or returns a random one when it is unset. */
export function fuzzSeedFromEnv(name = 'WCL_FUZZ_SEED'): number {
  const text = process.env[name];
  if (text !== undefined && text.trim() !== '') {
    const value = Number(text.trim());
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
      throw new Error(`${name} must be an integer from 0 to 4294967295, not '${text}'.`);
    }
    return value;
  }
  return Math.floor(Math.random() * 0x100000000);
}

/** Reads a positive integer from the environment variable `name`, or returns `fallback` when it is unset. */
export function positiveIntFromEnv(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text.trim() === '') {
    return fallback;
  }
  const value = Number(text.trim());
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name} must be a positive integer, not '${text}'.`);
  }
  return value;
}

// ---------------------------------------------------------------------------
// nkeys, encoded here from the format (base32 of prefix, 32 bytes and the
// little-endian CRC-16/XMODEM) and checked with @nats-io/nkeys.

function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let output = '';
  for (const byte of bytes) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      output += BASE32_ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) {
    output += BASE32_ALPHABET[(value << (5 - bits)) & 31];
  }
  return output;
}

function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
  }
  return crc;
}

/** nkey prefix letters and their prefix bytes. */
export const KEY_PREFIX_BYTES = { N: 13 << 3, C: 2 << 3, O: 14 << 3, A: 0, U: 20 << 3, M: 12 << 3, V: 21 << 3 } as const;
export type KeyLetter = keyof typeof KEY_PREFIX_BYTES;

/** Encodes a 58-character seed of the kind `letter` from 32 raw bytes. */
export function encodeSeedText(letter: KeyLetter, raw: Uint8Array): string {
  const kind = KEY_PREFIX_BYTES[letter];
  const body = new Uint8Array(36);
  body[0] = (18 << 3) | (kind >> 5);
  body[1] = (kind & 31) << 3;
  body.set(raw, 2);
  const checksum = crc16(body.subarray(0, 34));
  body[34] = checksum & 0xff;
  body[35] = checksum >> 8;
  return base32(body);
}

export interface FuzzKeyPair {
  letter: KeyLetter;
  seed: string;
  publicKey: string;
}

const encoder = new TextEncoder();

/** Derives a key pair with @nats-io/nkeys (the reference) from seeded bytes. */
export function seededKeyPair(rng: Rng, letter: Exclude<KeyLetter, 'M' | 'V'>): FuzzKeyPair {
  const seed = encodeSeedText(letter, rng.bytes(32));
  const publicKey = fromSeed(encoder.encode(seed)).getPublicKey();
  return { letter, seed, publicKey };
}

/** Signs a NATS user JWT for `user` with `account`, deterministically (ed25519). */
export function seededUserJwt(account: FuzzKeyPair, user: FuzzKeyPair, expires?: number): string {
  const header = Buffer.from(JSON.stringify({ typ: 'JWT', alg: 'ed25519-nkey' })).toString('base64url');
  const claims: Record<string, unknown> = { jti: 'FUZZ', iat: 1_700_000_000, iss: account.publicKey, name: 'fuzz', sub: user.publicKey, nats: { type: 'user', version: 2 } };
  if (expires !== undefined) {
    claims.exp = expires;
  }
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = Buffer.from(fromSeed(encoder.encode(account.seed)).sign(encoder.encode(`${header}.${body}`))).toString('base64url');
  return `${header}.${body}.${signature}`;
}

/** Keys made once per run, so inputs do not pay for key derivation. */
export interface KeyPool {
  clusters: FuzzKeyPair[];
  users: FuzzKeyPair[];
  servers: FuzzKeyPair[];
  accounts: FuzzKeyPair[];
  operators: FuzzKeyPair[];
  jwts: string[];
  /** Creds file texts by file name, valid and broken, for the environment rules. */
  credsFiles: Map<string, string>;
}

export function makeKeyPool(seed: number): KeyPool {
  const rng = new Rng(seed, 0x6b657973);
  const many = (letter: Exclude<KeyLetter, 'M' | 'V'>, count: number): FuzzKeyPair[] => Array.from({ length: count }, () => seededKeyPair(rng, letter));
  const clusters = many('C', 6);
  const users = many('U', 4);
  const servers = many('N', 2);
  const accounts = many('A', 2);
  const operators = many('O', 1);
  const jwts = users.map((user, index) => seededUserJwt(accounts[index % accounts.length], user, index === 3 ? 1_600_000_000 : undefined));
  const creds = (jwt: string, seed: string, eol = '\n'): string =>
    ['-----BEGIN NATS USER JWT-----', jwt, '------END NATS USER JWT------', '', '-----BEGIN USER NKEY SEED-----', seed, '------END USER NKEY SEED------', ''].join(eol);
  const credsFiles = new Map<string, string>([
    ['good.creds', creds(jwts[0], users[0].seed)],
    ['crlf.creds', creds(jwts[1], users[1].seed, '\r\n')],
    ['mismatch.creds', creds(jwts[0], users[1].seed)],
    ['expired.creds', creds(jwts[3], users[3].seed)],
    ['empty.creds', ''],
    ['garbage.creds', '\u0000\u00ff-----BEGIN NATS USER JWT-----\n\n------END'],
  ]);
  return { clusters, users, servers, accounts, operators, jwts, credsFiles };
}

// ---------------------------------------------------------------------------
// Valid host files with marked positions.

/** Where a position sits in a generated file; truncations and insertions pick a class first. */
export type PositionClass =
  | 'line-start'
  | 'key'
  | 'before-separator'
  | 'after-separator'
  | 'value'
  | 'quote-open'
  | 'quote-close'
  | 'seed'
  | 'issuer-comma'
  | 'comment'
  | 'line-end'
  | 'inside-crlf'
  | 'multibyte'
  | 'end';

export const POSITION_CLASSES: readonly PositionClass[] = [
  'line-start',
  'key',
  'before-separator',
  'after-separator',
  'value',
  'quote-open',
  'quote-close',
  'seed',
  'issuer-comma',
  'comment',
  'line-end',
  'inside-crlf',
  'multibyte',
  'end',
];

export interface HostFile {
  text: string;
  /** Offsets (UTF-16) by class. */
  positions: Map<PositionClass, number[]>;
}

/**
 * Marks the positions of each class in a `.env` text, line by line, so
 * mutations of any host file (generated here or by host-files.ts) can aim at
 * keys, separators, quotes, seeds and line ends.
 */
export function markPositions(text: string): Map<PositionClass, number[]> {
  const positions = new Map<PositionClass, number[]>();
  const mark = (kind: PositionClass, offset: number): void => {
    let list = positions.get(kind);
    if (list === undefined) {
      list = [];
      positions.set(kind, list);
    }
    list.push(offset);
  };
  const lineBreak = /\r\n|\r|\n/g;
  let lineStart = 0;
  for (;;) {
    const match = lineBreak.exec(text);
    const lineEnd = match === null ? text.length : match.index;
    const line = text.slice(lineStart, lineEnd);
    mark('line-start', lineStart);
    if (/^\s*#/.test(line)) {
      mark('comment', lineStart + Math.floor(line.length / 2));
    }
    const assignment = /^(\s*(?:export\s+)?)([\w.-]+)(\s*(?:=|:\s))(\s*)/.exec(line);
    if (assignment !== null) {
      const keyStart = lineStart + assignment[1].length;
      const separator = keyStart + assignment[2].length;
      const valueStart = separator + assignment[3].length + assignment[4].length;
      mark('key', keyStart + Math.floor(assignment[2].length / 2));
      mark('before-separator', separator);
      mark('after-separator', separator + assignment[3].length);
      const value = line.slice(valueStart - lineStart);
      if (value.length > 0) {
        mark('value', valueStart + Math.floor(value.length / 2));
      }
      if (/^["'`]/.test(value)) {
        mark('quote-open', valueStart);
        const close = value.lastIndexOf(value[0]);
        if (close > 0) {
          mark('quote-close', valueStart + close);
        }
      }
      if (assignment[2] === 'WASMCLOUD_CLUSTER_ISSUERS') {
        for (let comma = value.indexOf(','); comma >= 0; comma = value.indexOf(',', comma + 1)) {
          mark('issuer-comma', valueStart + comma);
        }
      }
      const hash = value.indexOf(' #');
      if (hash >= 0) {
        mark('comment', valueStart + hash + 2);
      }
    }
    for (const seed of line.matchAll(/S[A-Z2-7]{57}/g)) {
      mark('seed', lineStart + (seed.index ?? 0) + 29);
    }
    for (let index = 0; index < line.length; index++) {
      if (line.charCodeAt(index) > 0x7f) {
        mark('multibyte', lineStart + index);
      }
    }
    if (match === null) {
      break;
    }
    mark('line-end', lineEnd);
    if (match[0] === '\r\n') {
      mark('inside-crlf', lineEnd + 1);
    }
    lineStart = lineEnd + match[0].length;
  }
  mark('end', text.length);
  return positions;
}

const LATTICE_NAMES = ['default', 'prod-east', 'lattice_2', 'staging', 'a', 'default-staging', 'bad name', 'dot.name', 'ünïcode', ''];
const UNICODE_COMMENTS = ['café ✓', '𝄞 music', '日本語のコメント', 'emoji 🚀 key', 'tab\there'];

function issuersValue(rng: Rng, pool: KeyPool, seedKey: FuzzKeyPair | undefined): string {
  const keys = new Set<string>();
  if (seedKey !== undefined && rng.chance(0.8)) {
    keys.add(seedKey.publicKey);
  }
  for (let count = rng.int(3); count > 0; count--) {
    keys.add(rng.pick(pool.clusters).publicKey);
  }
  const parts = [...keys];
  if (rng.chance(0.1)) {
    parts.push(rng.pick(pool.users).publicKey);
  }
  if (rng.chance(0.05)) {
    parts.push(rng.pick(pool.clusters).seed);
  }
  if (rng.chance(0.1) && parts.length > 0) {
    parts.push(parts[0]);
  }
  if (rng.chance(0.1)) {
    parts.push('');
  }
  const separator = rng.chance(0.15) ? rng.pick([', ', ' ,', ' , ']) : ',';
  return parts.join(separator);
}

function seedValue(rng: Rng, pool: KeyPool, letter: 'C' | 'N' | 'U'): { value: string; key?: FuzzKeyPair } {
  const own = letter === 'C' ? pool.clusters : letter === 'U' ? pool.users : pool.servers;
  const roll = rng.int(12);
  if (roll < 7) {
    const key = rng.pick(own);
    return { value: key.seed, key };
  }
  switch (roll) {
    case 7:
      return { value: rng.pick(own).publicKey };
    case 8:
      return { value: rng.pick(pool.accounts).seed };
    case 9:
      return { value: rng.pick(own).seed.slice(0, 57) };
    case 10:
      // The example seed on wasmCloud's lattice provisioning page.
      return { value: 'SCABNLVRXGEJEG5FBBPMMKMMY37FNKVLDY6YXHVL6WA4IRBEYD6ACIQKV4' };
    default: {
      const seed = rng.pick(own).seed;
      const index = 2 + rng.int(56);
      return { value: `${seed.slice(0, index)}${BASE32_ALPHABET[(BASE32_ALPHABET.indexOf(seed[index]) + 1) % 32]}${seed.slice(index + 1)}` };
    }
  }
}

type Assignment = { key: string; value: string };

function hostAssignments(rng: Rng, pool: KeyPool): Assignment[] {
  const list: Assignment[] = [];
  const latticeKey = rng.pick(['WASMCLOUD_LATTICE_PREFIX', 'WASMCLOUD_LATTICE', 'WASMCLOUD_LATTICE_PREFIX']);
  list.push({ key: latticeKey, value: rng.pick(LATTICE_NAMES) });
  const clusterSeed = rng.chance(0.85) ? seedValue(rng, pool, 'C') : undefined;
  if (clusterSeed !== undefined) {
    list.push({ key: 'WASMCLOUD_CLUSTER_SEED', value: clusterSeed.value });
  }
  if (rng.chance(0.85)) {
    list.push({ key: 'WASMCLOUD_CLUSTER_ISSUERS', value: issuersValue(rng, pool, clusterSeed?.key) });
  }
  if (rng.chance(0.3)) {
    list.push({ key: 'WASMCLOUD_HOST_SEED', value: seedValue(rng, pool, 'N').value });
  }
  for (const prefix of ['WASMCLOUD_RPC', 'WASMCLOUD_CTL', 'WASMCLOUD_PROV_RPC']) {
    if (rng.chance(0.35)) {
      list.push({ key: `${prefix}_HOST`, value: rng.pick(['127.0.0.1', 'nats.internal', '']) });
    }
    if (rng.chance(0.35)) {
      list.push({ key: `${prefix}_PORT`, value: rng.pick(['4222', '0', '65536', 'abc', '-1', '4222 ', '1']) });
    }
    const credential = rng.int(5);
    if (credential === 1 || credential === 2) {
      list.push({ key: `${prefix}_JWT`, value: rng.pick(pool.jwts) });
    }
    if (credential === 1 || credential === 3) {
      list.push({ key: `${prefix}_SEED`, value: seedValue(rng, pool, 'U').value });
    }
    if (credential === 4) {
      list.push({ key: `${prefix}_CREDS`, value: rng.pick([...pool.credsFiles.keys(), 'missing.creds', '~/none.creds', '../up.creds']) });
    }
  }
  if (rng.chance(0.3)) {
    list.push({ key: 'WASMCLOUD_RPC_TIMEOUT_MS', value: rng.pick(['2000', '0', '-5', '1.5', 'soon']) });
  }
  if (rng.chance(0.3)) {
    list.push({ key: 'WASMCLOUD_STRUCTURED_LOGGING_ENABLED', value: rng.pick(['true', 'false', '1', '0', 'yes', 'TRUE']) });
  }
  if (rng.chance(0.2)) {
    list.push({ key: rng.pick(['WASMCLOUD_NATS_CREDS', 'WASMCOULD_NATS_SEED', 'WASMCLOUD_LATICE', 'WASMCLOUD_JS_DOMAIN', 'OTHER_VAR', 'WASMCLOUD_OCI_ALLOW_LATEST']), value: 'x' });
  }
  if (rng.chance(0.15) && list.length > 0) {
    const repeated = rng.pick(list);
    list.push({ ...repeated });
  }
  // Shuffle so rules see variables in every order.
  for (let i = list.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}

/** Generates a host `.env` file in one of the many shapes people write: quotes, `export`, `KEY: value`, CRLF, comments and Unicode. */
export function generateHostFile(rng: Rng, pool: KeyPool): HostFile {
  const eol = rng.chance(0.25) ? '\r\n' : '\n';
  const lines: string[] = [];
  if (rng.chance(0.3)) {
    lines.push(`# ${rng.pick(UNICODE_COMMENTS)}`);
  }
  for (const assignment of hostAssignments(rng, pool)) {
    if (rng.chance(0.1)) {
      lines.push('');
    }
    if (rng.chance(0.05)) {
      lines.push(`# wasmcloud-lattice-disable-next-line ${rng.pick(['', 'issuers-duplicate', 'seed-malformed, variable-unknown'])}`);
    }
    const quote = rng.pick(['', '', '', '"', "'", '`']);
    const comment = rng.chance(0.15) ? ` # ${rng.pick(UNICODE_COMMENTS)}` : '';
    lines.push(`${rng.chance(0.1) ? 'export ' : ''}${assignment.key}${rng.pick(['=', '=', '=', ' = ', '= ', ': '])}${quote}${assignment.value}${quote}${comment}`);
  }
  const text = lines.join(eol) + (rng.chance(0.8) ? eol : '');
  return { text, positions: markPositions(text) };
}

/** Wraps a text from elsewhere, such as test/support/host-files.ts, with its marked positions. */
export function hostFileOf(text: string): HostFile {
  return { text, positions: markPositions(text) };
}

// ---------------------------------------------------------------------------
// Byte-level mutations.

const INSERTED_PIECES: readonly (string | number[])[] = [
  '"',
  "'",
  '`',
  '#',
  '=',
  '\r',
  '\n',
  '\r\n',
  '\u0000',
  '\\',
  ' ',
  ':',
  'export ',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\t',
  ',',
  '${A}',
  [0xc3],
  [0xff],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xe2, 0x82],
];

/** One named mutation applied to the bytes; names go into failure reports. */
export interface Mutation {
  name: string;
  apply(bytes: Uint8Array): Uint8Array;
}

function pieceBytes(piece: string | number[]): Uint8Array {
  return typeof piece === 'string' ? encoder.encode(piece) : Uint8Array.from(piece);
}

function splice(bytes: Uint8Array, at: number, remove: number, insert: Uint8Array): Uint8Array {
  const start = Math.max(0, Math.min(at, bytes.length));
  const end = Math.min(bytes.length, start + remove);
  const out = new Uint8Array(bytes.length - (end - start) + insert.length);
  out.set(bytes.subarray(0, start), 0);
  out.set(insert, start);
  out.set(bytes.subarray(end), start + insert.length);
  return out;
}

/** Converts a UTF-16 offset in `text` to a UTF-8 byte offset. */
function byteOffset(text: string, offset: number): number {
  return Buffer.byteLength(text.slice(0, offset), 'utf8');
}

/** Picks a byte position of class `kind` (falling back to any position). */
function positionOf(rng: Rng, file: HostFile, kind: PositionClass, length: number): number {
  const offsets = file.positions.get(kind);
  if (offsets === undefined || offsets.length === 0) {
    return rng.int(length + 1);
  }
  return byteOffset(file.text, rng.pick(offsets));
}

/** Builds 1 to 8 random mutations for a generated file. */
export function randomMutations(rng: Rng, file: HostFile): Mutation[] {
  const mutations: Mutation[] = [];
  let count = 1;
  while (count < 8 && rng.chance(0.45)) {
    count++;
  }
  for (let i = 0; i < count; i++) {
    const kind = rng.pick(POSITION_CLASSES);
    const roll = rng.int(100);
    if (roll < 22) {
      const bit = rng.int(8);
      const where = rng.next();
      mutations.push({
        name: `flip bit ${bit} at ${where.toFixed(3)}`,
        apply: (bytes) => {
          if (bytes.length === 0) {
            return bytes;
          }
          const out = Uint8Array.from(bytes);
          out[Math.floor(where * bytes.length)] ^= 1 << bit;
          return out;
        },
      });
    } else if (roll < 37) {
      const at = positionOf(rng, file, kind, encoder.encode(file.text).length);
      mutations.push({ name: `truncate at ${kind} (${at})`, apply: (bytes) => bytes.subarray(0, Math.min(at, bytes.length)) });
    } else if (roll < 72) {
      const piece = rng.pick(INSERTED_PIECES);
      const times = rng.chance(0.15) ? rng.range(2, 40) : 1;
      const at = positionOf(rng, file, kind, encoder.encode(file.text).length);
      const insert = pieceBytes(piece);
      const repeated = new Uint8Array(insert.length * times);
      for (let t = 0; t < times; t++) {
        repeated.set(insert, t * insert.length);
      }
      mutations.push({ name: `insert ${JSON.stringify(piece)} x${times} at ${kind} (${at})`, apply: (bytes) => splice(bytes, at, 0, repeated) });
    } else if (roll < 80) {
      const at = positionOf(rng, file, kind, encoder.encode(file.text).length);
      const remove = rng.range(1, 12);
      mutations.push({ name: `delete ${remove} at ${kind} (${at})`, apply: (bytes) => splice(bytes, at, remove, new Uint8Array(0)) });
    } else if (roll < 88) {
      const where = rng.next();
      mutations.push({
        name: `duplicate line at ${where.toFixed(3)}`,
        apply: (bytes) => {
          const at = Math.floor(where * bytes.length);
          let start = at;
          while (start > 0 && bytes[start - 1] !== 10) {
            start--;
          }
          let end = at;
          while (end < bytes.length && bytes[end] !== 10) {
            end++;
          }
          return splice(bytes, end, 0, Uint8Array.from([10, ...bytes.subarray(start, end)]));
        },
      });
    } else if (roll < 93) {
      const piece = rng.pick(['A', '"', "'", '#', '=', '\\', ' ', 'S', ',']);
      const length = rng.chance(0.1) ? rng.range(20_000, 120_000) : rng.range(500, 5_000);
      const at = positionOf(rng, file, kind, encoder.encode(file.text).length);
      mutations.push({ name: `long run of ${JSON.stringify(piece)} x${length} at ${kind} (${at})`, apply: (bytes) => splice(bytes, at, 0, encoder.encode(piece.repeat(length))) });
    } else {
      const at = positionOf(rng, file, kind, encoder.encode(file.text).length);
      const noise = rng.bytes(rng.range(1, 24));
      mutations.push({ name: `insert ${noise.length} random bytes at ${kind} (${at})`, apply: (bytes) => splice(bytes, at, 0, noise) });
    }
  }
  return mutations;
}

// ---------------------------------------------------------------------------
// Random bytes.

const STRUCTURAL = encoder.encode('=#"\'`\\:,. \t\r\n\n\nexport WASMCLOUD_CLUSTER_SEED_ISSUERS_LATTICE_PREFIX SC ');

/** Random bytes: uniform, or biased towards the characters the parser branches on, NULs and bytes that are invalid UTF-8. */
export function randomBytes(rng: Rng): Uint8Array {
  const length = rng.chance(0.05) ? rng.range(2_000, 20_000) : rng.int(600);
  if (rng.chance(0.35)) {
    return rng.bytes(length);
  }
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const roll = rng.int(20);
    out[i] = roll < 15 ? STRUCTURAL[rng.int(STRUCTURAL.length)] : roll < 16 ? 0 : roll < 18 ? 0x80 + rng.int(0x80) : 0x20 + rng.int(0x5f);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Text as VS Code shows it.

/**
 * Decodes file bytes as VS Code opens a file with default settings: a UTF-16
 * BOM selects UTF-16, otherwise UTF-8 with U+FFFD for invalid sequences and
 * the UTF-8 BOM removed. Then, as VS Code's text buffer does, mixed line ends
 * are normalized to the dominant one: CRLF when more than half of the line
 * breaks contain a CR, else LF (the default EOL on Linux).
 */
export function decodeAsVsCode(bytes: Uint8Array): string {
  let text: string;
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    text = new TextDecoder('utf-16le').decode(bytes.subarray(2));
  } else if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    text = new TextDecoder('utf-16be').decode(bytes.subarray(2));
  } else {
    text = new TextDecoder('utf-8').decode(bytes);
  }
  return normalizeEol(text);
}

/** VS Code's line-end normalization of a text buffer (PieceTreeTextBufferFactory). */
export function normalizeEol(text: string): string {
  let cr = 0;
  let lf = 0;
  let crlf = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 13) {
      if (text.charCodeAt(i + 1) === 10) {
        crlf++;
        i++;
      } else {
        cr++;
      }
    } else if (code === 10) {
      lf++;
    }
  }
  const total = cr + lf + crlf;
  if (total === 0) {
    return text;
  }
  const eol = cr + crlf > total / 2 ? '\r\n' : '\n';
  const mixed = eol === '\r\n' ? cr > 0 || lf > 0 : cr > 0 || crlf > 0;
  return mixed ? text.replace(/\r\n|\r|\n/g, eol) : text;
}

/**
 * Line starts and lengths of a text, with lines ending at CRLF, LF or CR as
 * in VS Code's text model, for checking ranges.
 */
export class DocumentLines {
  readonly starts: number[] = [0];
  /** Length of each line without its line break. */
  readonly lengths: number[] = [];

  constructor(readonly text: string) {
    let lineStart = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === 10 || code === 13) {
        this.lengths.push(i - lineStart);
        if (code === 13 && text.charCodeAt(i + 1) === 10) {
          i++;
        }
        lineStart = i + 1;
        this.starts.push(lineStart);
      }
    }
    this.lengths.push(text.length - lineStart);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** The position of an offset as VS Code's `positionAt` returns it (a column inside a CRLF is clamped to the line end). */
  positionAt(offset: number): [number, number] {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.starts[middle] <= offset) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    return [low, Math.min(offset - this.starts[low], this.lengths[low])];
  }
}
