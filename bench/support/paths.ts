import * as path from 'node:path';

export interface BenchPaths {
  /** The repository. */
  readonly root: string;
  /** `.bench/`: the compiled benchmarks, the staged extension and VS Code sessions; git ignores it. */
  readonly benchDir: string;
  /** The release build of the extension, staged by scripts/bench.mjs so that a concurrent `npm test` build cannot replace it mid-run. */
  readonly extension: string;
  readonly extensionBundle: string;
  readonly cli: string;
  /** Compiled preload that reports the peak memory of a process. */
  readonly maxRssPreload: string;
  /** Compiled entry modules that run inside the VS Code extension host. */
  readonly extensionHostEntries: string;
}

/** Paths of a run, found from this compiled file at `.bench/out/bench/support/paths.js`. */
export function benchPaths(): BenchPaths {
  const root = path.resolve(__dirname, '..', '..', '..', '..');
  const benchDir = path.join(root, '.bench');
  const extension = process.env.WCL_BENCH_EXTENSION ?? path.join(benchDir, 'extension');
  return {
    root,
    benchDir,
    extension,
    extensionBundle: path.join(extension, 'dist', 'extension.js'),
    cli: path.join(extension, 'dist', 'cli.js'),
    maxRssPreload: path.join(__dirname, 'report-max-rss.js'),
    extensionHostEntries: path.join(__dirname, '..', 'vscode'),
  };
}
