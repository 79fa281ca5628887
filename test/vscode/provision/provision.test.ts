import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ProvisionOutcome } from '../../../src/features/provision/provision-command';
import type { ExtensionApi } from '../../../src/features/shared/deps';
import type { LatticeNode } from '../../../src/features/explorer/tree-nodes';
import { NatsServer } from '../../support/nats-server';
import { operatorSetup } from '../../support/nats-auth';
import { childLabelled, setWorkspaceSettings } from '../explorer/support';
import { LogCapture, activateExtension, closeAllEditors } from '../keys/support';
import { StepPrompter, loadEnv, problemsOf, publicKeyOf, rejectedPairs, settledProblems, waitFor } from './support';

const SEED = /S[A-Z2-7]{57}/;

suite('Provision: Provision Lattice', () => {
  let api: ExtensionApi;
  let workspaceRoot: string;
  let log: LogCapture;
  let prompter: StepPrompter;
  const folders: string[] = [];

  function workspaceFolder(lattice: string): string {
    const folder = path.join(workspaceRoot, lattice);
    rmSync(folder, { recursive: true, force: true });
    folders.push(folder);
    return folder;
  }

  async function provision(): Promise<ProvisionOutcome | undefined> {
    return vscode.commands.executeCommand<ProvisionOutcome | undefined>('wasmcloudLattice.provisionLattice');
  }

  function assertNoSecretShown(): void {
    for (const text of [...prompter.shownTexts().filter((shown) => !shown.startsWith('User seed')), ...log.lines, ...api.notifications()]) {
      assert.doesNotMatch(text, SEED, `a seed was shown or logged: ${text.slice(0, 60)}`);
    }
  }

  suiteSetup(async () => {
    api = await activateExtension();
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(root, 'no workspace folder is open');
    workspaceRoot = root;
    log = new LogCapture(api);
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
    log.dispose();
    for (const folder of folders) {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('per-host walk with Back', async () => {
    const folder = workspaceFolder('prov-walk');
    prompter
      .answerPicks('0.8x')
      .answerInputs('prov-walk', 'east,west')
      .pressBack('pick', 1)
      .answerInputs((options) => {
        // Back kept the earlier answer in the input box.
        assert.equal(options.value, 'east,west');
        return 'east,west,edge';
      })
      .answerPicks('One seed per host')
      .answerInputs('nats://127.0.0.1:4222')
      .answerPicks('No authentication', 'docker-compose', 'Write 3 host files and docker-compose.yml');

    const outcome = await provision();
    assert.ok(outcome, `the flow did not finish: ${JSON.stringify(prompter.notifications)} after ${JSON.stringify(prompter.steps)}`);
    prompter.assertAllAnswersUsed();

    // Step numbers and Back, as the title bar shows them.
    assert.deepEqual(
      prompter.steps.map((step) => `${step.step}/${step.totalSteps}${step.back ? ' back' : ''}`),
      ['1/7', '2/7', '3/7', '4/7 back', '3/7', '4/7', '5/7', '6/7', '7/7', '7/7'],
    );
    assert.ok(prompter.steps.every((step) => step.title === 'Provision Lattice'));

    // The files on disk, read back with dotenv and checked with nkeys.
    assert.deepEqual(
      outcome.files.map((uri) => path.basename(uri.fsPath)),
      ['east.env', 'west.env', 'edge.env', 'docker-compose.yml'],
    );
    assert.equal(outcome.folder.fsPath, folder);
    const texts = Object.fromEntries(['east.env', 'west.env', 'edge.env'].map((name) => [name, readFileSync(path.join(folder, name), 'utf8')]));
    const seedKeys = Object.values(texts).map((text) => publicKeyOf(loadEnv(text).WASMCLOUD_CLUSTER_SEED));
    assert.equal(new Set(seedKeys).size, 3);
    for (const text of Object.values(texts)) {
      assert.equal(loadEnv(text).WASMCLOUD_LATTICE_PREFIX, 'prov-walk');
      assert.deepEqual(loadEnv(text).WASMCLOUD_CLUSTER_ISSUERS.split(','), seedKeys);
    }
    assert.deepEqual(rejectedPairs(texts), []);
    assert.equal(statSync(path.join(folder, 'east.env')).mode & 0o777, 0o600);
    assert.match(readFileSync(path.join(folder, 'docker-compose.yml'), 'utf8'), /image: wasmcloud\/wasmcloud:0\.82\.0/);

    // The command opened the host files; the linter finds nothing in them or across them.
    const hostUris = outcome.files.slice(0, 3);
    for (const uri of hostUris) {
      assert.ok(
        vscode.workspace.textDocuments.some((document) => document.uri.toString() === uri.toString()),
        `${uri.fsPath} is not open`,
      );
    }
    assert.deepEqual(await settledProblems(hostUris), {});

    // The linter does check these files: a space after a comma is reported, and undo clears it.
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(hostUris[1]), { preview: false });
    const line = editor.document.getText().split('\n').findIndex((text) => text.startsWith('WASMCLOUD_CLUSTER_ISSUERS='));
    const comma = editor.document.lineAt(line).text.indexOf(',');
    assert.ok(await editor.edit((builder) => builder.insert(new vscode.Position(line, comma + 1), ' ')));
    const reported = await waitFor(
      () => problemsOf(hostUris[1]),
      (problems) => problems.some((problem) => problem.startsWith('issuers-whitespace')),
    );
    assert.ok(reported.some((problem) => problem.startsWith('issuers-whitespace')), JSON.stringify(reported));
    await vscode.commands.executeCommand('undo');
    assert.deepEqual(
      await waitFor(
        () => problemsOf(hostUris[1]),
        (problems) => problems.length === 0,
      ),
      [],
    );
    assertNoSecretShown();
  });

  test('1.x with JWT credentials', async () => {
    const folder = workspaceFolder('prov-one');
    const user = operatorSetup();
    prompter
      .answerPicks('1.x')
      .answerInputs('prov-one', '2')
      .answerPicks('No cluster keys')
      .answerInputs('nats://127.0.0.1:4222')
      .answerPicks('One NATS user for every connection', 'JWT and seed')
      .answerInputs(user.userJwt, user.userSeed)
      .answerPicks('Write 2 host files');

    const outcome = await provision();
    prompter.assertAllAnswersUsed();
    assert.ok(outcome);

    // The strategy step states that 1.x hosts have no cluster keys, and offers no strategy.
    const strategyPick = prompter.picks.find((pick) => pick.items.some((item) => item.label === 'No cluster keys'));
    assert.ok(strategyPick);
    assert.equal(strategyPick.items.length, 1);
    assert.match(strategyPick.items[0].detail ?? '', /1\.x hosts ignore WASMCLOUD_CLUSTER_SEED/);
    // No layout for a separate provider user: 1.x hosts give providers the RPC connection.
    const layoutPick = prompter.picks.find((pick) => pick.items.some((item) => item.label === 'No authentication'));
    assert.ok(layoutPick);
    assert.ok(!layoutPick.items.some((item) => item.label.includes('capability providers')));
    // The seed input box hides what is typed.
    assert.equal(prompter.inputs.find((input) => input.prompt?.startsWith('User seed'))?.password, true);

    for (const name of ['host-1.env', 'host-2.env']) {
      const env = loadEnv(readFileSync(path.join(folder, name), 'utf8'));
      assert.equal(env.WASMCLOUD_LATTICE, 'prov-one');
      assert.equal(env.WASMCLOUD_LATTICE_PREFIX, undefined);
      assert.equal(env.WASMCLOUD_CLUSTER_SEED, undefined);
      assert.equal(env.WASMCLOUD_RPC_JWT, user.userJwt);
      assert.equal(env.WASMCLOUD_CTL_SEED, user.userSeed);
      assert.equal(env.WASMCLOUD_PROV_RPC_JWT, undefined);
    }
    assert.deepEqual(await settledProblems(outcome.files), {});
    assert.match(prompter.notifications.at(-1)?.message ?? '', /1\.x hosts sign no invocations with cluster keys/);
    assertNoSecretShown();
  });

  test('asks before overwriting', async () => {
    const folder = workspaceFolder('prov-again');
    const script = (): void => {
      prompter.answerPicks('otp').answerInputs('prov-again', 'a,b').answerPicks('One shared cluster seed').answerInputs('nats://127.0.0.1:4222').answerPicks('No authentication', 'Write 2 host files');
    };
    script();
    assert.ok(await provision());
    const first = readFileSync(path.join(folder, 'a.env'), 'utf8');

    // Declining returns to the review step with every answer kept; Escape there writes nothing.
    prompter.reset();
    script();
    prompter.answerNotifications({ message: /a\.env, b\.env already exist/, button: undefined }).answerPicks(undefined);
    assert.equal(await provision(), undefined);
    prompter.assertAllAnswersUsed();
    const warning = prompter.notifications.find((notification) => /already exist/.test(notification.message));
    assert.ok(warning?.modal);
    assert.deepEqual(warning.buttons, ['Overwrite']);
    assert.equal(prompter.steps.at(-1)?.step, 7);
    assert.equal(readFileSync(path.join(folder, 'a.env'), 'utf8'), first);

    prompter.reset();
    script();
    prompter.answerNotifications({ message: /already exist/, button: 'Overwrite' });
    assert.ok(await provision());
    prompter.assertAllAnswersUsed();
    const second = readFileSync(path.join(folder, 'a.env'), 'utf8');
    assert.notEqual(loadEnv(second).WASMCLOUD_CLUSTER_SEED, loadEnv(first).WASMCLOUD_CLUSTER_SEED);
  });

  test('overwrite warns about stale hosts', async () => {
    const folder = workspaceFolder('prov-shrink');
    prompter.answerPicks('0.8x').answerInputs('prov-shrink', '3').answerPicks('One shared cluster seed').answerInputs('nats://127.0.0.1:4222').answerPicks('No authentication', 'docker-compose', 'Write 3 host files');
    assert.ok(await provision());
    const oldHost3 = readFileSync(path.join(folder, 'host-3.env'), 'utf8');

    prompter.reset();
    prompter
      .answerPicks('0.8x')
      .answerInputs('prov-again', '2')
      .answerPicks('One shared cluster seed')
      .answerInputs('nats://127.0.0.1:4222')
      .answerPicks('No authentication', 'Change Folder', 'Write 2 host files')
      .answerFolders(vscode.Uri.file(folder))
      .answerNotifications({ message: /already exist/, button: 'Overwrite' });
    const outcome = await provision();
    prompter.assertAllAnswersUsed();
    assert.ok(outcome);

    const overwrite = prompter.notifications.find((notification) => notification.modal);
    assert.match(overwrite?.message ?? '', /^host-1\.env, host-2\.env, docker-compose\.yml already exist in /);
    assert.match(overwrite?.detail ?? '', /docker-compose\.yml was written for the earlier hosts, so it is rewritten for the new ones\./);
    const warnings = prompter.notifications.filter((notification) => notification.level === 'warning' && !notification.modal).map((notification) => notification.message);
    assert.deepEqual(warnings, [
      `host-3.env (lattice 'prov-shrink') in ${vscode.workspace.asRelativePath(vscode.Uri.file(folder), true)} is not part of lattice 'prov-again' as provisioned now, but still configures a wasmCloud host with its old keys. Delete it if that host is gone.`,
    ]);
    assert.equal(readFileSync(path.join(folder, 'host-3.env'), 'utf8'), oldHost3);
    const compose = readFileSync(path.join(folder, 'docker-compose.yml'), 'utf8');
    assert.match(compose, /lattice 'prov-again'/);
    assert.doesNotMatch(compose, /host-3/);
    assert.deepEqual(
      outcome.files.map((uri) => path.basename(uri.fsPath)),
      ['host-1.env', 'host-2.env', 'docker-compose.yml'],
    );
    assert.match(prompter.notifications.at(-1)?.message ?? '', /docker-compose\.yml was written for the earlier hosts, so it now starts the new ones\./);
  });

  test('gitignore off outside a repository', async () => {
    // Git stops looking for a repository above the temporary folder, so it is outside any work tree.
    const parent = mkdtempSync(path.join(os.tmpdir(), 'wcl-provision-nogit-'));
    folders.push(parent);
    const ceiling = process.env.GIT_CEILING_DIRECTORIES;
    process.env.GIT_CEILING_DIRECTORIES = path.dirname(parent);
    try {
      prompter
        .answerPicks('otp')
        .answerInputs('prov-nogit', 'a')
        .answerPicks('One shared cluster seed')
        .answerInputs('nats://127.0.0.1:4222')
        .answerPicks('No authentication', 'Change Folder', 'Write 1 host file')
        .answerFolders(vscode.Uri.file(parent));
      const outcome = await provision();
      prompter.assertAllAnswersUsed();
      assert.ok(outcome);
      const review = prompter.picks.at(-1);
      const option = review?.items.find((item) => item.label.includes('Add the host files to .gitignore'));
      assert.ok(option?.label.startsWith('$(circle-large-outline)'), option?.label);
      assert.equal(option?.detail, 'Off by default: the folder is not in a git repository, so there is no .gitignore to update.');
      assert.equal(existsSync(path.join(parent, '.gitignore')), false);

      // Checked anyway, the option writes nothing and the summary explains why.
      prompter.reset();
      prompter
        .answerPicks('otp')
        .answerInputs('prov-nogit2', 'b')
        .answerPicks('One shared cluster seed')
        .answerInputs('nats://127.0.0.1:4222')
        .answerPicks('No authentication', 'Change Folder', 'Add the host files to .gitignore', 'Write 1 host file')
        .answerFolders(vscode.Uri.file(parent));
      assert.ok(await provision());
      prompter.assertAllAnswersUsed();
      assert.match(prompter.notifications.at(-1)?.message ?? '', /No \.gitignore was written, because the folder is not in a git repository\./);
      assert.equal(existsSync(path.join(parent, '.gitignore')), false);
    } finally {
      if (ceiling === undefined) {
        delete process.env.GIT_CEILING_DIRECTORIES;
      } else {
        process.env.GIT_CEILING_DIRECTORIES = ceiling;
      }
    }
  });

  test('gitignore and stored seeds', async () => {
    // A git repository outside the workspace, so git does not ignore the files yet.
    const repository = mkdtempSync(path.join(os.tmpdir(), 'wcl-provision-git-'));
    folders.push(repository);
    execFileSync('git', ['init', '-q', repository]);
    prompter
      .answerPicks('otp')
      .answerInputs('prov-git', 'a,b')
      .answerPicks('One seed per host')
      .answerInputs('nats://127.0.0.1:4222')
      .answerPicks('No authentication', 'Change Folder', 'Store the cluster seeds', 'Write 2 host files')
      .answerFolders(vscode.Uri.file(repository));

    const outcome = await provision();
    prompter.assertAllAnswersUsed();
    assert.ok(outcome);
    assert.equal(outcome.gitignoreUpdated, true);
    assert.equal(readFileSync(path.join(repository, '.gitignore'), 'utf8'), '# Host files with cluster seeds, written by wasmCloud Lattice\n/a.env\n/b.env\n');
    assert.equal(execFileSync('git', ['-C', repository, 'check-ignore', 'a.env'], { encoding: 'utf8' }).trim(), 'a.env');
    assert.deepEqual(outcome.storedKeys, ['prov-git-a', 'prov-git-b']);
    assert.match(prompter.notifications.at(-1)?.message ?? '', /Added them to \.gitignore\. Stored 2 cluster seeds as 'prov-git-a', 'prov-git-b'\./);

    // Git ignores the files, so the linter raises no seed-in-tracked-file warning.
    assert.deepEqual(await settledProblems(outcome.files), {});

    // Rotate Cluster Key lists the stored keys as keys to move to.
    prompter.reset();
    prompter.answerPicks('a.env', undefined);
    await vscode.commands.executeCommand('wasmcloudLattice.rotateClusterKey', vscode.Uri.file(repository));
    const keyPick = prompter.picks.at(-1);
    assert.ok(keyPick);
    // The hosts' own keys are not offered as the new key.
    assert.deepEqual(
      keyPick.items.map((item) => item.label).filter((label) => label.includes('prov-git-')),
      [],
    );
    assertNoSecretShown();
  });

  test('invalid lattice name rejected', async () => {
    prompter.answerPicks('0.8x').answerInputs(undefined);
    await provision();
    const latticeInput = prompter.inputs[0];
    assert.ok(latticeInput.validate);
    assert.match(latticeInput.validate('prod.eu') ?? '', /'prod\.eu' is not a valid lattice name: '\.' separates NATS subject tokens/);
    assert.match(latticeInput.validate('a>') ?? '', /NATS wildcard/);
    assert.equal(latticeInput.validate('prod_eu-1'), undefined);
  });
});

suite('Provision: Lattices view', () => {
  let api: ExtensionApi;
  let server: NatsServer;
  let folder: string;

  suiteSetup(async () => {
    api = await activateExtension();
    server = await NatsServer.start();
    await setWorkspaceSettings({ connections: [{ name: 'prov', servers: [server.url] }], 'explorer.natsContexts': false });
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(root);
    folder = path.join(root, 'prov-view');
    rmSync(folder, { recursive: true, force: true });
  });

  suiteTeardown(async () => {
    api.setPrompter(undefined);
    await closeAllEditors();
    await setWorkspaceSettings({ connections: undefined, 'explorer.natsContexts': undefined });
    rmSync(folder, { recursive: true, force: true });
    await server?.dispose();
  });

  test('new lattice shows no cache yet', async () => {
    const prompter = new StepPrompter();
    api.setPrompter(prompter);
    prompter.answerPicks('0.8x').answerInputs('prov-view', '2').answerPicks('One shared cluster seed').answerInputs(server.url).answerPicks('No authentication', 'Write 2 host files');
    const outcome = await vscode.commands.executeCommand<ProvisionOutcome | undefined>('wasmcloudLattice.provisionLattice');
    assert.ok(outcome);
    assert.ok(existsSync(path.join(folder, 'host-1.env')));

    // The view rescans .env files after a change, so poll until the lattice appears.
    const item = await waitFor(
      async () => {
        await vscode.commands.executeCommand('wasmcloudLattice.refresh');
        try {
          const connection = await childLabelled(api, undefined, 'prov');
          const lattice = (await childLabelled(api, connection, 'prov-view')) as LatticeNode;
          return await api.explorer.tree.getTreeItem(lattice);
        } catch {
          return undefined;
        }
      },
      (found) => found !== undefined,
      15_000,
    );
    assert.ok(item, 'the Lattices view does not list prov-view');
    assert.equal(item.description, 'no cache yet');
  });
});
