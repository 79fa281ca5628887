// `npm run bench`: compiles the benchmarks into .bench/out/, builds and
// stages the release bundle in .bench/extension/, makes sure nats-server is
// installed, then runs .bench/out/bench/index.js with the given arguments
// (`npm run bench -- --only parse,lint-file`). With `--cpu-prof` it writes a
// V8 CPU profile of the run to .bench/profiles/; summarize one with
// `node .bench/out/bench/profile-summary.js FILE`.
//
// Everything goes under .bench/ (git-ignored), so a benchmark run and an
// `npm test` in the same tree, which deletes out/ and rebuilds dist/, never
// replace each other's files. The VS Code rows install code-server and
// chromium on first use, with the extension test harness's installer.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNatsServer } from './lib/ensure-nats-server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = path.join(root, '.bench');
const extensionDir = path.join(benchDir, 'extension');

function step(what, args, options = {}) {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    console.error(`npm run bench: ${what} failed (exit code ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
}

rmSync(path.join(benchDir, 'out'), { recursive: true, force: true });
step('compiling the benchmarks', [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'bench', 'tsconfig.json')]);

// scripts/build.mjs resolves src/ and dist/ against its working folder, so
// running it in the staging folder, with src/ linked there, writes the
// release bundles into .bench/extension/dist/ with the same options as a
// release, and leaves the tree's dist/ alone.
rmSync(extensionDir, { recursive: true, force: true });
mkdirSync(extensionDir, { recursive: true });
symlinkSync(path.join(root, 'src'), path.join(extensionDir, 'src'), 'dir');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
if (existsSync(path.join(root, 'media'))) {
  cpSync(path.join(root, 'media'), path.join(extensionDir, 'media'), { recursive: true });
}
step('the release build', [path.join(root, 'scripts', 'build.mjs'), '--production'], { cwd: extensionDir });
for (const bundle of ['extension.js', 'cli.js']) {
  if (readFileSync(path.join(extensionDir, 'dist', bundle), 'utf8').includes('sourceMappingURL')) {
    console.error(`npm run bench: .bench/extension/dist/${bundle} is not a release build (it has a source map link).`);
    process.exit(1);
  }
}
// The staged manifest's `main` is the activation probe, which loads the
// release bundle beside it and times its activate() in the VS Code rows.
cpSync(path.join(benchDir, 'out', 'bench', 'vscode', 'activation-probe.js'), path.join(extensionDir, 'dist', 'activation-probe.js'));
writeFileSync(path.join(extensionDir, 'package.json'), `${JSON.stringify({ ...manifest, main: './dist/activation-probe.js' }, null, 2)}\n`);

const natsServer = ensureNatsServer();
const args = process.argv.slice(2);
const profile = args.includes('--cpu-prof') ? ['--cpu-prof', '--cpu-prof-dir', path.join(benchDir, 'profiles')] : [];
step('the benchmarks', [...profile, path.join(benchDir, 'out', 'bench', 'index.js'), ...args.filter((arg) => arg !== '--cpu-prof')], {
  env: { ...process.env, NATS_SERVER_BIN: natsServer, WCL_BENCH_EXTENSION: extensionDir },
});
