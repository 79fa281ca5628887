/**
 * The nkey text encoding, written to match `@nats-io/nkeys` 2.0.3 byte for byte
 * and extended to wasmCloud's module and service prefixes, which nkeys rejects.
 *
 * A public key is base32 (RFC 4648, upper case, no padding) of the prefix byte,
 * 32 key bytes and a CRC16 of those 33 bytes. A seed is the same with two prefix
 * bytes: the seed byte with the kind's byte spread across both so that the text
 * starts with `S` and the kind letter. The CRC16 is CCITT/XMODEM (polynomial
 * 0x1021, initial value 0) stored little-endian.
 *
 * The decoder is table driven and writes into a caller's buffer, because the
 * linter decodes every key of a host file on each keystroke.
 */
import { SEED_PREFIX_BYTE } from './kinds';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Base32 value of each ASCII code, or -1 for characters outside the alphabet. */
const DECODE_TABLE: Int8Array = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let value = 0; value < ALPHABET.length; value++) {
    table[ALPHABET.charCodeAt(value)] = value;
  }
  return table;
})();

const CRC16_TABLE: Uint16Array = (() => {
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
    table[byte] = crc;
  }
  return table;
})();

/** Number of raw bytes in a public key: prefix, key, checksum. */
export const PUBLIC_KEY_BYTES = 1 + 32 + 2;
/** Number of raw bytes in a seed: two prefix bytes, seed, checksum. */
export const SEED_BYTES = 2 + 32 + 2;

/** Returns the base32 value of the character code, or -1 when it is not in the nkey alphabet. */
export function base32Value(charCode: number): number {
  return charCode < 128 ? DECODE_TABLE[charCode] : -1;
}

/** Returns the index of the first character outside the nkey alphabet, or -1 when there is none. */
export function findInvalidCharacter(text: string): number {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 128 || DECODE_TABLE[code] < 0) {
      return index;
    }
  }
  return -1;
}

/** Computes the CRC16 (XMODEM) of `bytes[0..length)`. */
export function crc16(bytes: Uint8Array, length: number = bytes.length): number {
  let crc = 0;
  for (let index = 0; index < length; index++) {
    crc = ((crc << 8) & 0xffff) ^ CRC16_TABLE[((crc >> 8) ^ bytes[index]) & 0xff];
  }
  return crc;
}

/** Encodes bytes as upper-case base32 without padding. */
export function encodeBase32(bytes: Uint8Array): string {
  let text = '';
  let buffer = 0;
  let bits = 0;
  for (let index = 0; index < bytes.length; index++) {
    buffer = ((buffer << 8) | bytes[index]) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      text += ALPHABET[(buffer >>> bits) & 31];
    }
  }
  if (bits > 0) {
    text += ALPHABET[(buffer << (5 - bits)) & 31];
  }
  return text;
}

/** Result of `decodeBase32Into` when the last character carries bits that a canonical encoding leaves zero. */
export const NONZERO_TRAILING_BITS = -1;
/** Result of `decodeBase32Into` when a character is outside the alphabet or the output is too small. */
export const NOT_BASE32 = -2;

/**
 * Decodes unpadded base32 `text` into `out` and returns the number of bytes
 * written, or `NOT_BASE32` or `NONZERO_TRAILING_BITS`.
 *
 * `@nats-io/nkeys` 2.0.3 ignores the bits left over after the last whole byte,
 * so it accepts four spellings of the same seed. The Rust `nkeys` crate in
 * wasmCloud hosts decodes with `data_encoding::BASE32_NOPAD`, which checks
 * those bits and rejects the other three, so this decoder rejects them too.
 */
export function decodeBase32Into(text: string, out: Uint8Array): number {
  const length = text.length;
  if (((length * 5) >> 3) > out.length) {
    return NOT_BASE32;
  }
  let buffer = 0;
  let bits = 0;
  let written = 0;
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index);
    const value = code < 128 ? DECODE_TABLE[code] : -1;
    if (value < 0) {
      return NOT_BASE32;
    }
    buffer = ((buffer << 5) | value) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[written++] = (buffer >>> bits) & 0xff;
    }
  }
  if ((buffer & ((1 << bits) - 1)) !== 0) {
    return NONZERO_TRAILING_BITS;
  }
  return written;
}

/** Encodes a public key: the kind's prefix byte, 32 key bytes and the checksum. */
export function encodePublicKey(prefixByte: number, key: Uint8Array): string {
  checkKeyBytes(key);
  const raw = new Uint8Array(PUBLIC_KEY_BYTES);
  raw[0] = prefixByte;
  raw.set(key, 1);
  appendChecksum(raw);
  return encodeBase32(raw);
}

/** Encodes a seed: the two seed prefix bytes for the kind, 32 seed bytes and the checksum. */
export function encodeSeed(prefixByte: number, seed: Uint8Array): string {
  checkKeyBytes(seed);
  const raw = new Uint8Array(SEED_BYTES);
  raw[0] = SEED_PREFIX_BYTE | (prefixByte >> 5);
  raw[1] = (prefixByte & 31) << 3;
  raw.set(seed, 2);
  appendChecksum(raw);
  const text = encodeBase32(raw);
  raw.fill(0);
  return text;
}

/** Returns the kind's prefix byte from the first two bytes of a decoded seed. */
export function seedKindByte(raw: Uint8Array): number {
  return ((raw[0] & 7) << 5) | ((raw[1] & 248) >> 3);
}

/** Returns whether the last two bytes of `raw[0..length)` are the little-endian CRC16 of the bytes before them. */
export function hasValidChecksum(raw: Uint8Array, length: number): boolean {
  const end = length - 2;
  return crc16(raw, end) === (raw[end] | (raw[end + 1] << 8));
}

export interface DecodedKey {
  /** The kind's prefix byte, such as `2 << 3` for a cluster key. */
  prefixByte: number;
  /** The 32 key bytes for a public key, or the 32 seed bytes for a seed. The caller should zero a seed's bytes after use. */
  bytes: Uint8Array;
}

/**
 * Decodes a 56-character public key of any prefix byte. Throws an Error that
 * names the problem when the text is not base32 or the checksum does not match.
 */
export function decodePublicKey(text: string): DecodedKey {
  const raw = new Uint8Array(PUBLIC_KEY_BYTES);
  const written = decodeBase32Into(text, raw);
  if (written !== PUBLIC_KEY_BYTES) {
    throw new Error(`Invalid public key: expected 56 base32 characters, got ${text.length} characters.`);
  }
  if (!hasValidChecksum(raw, written)) {
    throw new Error('Invalid public key: the checksum does not match.');
  }
  return { prefixByte: raw[0], bytes: raw.slice(1, 33) };
}

/**
 * Decodes a 58-character seed of any kind byte. The Error thrown for invalid
 * text names the problem but never contains the seed.
 */
export function decodeSeed(text: string): DecodedKey {
  const raw = new Uint8Array(SEED_BYTES);
  try {
    const written = decodeBase32Into(text, raw);
    if (written !== SEED_BYTES) {
      throw new Error(`Invalid seed: expected 58 base32 characters, got ${text.length} characters.`);
    }
    if (!hasValidChecksum(raw, written)) {
      throw new Error('Invalid seed: the checksum does not match.');
    }
    if ((raw[0] & 248) !== SEED_PREFIX_BYTE) {
      throw new Error("Invalid seed: it does not start with the seed prefix 'S'.");
    }
    return { prefixByte: seedKindByte(raw), bytes: raw.slice(2, 34) };
  } finally {
    raw.fill(0);
  }
}

function checkKeyBytes(bytes: Uint8Array): void {
  if (bytes.length !== 32) {
    throw new Error(`Expected 32 key bytes, got ${bytes.length}.`);
  }
}

function appendChecksum(raw: Uint8Array): void {
  const end = raw.length - 2;
  const checksum = crc16(raw, end);
  raw[end] = checksum & 0xff;
  raw[end + 1] = checksum >> 8;
}
