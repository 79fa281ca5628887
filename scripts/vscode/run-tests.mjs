// Runs the extension tests in a real VS Code: code-server (VS Code 1.139.1 on
// Node 24) on 127.0.0.1, driven by headless chromium through Playwright.
//
// Parts, in order:
//   1. self-test: runs test/vscode-selftest (fails on purpose) and checks the
//      run is reported as failed, so this harness cannot pass silently;
//   2. extension suites: out/test/vscode/**/*.test.js through the standard
//      extensionTestsPath entry out/test/vscode/index.js;
//   3. UI tests: out/test/ui/**/*.test.js, run here with mocha against a
//      workbench page, one screenshot per test in test-results/;
//   4. restricted mode: test/vscode-untrusted in a second code-server with
//      workspace trust on, on a folder whose settings name a connection. The
//      runner checks that its port was never dialed and that its creds file
//      (a FIFO) was never opened;
//   5. secret scan (scripts/vscode/secret-scan.mjs): after code-server stops,
//      the logs, shown texts, settings and stored state of the run must hold
//      no seed, password, token or creds content. Each place counts as a test.
//      Skipped with --grep and --self-test, which run too little to scan.
//
// Usage: node scripts/vscode/run-tests.mjs [--grep REGEX] [--self-test] [--no-ui] [--keep]
//   --grep REGEX   run only tests whose full title matches (also WCL_TEST_GREP); skips the self-test
//   --self-test    run only the self-test
//   --no-ui        skip the UI tests
//   --keep         keep the session folder (logs, workspace) under .tools/sessions/
// WCL_TEST_TIMEOUT_MS sets how long one extension test run may take (default 10 minutes).
// Writes test-results/vscode-summary.json = {"tests","pass","fail"} and exits 1 on any failure.
import { spawnSync } from 'node:child_process';
import { closeSync, constants as fsConstants, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Mocha from 'mocha';
import { ensureNatsServer } from '../lib/ensure-nats-server.mjs';
import { launchBrowser, newPage } from './browser.mjs';
import { TEST_USER_SETTINGS, startCodeServer, workbenchUrl } from './code-server.mjs';
import { dumpBrowserState, scanSession } from './secret-scan.mjs';
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
async function runExtensionTests({ browser, server, workspace, testsEntry, resultsFile, part, quiet = false, keepState = false }) {
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
    // The stored state lives in this page's browser context, so it is read before the context closes.
    const browserState = keepState ? await dumpBrowserState(page).catch((error) => console.error(`Reading the browser state failed: ${error}`)) : undefined;
    return { exitCode: outcome === 'timeout' ? 1 : outcome, events, browserState };
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
  const { exitCode, events, browserState } = await runExtensionTests({
    ...context,
    testsEntry: path.join(context.outTest, 'vscode', 'index.js'),
    part: 'extension',
    keepState: true,
  });
  context.browserState = browserState;
  // Kept with the session (--keep), to read what a failed state check found.
  writeFileSync(path.join(context.sessionDir, 'browser-state.json'), `${JSON.stringify(browserState ?? null, null, 1)}\n`);
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

/** Starts a TCP listener on 127.0.0.1 that counts and closes every connection. */
async function countingListener() {
  const listener = { dials: 0 };
  listener.server = net.createServer((socket) => {
    listener.dials++;
    socket.destroy();
  });
  await new Promise((resolve) => listener.server.listen(0, '127.0.0.1', resolve));
  listener.url = `nats://127.0.0.1:${listener.server.address().port}`;
  return listener;
}

/** Tests whether a process has the FIFO open for reading: a non-blocking open for writing fails with ENXIO when none has. */
function fifoHasReader(file) {
  try {
    closeSync(openSync(file, fsConstants.O_WRONLY | fsConstants.O_NONBLOCK));
    return true;
  } catch (error) {
    if (error.code === 'ENXIO') {
      return false;
    }
    throw error;
  }
}

/**
 * Runs test/vscode-untrusted in a second code-server with workspace trust on.
 * The folder's settings name a connection to a port this process watches,
 * with a creds file that is a FIFO: dialing the port or opening the file
 * means the workspace connection was used before the workspace was trusted.
 */
async function untrustedSuites(context) {
  const dir = path.join(context.sessionDir, 'untrusted');
  const workspace = path.join(dir, 'workspace');
  mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  const watched = await countingListener();
  // User settings name a connection too, so the view never falls back to 127.0.0.1:4222.
  const placeholder = await countingListener();
  const credsFile = path.join(dir, 'workspace.creds');
  const fifo = spawnSync('mkfifo', [credsFile]).status === 0;
  writeFileSync(
    path.join(workspace, '.vscode', 'settings.json'),
    `${JSON.stringify({ 'wasmcloudLattice.connections': [{ name: 'workspace-only', servers: [watched.url], auth: 'creds', credsFile }], 'wasmcloudLattice.explorer.pageSize': 42 }, null, 2)}\n`,
  );
  let server;
  try {
    server = await startCodeServer({
      tools: context.tools,
      sessionDir: dir,
      workspaceTrust: true,
      userSettings: {
        ...TEST_USER_SETTINGS,
        'security.workspace.trust.enabled': true,
        'security.workspace.trust.startupPrompt': 'never',
        'wasmcloudLattice.explorer.natsContexts': false,
        'wasmcloudLattice.connections': [{ name: 'placeholder', servers: [placeholder.url] }],
      },
      env: {
        NATS_SERVER_BIN: context.natsServerBin,
        WCL_TEST_RUNNER: 'code-server',
        WCL_TEST_RESULTS: path.join(dir, 'results.jsonl'),
        WCL_TEST_GREP: options.grep,
        WCL_UNTRUSTED_CONNECTION: 'workspace-only',
      },
    });
    const { exitCode, events } = await runExtensionTests({
      ...context,
      server,
      workspace,
      resultsFile: path.join(dir, 'results.jsonl'),
      testsEntry: path.join(context.outTest, 'vscode-untrusted', 'index.js'),
      part: 'untrusted',
    });
    for (const event of events) {
      if (event.event === 'pass' || event.event === 'fail') {
        results.push({ part: 'untrusted', title: event.title, ok: event.event === 'pass' });
      }
    }
    if (exitCode !== 0 && !events.some((event) => event.event === 'fail')) {
      record('untrusted', 'untrusted workspace test run', false, `: exited ${exitCode} without a failed test (see the errors above)`);
    }
    record('untrusted', 'workspace connection is never dialed', watched.dials === 0, watched.dials === 0 ? '' : `: ${watched.url} was dialed ${watched.dials} times`);
    if (fifo) {
      const opened = fifoHasReader(credsFile);
      record('untrusted', 'workspace creds file is never opened', !opened, opened ? `: ${credsFile} is open for reading` : '');
    } else {
      record('untrusted', 'workspace creds file is never opened', false, ': mkfifo failed, so the check could not run');
    }
  } finally {
    watched.server.close();
    placeholder.server.close();
    await server?.stop();
  }
}

/** Scans the stopped session for secrets and records one result per place scanned. */
function secretScan(context, secretFiles) {
  let checks;
  try {
    const { decodeSeed } = require(path.join(context.sessionDir, 'out', 'src', 'core', 'keys', 'codec.js'));
    checks = scanSession({
      userDataDir: context.server.dirs.userData,
      workspace: context.workspace,
      needlesFile: secretFiles.WCL_SECRET_NEEDLES,
      captureFile: secretFiles.WCL_SECRET_CAPTURE,
      browserState: context.browserState,
      decodeSeed,
    });
  } catch (error) {
    checks = [{ title: 'secret scan', ok: false, detail: `the scan failed: ${error instanceof Error ? error.stack : String(error)}` }];
  }
  for (const check of checks) {
    record('secrets', check.title, check.ok, check.ok ? ` (${check.detail})` : `:\n${check.detail.replace(/^/gm, '        ')}`);
  }
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
  // Secrets the tests used and texts the product showed, for the secret scan.
  // The UI tests run in this process and record through process.env.
  const secretFiles = { WCL_SECRET_NEEDLES: path.join(sessionDir, 'secret-needles.jsonl'), WCL_SECRET_CAPTURE: path.join(sessionDir, 'secret-capture.jsonl') };
  Object.assign(process.env, secretFiles);

  let server;
  let browser;
  let context;
  const cleanUp = async (beforeRemove) => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    await beforeRemove?.();
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
        ...secretFiles,
      },
    });
    browser = await launchBrowser(tools.chromium);
    context = { browser, server, workspace, sessionDir, resultsFile, outTest, tools, natsServerBin };
    console.log(`code-server ${server.url} (session ${path.relative(ROOT, sessionDir)})`);

    if (!options.grep) {
      await selfTest(context);
    }
    if (!options['self-test']) {
      await extensionSuites(context);
      if (!options['no-ui']) {
        await uiTests(context);
      }
      // With --grep, the restricted-mode run happens only when the pattern matches its suite's title.
      if (!options.grep || new RegExp(options.grep).test('Untrusted workspace')) {
        await untrustedSuites(context);
      }
    }
  } finally {
    await cleanUp(() => {
      if (context !== undefined && !options.grep && !options['self-test']) {
        secretScan(context, secretFiles);
      }
    });
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
