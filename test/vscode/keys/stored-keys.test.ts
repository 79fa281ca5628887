import * as assert from 'node:assert/strict';
import { createCluster, fromSeed } from '@nats-io/nkeys';
import { parse } from 'dotenv';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/features/shared/deps';
import type { RecordedPick, ScriptedPrompter } from '../../support/scripted-prompter';
import { LogCapture, TempFiles, activateExtension, assertNoErrors, closeAllEditors, scriptPrompter, seedsIn } from './support';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Accepts the value an input box suggests. */
const acceptSuggestion = (options: { value?: string }): string | undefined => options.value;

// The suite runs in order: each test works on the keys the earlier ones stored.
suite('Keys: stored keys', () => {
  let api: ExtensionApi;
  let prompter: ScriptedPrompter;
  let log: LogCapture;
  let files: TempFiles;
  const seeds = new Set<string>();
  const shown: string[] = [];
  /** Public key of the key stored as 'keys-prod' by the first test. */
  let prodPublicKey = '';

  async function deleteAll(): Promise<void> {
    prompter.answerNotifications({ message: /^(Delete all|No stored keys)/, button: 'Delete All…' }).answerInputs('delete');
    await vscode.commands.executeCommand('wasmcloudLattice.deleteAllStoredKeys');
  }

  /** Opens Manage Stored Keys, cancels the list and returns what it showed. */
  async function listStoredKeys(): Promise<RecordedPick | undefined> {
    const before = prompter.picks.length;
    prompter.answerPicks(undefined);
    await vscode.commands.executeCommand('wasmcloudLattice.manageStoredKeys');
    // Without stored keys no list opens, so the scripted cancel is left over.
    prompter.clearAnswers();
    return prompter.picks.length > before ? prompter.picks[before] : undefined;
  }

  suiteSetup(async () => {
    api = await activateExtension();
    log = new LogCapture(api);
    files = new TempFiles();
    prompter = scriptPrompter(api);
    // Keys left by an earlier run would change the lists below.
    await deleteAll();
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

  suiteTeardown(async () => {
    prompter = scriptPrompter(api);
    await deleteAll();
    api.setPrompter(undefined);
    log.dispose();
    files.dispose();
  });

  test('store then insert', async () => {
    const editor = await files.open('prod.env', 'WASMCLOUD_LATTICE_PREFIX=keys-prod\n');
    prompter.answerPicks('Save to Secret Storage').answerInputs(acceptSuggestion).answerPicks('Insert into prod.env');

    await vscode.commands.executeCommand('wasmcloudLattice.generateClusterKey');

    assertNoErrors(prompter);
    prompter.assertAllAnswersUsed();
    assert.equal(prompter.inputs[0]?.value, 'keys-prod');
    const afterStore = prompter.picks[1];
    assert.match(afterStore?.title ?? '', /^Stored as 'keys-prod'\./);
    assert.ok(!afterStore?.items.some((item) => item.label.includes('Save to Secret Storage')));
    const values = parse(editor.document.getText());
    prodPublicKey = values.WASMCLOUD_CLUSTER_ISSUERS ?? '';
    assert.equal(fromSeed(encoder.encode(values.WASMCLOUD_CLUSTER_SEED)).getPublicKey(), prodPublicKey);
    assert.ok(prompter.notifications.some((notification) => notification.message.startsWith(`Stored the cluster key as 'keys-prod' (${prodPublicKey}).`)));
  });

  test('list shows stored key', async () => {
    const list = await listStoredKeys();

    assertNoErrors(prompter);
    assert.equal(list?.items.length, 1);
    const item = list?.items[0];
    assert.equal(item?.label, '$(key) keys-prod');
    assert.equal(item?.description, `cluster · ${prodPublicKey}`);
    assert.match(item?.detail ?? '', /^Created /);
  });

  test('suggested name avoids duplicates', async () => {
    await files.open('keys-prod-2.env', 'WASMCLOUD_LATTICE_PREFIX=keys-prod\n');
    prompter.answerPicks('Save to Secret Storage').answerInputs(acceptSuggestion).answerPicks(undefined);

    await vscode.commands.executeCommand('wasmcloudLattice.generateClusterKey');

    assertNoErrors(prompter);
    assert.equal(prompter.inputs[0]?.value, 'keys-prod-2');
    assert.equal(prompter.inputs[0]?.validate?.('KEYS-PROD'), "A stored cluster key is already named 'keys-prod', so choose another name.");
    assert.equal((await listStoredKeys())?.items.length, 2);
  });

  test('insert public key', async () => {
    const editor = await files.open('notes.txt', '');
    prompter.answerPicks(/ keys-prod$/, 'Insert Public Key');

    await vscode.commands.executeCommand('wasmcloudLattice.manageStoredKeys');

    assertNoErrors(prompter);
    prompter.assertAllAnswersUsed();
    assert.equal(editor.document.getText(), prodPublicKey);
  });

  test('insert seed needs confirmation', async () => {
    const editor = await files.open('declined.txt', '');
    prompter.answerPicks(/ keys-prod$/, 'Insert Seed').answerNotifications({ message: /^Insert the seed of 'keys-prod' into declined\.txt\?$/, button: undefined });

    await vscode.commands.executeCommand('wasmcloudLattice.manageStoredKeys');

    assertNoErrors(prompter);
    prompter.assertAllAnswersUsed();
    assert.equal(editor.document.getText(), '');
  });

  test('insert seed from secret storage', async () => {
    const editor = await files.open('seed.txt', '');
    prompter.answerPicks(/ keys-prod$/, 'Insert Seed').answerNotifications({ message: /^Insert the seed of 'keys-prod' into seed\.txt\?$/, button: 'Insert Seed' });

    await vscode.commands.executeCommand('wasmcloudLattice.manageStoredKeys');

    assertNoErrors(prompter);
    const seed = editor.document.getText();
    assert.match(seed, /^SC[A-Z2-7]{56}$/);
    assert.equal(fromSeed(encoder.encode(seed)).getPublicKey(), prodPublicKey);
    const dialog = prompter.notifications.find((notification) => notification.modal);
    assert.equal(dialog?.detail, 'The seed is secret. Anyone who can read the file can act as this key.');
  });

  test('insert seed into a host file', async () => {
    const editor = await files.open('stored-host.env', 'WASMCLOUD_LATTICE_PREFIX=keys-stored-host\n');
    prompter.answerPicks(/ keys-prod$/, 'Insert Seed').answerNotifications({ message: /^Insert the seed of 'keys-prod' into stored-host\.env\?$/, button: 'Insert Seed' });

    await vscode.commands.executeCommand('wasmcloudLattice.manageStoredKeys');

    assertNoErrors(prompter);
    prompter.assertAllAnswersUsed();
    const action = prompter.picks[1]?.items.find((item) => item.label.includes('Insert Seed'));
    assert.equal(action?.description, 'as WASMCLOUD_CLUSTER_SEED in stored-host.env, after confirmation');
    const text = editor.document.getText();
    const values = parse(text);
    assert.equal(values.WASMCLOUD_LATTICE_PREFIX, 'keys-stored-host');
    assert.equal(fromSeed(encoder.encode(values.WASMCLOUD_CLUSTER_SEED)).getPublicKey(), prodPublicKey);
    assert.equal(values.WASMCLOUD_CLUSTER_ISSUERS, prodPublicKey);
    // Every line is an assignment, so the file has no bare seed line.
    assert.deepEqual(
      text.split('\n').filter((line) => line !== '' && !/^[A-Z_]+=/.test(line)),
      [],
    );
  });

  test('stored seed replaces after confirmation', async () => {
    const old = createCluster();
    const oldSeed = decoder.decode(old.getSeed());
    seeds.add(oldSeed);
    const editor = await files.open('stored-replace.env', `WASMCLOUD_LATTICE_PREFIX=keys-stored-replace\nWASMCLOUD_CLUSTER_SEED=${oldSeed}\n`);
    prompter.answerPicks(/ keys-prod$/, 'Insert Seed').answerNotifications({ message: /^stored-replace\.env already sets WASMCLOUD_CLUSTER_SEED\. Replace it with the seed of 'keys-prod'\?$/, button: 'Replace Seed' });

    await vscode.commands.executeCommand('wasmcloudLattice.manageStoredKeys');

    assertNoErrors(prompter);
    prompter.assertAllAnswersUsed();
    const values = parse(editor.document.getText());
    assert.equal(fromSeed(encoder.encode(values.WASMCLOUD_CLUSTER_SEED)).getPublicKey(), prodPublicKey);
    // The file had no issuers, so the host accepted the old key: it stays accepted next to the new one.
    assert.equal(values.WASMCLOUD_CLUSTER_ISSUERS, `${old.getPublicKey()},${prodPublicKey}`);
  });

  test('rename', async () => {
    prompter.answerPicks(/ keys-prod$/, 'Rename').answerInputs('keys-east');

    await vscode.commands.executeCommand('wasmcloudLattice.manageStoredKeys');

    assertNoErrors(prompter);
    assert.equal(prompter.inputs[0]?.validate?.('keys-prod-2'), "A stored cluster key is already named 'keys-prod-2', so choose another name.");
    assert.equal(prompter.inputs[0]?.validate?.(' '), 'Enter a name for the key.');
    const labels = (await listStoredKeys())?.items.map((item) => item.label).sort();
    assert.deepEqual(labels, ['$(key) keys-east', '$(key) keys-prod-2']);
  });

  test('delete names the key', async () => {
    prompter.answerPicks(/ keys-east$/, 'Delete').answerNotifications({ message: /^Delete the stored cluster key 'keys-east'\?$/, button: 'Delete' });

    await vscode.commands.executeCommand('wasmcloudLattice.manageStoredKeys');

    assertNoErrors(prompter);
    prompter.assertAllAnswersUsed();
    const dialog = prompter.notifications.find((notification) => notification.modal);
    assert.equal(dialog?.detail, `Public key ${prodPublicKey}. Its seed is removed from secret storage and cannot be recovered. Copies in files stay.`);
    const labels = (await listStoredKeys())?.items.map((item) => item.label);
    assert.deepEqual(labels, ['$(key) keys-prod-2']);
  });

  test('delete all', async () => {
    prompter.answerPicks('account', 'Save to Secret Storage').answerInputs('signing-account').answerPicks(undefined);
    await vscode.commands.executeCommand('wasmcloudLattice.generateKey');
    assert.equal((await listStoredKeys())?.items.length, 2);

    // Enter on the dialog only opens the typed confirmation, and Escape there keeps the keys.
    prompter.answerNotifications({ message: /^Delete all 2 stored keys\?$/, button: 'Delete All…' }).answerInputs(undefined);
    await vscode.commands.executeCommand('wasmcloudLattice.deleteAllStoredKeys');
    prompter.assertAllAnswersUsed();
    const dialog = prompter.notifications.find((notification) => notification.modal);
    assert.deepEqual(dialog?.buttons, ['Delete All…']);
    const confirmation = prompter.inputs.at(-1);
    assert.equal(confirmation?.prompt, "Type 'delete' to delete all 2 stored keys, or press Escape to keep them.");
    assert.equal(confirmation?.validate?.(''), "Type 'delete' to confirm, or press Escape to keep the keys.");
    assert.equal(confirmation?.validate?.('delete'), undefined);
    assert.equal((await listStoredKeys())?.items.length, 2);

    prompter.answerNotifications({ message: /^Delete all 2 stored keys\?$/, button: 'Delete All…' }).answerInputs('delete');
    await vscode.commands.executeCommand('wasmcloudLattice.deleteAllStoredKeys');

    assertNoErrors(prompter);
    prompter.assertAllAnswersUsed();
    assert.equal(prompter.notifications.at(-1)?.message, 'Deleted 2 stored keys.');
    assert.equal(await listStoredKeys(), undefined);
    assert.equal(prompter.notifications.at(-1)?.message, 'No keys are stored. Generate a key and choose Save to Secret Storage.');
  });

  test('log and prompts hold no seed', () => {
    assert.ok(seeds.size >= 1, 'no seed was collected');
    assert.ok(log.lines.some((line) => line.includes("Stored cluster key 'keys-prod'")), 'the store was not logged');
    const redacted = log.lines.filter((line) => line.includes('[redacted]'));
    assert.deepEqual(redacted, [], 'a flow passed a secret to the logger');
    for (const seed of seeds) {
      for (const text of [...log.lines, ...shown, ...api.notifications()]) {
        assert.ok(!text.includes(seed.slice(0, 30)), `a seed was logged or shown: ${text.replace(seed, '<seed>')}`);
      }
    }
  });
});
