/**
 * Derives public keys from seeds. Ed25519 public keys, those of every kind
 * but curve, come from Node's crypto, several times faster than tweetnacl,
 * the implementation that `@nats-io/nkeys` itself uses. tweetnacl remains the
 * fallback when Node's crypto throws or fails a known-answer check on first
 * use. Inside desktop VS Code, Node's crypto runs on Electron's BoringSSL,
 * which supports unencrypted Ed25519 PKCS#8 keys: Electron keeps Node's
 * Ed25519 key and signing tests enabled in its patch
 * `fix_crypto_tests_to_run_with_bssl.patch`. That patch disabled the x25519
 * key tests in 2021, so curve seeds are always derived with tweetnacl.
 */
import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import nacl from 'tweetnacl';
import { decodeSeed, encodePublicKey } from './codec';
import { keyKindByPrefixValue } from './kinds';

const CURVE_PREFIX_BYTE = 23 << 3;

/** Maximum number of seeds whose public keys are remembered. */
const MEMO_SIZE = 512;

// A derivation still costs a fraction of a millisecond, and the linter requests
// the same seeds on every keystroke. The memo is keyed by a SHA-256 of the seed
// so that it never holds seed text.
const memo = new Map<string, string>();

/**
 * Derives the public key of a seed of any known kind. Curve seeds are x25519
 * private keys, so their public key is the x25519 base point multiple, as
 * nkeys computes it. Throws an Error that never contains the seed.
 */
export function derivePublicKey(seed: string): string {
  const memoKey = createHash('sha256').update(seed).digest('base64');
  const remembered = memo.get(memoKey);
  if (remembered !== undefined) {
    // Reinsert so that the map's order is least recently used first.
    memo.delete(memoKey);
    memo.set(memoKey, remembered);
    return remembered;
  }

  const publicKey = computePublicKey(seed);
  memo.set(memoKey, publicKey);
  if (memo.size > MEMO_SIZE) {
    const oldest = memo.keys().next().value;
    if (oldest !== undefined) {
      memo.delete(oldest);
    }
  }
  return publicKey;
}

function computePublicKey(seed: string): string {
  const decoded = decodeSeed(seed);
  const kind = (decoded.prefixByte & 7) === 0 ? keyKindByPrefixValue(decoded.prefixByte >> 3) : undefined;
  if (kind === undefined) {
    decoded.bytes.fill(0);
    throw new Error('Invalid seed: its kind byte belongs to no nkey kind.');
  }

  try {
    if (decoded.prefixByte === CURVE_PREFIX_BYTE) {
      return encodePublicKey(decoded.prefixByte, nacl.scalarMult.base(decoded.bytes));
    }
    return encodePublicKey(decoded.prefixByte, ed25519PublicKey(decoded.bytes));
  } finally {
    decoded.bytes.fill(0);
  }
}

/** RFC 8410 PKCS#8 encoding of an Ed25519 private key, up to the 32 key bytes that follow it. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
/** RFC 8410 SubjectPublicKeyInfo encoding of an Ed25519 public key, up to the 32 key bytes that follow it. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** The first test vector of RFC 8032, section 7.1: a private key and its public key. */
const KNOWN_ANSWER = {
  seed: Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex'),
  publicKey: Buffer.from('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', 'hex'),
};

/** Whether Node's crypto derived the known answer correctly; undefined until first checked. */
let nodeCryptoPassed: boolean | undefined;

/**
 * Derives the Ed25519 public key of a 32-byte seed (an RFC 8032 private key)
 * with Node's crypto, or with tweetnacl where Node's crypto throws or derived
 * the known answer wrongly. Does not change `seed`.
 */
export function ed25519PublicKey(seed: Uint8Array): Uint8Array {
  nodeCryptoPassed ??= nodeCryptoDerivesKnownAnswer();
  if (nodeCryptoPassed) {
    try {
      return nodeEd25519PublicKey(seed);
    } catch {
      // Fall through to tweetnacl for this seed.
    }
  }
  const pair = nacl.sign.keyPair.fromSeed(seed);
  pair.secretKey.fill(0);
  return pair.publicKey;
}

/** Names the implementation that `ed25519PublicKey` uses for a valid seed in this process. */
export function ed25519Implementation(): 'node:crypto' | 'tweetnacl' {
  nodeCryptoPassed ??= nodeCryptoDerivesKnownAnswer();
  return nodeCryptoPassed ? 'node:crypto' : 'tweetnacl';
}

function nodeCryptoDerivesKnownAnswer(): boolean {
  try {
    return Buffer.from(nodeEd25519PublicKey(KNOWN_ANSWER.seed)).equals(KNOWN_ANSWER.publicKey);
  } catch {
    return false;
  }
}

/**
 * Derives with Node's crypto. The DER copy of the seed is zeroed before this
 * returns. NOTE: the key object that Node's crypto makes from it is freed by
 * the garbage collector and cannot be zeroed.
 */
function nodeEd25519PublicKey(seed: Uint8Array): Uint8Array {
  if (seed.length !== 32) {
    throw new Error(`An Ed25519 seed has 32 bytes, not ${seed.length}.`);
  }
  const der = Buffer.alloc(ED25519_PKCS8_PREFIX.length + seed.length);
  try {
    ED25519_PKCS8_PREFIX.copy(der);
    der.set(seed, ED25519_PKCS8_PREFIX.length);
    // createPublicKey derives the public key when it is given a private key.
    const spki = createPublicKey(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })).export({ format: 'der', type: 'spki' });
    if (spki.length !== ED25519_SPKI_PREFIX.length + 32 || !spki.subarray(0, ED25519_SPKI_PREFIX.length).equals(ED25519_SPKI_PREFIX)) {
      throw new Error('Node crypto exported an Ed25519 public key in an unexpected encoding.');
    }
    return new Uint8Array(spki.subarray(ED25519_SPKI_PREFIX.length));
  } finally {
    der.fill(0);
  }
}
