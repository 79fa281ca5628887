import { createCluster } from '@nats-io/nkeys';
import { generateKey } from '../../src/core/keys/generate';
import { measurePair, ratioResult, scaleSample, type Benchmark } from '../harness';

const KEYS = 10_000;
/**
 * Keys per timed call. One ed25519 derivation in tweetnacl takes milliseconds
 * here, so 10,000 keys take tens of seconds. Each side makes them in 40
 * alternating batches of 250, which spreads changes in machine load over both
 * sides, and the figures are 40 times a batch's.
 */
const BATCH = 250;
const MAX_RATIO = 1.1;

const decoder = new TextDecoder();

function generateWithCore(count: number): number {
  let length = 0;
  for (let i = 0; i < count; i++) {
    const key = generateKey('cluster');
    length += key.publicKey.length + key.seed.length;
  }
  return length;
}

/**
 * The reference makes the same two strings our core returns, the seed and the
 * public key, with nothing else: createCluster() alone only encodes random
 * bytes and derives no public key.
 */
function generateWithNkeys(count: number): number {
  let length = 0;
  for (let i = 0; i < count; i++) {
    const pair = createCluster();
    length += pair.getPublicKey().length + decoder.decode(pair.getSeed()).length;
  }
  return length;
}

/** 10,000 cluster keys through generateKey, against a bare nkeys createCluster() loop. */
export const keygenBenchmark: Benchmark = {
  name: 'keygen',
  description: `${KEYS.toLocaleString('en')} cluster keys through generateKey, against a bare nkeys createCluster() loop`,
  run: async () => {
    const pair = await measurePair(
      () => generateWithCore(BATCH),
      () => generateWithNkeys(BATCH),
      { warmup: 1, runs: KEYS / BATCH },
    );
    const scale = KEYS / BATCH;
    return ratioResult('keygen', { work: scaleSample(pair.work, scale), reference: scaleSample(pair.reference, scale) }, 'createCluster() loop', MAX_RATIO);
  },
};
