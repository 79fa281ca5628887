/**
 * Derives public keys from seeds with tweetnacl, the ed25519 and x25519
 * implementation that `@nats-io/nkeys` itself uses. Node's `crypto` would be
 * faster, but inside VS Code it runs on Electron's BoringSSL, which rejects
 * some PKCS#8 keys that OpenSSL accepts, and the tests never run in Electron.
 */
import { createHash } from 'node:crypto';
import nacl from 'tweetnacl';
import { decodeSeed, encodePublicKey } from './codec';
import { keyKindByPrefixValue } from './kinds';

const CURVE_PREFIX_BYTE = 23 << 3;

/** Maximum number of seeds whose public keys are remembered. */
const MEMO_SIZE = 512;

// An ed25519 derivation in tweetnacl takes milliseconds, and the linter requests
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
    const pair = nacl.sign.keyPair.fromSeed(decoded.bytes);
    pair.secretKey.fill(0);
    return encodePublicKey(decoded.prefixByte, pair.publicKey);
  } finally {
    decoded.bytes.fill(0);
  }
}
