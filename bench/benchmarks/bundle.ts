import { statSync } from 'node:fs';
import { limitResult, type Benchmark } from '../harness';
import { benchPaths } from '../support/paths';

const MAX_KB = 400;

/** Size of the minified extension bundle that `scripts/bench.mjs` builds and stages before the run. */
export const bundleBenchmark: Benchmark = {
  name: 'bundle',
  description: 'size of the minified dist/extension.js',
  run: async () => {
    const kilobytes = statSync(benchPaths().extensionBundle).size / 1024;
    return limitResult('bundle', kilobytes, 'KB', MAX_KB);
  },
};
