import { isDeepStrictEqual } from 'node:util';
import { parse } from 'dotenv';
import { entriesToRecord, parseDotenv } from '../../src/core/dotenv/index';
import { measurePair, ratioResult, type Benchmark } from '../harness';
import { LARGE_FILE_LINES, largeFileText } from '../inputs';

const MAX_RATIO = 1.0;

/**
 * Throws unless parseDotenv returns the values dotenv.parse returns, so the
 * two sides of the comparison do the same work on this input.
 */
export function assertSameValues(text: string): void {
  const ours = Object.fromEntries(entriesToRecord(parseDotenv(text).entries));
  if (!isDeepStrictEqual(ours, { ...parse(text) })) {
    throw new Error('parseDotenv and dotenv.parse return different values for the generated file, so their timings are not comparable.');
  }
}

/** parseDotenv on the 10,000-line host-style file, against dotenv.parse on the same text. */
export const parseBenchmark: Benchmark = {
  name: 'parse',
  description: `parseDotenv on a ${LARGE_FILE_LINES.toLocaleString('en')}-line host-style file, against dotenv.parse`,
  run: async () => {
    const text = largeFileText();
    assertSameValues(text);
    const pair = await measurePair(
      () => parseDotenv(text),
      () => parse(text),
      { warmup: 10, runs: 21 },
    );
    return ratioResult('parse', pair, 'dotenv.parse', MAX_RATIO);
  },
};
