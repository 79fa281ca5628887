// Runs the extension tests in a real VS Code: code-server (VS Code 1.139.1 on
// Node 24) on 127.0.0.1, driven by headless chromium through Playwright.
//
// Parts, in order:
//   1. self-test: runs test/vscode-selftest (fails on purpose) and checks the
//      run is reported as failed, so this harness cannot pass silently;
//   2. extension suites: out/test/vscode/**/*.test.js through the standard
//      extensionTestsPath entry out/test/vscode/index.js;
//   3. UI tests: out/test/ui/**/*.test.js, run here with mocha against a
//      workbench page, one screenshot per test in test-results/.
//
// Usage: node scripts/vscode/run-tests.mjs [--grep REGEX] [--self-test] [--no-ui] [--keep]
//   --grep REGEX   run only tests whose full title matches (also WCL_TEST_GREP); skips the self-test
//   --self-test    run only the self-test
//   --no-ui        skip the UI tests
//   --keep         keep the session folder (logs, workspace) under .tools/sessions/
// WCL_TEST_TIMEOUT_MS sets how long one extension test run may take (default 10 minutes).
// Writes test-results/vscode-summary.json = {"tests","pass","fail"} and exits 1 on any failure.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Mocha from 'mocha';
import { ensureNatsServer } from '../lib/ensure-nats-server.mjs';
import { launchBrowser, newPage } from './browser.mjs';
import { startCodeServer, workbenchUrl } from './code-server.mjs';
import { ROOT, TOOLS_DIR, ensureTools } from './tools.mjs';

const require = createRequire(import.meta.url);
const RESULTS_DIR = path.join(ROOT, 'test-results');
const OUT_DIR = path.join(ROOT, 'out');
const EXTENSION_RUN_TIMEOUT_MS = Number(process.env.WCL_TEST_TIMEOUT_MS ?? 10 * 60_000);

const { values: options } = parseArgs({
  options: {
    grep: { type: 'string', default: process.env.WCL_TEST_GREP ?? '' },
    'self-test': { type: 'boolean', default: false },
    'no-ui': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});

/** Each test's outcome, in run order, for the summary. */
const results = [];

function record(part, title, ok, detail = '') {
  results.push({ part, title, ok });
  console.log(`  ${ok ? 'ok  ' : 'FAIL'}  [${part}] ${title}${detail}`);
}

function run(command, args, env = process.env) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', env });
  if (result.status !== 0) {
    throw new Error(`\`${path.basename(command)} ${args.join(' ')}\` failed (exit code ${result.status ?? result.signal}).`);
  }
}

function newestMtime(folder, extension) {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'workspace' && entry.name !== 'node_modules') {
        newest = Math.max(newest, newestMtime(full, extension));
      }
    } else if (entry.name.endsWith(extension)) {
      newest = Math.max(newest, statSync(full).mtimeMs);
    }
  }
  return newest;
}

/** Builds the extension bundle, and compiles the tests unless out/ is newer than every source. */
function buildAll() {
  run(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')]);
  const marker = path.join(OUT_DIR, 'test', 'vscode', 'index.js');
  const newestSource = Math.max(newestMtime(path.join(ROOT, 'src'), '.ts'), newestMtime(path.join(ROOT, 'test'), '.ts'), statSync(path.join(ROOT, 'tsconfig.json')).mtimeMs);
  if (!existsSync(marker) || statSync(marker).mtimeMs < newestSource) {
    console.log('Compiling tests (tsc -p tsconfig.json)…');
    run(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json']);
  }
}

/** Copies the fixture workspace and adds generated host .env files (fresh keys, never committed). */
function prepareWorkspace(sessionDir, outTest) {
  const workspace = path.join(sessionDir, 'workspace');
  cpSync(path.join(ROOT, 'test', 'vscode', 'workspace'), workspace, { recursive: true });
  const { writeSampleHostEnvFiles } = require(path.join(outTest, 'support', 'sample-lattice.js'));
  writeSampleHostEnvFiles(path.join(workspace, 'hosts'));
  return workspace;
}

/** Reads the complete lines of the results file; a line still being written is left for the next read. */
function readResults(file) {
  if (!existsSync(file)) {
    return [];
  }
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.pop();
  return lines.filter((line) => line.trim() !== '').map((line) => JSON.parse(line));
}

/**
 * Opens a workbench page that runs `testsEntry` in the extension host and
 * resolves with the exit code VS Code passes to `codeAutomationExit`, printing
 * each test result from the results file as it arrives.
 */
async function runExtensionTests({ browser, server, workspace, testsEntry, resultsFile, part, quiet = false }) {
  rmSync(resultsFile, { force: true });
  const page = await newPage(browser);
  const consoleErrors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') {
      consoleErrors.push(message.text());
    }
  });

  let resolveExit;
  const exited = new Promise((resolve) => {
    resolveExit = resolve;
  });
  await page.exposeFunction('codeAutomationExit', (code) => resolveExit(Number(code)));

  let printed = 0;
  const printNew = () => {
    const events = readResults(resultsFile);
    for (const event of events.slice(printed)) {
      if (quiet) {
        continue;
      }
      if (event.event === 'pass') {
        console.log(`  ok    [${part}] ${event.title} (${event.durationMs} ms)`);
      } else if (event.event === 'fail') {
        console.log(`  FAIL  [${part}] ${event.title}\n${event.error.replace(/^/gm, '        ')}`);
      } else if (event.event === 'pending') {
        console.log(`  skip  [${part}] ${event.title}`);
      }
    }
    printed = events.length;
  };
  const poll = setInterval(printNew, 250);

  let timer;
  const timedOut = new Promise((resolve) => {
    timer = setTimeout(() => resolve('timeout'), EXTENSION_RUN_TIMEOUT_MS);
  });
  try {
    await page.goto(workbenchUrl(server.url, workspace, { extensionDevelopmentPath: ROOT, extensionTestsPath: testsEntry }));
    const outcome = await Promise.race([exited, timedOut]);
    printNew();
    const events = readResults(resultsFile);
    if (outcome === 'timeout') {
      console.error(`Extension tests did not finish within ${EXTENSION_RUN_TIMEOUT_MS / 1000} s. code-server log:\n${server.logTail(30)}`);
    }
    const end = events.find((event) => event.event === 'end');
    if (outcome !== 0 && end === undefined && !quiet) {
      // run() threw before mocha finished: the reason is in the browser console.
      console.error(`Extension test run failed before reporting results (exit ${outcome}). Browser console errors:\n${consoleErrors.slice(-10).join('\n')}`);
    }
    return { exitCode: outcome === 'timeout' ? 1 : outcome, events };
  } finally {
    clearTimeout(timer);
    clearInterval(poll);
    await page.context().close();
  }
}

/** Runs the deliberately failing suite and checks the harness reports it as failed. */
async function selfTest(context) {
  const { exitCode, events } = await runExtensionTests({
    ...context,
    testsEntry: path.join(context.outTest, 'vscode-selftest', 'index.js'),
    part: 'self-test',
    quiet: !options['self-test'],
  });
  const end = events.find((event) => event.event === 'end');
  const problems = [];
  if (exitCode === 0) {
    problems.push('the run exited 0 although a test failed');
  }
  if (end === undefined) {
    problems.push('no end event in the results file');
  } else if (end.passes !== 1 || end.failures !== 1) {
    problems.push(`expected 1 pass and 1 failure, got ${end.passes} and ${end.failures}`);
  }
  const ok = problems.length === 0;
  record('self-test', 'failing extension test fails the run', ok, ok ? '' : `: ${problems.join('; ')}`);
}

async function extensionSuites(context) {
  const { exitCode, events } = await runExtensionTests({
    ...context,
    testsEntry: path.join(context.outTest, 'vscode', 'index.js'),
    part: 'extension',
  });
  for (const event of events) {
    if (event.event === 'pass' || event.event === 'fail') {
      results.push({ part: 'extension', title: event.title, ok: event.event === 'pass' });
    }
  }
  const end = events.find((event) => event.event === 'end');
  if (exitCode !== 0 && (end === undefined || end.failures === 0)) {
    record('extension', 'extension test run', false, `: exited ${exitCode} without a failed test (see the errors above)`);
  }
}

function findUiTests(folder) {
  if (!existsSync(folder)) {
    return [];
  }
  const found = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      found.push(...findUiTests(full));
    } else if (entry.name.endsWith('.test.js')) {
      found.push(full);
    }
  }
  return found.sort();
}

/** Runs the Playwright UI tests here in Node with mocha (TDD), sharing the browser and server. */
async function uiTests(context) {
  const files = findUiTests(path.join(context.outTest, 'ui'));
  if (files.length === 0) {
    return;
  }
  const workbench = require(path.join(context.outTest, 'ui', 'support', 'workbench.js'));
  workbench.configureUiSession({
    browser: context.browser,
    baseUrl: context.server.url,
    workspace: context.workspace,
    extensionPath: ROOT,
    screenshotDir: RESULTS_DIR,
  });

  const mocha = new Mocha({
    ui: 'tdd',
    color: false,
    timeout: 120_000,
    // Results are printed by the listeners below.
    reporter: Mocha.reporters.Base,
    ...(options.grep ? { grep: new RegExp(options.grep) } : {}),
    rootHooks: {
      // Every UI test leaves a screenshot of each page it still has open.
      async afterEach() {
        const test = this.currentTest;
        await workbench.screenshotOpenWorkbenches(test.fullTitle());
      },
    },
  });
  for (const file of files) {
    mocha.addFile(file);
  }
  await mocha.loadFilesAsync();
  await new Promise((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', (test) => record('ui', test.fullTitle(), true, ` (${test.duration} ms)`));
    runner.on('fail', (test, error) => {
      record('ui', test.fullTitle(), false);
      console.log(`${(error?.stack ?? String(error)).replace(/^/gm, '        ')}`);
    });
  });
  await workbench.closeAllWorkbenches();
  workbench.configureUiSession(undefined);
}

function writeSummary() {
  const pass = results.filter((result) => result.ok).length;
  const fail = results.length - pass;
  mkdirSync(RESULTS_DIR, { recursive: true });
  const summary = { tests: results.length, pass, fail };
  writeFileSync(path.join(RESULTS_DIR, 'vscode-summary.json'), `${JSON.stringify(summary)}\n`);
  return summary;
}

async function main() {
  const started = Date.now();
  // A summary from an earlier run must not be read as this run's.
  rmSync(path.join(RESULTS_DIR, 'vscode-summary.json'), { force: true });

  const tools = await ensureTools();
  const natsServerBin = ensureNatsServer();
  buildAll();

  mkdirSync(path.join(TOOLS_DIR, 'sessions'), { recursive: true });
  const sessionDir = mkdtempSync(path.join(TOOLS_DIR, 'sessions', 'run-'));
  // Tests run from a copy of out/, because another `npm test` in the same
  // tree deletes and rebuilds out/ while this run is still loading files.
  const outTest = path.join(sessionDir, 'out', 'test');
  cpSync(OUT_DIR, path.join(sessionDir, 'out'), { recursive: true });
  const workspace = prepareWorkspace(sessionDir, outTest);
  // The extension host inherits code-server's environment, so every run in
  // this session writes to this one file; runs are sequential and clear it.
  const resultsFile = path.join(sessionDir, 'results.jsonl');

  let server;
  let browser;
  const cleanUp = async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    if (!options.keep) {
      rmSync(sessionDir, { recursive: true, force: true });
    }
  };
  const interrupt = () => {
    cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);

  try {
    server = await startCodeServer({
      tools,
      sessionDir,
      env: {
        NATS_SERVER_BIN: natsServerBin,
        WCL_TEST_RUNNER: 'code-server',
        WCL_TEST_RESULTS: resultsFile,
        WCL_TEST_GREP: options.grep,
      },
    });
    browser = await launchBrowser(tools.chromium);
    const context = { browser, server, workspace, sessionDir, resultsFile, outTest };
    console.log(`code-server ${server.url} (session ${path.relative(ROOT, sessionDir)})`);

    if (!options.grep) {
      await selfTest(context);
    }
    if (!options['self-test']) {
      await extensionSuites(context);
      if (!options['no-ui']) {
        await uiTests(context);
      }
    }
  } finally {
    await cleanUp();
  }

  const summary = writeSummary();
  console.log(`\nvscode: ${summary.pass} passed, ${summary.fail} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return summary.fail === 0 && summary.tests > 0 ? 0 : 1;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
