/**
 * Extension-host entry of `first-diagnostics`: opens 500-line host files in
 * editors and times each until its diagnostics are in VS Code's diagnostics
 * collection, then edits the effective WASMCLOUD_CTL_PORT line of an open
 * file and times until the new finding appears.
 *
 * Before each .env file it opens a .txt file with the same text, which the
 * extension does not lint, and times until the extension host has that
 * document: VS Code's own share of an open, as the reference.
 *
 * The clock stops when `vscode.languages.getDiagnostics(uri)` returns the
 * findings, polled every turn of the event loop. The diagnostics change event
 * would add VS Code's own 50 ms debounce of that event.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { parseDotenv } from '../../src/core/dotenv/index';
import { LINT_DEBOUNCE_MS } from '../../src/features/lint/controller';
import { EXTENSION_ID, nextTurn, sleep, writeResult } from './extension-host';

/** Files opened before the timed ones; the first open also starts the workspace pass. */
const WARMUP_OPENS = 2;
const WARMUP_EDITS = 1;
const TIMED_EDITS = 5;
const WAIT_TIMEOUT_MS = 30_000;
/** Pause after the warm-up, so the workspace pass over the few files here is over. */
const SETTLE_MS = 1000;

function findings(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'wasmCloud Lattice');
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + WAIT_TIMEOUT_MS;
  while (!condition()) {
    if (performance.now() > deadline) {
      throw new Error(`Timed out after ${WAIT_TIMEOUT_MS} ms waiting for ${what}.`);
    }
    await nextTurn();
  }
}

/** Times when each document reached the extension host, by URI. */
const openedAt = new Map<string, number>();

/** Opens a file the extension ignores and returns the milliseconds until the extension host has the document. */
async function timeReferenceOpen(uri: vscode.Uri): Promise<number> {
  const start = performance.now();
  const editorShown = vscode.window.showTextDocument(uri, { preview: false });
  await waitFor(() => openedAt.has(uri.toString()), `the document ${path.basename(uri.fsPath)}`);
  await editorShown;
  return (openedAt.get(uri.toString()) as number) - start;
}

/**
 * Times when documents reached the extension host, recorded by the activation
 * probe (bench/vscode/activation-probe.ts) with a listener that runs before
 * the extension's own.
 */
function documentArrivals(): ReadonlyMap<string, number> | undefined {
  return (globalThis as { __wclBenchDocumentArrivals?: Map<string, number> }).__wclBenchDocumentArrivals;
}

/**
 * Opens `uri` in an editor and returns the milliseconds until its findings
 * are published, in all and from the moment the extension host had the
 * document: the extension's share.
 */
async function timeOpen(uri: vscode.Uri): Promise<{ elapsed: number; extension: number }> {
  if (findings(uri).length > 0) {
    throw new Error(`${uri.fsPath} already has findings before it was opened.`);
  }
  const start = performance.now();
  const editorShown = vscode.window.showTextDocument(uri, { preview: false });
  await waitFor(() => findings(uri).length > 0, `the findings of ${path.basename(uri.fsPath)}`);
  const published = performance.now();
  await editorShown;
  const arrived = documentArrivals()?.get(uri.toString());
  if (arrived === undefined) {
    throw new Error(`The activation probe recorded no arrival of ${path.basename(uri.fsPath)} in the extension host.`);
  }
  return { elapsed: published - start, extension: published - arrived };
}

/**
 * Replaces the value of the effective WASMCLOUD_CTL_PORT entry and returns
 * the milliseconds until a `port-invalid` finding on that line appears (for
 * `42x2`) or disappears (for `4222`).
 */
async function timeEdit(editor: vscode.TextEditor, value: string): Promise<number> {
  const document = editor.document;
  const entries = parseDotenv(document.getText()).entries.filter((entry) => entry.key === 'WASMCLOUD_CTL_PORT');
  const entry = entries[entries.length - 1];
  if (entry === undefined) {
    throw new Error(`${document.fileName} has no WASMCLOUD_CTL_PORT line to edit.`);
  }
  const line = entry.valueRange.startLine;
  const range = new vscode.Range(line, entry.valueRange.startColumn, entry.valueRange.endLine, entry.valueRange.endColumn);
  const expectFinding = value !== '4222';
  const hasFinding = (): boolean => findings(document.uri).some((diagnostic) => diagnostic.code === 'port-invalid' && diagnostic.range.start.line === line);

  const start = performance.now();
  const applied = await editor.edit((builder) => builder.replace(range, value));
  if (!applied) {
    throw new Error(`VS Code did not apply the edit to ${document.fileName}.`);
  }
  await waitFor(() => hasFinding() === expectFinding, `the port-invalid finding to ${expectFinding ? 'appear' : 'go away'}`);
  return performance.now() - start;
}

/**
 * Starts a CPU profile of this extension host when WCL_BENCH_CPU_PROFILE
 * names a file; the returned function stops it and writes the profile there.
 */
async function startProfile(): Promise<() => Promise<void>> {
  const target = process.env.WCL_BENCH_CPU_PROFILE;
  if (target === undefined || target === '') {
    return async () => undefined;
  }
  const session = new Session();
  session.connect();
  const post = (method: string, params: object = {}): Promise<unknown> =>
    new Promise((resolve, reject) => session.post(method, params, (error, result) => (error === null ? resolve(result) : reject(error))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 100 });
  await post('Profiler.start');
  return async () => {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    writeFileSync(target, JSON.stringify(profile));
    session.disconnect();
  };
}

export async function run(): Promise<void> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (extension === undefined) {
    throw new Error(`${EXTENSION_ID} is not loaded in this window.`);
  }
  await extension.activate();

  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (folder === undefined) {
    throw new Error('The benchmark window has no workspace folder.');
  }
  const directory = path.join(folder, 'first-diagnostics');
  const files = readdirSync(directory).filter((name) => name.endsWith('.env')).sort().map((name) => vscode.Uri.file(path.join(directory, name)));
  const subscription = vscode.workspace.onDidOpenTextDocument((document) => openedAt.set(document.uri.toString(), performance.now()));
  if (files.length <= WARMUP_OPENS) {
    throw new Error(`${directory} contains ${files.length} .env files, but the benchmark needs more than ${WARMUP_OPENS}.`);
  }

  const openMs: number[] = [];
  const extensionMs: number[] = [];
  const referenceOpenMs: number[] = [];
  let stopProfile = async (): Promise<void> => undefined;
  for (const [position, uri] of files.entries()) {
    const reference = await timeReferenceOpen(uri.with({ path: uri.path.replace(/\.env$/, '.txt') }));
    const { elapsed, extension } = await timeOpen(uri);
    if (position >= WARMUP_OPENS) {
      openMs.push(elapsed);
      extensionMs.push(extension);
      referenceOpenMs.push(reference);
    } else if (position === WARMUP_OPENS - 1) {
      await sleep(SETTLE_MS);
      stopProfile = await startProfile();
    }
  }
  await stopProfile();

  const editor = vscode.window.activeTextEditor;
  if (editor === undefined) {
    throw new Error('No editor is active after opening the files.');
  }
  const editMs: number[] = [];
  for (let round = 0; round < WARMUP_EDITS + TIMED_EDITS; round++) {
    const broken = await timeEdit(editor, '42x2');
    const fixed = await timeEdit(editor, '4222');
    if (round >= WARMUP_EDITS) {
      editMs.push(broken, fixed);
    }
  }

  const lines = vscode.window.activeTextEditor?.document.lineCount ?? 0;
  subscription.dispose();
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  writeResult({ kind: 'first-diagnostics', openMs, referenceOpenMs, extensionMs, editMs, debounceMs: LINT_DEBOUNCE_MS, lines });
}
