// `npm run demo`: a local nats-server with a sample lattice, and code-server
// with this extension installed, on 127.0.0.1 only. Installs what is missing
// (the same `.tools/` cache as the tests), builds the extension, prints the
// URL, and stops everything on Ctrl+C.
//
// Usage: node scripts/demo.mjs [--port N] [--smoke]
//   --port N   code-server port (default: a free one)
//   --smoke    open the workbench once in headless chromium, save
//              test-results/demo.png, then stop (a check that the demo starts)
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, symlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';
import { ensureNatsServer } from './lib/ensure-nats-server.mjs';
import { launchBrowser, newPage } from './vscode/browser.mjs';
import { HOST, TEST_USER_SETTINGS, isPortInUse, startCodeServer, workbenchUrl } from './vscode/code-server.mjs';
import { ROOT, ensureTools } from './vscode/tools.mjs';

const require = createRequire(import.meta.url);
const DEMO_DIR = path.join(ROOT, '.demo');
const NATS_DEFAULT_PORT = 4222;

const { values: options } = parseArgs({
  options: {
    port: { type: 'string' },
    smoke: { type: 'boolean', default: false },
  },
});

function step(message) {
  console.log(`\n> ${message}`);
}

/**
 * Bundles the test fixtures the demo shares with the tests (nats-server
 * fixture, sample lattice) into one CommonJS file, so the demo needs no tsc run.
 */
async function loadFixtures() {
  const outfile = path.join(DEMO_DIR, 'fixtures.cjs');
  await esbuild.build({
    stdin: {
      contents: [
        "export { NatsServer } from './test/support/nats-server';",
        "export { buildSampleLattice, seedSampleLattice, writeSampleHostEnvFiles } from './test/support/sample-lattice';",
        "export { connect } from '@nats-io/transport-node';",
      ].join('\n'),
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    logLevel: 'warning',
  });
  return require(outfile);
}

async function startNats(fixtures) {
  const port = (await isPortInUse(NATS_DEFAULT_PORT)) ? undefined : NATS_DEFAULT_PORT;
  const server = await fixtures.NatsServer.start(port === undefined ? {} : { port });
  const nc = await fixtures.connect({ servers: server.url });
  try {
    const lattice = await fixtures.seedSampleLattice(nc, fixtures.buildSampleLattice('default'));
    return { server, lattice };
  } finally {
    await nc.close();
  }
}

/** Writes the sample workspace: host .env files (fresh keys) and the demo connection setting. */
function writeWorkspace(fixtures, natsUrl, natsPort) {
  const workspace = path.join(DEMO_DIR, 'workspace');
  cpSync(path.join(ROOT, 'test', 'vscode', 'workspace'), workspace, { recursive: true });
  fixtures.writeSampleHostEnvFiles(path.join(workspace, 'hosts'), 'default', natsPort);
  mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  const settings = {
    'wasmcloudLattice.connections': [{ name: `Demo lattice (${HOST}:${natsPort})`, servers: [natsUrl] }],
  };
  writeFileSync(path.join(workspace, '.vscode', 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
  return workspace;
}

/** Installs the extension by linking the working tree into code-server's extensions folder. */
function installExtension(extensionsDir) {
  mkdirSync(extensionsDir, { recursive: true });
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  symlinkSync(ROOT, path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`), 'dir');
}

/**
 * Runs a command from the palette, reopening the palette until the command is
 * listed: a palette opened before the extension host registered the
 * extension shows "No matching commands" and never refreshes.
 */
async function runFromPalette(page, label, timeoutMs = 30_000) {
  const widget = page.locator('.quick-input-widget');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await page.keyboard.press('F1');
    await widget.locator('input').fill(`>${label}`);
    const row = widget.locator('.monaco-list-row', { hasText: label }).first();
    try {
      await row.waitFor({ timeout: 3_000 });
      await row.click();
      return;
    } catch {
      await page.keyboard.press('Escape');
      await widget.waitFor({ state: 'hidden' });
      await page.waitForTimeout(1_000);
    }
  }
  throw new Error(`The command palette did not list '${label}' within ${timeoutMs / 1000} s: the extension is not installed.`);
}

async function smokeCheck(tools, url) {
  const browser = await launchBrowser(tools.chromium);
  try {
    const page = await newPage(browser);
    await page.goto(url);
    await page.waitForSelector('.monaco-workbench .statusbar', { timeout: 60_000 });
    await runFromPalette(page, 'wasmCloud: Show Log');
    await page.waitForSelector('.part.panel select[aria-label="Switch Output"]', { timeout: 10_000 });
    // Show the demo connection in the Lattices view when the view exists.
    try {
      await runFromPalette(page, 'wasmCloud Lattice: Focus on Lattices View', 10_000);
      await page.waitForTimeout(3_000);
    } catch {
      console.log('No Lattices view in this build; the screenshot shows the workbench only.');
    }
    mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'demo.png') });
    console.log('Saved test-results/demo.png');
  } finally {
    await browser.close();
  }
}

async function main() {
  step('Checking tools (installs into .tools/ when missing)');
  const tools = await ensureTools();
  ensureNatsServer();

  step('Building the extension');
  const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) {
    throw new Error('The extension build failed (node scripts/build.mjs).');
  }
  // Each demo starts from a fresh workspace, user-data folder and lattice.
  rmSync(DEMO_DIR, { recursive: true, force: true });
  mkdirSync(DEMO_DIR, { recursive: true });
  const fixtures = await loadFixtures();

  step('Starting nats-server with JetStream and seeding the sample lattice');
  const { server: nats, lattice } = await startNats(fixtures);
  console.log(`nats-server ${nats.url}: stream ${lattice.streamName} (${lattice.streamMessages.length} messages), KV bucket ${lattice.bucketName} (${lattice.kvEntries.length} keys)`);

  const workspace = writeWorkspace(fixtures, nats.url, nats.port);

  step('Starting code-server');
  const sessionDir = path.join(DEMO_DIR, 'code-server');
  installExtension(path.join(sessionDir, 'extensions'));
  let codeServer;
  try {
    codeServer = await startCodeServer({
      tools,
      sessionDir,
      userSettings: TEST_USER_SETTINGS,
      port: options.port === undefined ? undefined : Number(options.port),
      env: { NATS_SERVER_BIN: ensureNatsServer() },
    });
  } catch (error) {
    await nats.dispose();
    throw error;
  }

  const stop = async () => {
    await codeServer.stop();
    await nats.dispose();
  };
  const url = workbenchUrl(codeServer.url, workspace);

  if (options.smoke) {
    try {
      await smokeCheck(tools, url);
    } finally {
      await stop();
    }
    return;
  }

  console.log(`\nwasmCloud Lattice demo is running. Open:\n\n  ${url}\n`);
  console.log(`NATS: ${nats.url}   code-server log: ${path.relative(ROOT, codeServer.logFile)}`);
  console.log('Press Ctrl+C to stop.');

  await new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  console.log('\nStopping code-server and nats-server…');
  await stop();
  console.log('Stopped.');
}

try {
  await main();
} catch (error) {
  console.error(`\nDemo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
