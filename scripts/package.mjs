// Builds the release bundle (minified, no source maps) and packs it into
// wasmcloud-lattice-<version>.vsix with @vscode/vsce. esbuild bundles every
// runtime dependency, so the VSIX ships no node_modules; .vscodeignore lists
// what goes in.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const vsix = `${manifest.name}-${manifest.version}.vsix`;

function run(args) {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`\`node ${args.join(' ')}\` failed (exit code ${result.status ?? result.signal}).`);
    process.exit(1);
  }
}

run([path.join('scripts', 'build.mjs'), '--production']);

const vsceArgs = [path.join('node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--out', vsix];
// NOTE: package.json has no `repository` field until the project's public
// repository URL is decided; until then vsce needs this flag to pack.
if (manifest.repository === undefined) {
  vsceArgs.push('--allow-missing-repository');
  // Without a repository vsce cannot make the README's image links absolute.
  // They stay relative, and VS Code resolves them inside the installed
  // extension, which ships media/.
  vsceArgs.push('--no-rewrite-relative-links');
}
run(vsceArgs);

const sizeKiB = (statSync(path.join(root, vsix)).size / 1024).toFixed(1);
console.log(`Packed ${vsix} (${sizeKiB} KiB). Install it with: code --install-extension ${vsix}`);
