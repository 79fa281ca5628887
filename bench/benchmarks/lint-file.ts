import { parse } from 'dotenv';
import { lintText } from '../../src/core/rules/lint';
import { measurePair, ratioResult, type Benchmark } from '../harness';
import { LARGE_FILE_LINES, largeFileText } from '../inputs';
import { assertSameValues } from './parse';

const MAX_RATIO = 3.0;

/**
 * Every single-file rule (lintText) on the 10,000-line host-style file,
 * against dotenv.parse on the same text.
 */
export const lintFileBenchmark: Benchmark = {
  name: 'lint-file',
  description: `lintText on the ${LARGE_FILE_LINES.toLocaleString('en')}-line host-style file, against dotenv.parse`,
  run: async () => {
    const text = largeFileText();
    assertSameValues(text);
    // A fixed clock, so the JWT expiry checks see the same time in every run.
    const now = Date.UTC(2026, 5, 1);
    const pair = await measurePair(
      () => lintText(text, { now }),
      () => parse(text),
      { warmup: 10, runs: 21 },
    );
    return ratioResult('lint-file', pair, 'dotenv.parse', MAX_RATIO);
  },
};
