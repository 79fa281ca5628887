/**
 * Starts real nats-server processes for tests: one server with JetStream, or a
 * JetStream cluster on loopback. Every server listens on 127.0.0.1 on a free
 * port, keeps its store in a temp folder and is killed when the test process
 * exits, also after a failure.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { recordConfigSecrets } from './secret-capture';

const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 10_000;

const running = new Set<ChildProcess>();
const tempDirs = new Set<string>();

process.once('exit', () => {
  for (const child of running) {
    child.kill('SIGKILL');
  }
  for (const dir of tempDirs) {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Returns the nats-server binary's path, or throws with the install command. */
export function natsServerBinary(): string {
  const fromEnv = process.env.NATS_SERVER_BIN;
  if (fromEnv !== undefined && fromEnv !== '') {
    return fromEnv;
  }
  for (const candidate of ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server']) {
    if (existsSync(candidate)) {
      return candidate;
    }
  }
  const which = spawnSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' });
  const found = which.stdout.trim();
  if (which.status === 0 && found !== '') {
    return found;
  }
  throw new Error(
    'nats-server was not found. Install it with `sudo apt-get install nats-server` (Debian or Ubuntu), ' +
      'or set NATS_SERVER_BIN to its path.',
  );
}

/** Finds a free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') {
          resolve(address.port);
        } else {
          reject(new Error('could not read the port of a probe socket'));
        }
      });
    });
  });
}

/** Resolves once a client connection to `port` receives the server's INFO line. */
async function waitForInfo(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`nats-server exited (code ${child.exitCode}, signal ${child.signalCode}) before accepting connections:\n${output()}`);
    }
    const ready = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: HOST, port });
      socket.setTimeout(500);
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString('utf8').startsWith('INFO '));
      });
      socket.once('timeout', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(false));
    });
    if (ready) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nats-server on port ${port} did not accept connections within ${START_TIMEOUT_MS} ms:\n${output()}`);
}

export interface NatsServerOptions {
  /** Enable JetStream (default true). */
  jetstream?: boolean;
  /** Extra configuration text appended to the generated config file (accounts, authorization, tls…). */
  config?: string;
  /** JetStream block options such as `domain: hub`, placed inside `jetstream { … }`. */
  jetstreamConfig?: string;
  /** Server name (default: a unique one). */
  serverName?: string;
  /** Fixed client port (default: a free one). */
  port?: number;
  /** Cluster block text, used by startNatsCluster. */
  clusterConfig?: string;
  /** Store folder to reuse (default: a new temp folder). */
  storeDir?: string;
}

export class NatsServer {
  readonly host = HOST;
  private child: ChildProcess | undefined;
  private log = '';

  private constructor(
    readonly port: number,
    readonly dir: string,
    readonly storeDir: string,
    readonly configFile: string,
    private readonly options: NatsServerOptions,
  ) {}

  /** Starts a server and waits until it accepts connections. */
  static async start(options: NatsServerOptions = {}): Promise<NatsServer> {
    const dir = mkdtempSync(path.join(tmpdir(), 'wcl-nats-'));
    tempDirs.add(dir);
    const port = options.port ?? (await freePort());
    const storeDir = options.storeDir ?? path.join(dir, 'store');
    const server = new NatsServer(port, dir, storeDir, path.join(dir, 'server.conf'), options);
    server.writeConfig(options.config ?? '');
    await server.launch();
    return server;
  }

  /** `nats://127.0.0.1:PORT`. */
  get url(): string {
    return `nats://${HOST}:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Everything the server wrote to stdout and stderr since it last started. */
  get output(): string {
    return this.log;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Rewrites the config file with `config` as the extra text (for reload tests). */
  writeConfig(config: string): void {
    const jetstream = (this.options.jetstream ?? true)
      ? `jetstream {\n  store_dir: ${JSON.stringify(this.storeDir)}\n  ${this.options.jetstreamConfig ?? ''}\n}\n`
      : '';
    const text = [
      `listen: ${HOST}:${this.port}`,
      `server_name: ${JSON.stringify(this.options.serverName ?? `wcl-test-${this.port}`)}`,
      jetstream,
      this.options.clusterConfig ?? '',
      config,
    ].join('\n');
    // The secret scan after the extension tests looks for these in logs and settings.
    recordConfigSecrets(config);
    writeFileSync(this.configFile, text);
  }

  /** Asks the running server to reread its config file (SIGHUP). */
  async reload(config?: string): Promise<void> {
    if (config !== undefined) {
      this.writeConfig(config);
    }
    this.child?.kill('SIGHUP');
    await new Promise((resolve) => setTimeout(resolve, 300));
  }

  private async launch(): Promise<void> {
    this.log = '';
    const child = spawn(natsServerBinary(), ['-c', this.configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    running.add(child);
    const append = (chunk: Buffer): void => {
      this.log += chunk.toString('utf8');
      if (this.log.length > 200_000) {
        this.log = this.log.slice(-100_000);
      }
    };
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    child.once('exit', () => running.delete(child));
    await waitForInfo(this.port, child, () => this.log);
  }

  /** Stops the server gracefully and waits for it to exit. */
  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  /** Kills the server at once, as a crash would. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** Suspends the server process (SIGSTOP). Its connections stay open, but it processes nothing until `resume`. */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  /** Lets a paused server run again (SIGCONT). */
  resume(): void {
    this.child?.kill('SIGCONT');
  }

  /** Starts the server again on the same port with the same store. */
  async restart(): Promise<void> {
    if (this.running) {
      await this.stop();
    }
    await this.launch();
  }

  /** Stops the server and removes its folder. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
    tempDirs.delete(this.dir);
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) {
      return;
    }
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

export interface NatsCluster {
  readonly nodes: NatsServer[];
  /** Comma-separated client URLs of every node. */
  readonly urls: string;
  stopNode(index: number): Promise<void>;
  startNode(index: number): Promise<void>;
  dispose(): Promise<void>;
}

/**
 * Starts a JetStream cluster of `size` nodes on loopback. JetStream needs a
 * meta leader before it answers; call `waitForJetStream` from a client test.
 */
export async function startNatsCluster(size = 3, options: Pick<NatsServerOptions, 'config' | 'jetstreamConfig'> = {}): Promise<NatsCluster> {
  const clusterName = `wcl-cluster-${process.pid}-${Date.now()}`;
  const clientPorts: number[] = [];
  const routePorts: number[] = [];
  for (let i = 0; i < size; i++) {
    clientPorts.push(await freePort());
    routePorts.push(await freePort());
  }
  const routes = routePorts.map((port) => `nats-route://${HOST}:${port}`);
  const nodes = await Promise.all(
    clientPorts.map((port, i) =>
      NatsServer.start({
        ...options,
        port,
        serverName: `${clusterName}-n${i + 1}`,
        clusterConfig: `cluster {\n  name: ${JSON.stringify(clusterName)}\n  listen: ${HOST}:${routePorts[i]}\n  routes: [${routes.map((route) => JSON.stringify(route)).join(', ')}]\n}\n`,
      }),
    ),
  );
  return {
    nodes,
    urls: nodes.map((node) => node.url).join(','),
    stopNode: (index) => nodes[index].stop(),
    startNode: (index) => nodes[index].restart(),
    dispose: async () => {
      await Promise.all(nodes.map((node) => node.dispose()));
    },
  };
}
