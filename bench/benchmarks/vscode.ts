/**
 * `activation` and `first-diagnostics`: the extension in a real VS Code,
 * the code-server and headless chromium of the extension test harness
 * (scripts/vscode/). Each start is a fresh extension host: the page loads the
 * workbench with an `extensionTestsPath` entry from bench/vscode/, which
 * writes its figures to a results file and returns, and VS Code reports the
 * exit through `codeAutomationExit`.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { largeHostFile, writeHostFiles } from '../../test/support/host-files';
import { failedResult, limitResult, onCleanup, round, summarize, type Benchmark, type BenchResult } from '../harness';
import { DIAGNOSTICS_FILE_LINES, DIAGNOSTICS_FILE_SEED } from '../inputs';
import type { HostResult } from '../vscode/extension-host';
import { benchPaths } from '../support/paths';

const MAX_ACTIVATE_MS = 20;
const MAX_DIAGNOSTICS_MS = 150;
/** Untimed starts first, so the file cache contains VS Code and the bundle as on a machine in use. */
const WARMUP_STARTS = 1;
const TIMED_STARTS = 5;
/** Files `first-diagnostics` opens: two warm-up opens, then five timed ones. */
const DIAGNOSTICS_FILES = 7;
const START_TIMEOUT_MS = 180_000;

/* The harness's scripts are JavaScript modules; these are the parts used here. */
interface Tools {
  node: string;
  codeServer: string;
  chromium: string;
}
interface CodeServer {
  url: string;
  stop(): Promise<void>;
  logTail(lines: number): string;
}
interface Page {
  exposeFunction(name: string, callback: (code: unknown) => void): Promise<void>;
  goto(url: string): Promise<unknown>;
  on(event: 'console', listener: (message: { type(): string; text(): string }) => void): void;
  context(): { close(): Promise<void> };
}
interface Browser {
  close(): Promise<void>;
}
interface HarnessModules {
  ensureTools(log?: (line: string) => void): Promise<Tools>;
  startCodeServer(options: { tools: Tools; sessionDir: string; env?: Record<string, string> }): Promise<CodeServer>;
  workbenchUrl(baseUrl: string, folder: string, options: { extensionDevelopmentPath?: string; extensionTestsPath?: string }): string;
  launchBrowser(executablePath?: string): Promise<Browser>;
  newPage(browser: Browser): Promise<Page>;
}

async function importHarness(root: string): Promise<HarnessModules> {
  const load = (file: string): Promise<Record<string, unknown>> => import(pathToFileURL(path.join(root, 'scripts', 'vscode', file)).href) as Promise<Record<string, unknown>>;
  const [tools, codeServer, browser] = await Promise.all([load('tools.mjs'), load('code-server.mjs'), load('browser.mjs')]);
  return { ...tools, ...codeServer, ...browser } as unknown as HarnessModules;
}

/** Mode of the activation probe in the staged extension for the next start. */
type ProbeMode = 'time' | 'trace';

interface VscodeSession {
  /**
   * Loads a window, a fresh extension host, that runs the entry module
   * `entry` (in bench/vscode/), and returns the results written in it.
   */
  start(entry: string, mode?: ProbeMode): Promise<HostResult[]>;
  /** The activation events VS Code logged for the extension, one per activation. */
  activationEvents(): string[];
}

let session: Promise<VscodeSession> | undefined;

async function openSession(): Promise<VscodeSession> {
  const paths = benchPaths();
  const harness = await importHarness(paths.root);
  const tools = await harness.ensureTools((line) => console.log(`  ${line}`));

  mkdirSync(paths.benchDir, { recursive: true });
  const sessionDir = mkdtempSync(path.join(paths.benchDir, 'vscode-'));
  const workspace = path.join(sessionDir, 'workspace');
  // Each host file has a .txt twin with the same text, which the extension does not lint, for the reference.
  const files = Array.from({ length: DIAGNOSTICS_FILES }, (_, index) => {
    const text = largeHostFile(DIAGNOSTICS_FILE_SEED + index, DIAGNOSTICS_FILE_LINES);
    return [
      { path: `first-diagnostics/host-${index + 1}.env`, text, lattice: '' },
      { path: `first-diagnostics/host-${index + 1}.txt`, text, lattice: '' },
    ];
  }).flat();
  writeHostFiles(workspace, files);
  const resultsFile = path.join(sessionDir, 'results.jsonl');
  const controlFile = path.join(sessionDir, 'probe-mode');

  const env: Record<string, string> = { WCL_BENCH_RESULTS: resultsFile, WCL_BENCH_CONTROL: controlFile };
  if (process.env.WCL_BENCH_CPU_PROFILE !== undefined) {
    // The first-diagnostics entry writes a CPU profile of its timed opens there.
    env.WCL_BENCH_CPU_PROFILE = path.resolve(process.env.WCL_BENCH_CPU_PROFILE);
  }
  const server = await harness.startCodeServer({ tools, sessionDir, env });
  const browser = await harness.launchBrowser(tools.chromium);
  onCleanup(async () => {
    await browser.close().catch(() => undefined);
    await server.stop();
    // WCL_BENCH_KEEP=1 keeps the session folder, with VS Code's logs, for a failed start.
    if (process.env.WCL_BENCH_KEEP !== '1') {
      rmSync(sessionDir, { recursive: true, force: true });
    }
  });

  return {
    async start(entry: string, mode: ProbeMode = 'time'): Promise<HostResult[]> {
      rmSync(resultsFile, { force: true });
      writeFileSync(controlFile, mode);
      const page = await harness.newPage(browser);
      const consoleErrors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') {
          consoleErrors.push(message.text());
        }
      });
      let timer: NodeJS.Timeout | undefined;
      try {
        const exitCode = await new Promise<number>((resolve, reject) => {
          timer = setTimeout(() => reject(new Error(`VS Code did not finish ${entry} within ${START_TIMEOUT_MS / 1000} s. code-server log:\n${server.logTail(20)}`)), START_TIMEOUT_MS);
          void page.exposeFunction('codeAutomationExit', (code) => resolve(Number(code))).then(
            () => page.goto(harness.workbenchUrl(server.url, workspace, { extensionDevelopmentPath: paths.extension, extensionTestsPath: path.join(paths.extensionHostEntries, `${entry}.js`) })),
            reject,
          );
        });
        if (exitCode !== 0) {
          throw new Error(`${entry} failed in the extension host (exit ${exitCode}). Browser console errors:\n${consoleErrors.slice(-5).join('\n')}`);
        }
      } finally {
        clearTimeout(timer);
        await page.context().close();
      }
      if (!existsSync(resultsFile)) {
        throw new Error(`${entry} finished without writing ${resultsFile}.`);
      }
      return readFileSync(resultsFile, 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as HostResult);
    },
    activationEvents(): string[] {
      return findFiles(path.join(sessionDir, 'user-data', 'logs'), 'remoteexthost.log').flatMap((log) =>
        [...readFileSync(log, 'utf8').matchAll(/_doActivateExtension wasmcloud-lattice\.wasmcloud-lattice, startup: (\w+), activationEvent: '([^']*)'/g)].map((match) => `${match[2]}${match[1] === 'true' ? ' (startup)' : ''}`),
      );
    },
  };
}

function findFiles(folder: string, name: string): string[] {
  if (!existsSync(folder)) {
    return [];
  }
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    return entry.isDirectory() ? findFiles(full, name) : entry.name === name ? [full] : [];
  });
}

function vscodeSession(): Promise<VscodeSession> {
  session ??= openSession();
  return session;
}

function countOf(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) {
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return [...counts].map(([value, count]) => `${value} ×${count}`).join(', ');
}

async function measureActivation(): Promise<BenchResult> {
  const vscode = await vscodeSession();
  const times: number[] = [];
  for (let start = 0; start < WARMUP_STARTS + TIMED_STARTS; start++) {
    const activations = (await vscode.start('activation')).filter((result) => result.kind === 'activation');
    if (activations.length !== 1) {
      throw new Error(`Expected one activation of the extension in a start, saw ${activations.length}.`);
    }
    if (start >= WARMUP_STARTS) {
      times.push(activations[0].activateMs);
    }
  }
  const events = vscode.activationEvents();

  const [trace] = (await vscode.start('activation', 'trace')).filter((result) => result.kind === 'activation-trace');
  if (trace === undefined) {
    throw new Error('The traced start recorded no activation.');
  }
  const selfChecks = trace.events.filter((event) => event.operation.startsWith('self-check: '));
  if (selfChecks.length < 2) {
    throw new Error(`The I/O trace missed the calls of its own self-check (saw ${selfChecks.length} of at least 2), so it cannot show that activate() does no I/O.`);
  }
  const traced = trace.events.filter((event) => !event.operation.startsWith('self-check: '));
  const caused = traced.filter((event) => event.fromExtension);
  const others = traced.length - caused.length;

  const row = limitResult('activation', summarize(times), 'ms', MAX_ACTIVATE_MS);
  const triggers = `activated by ${countOf(events)}`;
  const ioNote =
    caused.length === 0
      ? `no file, process, network or secret-storage operation from the extension during activate() in a traced start (${others} of VS Code's own in that time); ${triggers}`
      : `I/O during activate() in a traced start: ${countOf(caused.map((event) => event.operation))}; ${triggers}; first stack:\n${caused[0].stack}`;
  return { ...row, pass: row.pass && caused.length === 0, note: ioNote };
}

export const activationBenchmark: Benchmark = {
  name: 'activation',
  description: `activate() from start to return, median of ${TIMED_STARTS} starts in a real VS Code (code-server), and an I/O trace of one more start`,
  run: async () => {
    try {
      return await measureActivation();
    } catch (error) {
      return failedResult('activation', `<= ${MAX_ACTIVATE_MS} ms`, error instanceof Error ? error.message : String(error));
    }
  },
};

async function measureDiagnostics(): Promise<BenchResult[]> {
  const vscode = await vscodeSession();
  const result = (await vscode.start('first-diagnostics')).find((line) => line.kind === 'first-diagnostics');
  if (result?.kind !== 'first-diagnostics') {
    throw new Error('The first-diagnostics entry wrote no result.');
  }
  const reference = summarize(result.referenceOpenMs);
  const share = summarize(result.extensionMs);
  const open: BenchResult = {
    ...limitResult(
      'first-diagnostics',
      summarize(result.openMs),
      'ms',
      MAX_DIAGNOSTICS_MS,
      `opening a ${result.lines}-line host file until its findings are published (opening is not debounced, so nothing is subtracted); reference: VS Code opening the same text as a .txt file, which the extension does not lint, until the extension host has the document; the extension's share, from the extension host having the document to its findings: ${round(share.median)} ms (${round(share.min)}–${round(share.max)})`,
    ),
    reference: 'same text as .txt, until opened',
    referenceValue: round(reference.median),
    referenceMin: round(reference.min),
    referenceMax: round(reference.max),
    ratio: Number((summarize(result.openMs).median / reference.median).toPrecision(3)),
  };
  const edit = limitResult(
    'edit-diagnostics',
    summarize(result.editMs.map((milliseconds) => milliseconds - result.debounceMs)),
    'ms',
    MAX_DIAGNOSTICS_MS,
    `one edit in that file until its findings change, minus the ${result.debounceMs} ms debounce`,
  );
  return [open, edit];
}

let diagnostics: Promise<BenchResult[]> | undefined;

function diagnosticsRows(): Promise<BenchResult[]> {
  diagnostics ??= measureDiagnostics().catch((error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    return [failedResult('first-diagnostics', `<= ${MAX_DIAGNOSTICS_MS} ms`, reason), failedResult('edit-diagnostics', `<= ${MAX_DIAGNOSTICS_MS} ms`, reason)];
  });
  return diagnostics;
}

export const firstDiagnosticsBenchmark: Benchmark = {
  name: 'first-diagnostics',
  description: `opening a ${DIAGNOSTICS_FILE_LINES}-line host file in a real VS Code until its findings are published`,
  run: async () => (await diagnosticsRows())[0],
};

export const editDiagnosticsBenchmark: Benchmark = {
  name: 'edit-diagnostics',
  description: `one edit in an open ${DIAGNOSTICS_FILE_LINES}-line host file until its findings change, minus the debounce`,
  run: async () => (await diagnosticsRows())[1],
};
