import { randomFillSync } from 'node:crypto';
import { createAccount, createCluster, createCurve, createOperator, createServer, createUser, type KeyPair } from '@nats-io/nkeys';
import { encodePublicKey, encodeSeed } from './codec';
import { derivePublicKey, ed25519PublicKey } from './derive';
import { inspectKey } from './inspect';
import { keyKindInfo, type KeyKind } from './kinds';

export interface GeneratedKey {
  publicKey: string;
  seed: string;
}

const NKEYS_CREATORS: Partial<Record<KeyKind, () => KeyPair>> = {
  account: createAccount,
  cluster: createCluster,
  curve: createCurve,
  operator: createOperator,
  server: createServer,
  user: createUser,
};

/**
 * Generates a new key pair of `kind`. `@nats-io/nkeys` creates the six NATS
 * kinds. Module and service keys are Ed25519 pairs from 32 random bytes,
 * encoded by this project's codec because nkeys rejects their prefixes.
 */
export function generateKey(kind: KeyKind): GeneratedKey {
  const create = NKEYS_CREATORS[kind];
  if (create !== undefined) {
    const pair = create();
    try {
      return { publicKey: pair.getPublicKey(), seed: new TextDecoder().decode(pair.getSeed()) };
    } finally {
      pair.clear();
    }
  }

  const info = keyKindInfo(kind);
  const seedBytes = randomFillSync(new Uint8Array(32));
  try {
    return { publicKey: encodePublicKey(info.prefixByte, ed25519PublicKey(seedBytes)), seed: encodeSeed(info.prefixByte, seedBytes) };
  } finally {
    seedBytes.fill(0);
  }
}

/**
 * Derives the public key of a seed of any kind. Throws an Error whose message
 * names the problem and never contains the seed when `seed` is not a valid seed.
 */
export function publicKeyFromSeed(seed: string): string {
  const inspection = inspectKey(seed, { type: 'seed' });
  if (!inspection.valid) {
    throw new Error(inspection.reason ?? 'Invalid seed.');
  }
  return derivePublicKey(seed);
}
