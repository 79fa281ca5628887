// Runs the test parts in order: unit, nats, vscode (or only the ones named as
// arguments). Each part prints its own counts; the run fails when any part
// fails or runs no test.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNatsServer } from './lib/ensure-nats-server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ALL_PARTS = ['unit', 'nats', 'vscode'];
const requested = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const parts = requested.length > 0 ? requested : ALL_PARTS;

for (const part of parts) {
  if (!ALL_PARTS.includes(part)) {
    console.error(`Unknown test part '${part}'. Use one or more of: ${ALL_PARTS.join(', ')}.`);
    process.exit(2);
  }
}

function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', ...options });
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** Reads the summary counts that Node's TAP reporter writes at the end. */
function tapCounts(file) {
  const text = readFileSync(file, 'utf8');
  const count = (name) => Number((text.match(new RegExp(`^# ${name} (\\d+)$`, 'm')) ?? [])[1] ?? 0);
  return { tests: count('tests'), pass: count('pass'), fail: count('fail'), cancelled: count('cancelled') };
}

async function compile() {
  rmSync(path.join(root, 'out'), { recursive: true, force: true });
  const tsc = await run(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json']);
  if (tsc !== 0) {
    throw new Error('TypeScript compilation failed.');
  }
  const build = await run(process.execPath, [path.join(root, 'scripts/build.mjs')]);
  if (build !== 0) {
    throw new Error('esbuild failed.');
  }
}

async function nodeTests(part, extraEnv = {}) {
  const reportDir = path.join(root, 'test-results');
  mkdirSync(reportDir, { recursive: true });
  const tapFile = path.join(reportDir, `${part}.tap`);
  const code = await run(
    process.execPath,
    [
      '--test',
      '--test-concurrency=1',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tapFile}`,
      path.join('out', 'test', part),
    ],
    { env: { ...process.env, ...extraEnv } },
  );
  const counts = tapCounts(tapFile);
  return { code, ...counts };
}

async function vscodeTests() {
  const code = await run(process.execPath, [path.join(root, 'scripts/vscode/run-tests.mjs')]);
  let counts = { tests: 0, pass: 0, fail: 0 };
  try {
    counts = JSON.parse(readFileSync(path.join(root, 'test-results', 'vscode-summary.json'), 'utf8'));
  } catch {
    // The runner failed before writing a summary; the exit code says so.
  }
  return { code, ...counts };
}

const results = [];
try {
  await compile();
  for (const part of parts) {
    console.log(`\n=== ${part} tests ===`);
    let result;
    if (part === 'unit') {
      result = await nodeTests('unit');
    } else if (part === 'nats') {
      result = await nodeTests('nats', { NATS_SERVER_BIN: ensureNatsServer() });
    } else {
      ensureNatsServer();
      result = await vscodeTests();
    }
    results.push({ part, ...result });
    console.log(`=== ${part}: ${result.pass} passed, ${result.fail} failed, ${result.tests} tests ===`);
  }
} catch (error) {
  console.error(`\n${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

console.log('\nSummary');
let failed = false;
for (const result of results) {
  const ok = result.code === 0 && result.fail === 0 && result.tests > 0;
  failed ||= !ok;
  const why = result.tests === 0 ? ' (no tests ran)' : result.code !== 0 && result.fail === 0 ? ` (exit code ${result.code})` : '';
  console.log(`  ${ok ? 'PASS' : 'FAIL'}  ${result.part.padEnd(7)} ${result.pass}/${result.tests} passed${why}`);
}
process.exit(failed ? 1 : 0);
