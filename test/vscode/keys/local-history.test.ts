import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { createCluster } from '@nats-io/nkeys';
import * as vscode from 'vscode';
import { silentLogger } from '../../../src/core/log';
import { LOCAL_HISTORY_EXCLUDES, LocalHistoryHint } from '../../../src/features/keys/local-history';
import { ScriptedPrompter } from '../../support/scripted-prompter';
import { TempFiles, activateExtension, closeAllEditors } from './support';

const decoder = new TextDecoder();

/** A globalState stand-in, so each test starts as a fresh installation. */
class MemoryMemento implements vscode.Memento {
  private readonly values = new Map<string, unknown>();

  keys(): readonly string[] {
    return [...this.values.keys()];
  }

  get<T>(key: string, defaultValue?: T): T | undefined {
    return this.values.has(key) ? (this.values.get(key) as T) : defaultValue;
  }

  async update(key: string, value: unknown): Promise<void> {
    this.values.set(key, value);
  }
}

/**
 * Returns the Local History folder of the code-server that the test runner
 * starts, whose HOME and user-data folders are siblings in the session
 * folder. Other routes keep user data elsewhere, and the test is skipped.
 */
function historyFolder(): string | undefined {
  const home = process.env.HOME;
  const folder = home === undefined ? undefined : path.join(home, '..', 'user-data', 'User', 'History');
  return folder !== undefined && existsSync(folder) ? folder : undefined;
}

/** Returns the resources that have Local History entries, read from each entry folder's entries.json. */
function historyResources(folder: string): string[] {
  return readdirSync(folder).flatMap((entry) => {
    const index = path.join(folder, entry, 'entries.json');
    if (!existsSync(index)) {
      return [];
    }
    try {
      return [String((JSON.parse(readFileSync(index, 'utf8')) as { resource?: unknown }).resource)];
    } catch {
      return [];
    }
  });
}

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
}

suite('Keys: local history', () => {
  let files: TempFiles;

  suiteSetup(async () => {
    await activateExtension();
    files = new TempFiles();
  });

  teardown(async () => {
    await closeAllEditors();
  });

  suiteTeardown(() => {
    files.dispose();
  });

  test('default excludes .env files', () => {
    const inspected = vscode.workspace.getConfiguration('workbench.localHistory').inspect<Record<string, boolean>>('exclude');
    for (const pattern of LOCAL_HISTORY_EXCLUDES) {
      assert.equal(inspected?.defaultValue?.[pattern], true, `the default of workbench.localHistory.exclude lacks ${pattern}`);
    }
    const manifest = vscode.extensions.all.find((extension) => extension.packageJSON?.name === 'wasmcloud-lattice')?.packageJSON as
      | { contributes?: { configurationDefaults?: Record<string, Record<string, boolean>> } }
      | undefined;
    assert.deepEqual(Object.keys(manifest?.contributes?.configurationDefaults?.['workbench.localHistory.exclude'] ?? {}), [...LOCAL_HISTORY_EXCLUDES]);
  });

  test('saved .env skips local history', async function () {
    const folder = historyFolder();
    if (folder === undefined) {
      this.skip();
    }
    const seed = decoder.decode(createCluster().getSeed());
    const saveEdited = async (name: string, content: string): Promise<vscode.Uri> => {
      const editor = await files.open(name, '');
      assert.ok(await editor.edit((builder) => builder.insert(new vscode.Position(0, 0), content)));
      assert.ok(await editor.document.save(), `${name} was not saved`);
      return editor.document.uri;
    };
    const recorded = (uri: vscode.Uri): boolean => historyResources(folder).some((resource) => resource.endsWith(uri.path));

    // A text file is recorded, which shows that Local History is on and this is its folder.
    const before = await saveEdited('history-before.txt', 'not secret\n');
    assert.ok(await waitUntil(() => recorded(before), 10_000), 'Local History recorded no entry for a saved .txt file');

    const hostFile = await saveEdited('history.env', `WASMCLOUD_LATTICE_PREFIX=keys-history\nWASMCLOUD_CLUSTER_SEED=${seed}\n`);
    const dotEnv = await saveEdited('.env.local', `WASMCLOUD_CLUSTER_SEED=${seed}\n`);
    // A later save that is recorded means the .env saves were handled too.
    const after = await saveEdited('history-after.txt', 'not secret either\n');
    assert.ok(await waitUntil(() => recorded(after), 10_000), 'Local History recorded no entry for the second .txt file');
    assert.equal(recorded(hostFile), false, 'Local History kept a copy of history.env');
    assert.equal(recorded(dotEnv), false, 'Local History kept a copy of .env.local');
  });

  test('hint shown once per installation', async () => {
    const prompter = new ScriptedPrompter();
    const hint = new LocalHistoryHint(new MemoryMemento(), silentLogger, { get: () => prompter });

    const notes = await files.open('seed-notes.txt', 'seed\n');
    hint.seedWritten(notes.document);
    hint.seedWritten(notes.document);
    assert.equal(prompter.notifications.length, 1);
    assert.equal(
      prompter.notifications[0].message,
      "VS Code's Local History stores a copy of seed-notes.txt, seed included, each time the file is saved. wasmCloud Lattice excludes .env files from it by default. Add this file to the setting workbench.localHistory.exclude to keep its seed out too.",
    );
    assert.deepEqual(prompter.notifications[0].buttons, ['Open Setting']);
  });

  test('no hint for .env files', async () => {
    const prompter = new ScriptedPrompter();
    const hint = new LocalHistoryHint(new MemoryMemento(), silentLogger, { get: () => prompter });

    for (const name of ['hint.env', '.env.production']) {
      hint.seedWritten((await files.open(name, 'WASMCLOUD_LATTICE_PREFIX=keys-hint\n')).document);
    }
    const untitled = await vscode.workspace.openTextDocument({ content: 'seed' });
    hint.seedWritten(untitled);
    assert.deepEqual(prompter.notifications, []);
  });
});
