import { Codec } from '@nats-io/nkeys/lib/codec';
import { parse } from 'dotenv';
import { inspectKey } from '../../src/core/keys/inspect';
import { KEY_KINDS } from '../../src/core/keys/kinds';
import { SeededRandom } from '../../test/support/host-files';
import { measurePair, ratioResult, type Benchmark } from '../harness';
import { INSPECT_KEYS_SEED } from '../inputs';

const LINES = 10_000;
const MAX_RATIO = 1.5;

/**
 * Builds a host file with one key per line: public keys and seeds of every
 * kind, with one line in eight broken by a changed character. nkeys' own
 * codec encodes seeded bytes, so no key pair is derived.
 */
function keyFile(): { text: string; keys: string[] } {
  const decoder = new TextDecoder();
  const random = new SeededRandom(INSPECT_KEYS_SEED);
  const keys: string[] = [];
  for (let line = 0; line < LINES; line++) {
    const info = KEY_KINDS[line % KEY_KINDS.length];
    const seed = line % 3 === 0;
    let key = decoder.decode(Codec._encode(seed, info.prefixByte, random.bytes(32)));
    if (line % 8 === 5) {
      key = `${key.slice(0, 20)}${key[20] === 'A' ? 'B' : 'A'}${key.slice(21)}`;
    }
    keys.push(key);
  }
  return { text: keys.map((key, index) => `KEY_${index}=${key}`).join('\n'), keys };
}

/** inspectKey on every key of a 10,000-line file, against dotenv.parse of that file. */
export const inspectKeysBenchmark: Benchmark = {
  name: 'inspect-keys',
  description: `inspectKey on every value of a ${LINES.toLocaleString('en')}-line file of keys, against dotenv.parse of the file`,
  run: async () => {
    const { text, keys } = keyFile();
    const pair = await measurePair(
      () => {
        let valid = 0;
        for (const key of keys) {
          if (inspectKey(key).valid) {
            valid++;
          }
        }
        return valid;
      },
      () => parse(text),
      { warmup: 5, runs: 15 },
    );
    return ratioResult('inspect-keys', pair, 'dotenv.parse', MAX_RATIO);
  },
};
