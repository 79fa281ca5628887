// Starts code-server on 127.0.0.1 with folders of its own (HOME, TMPDIR,
// user data, extensions), so a run never reads or writes the user's VS Code
// state, and stops it with every process it forked.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { URLSearchParams } from 'node:url';
import { node24Env } from './tools.mjs';

export const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 60_000;

/**
 * User settings that keep the workbench quiet and deterministic: no welcome
 * page or walkthrough taking focus, no update, telemetry, chat or
 * recommendation pop-ups, no restored editors.
 */
export const TEST_USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'security.workspace.trust.enabled': false,
  'window.restoreWindows': 'none',
  'files.hotExit': 'off',
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
};

/** Finds a free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Returns true when something on 127.0.0.1 accepts connections on `port`. */
export function isPortInUse(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: HOST, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function healthz(port) {
  return new Promise((resolve) => {
    const request = http.get({ host: HOST, port, path: '/healthz', timeout: 1_000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.once('timeout', () => request.destroy());
    request.once('error', () => resolve(false));
  });
}

function tail(file, lines = 40) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no output)';
  }
}

/**
 * Starts code-server and resolves once `/healthz` responds with 200.
 *
 * @param {object} options
 * @param {{node: string, codeServer: string}} options.tools paths from ensureTools()
 * @param {string} options.sessionDir folder for HOME, TMPDIR, user data, extensions and the log
 * @param {Record<string, unknown>} [options.userSettings] settings.json content (default TEST_USER_SETTINGS)
 * @param {Record<string, string>} [options.env] extra environment, inherited by the extension host
 * @param {number} [options.port] fixed port (default: a free one)
 * @param {boolean} [options.workspaceTrust] keep workspace trust on, so a folder opens in restricted mode (default false)
 */
export async function startCodeServer({ tools, sessionDir, userSettings = TEST_USER_SETTINGS, env = {}, port, workspaceTrust = false }) {
  const dirs = {
    home: path.join(sessionDir, 'home'),
    tmp: path.join(sessionDir, 'tmp'),
    userData: path.join(sessionDir, 'user-data'),
    extensions: path.join(sessionDir, 'extensions'),
  };
  for (const dir of Object.values(dirs)) {
    mkdirSync(dir, { recursive: true });
  }
  mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  writeFileSync(path.join(dirs.userData, 'User', 'settings.json'), `${JSON.stringify(userSettings, null, 2)}\n`);

  const listenPort = port ?? (await freePort());
  const configFile = path.join(sessionDir, 'config.yaml');
  writeFileSync(configFile, `bind-addr: ${HOST}:${listenPort}\nauth: none\ncert: false\n`);

  // The package's bin script starts with `#!/usr/bin/env node`, which would
  // pick Node 20; run its entry point with Node 24 instead.
  const entry = path.join(path.dirname(tools.codeServer), '..', 'code-server', 'out', 'node', 'entry.js');
  const args = [
    entry,
    '--config', configFile,
    '--bind-addr', `${HOST}:${listenPort}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
    '--vscode-option', 'enable-smoke-test-driver',
  ];
  const logFile = path.join(sessionDir, 'code-server.log');
  const log = createWriteStream(logFile);
  const child = spawn(tools.node, args, {
    cwd: sessionDir,
    // A process group of its own, so stop() also ends the extension hosts and
    // the pty host that code-server forks.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...node24Env(),
      HOME: dirs.home,
      TMPDIR: dirs.tmp,
      XDG_CONFIG_HOME: path.join(dirs.home, '.config'),
      XDG_DATA_HOME: path.join(dirs.home, '.local', 'share'),
      // A gallery without a service URL turns the extension gallery off, so
      // the server never queries open-vsx.org.
      EXTENSIONS_GALLERY: '{}',
      ...env,
    },
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);

  const killGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  const killOnExit = () => killGroup('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      killGroup('SIGTERM');
      const timer = setTimeout(() => killGroup('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    // Extension hosts can outlive the server by a moment.
    killGroup('SIGKILL');
    await new Promise((resolve) => log.end(resolve));
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await healthz(listenPort))) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(`code-server exited (code ${child.exitCode}, signal ${child.signalCode}) before /healthz responded:\n${tail(logFile)}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not respond on http://${HOST}:${listenPort}/healthz within ${START_TIMEOUT_MS / 1000} s:\n${tail(logFile)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  return {
    port: listenPort,
    url: `http://${HOST}:${listenPort}`,
    dirs,
    logFile,
    logTail: (lines) => tail(logFile, lines),
    stop,
  };
}

/** `vscode-remote://remote/ABS`: the form code-server's web client resolves on the server. */
export function remoteUri(absolutePath) {
  return `vscode-remote://remote${encodeURI(absolutePath)}`;
}

/**
 * Builds the workbench URL for `folder`. With `extensionDevelopmentPath` the
 * window loads the extension from that folder; with `extensionTestsPath` it
 * also runs that module's `run()` and reports through `codeAutomationExit`.
 */
export function workbenchUrl(baseUrl, folder, { extensionDevelopmentPath, extensionTestsPath } = {}) {
  const params = new URLSearchParams({ folder });
  const payload = [];
  if (extensionDevelopmentPath !== undefined) {
    payload.push(['extensionDevelopmentPath', remoteUri(extensionDevelopmentPath)]);
  }
  if (extensionTestsPath !== undefined) {
    payload.push(['extensionTestsPath', remoteUri(extensionTestsPath)]);
  }
  if (payload.length > 0) {
    params.set('payload', JSON.stringify(payload));
  }
  return `${baseUrl}/?${params.toString()}`;
}
