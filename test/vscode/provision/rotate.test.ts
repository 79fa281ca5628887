import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { planProvision } from '../../../src/core/provision/plan';
import { DEFAULT_SERVER, NO_CREDENTIALS, type KeyStrategy } from '../../../src/core/provision/request';
import type { RotationOutcome } from '../../../src/features/provision/rotate-command';
import type { ExtensionApi } from '../../../src/features/shared/deps';
import { activateExtension, closeAllEditors } from '../keys/support';
import { StepPrompter, loadEnv, publicKeyOf, rejectedPairs, settledProblems, showAll, waitFor } from './support';

const HOSTS = ['east', 'west', 'edge'];
const SWAP_PROMPT = /^Stage 1 of 3 done/;
const REMOVE_PROMPT = /^Stage 2 of 3 done/;

suite('Provision: Rotate Cluster Key', () => {
  let api: ExtensionApi;
  let suiteFolder: string;
  let folder: string;
  let prompter: StepPrompter;
  let uris: vscode.Uri[];

  /** Writes freshly provisioned host files into the suite's folder and opens them. */
  async function provisionFiles(strategy: KeyStrategy, lattice: string): Promise<void> {
    await closeAllEditors();
    // A folder per test, because VS Code may keep a closed file's old text for a while after it changes on disk.
    folder = path.join(suiteFolder, lattice);
    mkdirSync(folder, { recursive: true });
    const plan = planProvision({ lattice, hosts: HOSTS, strategy, servers: [DEFAULT_SERVER], hostVersion: '0.8x', credentials: NO_CREDENTIALS, compose: false });
    uris = plan.hostFiles.map((file) => {
      writeFileSync(path.join(folder, file.fileName), file.text);
      return vscode.Uri.file(path.join(folder, file.fileName));
    });
    await showAll(uris);
  }

  /** Returns the host files' text in the editors, keyed by file name. */
  function editorTexts(): Record<string, string> {
    return Object.fromEntries(
      uris.map((uri) => {
        const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === uri.toString());
        assert.ok(document, `${uri.fsPath} is not open`);
        return [path.basename(uri.fsPath), document.getText()];
      }),
    );
  }

  function seedKey(name: string, texts = editorTexts()): string {
    return publicKeyOf(loadEnv(texts[name]).WASMCLOUD_CLUSTER_SEED);
  }

  function issuers(name: string, texts = editorTexts()): string[] {
    return loadEnv(texts[name]).WASMCLOUD_CLUSTER_ISSUERS.split(',');
  }

  /** Fails unless every pair of hosts trusts each other and the linter reports nothing, in the editors and on disk. */
  async function assertHealthy(stage: string): Promise<void> {
    assert.deepEqual(rejectedPairs(editorTexts()), [], `${stage}: hosts reject each other`);
    const onDisk = Object.fromEntries(uris.map((uri) => [path.basename(uri.fsPath), readFileSync(uri.fsPath, 'utf8')]));
    assert.deepEqual(onDisk, editorTexts(), `${stage}: the files on disk differ from the editors`);
    assert.deepEqual(await settledProblems(uris), {}, `${stage}: the linter reports problems`);
  }

  async function rotate(): Promise<RotationOutcome | undefined> {
    return vscode.commands.executeCommand<RotationOutcome | undefined>('wasmcloudLattice.rotateClusterKey', vscode.Uri.file(folder));
  }

  suiteSetup(async () => {
    api = await activateExtension();
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(root, 'no workspace folder is open');
    suiteFolder = path.join(root, 'rotate-suite');
    rmSync(suiteFolder, { recursive: true, force: true });
  });

  setup(() => {
    prompter = new StepPrompter();
    api.setPrompter(prompter);
  });

  teardown(async () => {
    api.setPrompter(undefined);
    await closeAllEditors();
  });

  suiteTeardown(() => {
    rmSync(suiteFolder, { recursive: true, force: true });
  });

  test('per-host rotation, three stages', async () => {
    await provisionFiles('per-host', 'rotate-per-host');
    await assertHealthy('before');
    const oldKey = seedKey('west.env');
    const others = { east: seedKey('east.env'), edge: seedKey('edge.env') };
    let newKey = '';

    prompter
      .answerPicks('west.env', 'Generate a new cluster key')
      .beforeNotification(SWAP_PROMPT, async (message) => {
        newKey = /accepts (C[A-Z2-7]{55})/.exec(message)?.[1] ?? '';
        assert.notEqual(newKey, '');
        for (const name of ['east.env', 'west.env', 'edge.env']) {
          assert.deepEqual(issuers(name), [others.east, oldKey, others.edge, newKey], name);
        }
        assert.equal(seedKey('west.env'), oldKey);
        await assertHealthy('stage 1');
      })
      .answerNotifications({ message: SWAP_PROMPT, button: 'Hosts Restarted, Swap Seed' })
      .beforeNotification(REMOVE_PROMPT, async () => {
        assert.equal(seedKey('west.env'), newKey);
        assert.equal(seedKey('east.env'), others.east);
        assert.equal(seedKey('edge.env'), others.edge);
        await assertHealthy('stage 2');
      })
      .answerNotifications({ message: REMOVE_PROMPT, button: 'Hosts Restarted, Remove Old Key' });

    const outcome = await rotate();
    prompter.assertAllAnswersUsed();
    assert.deepEqual(outcome?.stages, ['add-issuer', 'swap-seed', 'remove-issuer']);
    assert.equal(outcome?.oldPublicKey, oldKey);
    assert.equal(outcome?.newPublicKey, newKey);
    for (const name of ['east.env', 'west.env', 'edge.env']) {
      assert.deepEqual(issuers(name), [others.east, others.edge, newKey], name);
    }
    await assertHealthy('stage 3');
    const swap = prompter.notifications.find((notification) => SWAP_PROMPT.test(notification.message));
    assert.equal(swap?.modal, true);
    assert.ok(prompter.notifications.every((notification) => !/S[A-Z2-7]{57}/.test(notification.message)));
  });

  test('shared key swaps every host', async () => {
    await provisionFiles('shared', 'rotate-shared');
    const oldKey = seedKey('east.env');
    prompter
      .answerPicks('east.env', 'Generate a new cluster key')
      .answerNotifications({ message: SWAP_PROMPT, button: 'Hosts Restarted, Swap Seed' }, { message: REMOVE_PROMPT, button: 'Hosts Restarted, Remove Old Key' });

    const hostPick = (): string | undefined => prompter.picks[0]?.items.find((item) => item.label === 'east.env')?.detail;
    const outcome = await rotate();
    prompter.assertAllAnswersUsed();
    assert.match(hostPick() ?? '', /Shares this seed with (edge|west)\.env, (edge|west)\.env, which get the new seed too/);
    assert.deepEqual(outcome?.stages, ['add-issuer', 'swap-seed', 'remove-issuer']);
    for (const name of ['east.env', 'west.env', 'edge.env']) {
      assert.equal(seedKey(name), outcome?.newPublicKey, name);
      assert.deepEqual(issuers(name), [outcome?.newPublicKey], name);
    }
    assert.ok(!Object.values(editorTexts()).some((text) => text.includes(oldKey)));
    await assertHealthy('after');
  });

  test('undo of the seed swap blocks stage 3', async () => {
    await provisionFiles('per-host', 'rotate-undo');
    const oldKey = seedKey('west.env');
    prompter
      .answerPicks('west.env', 'Generate a new cluster key')
      .answerNotifications({ message: SWAP_PROMPT, button: 'Hosts Restarted, Swap Seed' })
      .beforeNotification(REMOVE_PROMPT, async () => {
        // Stage 2 changed one file, so undo in its editor reverts the whole stage.
        const west = uris[1];
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(west), { preview: false });
        await vscode.commands.executeCommand('undo');
        const reverted = await waitFor(
          () => seedKey('west.env'),
          (key) => key === oldKey,
        );
        assert.equal(reverted, oldKey);
      })
      .answerNotifications({ message: REMOVE_PROMPT, button: 'Hosts Restarted, Remove Old Key' });

    const outcome = await rotate();
    prompter.assertAllAnswersUsed();
    // Removing the old key now would lock west out, so the command stops with an error.
    assert.deepEqual(outcome?.stages, ['add-issuer', 'swap-seed']);
    const error = prompter.notifications.find((notification) => notification.level === 'error');
    assert.match(error?.message ?? '', /stopped before "remove the old key from every issuers list": west\.env still signs? with/);
    for (const name of ['east.env', 'west.env', 'edge.env']) {
      assert.ok(issuers(name).includes(oldKey), name);
      assert.ok(issuers(name).includes(outcome?.newPublicKey ?? ''), name);
    }
    assert.deepEqual(rejectedPairs(editorTexts()), []);
  });

  test('stopping after stage 1 offers to store the seed', async () => {
    await provisionFiles('shared', 'rotate-stop');
    prompter
      .answerPicks('east.env', 'Generate a new cluster key')
      .answerNotifications({ message: SWAP_PROMPT, button: undefined }, { message: /stopped after stage 1/, button: 'Store New Seed' });
    const outcome = await rotate();
    prompter.assertAllAnswersUsed();
    assert.deepEqual(outcome?.stages, ['add-issuer']);
    assert.match(outcome?.storedAs ?? '', /^rotate-stop-rotation/);

    // A second run continues with the stored key: every host accepts it, so stage 1 changes nothing.
    prompter.reset();
    prompter.answerPicks('east.env', outcome?.storedAs ?? '').answerNotifications({ message: SWAP_PROMPT, button: 'Hosts Restarted, Swap Seed' }, { message: REMOVE_PROMPT, button: 'Hosts Restarted, Remove Old Key' });
    const resumed = await rotate();
    prompter.assertAllAnswersUsed();
    assert.equal(resumed?.newPublicKey, outcome?.newPublicKey);
    assert.deepEqual(resumed?.stages, ['add-issuer', 'swap-seed', 'remove-issuer']);
    assert.equal(seedKey('west.env'), outcome?.newPublicKey);
    await assertHealthy('resumed');
  });

  test('1.x folder has nothing to rotate', async () => {
    folder = path.join(suiteFolder, 'rotate-1x');
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'edge.env'), 'WASMCLOUD_LATTICE=rotate-1x\nWASMCLOUD_RPC_HOST=127.0.0.1\n');
    assert.equal(await rotate(), undefined);
    assert.match(prompter.notifications[0]?.message ?? '', /No host file in .* sets a cluster seed or issuers.*1\.x hosts use no cluster keys/);
  });
});
