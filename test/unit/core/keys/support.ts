import { createPrivateKey, createPublicKey, randomFillSync } from 'node:crypto';
import { createAccount, createCluster, createCurve, createOperator, createServer, createUser, type KeyPair } from '@nats-io/nkeys';
// nkeys' internal codec is the independent reference for the byte layout. Its
// `_encode` skips the prefix check, so it also encodes module and service keys.
import { Codec } from '@nats-io/nkeys/lib/codec';
import type { KeyKind } from '../../../../src/core/keys/kinds';

export const decoder = new TextDecoder();
export const encoder = new TextEncoder();

/** The kinds that `@nats-io/nkeys` creates, with its creator functions. */
export const NKEYS_CREATORS: ReadonlyArray<[KeyKind, () => KeyPair]> = [
  ['account', createAccount],
  ['cluster', createCluster],
  ['operator', createOperator],
  ['server', createServer],
  ['user', createUser],
  ['curve', createCurve],
];

/** Creates a key pair with nkeys and returns its public key and seed as text. */
export function nkeysPair(create: () => KeyPair): { publicKey: string; seed: string } {
  const pair = create();
  return { publicKey: pair.getPublicKey(), seed: decoder.decode(pair.getSeed()) };
}

export function randomKeyBytes(): Uint8Array {
  return randomFillSync(new Uint8Array(32));
}

/** Encodes with nkeys' own codec, skipping its prefix check. */
export function nkeysEncode(seed: boolean, prefixByte: number, bytes: Uint8Array): string {
  return decoder.decode(Codec._encode(seed, prefixByte, bytes));
}

/** Decodes with nkeys' own codec: base32 and checksum, no prefix check. Returns the bytes without the checksum. */
export function nkeysDecode(text: string): Uint8Array {
  return Codec._decode(encoder.encode(text));
}

// RFC 8410 PKCS#8 header for a raw ed25519 private key.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** Derives an ed25519 public key with Node's OpenSSL, independent of tweetnacl. */
export function opensslEd25519PublicKey(seed: Uint8Array): Uint8Array {
  const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return new Uint8Array(spki.subarray(spki.length - 32));
}

/** Replaces the character at `index` with a different base32 character. */
export function changeCharacter(text: string, index: number): string {
  const replacement = text[index] === 'A' ? 'B' : 'A';
  return text.slice(0, index) + replacement + text.slice(index + 1);
}

/** Creates a key pair of a kind that nkeys supports and returns its public key and seed as text. */
export function nkeysPairOf(kind: KeyKind): { publicKey: string; seed: string } {
  const entry = NKEYS_CREATORS.find(([candidate]) => candidate === kind);
  if (entry === undefined) {
    throw new Error(`@nats-io/nkeys does not create ${kind} keys.`);
  }
  return nkeysPair(entry[1]);
}
