import type { Benchmark } from './harness';
import { bundleBenchmark } from './benchmarks/bundle';
import { cacheListBenchmark } from './benchmarks/cache-list';
import { inspectKeysBenchmark } from './benchmarks/inspect-keys';
import { keygenBenchmark } from './benchmarks/keygen';
import { lintFileBenchmark } from './benchmarks/lint-file';
import { lintMemoryBenchmark } from './benchmarks/lint-memory';
import { parseBenchmark } from './benchmarks/parse';
import { purgeBenchmark } from './benchmarks/purge';
import { activationBenchmark, editDiagnosticsBenchmark, firstDiagnosticsBenchmark } from './benchmarks/vscode';
import { lintIncrementalBenchmark, lintWorkspaceBenchmark } from './benchmarks/workspace';

/** Every benchmark, in the order `npm run bench` runs them: pure CPU work first, then NATS, then VS Code. */
export const benchmarks: Benchmark[] = [
  parseBenchmark,
  lintFileBenchmark,
  inspectKeysBenchmark,
  lintWorkspaceBenchmark,
  lintIncrementalBenchmark,
  keygenBenchmark,
  bundleBenchmark,
  lintMemoryBenchmark,
  cacheListBenchmark,
  purgeBenchmark,
  activationBenchmark,
  firstDiagnosticsBenchmark,
  editDiagnosticsBenchmark,
];
