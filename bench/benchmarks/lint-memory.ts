import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { writeHostFiles } from '../../test/support/host-files';
import { limitResult, type Benchmark } from '../harness';
import { WORKSPACE_FILES, workspaceFiles } from '../inputs';
import { benchPaths } from '../support/paths';

const MAX_MEGABYTES = 200;

interface LintRun {
  readonly exitCode: number | null;
  readonly stderr: string;
  readonly maxRssKilobytes: number;
}

/**
 * Runs `node --require report-max-rss.js dist/cli.js lint FOLDER`. The
 * preload writes `process.resourceUsage().maxRSS` (kilobytes) to a file when
 * the process exits, so the figure is the CLI's own peak, without the
 * children it starts (git).
 */
function runLint(cli: string, folder: string, reportFile: string): Promise<LintRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', benchPaths().maxRssPreload, cli, 'lint', folder], {
      env: { ...process.env, WCL_BENCH_MAX_RSS_FILE: reportFile },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('exit', (exitCode) => {
      try {
        resolve({ exitCode, stderr, maxRssKilobytes: Number(readFileSync(reportFile, 'utf8')) });
      } catch (error) {
        reject(new Error(`The CLI exited (code ${exitCode}) without writing its peak memory: ${error instanceof Error ? error.message : String(error)}\n${stderr}`));
      }
    });
  });
}

/** Peak resident memory of `wasmcloud-lattice lint` over the 2,000 generated host files. */
export const lintMemoryBenchmark: Benchmark = {
  name: 'lint-memory',
  description: `peak RSS of \`wasmcloud-lattice lint\` (dist/cli.js) over the ${WORKSPACE_FILES.toLocaleString('en')} generated host files`,
  run: async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'wcl-bench-lint-'));
    try {
      writeHostFiles(path.join(folder, 'workspace'), workspaceFiles());
      const run = await runLint(benchPaths().cli, path.join(folder, 'workspace'), path.join(folder, 'max-rss'));
      // Exit code 1 means findings, which the generated files have on purpose.
      if (run.exitCode !== 0 && run.exitCode !== 1) {
        throw new Error(`wasmcloud-lattice lint exited with code ${run.exitCode}:\n${run.stderr.slice(-2000)}`);
      }
      return limitResult('lint-memory', run.maxRssKilobytes / 1024, 'MB', MAX_MEGABYTES);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  },
};
