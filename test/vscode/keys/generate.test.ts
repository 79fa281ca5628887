import * as assert from 'node:assert/strict';
import { createCluster, fromSeed } from '@nats-io/nkeys';
import { parse } from 'dotenv';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/features/shared/deps';
import type { ScriptedPrompter } from '../../support/scripted-prompter';
import { LogCapture, TempFiles, activateExtension, assertNoErrors, closeAllEditors, scriptPrompter, seedsIn } from './support';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function publicKeyOf(seed: string): string {
  return fromSeed(encoder.encode(seed)).getPublicKey();
}

function countAssignments(text: string, variable: string): number {
  return text.split(/\r?\n/).filter((line) => line.startsWith(`${variable}=`)).length;
}

// Each .env file sets its own lattice, so the validation of other suites never
// compares it with their files.
suite('Keys: generate', () => {
  let api: ExtensionApi;
  let prompter: ScriptedPrompter;
  let log: LogCapture;
  let files: TempFiles;
  /** Every seed the flows produced, to look for in the log and the notifications. */
  const seeds = new Set<string>();
  /** Every text the scripted prompters showed. */
  const shown: string[] = [];

  suiteSetup(async () => {
    api = await activateExtension();
    log = new LogCapture(api);
    files = new TempFiles();
  });

  setup(() => {
    prompter = scriptPrompter(api);
  });

  teardown(async () => {
    shown.push(...prompter.shownTexts());
    for (const editor of vscode.window.visibleTextEditors) {
      seedsIn(editor.document.getText()).forEach((seed) => seeds.add(seed));
    }
    await closeAllEditors();
  });

  suiteTeardown(() => {
    api.setPrompter(undefined);
    log.dispose();
    files.dispose();
  });

  test('cluster key into empty .env', async () => {
    const editor = await files.open('fresh.env', 'WASMCLOUD_LATTICE_PREFIX=keys-fresh\n');
    prompter.answerPicks('Insert into fresh.env');

    await vscode.commands.executeCommand('wasmcloudLattice.generateClusterKey');

    assertNoErrors(prompter);
    prompter.assertAllAnswersUsed();
    const text = editor.document.getText();
    const values = parse(text);
    assert.equal(values.WASMCLOUD_LATTICE_PREFIX, 'keys-fresh');
    assert.match(values.WASMCLOUD_CLUSTER_SEED ?? '', /^SC[A-Z2-7]{56}$/);
    assert.match(values.WASMCLOUD_CLUSTER_ISSUERS ?? '', /^C[A-Z2-7]{55}$/);
    assert.equal(publicKeyOf(values.WASMCLOUD_CLUSTER_SEED), values.WASMCLOUD_CLUSTER_ISSUERS);
    assert.equal(countAssignments(text, 'WASMCLOUD_CLUSTER_SEED'), 1);
    assert.equal(countAssignments(text, 'WASMCLOUD_CLUSTER_ISSUERS'), 1);
    assert.ok(prompter.notifications.some((notification) => notification.message === 'Updated WASMCLOUD_CLUSTER_SEED and WASMCLOUD_CLUSTER_ISSUERS in fresh.env.'));
  });

  test('public key appended to issuers', async () => {
    const existing = createCluster().getPublicKey();
    const editor = await files.open('issuers.env', `WASMCLOUD_LATTICE_PREFIX=keys-issuers\nWASMCLOUD_CLUSTER_ISSUERS=${existing}\nWASMCLOUD_RPC_HOST=127.0.0.1\n`);
    prompter.answerPicks('Insert into issuers.env');

    await vscode.commands.executeCommand('wasmcloudLattice.generateClusterKey');

    assertNoErrors(prompter);
    const text = editor.document.getText();
    const values = parse(text);
    const seedPublicKey = publicKeyOf(values.WASMCLOUD_CLUSTER_SEED);
    assert.equal(values.WASMCLOUD_CLUSTER_ISSUERS, `${existing},${seedPublicKey}`);
    assert.equal(countAssignments(text, 'WASMCLOUD_CLUSTER_ISSUERS'), 1);
    assert.equal(values.WASMCLOUD_RPC_HOST, '127.0.0.1');
  });

  test('seed replaced after confirmation', async () => {
    const old = createCluster();
    const oldSeed = decoder.decode(old.getSeed());
    const editor = await files.open('replace.env', `WASMCLOUD_LATTICE_PREFIX=keys-replace\nWASMCLOUD_CLUSTER_SEED=${oldSeed}\nWASMCLOUD_CLUSTER_ISSUERS=${old.getPublicKey()}\n`);
    prompter.answerPicks('Insert into replace.env').answerNotifications({ message: /already sets WASMCLOUD_CLUSTER_SEED/, button: 'Replace Seed' });

    await vscode.commands.executeCommand('wasmcloudLattice.generateClusterKey');

    assertNoErrors(prompter);
    prompter.assertAllAnswersUsed();
    const dialog = prompter.notifications.find((notification) => notification.modal);
    assert.equal(dialog?.message, 'replace.env already sets WASMCLOUD_CLUSTER_SEED. Replace it with the new cluster seed?');
    assert.deepEqual(dialog?.buttons, ['Replace Seed', 'Keep Seed']);
    const values = parse(editor.document.getText());
    assert.notEqual(values.WASMCLOUD_CLUSTER_SEED, oldSeed);
    assert.equal(values.WASMCLOUD_CLUSTER_ISSUERS, `${old.getPublicKey()},${publicKeyOf(values.WASMCLOUD_CLUSTER_SEED)}`);
    seeds.add(oldSeed);
  });

  test('seed kept when declined', async () => {
    const old = createCluster();
    const oldSeed = decoder.decode(old.getSeed());
    const editor = await files.open('keep.env', `WASMCLOUD_LATTICE_PREFIX=keys-keep\nWASMCLOUD_CLUSTER_SEED=${oldSeed}\nWASMCLOUD_CLUSTER_ISSUERS=${old.getPublicKey()}\n`);
    prompter.answerPicks('Insert into keep.env').answerNotifications({ message: /already sets WASMCLOUD_CLUSTER_SEED/, button: 'Keep Seed' });

    await vscode.commands.executeCommand('wasmcloudLattice.generateClusterKey');

    assertNoErrors(prompter);
    const values = parse(editor.document.getText());
    assert.equal(values.WASMCLOUD_CLUSTER_SEED, oldSeed);
    const issuers = (values.WASMCLOUD_CLUSTER_ISSUERS ?? '').split(',');
    assert.equal(issuers.length, 2);
    assert.equal(issuers[0], old.getPublicKey());
    assert.match(issuers[1], /^C[A-Z2-7]{55}$/);
    seeds.add(oldSeed);
  });

  test('kept seed stays in new issuers', async () => {
    // A seed without issuers is valid: the host then accepts only its own key.
    const old = createCluster();
    const oldSeed = decoder.decode(old.getSeed());
    seeds.add(oldSeed);
    const editor = await files.open('keep-alone.env', `WASMCLOUD_LATTICE_PREFIX=keys-keep-alone\nWASMCLOUD_CLUSTER_SEED=${oldSeed}\n`);
    prompter.answerPicks('Insert into keep-alone.env').answerNotifications({ message: /already sets WASMCLOUD_CLUSTER_SEED/, button: 'Keep Seed' });

    await vscode.commands.executeCommand('wasmcloudLattice.generateClusterKey');

    assertNoErrors(prompter);
    prompter.assertAllAnswersUsed();
    const dialog = prompter.notifications.find((notification) => notification.modal);
    assert.equal(
      dialog?.detail,
      'Replacing removes the current seed from keep-alone.env, and WASMCLOUD_CLUSTER_ISSUERS lists its public key next to the new one, so hosts that still sign with it are accepted. Keep Seed keeps it and adds its own public key and the new public key to WASMCLOUD_CLUSTER_ISSUERS.',
    );
    const values = parse(editor.document.getText());
    assert.equal(values.WASMCLOUD_CLUSTER_SEED, oldSeed);
    const issuers = (values.WASMCLOUD_CLUSTER_ISSUERS ?? '').split(',');
    assert.equal(issuers.length, 2);
    assert.equal(issuers[0], old.getPublicKey());
    assert.match(issuers[1], /^C[A-Z2-7]{55}$/);
    assert.equal(
      prompter.notifications.at(-1)?.message,
      `Updated WASMCLOUD_CLUSTER_ISSUERS in keep-alone.env. WASMCLOUD_CLUSTER_ISSUERS lists the kept seed's public key ${old.getPublicKey()} before the new one, so the host still accepts its own invocations.`,
    );

    // The linter agrees that the host accepts its own invocations. Its debounce is 250 ms.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const codes = vscode.languages.getDiagnostics(editor.document.uri).map((diagnostic) => String(diagnostic.code));
    assert.ok(!codes.includes('issuers-missing-seed-key'), codes.join(', '));
  });

  test('cancelled dialog changes nothing', async () => {
    const old = createCluster();
    const original = `WASMCLOUD_LATTICE_PREFIX=keys-cancel\nWASMCLOUD_CLUSTER_SEED=${decoder.decode(old.getSeed())}\n`;
    const editor = await files.open('cancel.env', original);
    prompter.answerPicks('Insert into cancel.env').answerNotifications({ message: /already sets WASMCLOUD_CLUSTER_SEED/, button: undefined });

    await vscode.commands.executeCommand('wasmcloudLattice.generateClusterKey');

    assertNoErrors(prompter);
    assert.equal(editor.document.getText(), original);
    assert.equal(editor.document.isDirty, false);
  });

  test('new untitled .env document', async () => {
    prompter.answerPicks('New .env Document');

    await vscode.commands.executeCommand('wasmcloudLattice.generateClusterKey');

    assertNoErrors(prompter);
    const document = vscode.window.activeTextEditor?.document;
    assert.ok(document, 'no editor was opened');
    assert.equal(document.isUntitled, true);
    assert.ok(['dotenv', 'properties', 'plaintext'].includes(document.languageId), `language ${document.languageId}`);
    const text = document.getText();
    assert.match(text, /^# wasmCloud cluster key, generated on \d{4}-\d{2}-\d{2}\.\n# The seed is secret\./);
    const values = parse(text);
    assert.equal(publicKeyOf(values.WASMCLOUD_CLUSTER_SEED), values.WASMCLOUD_CLUSTER_ISSUERS);
  });

  test('kind quick pick shows prefixes', async () => {
    prompter.answerPicks(undefined);

    await vscode.commands.executeCommand('wasmcloudLattice.generateKey');

    assertNoErrors(prompter);
    const items = prompter.picks[0]?.items ?? [];
    assert.deepEqual(
      items.map((item) => item.label),
      ['account', 'cluster', 'module', 'operator', 'server', 'service', 'user', 'curve'],
    );
    assert.equal(items[1].description, 'C… / SC…');
    assert.equal(items[2].description, 'M… / SM…  (wash: component)');
    assert.equal(items[7].description, 'X… / SX…  (wash: x25519)');
    assert.ok(items.every((item) => (item.detail ?? '').length > 0));
  });

  test('module seed at the cursor', async () => {
    const editor = await files.open('notes.txt', 'seed: \n');
    editor.selection = new vscode.Selection(0, 6, 0, 6);
    prompter.answerPicks('module', 'Insert into notes.txt', 'Seed');

    await vscode.commands.executeCommand('wasmcloudLattice.generateKey');

    assertNoErrors(prompter);
    prompter.assertAllAnswersUsed();
    const match = /^seed: (SM[A-Z2-7]{56})\n$/.exec(editor.document.getText());
    assert.ok(match, editor.document.getText());
    // nkeys rejects module keys, so the extension's own inspect checks this one. The unit tests compare module keys with OpenSSL's ed25519.
    const inspection = await vscode.commands.executeCommand<{ valid: boolean; kind?: string }>('wasmcloudLattice.inspectKey', match[1]);
    assert.equal(inspection?.valid, true);
    assert.equal(inspection?.kind, 'module');
  });

  test('public key copied', async () => {
    prompter.answerPicks('user', 'Copy Public Key');

    await vscode.commands.executeCommand('wasmcloudLattice.generateKey');

    const message = prompter.notifications.at(-1)?.message ?? '';
    if (prompter.notifications.some((notification) => notification.level === 'error')) {
      // The browser that runs the code-server client may deny clipboard access.
      assert.match(message, /^Copying to the clipboard failed/);
      return;
    }
    const match = /^Copied the public key (U[A-Z2-7]{55}) of the user key to the clipboard\.$/.exec(message);
    assert.ok(match, message);
    assert.equal(await vscode.env.clipboard.readText(), match[1]);
  });

  test('seed copy hides the seed', async () => {
    prompter.answerPicks('cluster', 'Copy Seed');

    await vscode.commands.executeCommand('wasmcloudLattice.generateKey');

    const message = prompter.notifications.at(-1)?.message ?? '';
    if (prompter.notifications.some((notification) => notification.level === 'error')) {
      assert.match(message, /^Copying to the clipboard failed/);
      return;
    }
    assert.match(message, /^Copied the cluster seed for C[A-Z2-7]{55} to the clipboard\. Paste it only where it stays secret\.$/);
    const copied = await vscode.env.clipboard.readText();
    assert.match(copied, /^SC[A-Z2-7]{56}$/);
    assert.ok(!message.includes(copied));
    seeds.add(copied);
  });

  test('inspect names the problem', async () => {
    const seed = decoder.decode(createCluster().getSeed());
    seeds.add(seed);
    prompter.answerInputs(seed.slice(0, 57));

    await vscode.commands.executeCommand('wasmcloudLattice.inspectKey');

    assert.equal(prompter.inputs[0]?.password, true);
    assert.equal(
      prompter.notifications.at(-1)?.message,
      'The key you entered is not valid. This cluster seed has 57 characters instead of 58, so part of it is missing and the whole key must be copied again.',
    );
  });

  test('inspect shows a selected seed', async () => {
    const pair = createCluster();
    const seed = decoder.decode(pair.getSeed());
    const editor = await files.open('inspect.env', `WASMCLOUD_LATTICE_PREFIX=keys-inspect\nWASMCLOUD_CLUSTER_SEED=${seed}\n`);
    editor.selection = new vscode.Selection(1, 23, 1, 23 + seed.length);

    await vscode.commands.executeCommand('wasmcloudLattice.inspectKey');

    assert.equal(prompter.notifications.at(-1)?.message, `The selected key is a valid cluster seed. Its public key is ${pair.getPublicKey()}.`);
  });

  test('inspect reads the key under the cursor', async () => {
    const pair = createCluster();
    const editor = await files.open('cursor.env', `WASMCLOUD_LATTICE_PREFIX=keys-cursor\nWASMCLOUD_CLUSTER_ISSUERS=${createCluster().getPublicKey()},${pair.getPublicKey()}\n`);
    editor.selection = new vscode.Selection(1, 90, 1, 90);

    await vscode.commands.executeCommand('wasmcloudLattice.inspectKey');

    assert.equal(prompter.notifications.at(-1)?.message, 'The key under the cursor is a valid cluster public key.');
  });

  test('log and prompts hold no seed', () => {
    assert.ok(seeds.size >= 5, `only ${seeds.size} seeds were collected`);
    assert.ok(log.lines.length > 0, 'nothing was logged');
    const redacted = log.lines.filter((line) => line.includes('[redacted]'));
    assert.deepEqual(redacted, [], 'a flow passed a secret to the logger');
    for (const seed of seeds) {
      for (const line of log.lines) {
        assert.ok(!line.includes(seed.slice(0, 30)), `the log contains a seed: ${line.replace(seed, '<seed>')}`);
      }
      for (const text of [...shown, ...api.notifications()]) {
        assert.ok(!text.includes(seed.slice(0, 30)), `a prompt or notification contains a seed: ${text.replace(seed, '<seed>')}`);
      }
    }
  });
});
