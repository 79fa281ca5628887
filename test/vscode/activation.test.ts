import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/features/shared/deps';

interface Manifest {
  publisher: string;
  name: string;
  activationEvents?: string[];
  contributes?: { commands?: { command: string }[] };
}

suite('Activation', () => {
  let extension: vscode.Extension<ExtensionApi>;
  let manifest: Manifest;

  suiteSetup(() => {
    const found = vscode.extensions.all.find((candidate) => candidate.packageJSON?.name === 'wasmcloud-lattice');
    assert.ok(found, 'the wasmcloud-lattice extension is not loaded in this VS Code');
    extension = found as vscode.Extension<ExtensionApi>;
    manifest = extension.packageJSON as Manifest;
  });

  test('extension id matches manifest', () => {
    assert.equal(extension.id, `${manifest.publisher}.${manifest.name}`);
  });

  test('manifest has no eager activation', () => {
    const events = manifest.activationEvents ?? [];
    assert.ok(!events.includes('*'), `activationEvents contains '*': ${JSON.stringify(events)}`);
    assert.ok(!events.includes('onStartupFinished'), `activationEvents contains 'onStartupFinished': ${JSON.stringify(events)}`);
  });

  test('activate returns the API', async () => {
    const api = await extension.activate();
    assert.equal(extension.isActive, true);
    assert.equal(typeof api.setPrompter, 'function');
    assert.equal(typeof api.notifications, 'function');
    assert.ok(Array.isArray(api.notifications()));
  });

  test('contributed commands are registered', async () => {
    await extension.activate();
    const contributed = (manifest.contributes?.commands ?? []).map((entry) => entry.command);
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((command) => !registered.has(command));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  test('Show Log command runs', async () => {
    await vscode.commands.executeCommand('wasmcloudLattice.showLog');
  });
});
