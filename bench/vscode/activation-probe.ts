/**
 * The `main` of the benchmark's staged copy of the extension
 * (.bench/extension/dist/activation-probe.js, next to the release bundle).
 * It loads the bundle and hands VS Code an activate() that times the
 * bundle's activate() from its start to its return, whenever VS Code
 * activates the extension, at startup included. In trace mode it also
 * records every file system call, child process, socket, DNS request and
 * secret-storage call made while activate() runs, with its stack.
 *
 * It must stay self-contained (Node built-ins only, type imports aside),
 * because scripts/bench.mjs copies the compiled file into the staged dist/.
 * WCL_BENCH_RESULTS names the file for the results, one JSON object per line;
 * WCL_BENCH_CONTROL names a file holding `time` or `trace`, read at load.
 */
import { createHook } from 'node:async_hooks';
import type * as ChildProcessModule from 'node:child_process';
import type * as FsModule from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type * as vscode from 'vscode';
import type { HostResult, TracedIo } from './extension-host';

/**
 * Async resources that stand for I/O: files, sockets, DNS, child processes,
 * file watchers and workers. Timers, promises and ticks are left out.
 */
const IO_RESOURCES = new Set([
  'FSREQCALLBACK',
  'FSREQPROMISE',
  'FILEHANDLE',
  'FILEHANDLECLOSEREQ',
  'FSEVENTWRAP',
  'STATWATCHER',
  'DIRHANDLE',
  'TCPWRAP',
  'TCPSERVERWRAP',
  'TCPCONNECTWRAP',
  'PIPEWRAP',
  'PIPESERVERWRAP',
  'PIPECONNECTWRAP',
  'UDPWRAP',
  'UDPSENDWRAP',
  'TLSWRAP',
  'GETADDRINFOREQWRAP',
  'GETNAMEINFOREQWRAP',
  'QUERYWRAP',
  'HTTPCLIENTREQUEST',
  'PROCESSWRAP',
  'SIGNALWRAP',
  'TTYWRAP',
  'WRITEWRAP',
  'SHUTDOWNWRAP',
  'ZLIB',
  'WORKER',
]);

const STACK_FRAMES_KEPT = 12;

// The modules themselves, not TypeScript's import wrappers, whose properties
// are getters: patching them changes what every other require() returns.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fs = require('node:fs') as typeof FsModule;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const childProcess = require('node:child_process') as typeof ChildProcessModule;

interface ExtensionModule {
  activate(context: vscode.ExtensionContext): unknown;
  deactivate?(): unknown;
}

class IoTracer {
  private active = false;
  /** Prefix for the operations of the tracer's self-check. */
  private label = '';
  readonly events: TracedIo[] = [];

  constructor(private readonly bundlePath: string) {}

  start(): void {
    this.active = true;
  }

  stop(): void {
    this.active = false;
  }

  record(operation: string): void {
    if (!this.active) {
      return;
    }
    this.active = false;
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 60;
    const stack = (new Error().stack ?? '').split('\n').slice(2);
    Error.stackTraceLimit = limit;
    this.events.push({
      operation: `${this.label}${operation}`,
      fromExtension: stack.some((frame) => frame.includes(this.bundlePath)),
      stack: stack.slice(0, STACK_FRAMES_KEPT).map((frame) => frame.trim()).join('\n'),
    });
    this.active = true;
  }

  /**
   * Makes one synchronous and one asynchronous file system call while
   * tracing, which must show up as `self-check:` events. Without them, the
   * trace proves nothing.
   */
  selfCheck(file: string): void {
    this.label = 'self-check: ';
    this.start();
    fs.statSync(file);
    fs.stat(file, () => undefined);
    this.stop();
    this.label = '';
  }

  /**
   * Replaces every function of `target` (a module such as fs) with one that
   * records the call while tracing. The wrapper keeps the original's own
   * properties, such as `fs.realpath.native`. Classes are left alone.
   */
  patch(target: object, label: string, names: readonly string[] = Object.keys(target)): void {
    const record = this.record.bind(this);
    for (const name of names) {
      const descriptor = Object.getOwnPropertyDescriptor(target, name);
      const original: unknown = descriptor?.value;
      if (typeof original !== 'function' || !/^[a-z]/.test(name) || descriptor?.writable !== true) {
        continue;
      }
      const wrapper = function (this: unknown, ...args: unknown[]): unknown {
        record(`${label}.${name}`);
        return (original as (...values: unknown[]) => unknown).apply(this, args);
      };
      for (const key of Reflect.ownKeys(original)) {
        if (key !== 'length' && key !== 'name' && key !== 'prototype') {
          Object.defineProperty(wrapper, key, Object.getOwnPropertyDescriptor(original, key) as PropertyDescriptor);
        }
      }
      (target as Record<string, unknown>)[name] = wrapper;
    }
  }

  /**
   * Returns an object that reads through to `target` but records calls of
   * `methods`. VS Code freezes the context and `workspace.fs`, so the object
   * inherits from them rather than wrapping them in a Proxy.
   */
  private watchMethods<T extends object>(target: T, label: string, methods: readonly string[]): T {
    const record = this.record.bind(this);
    const watched = Object.create(target) as T;
    for (const method of methods) {
      const value: unknown = Reflect.get(target, method);
      if (typeof value === 'function') {
        Object.defineProperty(watched, method, {
          value: (...args: unknown[]) => {
            record(`${label}.${method}`);
            return (value as (...values: unknown[]) => unknown).apply(target, args);
          },
        });
      }
    }
    return watched;
  }

  /**
   * Returns a context whose secret storage calls and state updates are
   * recorded, and records the calls of this extension's `vscode` API object
   * that read files through the workbench.
   */
  watchContext(context: vscode.ExtensionContext): vscode.ExtensionContext {
    // The probe sits in the extension's folder, so require('vscode') returns the API object the bundle gets.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const api = require('vscode') as typeof vscode;
    this.patch(api.workspace, 'vscode.workspace', ['findFiles', 'findFiles2', 'findTextInFiles', 'openTextDocument', 'openNotebookDocument', 'saveAll']);
    const watchedFs = this.watchMethods(api.workspace.fs, 'vscode.workspace.fs', ['stat', 'readDirectory', 'createDirectory', 'readFile', 'writeFile', 'delete', 'rename', 'copy']);
    Object.defineProperty(api.workspace, 'fs', { get: () => watchedFs, configurable: true });

    const watched = Object.create(context) as vscode.ExtensionContext;
    Object.defineProperties(watched, {
      secrets: { value: this.watchMethods(context.secrets, 'context.secrets', ['get', 'store', 'delete', 'keys']) },
      globalState: { value: this.watchMethods(context.globalState, 'context.globalState', ['update']) },
      workspaceState: { value: this.watchMethods(context.workspaceState, 'context.workspaceState', ['update']) },
    });
    return watched;
  }
}

function writeResult(result: HostResult): void {
  const file = process.env.WCL_BENCH_RESULTS;
  if (file !== undefined && file !== '') {
    fs.appendFileSync(file, `${JSON.stringify(result)}\n`);
  }
}

function readMode(): 'time' | 'trace' {
  const control = process.env.WCL_BENCH_CONTROL;
  if (control === undefined || control === '') {
    return 'time';
  }
  try {
    return fs.readFileSync(control, 'utf8').trim() === 'trace' ? 'trace' : 'time';
  } catch {
    return 'time';
  }
}

const bundlePath = path.join(__dirname, 'extension.js');
const tracer = readMode() === 'trace' ? new IoTracer(bundlePath) : undefined;
const hook =
  tracer === undefined
    ? undefined
    : createHook({
        init: (_asyncId, type) => {
          if (IO_RESOURCES.has(type)) {
            tracer.record(`async ${type}`);
          }
        },
      });
// Patched before the bundle loads, so functions it keeps from load time are the recording ones.
if (tracer !== undefined) {
  tracer.patch(fs, 'fs');
  tracer.patch(fs.promises, 'fs.promises');
  tracer.patch(childProcess, 'child_process');
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bundle = require(bundlePath) as ExtensionModule;

/**
 * Name of the global map from document URI to the time the document reached
 * the extension host. The probe's listener is registered before the bundle's
 * own, so `first-diagnostics` can split an open into VS Code's share and the
 * extension's.
 */
const DOCUMENT_ARRIVALS_GLOBAL = '__wclBenchDocumentArrivals';

function recordDocumentArrivals(context: vscode.ExtensionContext): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const api = require('vscode') as typeof vscode;
  const arrivals = new Map<string, number>();
  (globalThis as Record<string, unknown>)[DOCUMENT_ARRIVALS_GLOBAL] = arrivals;
  context.subscriptions.push(api.workspace.onDidOpenTextDocument((document) => arrivals.set(document.uri.toString(), performance.now())));
}

export function activate(context: vscode.ExtensionContext): unknown {
  if (tracer === undefined || hook === undefined) {
    recordDocumentArrivals(context);
    const start = performance.now();
    let activateMs = Number.NaN;
    try {
      return bundle.activate(context);
    } finally {
      activateMs = performance.now() - start;
      writeResult({ kind: 'activation', activateMs });
    }
  }
  const watched = tracer.watchContext(context);
  tracer.selfCheck(bundlePath);
  let activateMs = Number.NaN;
  hook.enable();
  tracer.start();
  const start = performance.now();
  try {
    return bundle.activate(watched);
  } finally {
    activateMs = performance.now() - start;
    tracer.stop();
    hook.disable();
    writeResult({ kind: 'activation-trace', activateMs, events: tracer.events });
  }
}

export function deactivate(): unknown {
  return bundle.deactivate?.();
}
