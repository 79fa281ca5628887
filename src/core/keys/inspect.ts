import {
  NONZERO_TRAILING_BITS,
  NOT_BASE32,
  SEED_BYTES,
  base32Value,
  decodeBase32Into,
  findInvalidCharacter,
  hasValidChecksum,
  seedKindByte,
} from './codec';
import { derivePublicKey } from './derive';
import { KEY_KINDS, PUBLIC_KEY_LENGTH, SEED_LENGTH, keyKindByPrefixValue, keyKindInfo, type KeyKind, type KeyKindInfo } from './kinds';

export type KeyProblem =
  | 'empty'
  | 'whitespace'
  | 'lowercase'
  | 'alphabet'
  | 'length'
  | 'checksum'
  | 'prefix'
  | 'public-key-as-seed'
  | 'seed-as-public-key'
  | 'wrong-kind'
  | 'assignment'
  | 'jwt';

export type KeyType = 'seed' | 'public';

export interface KeyExpectation {
  type?: KeyType;
  kind?: KeyKind;
}

export interface KeyInspection {
  /** Seed or public key as read from the prefix, even when the key is invalid, or `unknown` when the prefix is no nkey prefix. */
  type: KeyType | 'unknown';
  /** Kind as read from the prefix, even when the key is invalid. */
  kind?: KeyKind;
  /** Whether the key decodes, passes its checksum and matches the expectation. */
  valid: boolean;
  problem?: KeyProblem;
  /** One sentence that names the problem and the fix. It never contains the key text. */
  reason?: string;
  /**
   * The public key of a seed that decodes and passes its checksum, also when it
   * is of the wrong kind or given where a public key is expected. It is derived
   * on first read and memoized, because a derivation costs milliseconds.
   */
  publicKey?: string;
}

// The decoded bytes are only compared, so one buffer serves every call. Seed
// bytes are zeroed again before inspectKey returns.
const scratch = new Uint8Array(SEED_BYTES);

const CHARACTER_CODE_S = 83;

/**
 * Checks that `text` is a well-formed nkey: alphabet, prefix, length,
 * checksum, and then the expected type and kind. Decoding is table driven
 * and derives no public key until `publicKey` is read, so the linter can call
 * this for every key of a file on each keystroke.
 */
export function inspectKey(text: string, expected?: KeyExpectation): KeyInspection {
  if (text.length === 0) {
    return invalid('unknown', undefined, 'empty', emptyReason(expected));
  }

  const shape = readPrefix(text);
  const info = shape.info;
  const expectedLength = shape.type === 'seed' ? SEED_LENGTH : PUBLIC_KEY_LENGTH;
  if (shape.type === 'unknown' || info === undefined || text.length !== expectedLength) {
    return inspectMalformed(text, shape.type, info);
  }
  const type = shape.type;

  const encodingProblem = checkEncoding(text, type, info);
  if (encodingProblem !== undefined) {
    return encodingProblem;
  }

  const mismatch = checkExpectation(type, info, expected);
  if (type === 'public') {
    return mismatch ?? { type, kind: info.kind, valid: true };
  }
  if (mismatch !== undefined) {
    return withPublicKey(mismatch, text);
  }
  // A literal getter is much cheaper than Object.defineProperty or a spread.
  let publicKey: string | undefined;
  return {
    type,
    kind: info.kind,
    valid: true,
    get publicKey(): string {
      publicKey ??= derivePublicKey(text);
      return publicKey;
    },
  };
}

/** Names a key for messages, such as "cluster seed" or "account public key". */
export function keyLabel(type: KeyType, kind: KeyKind): string {
  return type === 'seed' ? `${kind} seed` : `${kind} public key`;
}

function invalid(type: KeyInspection['type'], kind: KeyKind | undefined, problem: KeyProblem, reason: string): KeyInspection {
  const inspection: KeyInspection = { type, valid: false, problem, reason };
  if (kind !== undefined) {
    inspection.kind = kind;
  }
  return inspection;
}

function readPrefix(text: string): { type: KeyInspection['type']; info?: KeyKindInfo } {
  if (text.charCodeAt(0) === CHARACTER_CODE_S) {
    const info = text.length > 1 ? keyKindByPrefixValue(base32Value(text.charCodeAt(1))) : undefined;
    return { type: 'seed', info };
  }
  const info = keyKindByPrefixValue(base32Value(text.charCodeAt(0)));
  return info === undefined ? { type: 'unknown' } : { type: 'public', info };
}

/**
 * Decodes into the scratch buffer and checks the alphabet, trailing bits,
 * checksum and the exact prefix byte. Returns the failed inspection, or
 * undefined when the key is well formed.
 */
function checkEncoding(text: string, type: KeyType, info: KeyKindInfo): KeyInspection | undefined {
  try {
    const written = decodeBase32Into(text, scratch);
    if (written === NOT_BASE32) {
      return inspectCharacters(text);
    }
    if (written === NONZERO_TRAILING_BITS) {
      const reason = `This ${keyLabel(type, info.kind)} ends in a character that no nkey encoder writes there, so a character was changed or mistyped and the key must be copied again from its source.`;
      return invalid(type, info.kind, 'checksum', reason);
    }
    if (!hasValidChecksum(scratch, written)) {
      const reason = `This ${keyLabel(type, info.kind)} fails its checksum because a character was changed or mistyped, so copy the key again from its source.`;
      return invalid(type, info.kind, 'checksum', reason);
    }
    // The letters fix the top five bits of the prefix byte. The low three bits
    // must be zero too, which only a hand-made key gets wrong.
    const prefixByte = type === 'seed' ? seedKindByte(scratch) : scratch[0];
    if (prefixByte !== info.prefixByte) {
      const reason = `This ${keyLabel(type, info.kind)} has a prefix byte that no nkey tool writes, so generate a new ${info.kind} key.`;
      return invalid(type, info.kind, 'prefix', reason);
    }
    return undefined;
  } finally {
    if (type === 'seed') {
      scratch.fill(0);
    }
  }
}

/** Explains a key with an unknown prefix or the wrong length. Only runs for invalid keys. */
function inspectMalformed(text: string, type: KeyInspection['type'], info: KeyKindInfo | undefined): KeyInspection {
  if (findInvalidCharacter(text) >= 0) {
    return inspectCharacters(text);
  }
  if (type === 'unknown' || info === undefined) {
    return invalid(type, undefined, 'prefix', prefixReason(text, type));
  }
  const expectedLength = type === 'seed' ? SEED_LENGTH : PUBLIC_KEY_LENGTH;
  const fix =
    text.length < expectedLength
      ? 'so part of it is missing and the whole key must be copied again'
      : 'so remove the extra characters or copy the key again';
  return invalid(type, info.kind, 'length', `This ${keyLabel(type, info.kind)} has ${text.length} characters instead of ${expectedLength}, ${fix}.`);
}

function checkExpectation(type: KeyType, info: KeyKindInfo, expected: KeyExpectation | undefined): KeyInspection | undefined {
  if (expected === undefined) {
    return undefined;
  }
  const expectedKind = expected.kind === undefined ? info : keyKindInfo(expected.kind);
  const sameKind = expectedKind.kind === info.kind;

  if (expected.type === 'seed' && type === 'public') {
    const fix = sameKind ? `the ${info.kind} seed (${info.seedPrefix}…) that belongs to it` : `${article(expectedKind.kind)} ${expectedKind.kind} seed (${expectedKind.seedPrefix}…)`;
    return invalid(
      type,
      info.kind,
      'public-key-as-seed',
      `This is ${article(info.kind)} ${info.kind} public key, but ${sameKind ? 'a seed' : `${article(expectedKind.kind)} ${expectedKind.kind} seed`} is needed here, so use ${fix}.`,
    );
  }
  if (expected.type === 'public' && type === 'seed') {
    const fix = sameKind ? `its public key (${info.publicPrefix}…)` : `${article(expectedKind.kind)} ${expectedKind.kind} public key (${expectedKind.publicPrefix}…)`;
    return invalid(
      type,
      info.kind,
      'seed-as-public-key',
      `This is ${article(info.kind)} ${info.kind} seed, which must stay secret, but ${sameKind ? 'a public key' : `${article(expectedKind.kind)} ${expectedKind.kind} public key`} is needed here, so use ${fix} instead.`,
    );
  }
  if (!sameKind) {
    const expectedLabel = keyLabel(type, expectedKind.kind);
    const expectedPrefix = type === 'seed' ? expectedKind.seedPrefix : expectedKind.publicPrefix;
    return invalid(
      type,
      info.kind,
      'wrong-kind',
      `This is ${article(info.kind)} ${keyLabel(type, info.kind)}, but ${article(expectedKind.kind)} ${expectedLabel} is needed here, so use ${article(expectedKind.kind)} ${expectedLabel} (${expectedPrefix}…).`,
    );
  }
  return undefined;
}

/** Copies an inspection of a well-formed seed and adds `publicKey` as a getter that derives on first read. */
function withPublicKey(inspection: KeyInspection, seed: string): KeyInspection {
  let publicKey: string | undefined;
  return {
    ...inspection,
    get publicKey(): string {
      publicKey ??= derivePublicKey(seed);
      return publicKey;
    },
  };
}

/**
 * Explains the first character outside the alphabet, after the mistakes that
 * have a reason of their own: a pasted `NAME=` prefix and a JWT. Only runs
 * for invalid keys.
 */
function inspectCharacters(text: string): KeyInspection {
  const assignment = ASSIGNMENT_PREFIX.exec(text);
  const value = assignment === null ? '' : text.slice(assignment[0].length).trim();
  // Nothing after '=' is more likely base32 padding than a .env line.
  if (assignment !== null && value !== '') {
    const shape = readPrefix(value.replace(/^["'`]/, ''));
    // A name made only of nkey characters could be part of a key followed by
    // '=', and a longer run of them inside a name could be a pasted key, so
    // only a name with other characters and no such run is quoted.
    const name = assignment[1];
    const quotable = /[^A-Z2-7]/.test(name) && !/[A-Z2-7]{16}/.test(name) && name.length <= 64;
    const reason = quotable
      ? `The text starts with '${name}=', the variable name of a .env line, so pass only the value after '='.`
      : "The text starts with a variable name and '=', as in a .env line, so pass only the value after '='.";
    return invalid(shape.type, shape.info?.kind, 'assignment', reason);
  }
  if (JWT_SHAPE.test(text.trim())) {
    return invalid(
      'unknown',
      undefined,
      'jwt',
      `This is a JWT (it starts with 'eyJ' and has three parts separated by dots), not an nkey. Give a public key (${PUBLIC_KEY_LENGTH} characters) or a seed (${SEED_LENGTH} characters starting with S) instead.`,
    );
  }

  const invalidAt = findInvalidCharacter(text);
  const shape = readPrefix(text.trim().toUpperCase());
  const type = shape.type;
  const kind = shape.info?.kind;

  const whitespaceAt = text.search(/\s/);
  if (whitespaceAt >= 0) {
    return invalid(type, kind, 'whitespace', whitespaceReason(text, whitespaceAt));
  }
  if (findInvalidCharacter(text.toUpperCase()) < 0) {
    return invalid(type, kind, 'lowercase', 'The key contains lower-case letters, but nkeys are upper case, so convert it to upper case.');
  }

  const first = text[0];
  if ((first === '"' || first === "'" || first === '`') && text.length > 1 && text[text.length - 1] === first) {
    return invalid(type, kind, 'alphabet', 'The key is wrapped in quotation marks, so remove them.');
  }
  const codePoint = text.codePointAt(invalidAt) ?? 0;
  const character = describeCharacter(codePoint);
  const lookalike = latinLookalike(codePoint);
  if (lookalike !== undefined) {
    return invalid(
      type,
      kind,
      'alphabet',
      `Character ${invalidAt + 1} is ${character} (${lookalike.script}), which looks like the Latin letter '${lookalike.latin}' but is a different character, so type it again or copy the key again from its source.`,
    );
  }
  return invalid(
    type,
    kind,
    'alphabet',
    `Character ${invalidAt + 1} is ${character}, which is not in the nkey alphabet (A to Z and 2 to 7), so copy the key again from its source.`,
  );
}

/** `NAME=` or `export NAME =` at the start of a pasted `.env` line. */
const ASSIGNMENT_PREFIX = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=/;

/** A JSON Web Token: base64url header `{"…`, payload and signature. */
const JWT_SHAPE = /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;

/**
 * Cyrillic and Greek letters that look like Latin capitals or lower-case
 * letters, by code point. Fullwidth and mathematical letters are found with
 * NFKC normalization instead.
 */
const LOOKALIKES = new Map<number, { latin: string; script: string }>([
  ...[...'АВЕКМНОРСТХ'].map((letter, index): [number, { latin: string; script: string }] => [letter.codePointAt(0) ?? 0, { latin: 'ABEKMHOPCTX'[index], script: 'Cyrillic' }]),
  ...[...'ЅІЈԚԜ'].map((letter, index): [number, { latin: string; script: string }] => [letter.codePointAt(0) ?? 0, { latin: 'SIJQW'[index], script: 'Cyrillic' }]),
  ...[...'аеорсухѕіј'].map((letter, index): [number, { latin: string; script: string }] => [letter.codePointAt(0) ?? 0, { latin: 'aeopcyxsij'[index], script: 'Cyrillic' }]),
  ...[...'ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ'].map((letter, index): [number, { latin: string; script: string }] => [letter.codePointAt(0) ?? 0, { latin: 'ABEZHIKMNOPTYX'[index], script: 'Greek' }]),
]);

/** Returns the Latin letter or digit that a non-ASCII character looks like, with its script, or undefined. */
function latinLookalike(codePoint: number): { latin: string; script: string } | undefined {
  const known = LOOKALIKES.get(codePoint);
  if (known !== undefined) {
    return known;
  }
  if (codePoint < 0x80) {
    return undefined;
  }
  const normalized = String.fromCodePoint(codePoint).normalize('NFKC');
  return /^[A-Za-z0-9]$/.test(normalized) ? { latin: normalized, script: codePoint >= 0xff00 && codePoint <= 0xffef ? 'fullwidth' : 'a compatibility form' } : undefined;
}

function whitespaceReason(text: string, index: number): string {
  if (text.trim().length === 0) {
    return 'The value contains only whitespace, so enter the key itself.';
  }
  const whitespaceName = describeWhitespace(text[index]);
  if (index === 0) {
    return `The key starts with ${whitespaceName}, so remove it.`;
  }
  const lastIndex = text.search(/\s+$/);
  if (lastIndex === index) {
    return `The key ends with ${whitespaceName}, so remove it.`;
  }
  return `The key contains ${whitespaceName} at character ${index + 1}, so remove it.`;
}

function describeWhitespace(character: string): string {
  switch (character) {
    case '\n':
    case '\r':
      return 'a line break';
    case '\t':
      return 'a tab';
    case ' ':
      return 'a space';
    default:
      return `an invisible space character (${codePointName(character.codePointAt(0) ?? 0)})`;
  }
}

function describeCharacter(codePoint: number): string {
  if (codePoint >= 0x21 && codePoint <= 0x7e) {
    return `'${String.fromCodePoint(codePoint)}'`;
  }
  return codePointName(codePoint);
}

function codePointName(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}

function prefixReason(text: string, type: KeyInspection['type']): string {
  if (type === 'seed') {
    if (text.length === 1) {
      return `The key is only 'S', so copy the whole seed (${SEED_LENGTH} characters).`;
    }
    const seedPrefixes = KEY_KINDS.map((info) => info.seedPrefix).join(', ');
    return `The seed's second character '${text[1]}' names no key kind, so enter a seed that starts with one of ${seedPrefixes}.`;
  }
  if (text[0] === 'P') {
    return "The key starts with 'P', which marks an nkey private key, so use the seed (S…) it was made from instead.";
  }
  const publicPrefixes = KEY_KINDS.map((info) => info.publicPrefix).join(', ');
  return `The key starts with '${text[0]}', which is no nkey prefix, so enter a public key that starts with one of ${publicPrefixes} or a seed that starts with S.`;
}

function emptyReason(expected: KeyExpectation | undefined): string {
  if (expected?.kind !== undefined) {
    const info = keyKindInfo(expected.kind);
    if (expected.type === 'public') {
      return `The key is empty, so enter ${article(info.kind)} ${info.kind} public key (${PUBLIC_KEY_LENGTH} characters starting with ${info.publicPrefix}).`;
    }
    if (expected.type === 'seed') {
      return `The key is empty, so enter ${article(info.kind)} ${info.kind} seed (${SEED_LENGTH} characters starting with ${info.seedPrefix}).`;
    }
  }
  if (expected?.type === 'public') {
    return `The key is empty, so enter a public key (${PUBLIC_KEY_LENGTH} characters).`;
  }
  if (expected?.type === 'seed') {
    return `The key is empty, so enter a seed (${SEED_LENGTH} characters starting with S).`;
  }
  return `The key is empty, so enter a public key (${PUBLIC_KEY_LENGTH} characters) or a seed (${SEED_LENGTH} characters starting with S).`;
}

function article(kind: KeyKind): string {
  return kind === 'account' || kind === 'operator' ? 'an' : 'a';
}
