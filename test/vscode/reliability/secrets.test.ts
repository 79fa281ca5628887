/**
 * Seeds must never appear in what the extension shows. The suite checks
 * hovers, quick-fix titles, completions and diagnostics on a host file with
 * seeds in right and wrong variables, and the output of Inspect Key. It walks
 * every node of the Lattices view, with seeds stored in a cache entry and
 * written into a workspace .env file as a lattice name, and reads error nodes.
 * In log lines, a seed inside a NATS error detail must be redacted.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { createAccount, createCluster, createServer, createUser, type KeyPair } from '@nats-io/nkeys';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import * as vscode from 'vscode';
import { classifyNatsError, failureLogLine } from '../../../src/core/nats/errors';
import type { ExplorerNode } from '../../../src/features/explorer/tree-nodes';
import type { ExtensionApi } from '../../../src/features/shared/deps';
import { ChannelLogger } from '../../../src/features/shared/log';
import { NatsServer } from '../../support/nats-server';
import { buildSampleLattice, seedSampleLattice } from '../../support/sample-lattice';
import { ScriptedPrompter } from '../../support/scripted-prompter';
import { findSeeds } from '../../support/secret-capture';
import { activateExtension, childrenOf, setWorkspaceSettings } from '../explorer/support';

const decoder = new TextDecoder();
const DIAGNOSTIC_SOURCE = 'wasmCloud Lattice';

function seedOf(pair: KeyPair): string {
  return decoder.decode(pair.getSeed());
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Text of a hover, tooltip or documentation value, whatever its type. */
function textOf(value: unknown): string {
  if (value === undefined || value === null) {
    return '';
  }
  if (typeof value === 'string') {
    return value;
  }
  if (value instanceof vscode.MarkdownString) {
    return value.value;
  }
  if (Array.isArray(value)) {
    return value.map(textOf).join('\n');
  }
  if (typeof value === 'object' && 'value' in value) {
    return String((value as { value: unknown }).value);
  }
  if (typeof value === 'object' && 'label' in value) {
    return textOf((value as { label: unknown }).label);
  }
  return String(value);
}

/** Replaces every seed in `text` with its first four characters, so a failure report does not leak it into the test output. */
function hideSeeds(text: string): string {
  return findSeeds(text).reduce((hidden, seed) => hidden.split(seed).join(`${seed.slice(0, 4)}…`), text);
}

/** Fails with where the seed was found, showing only the seed's first characters. */
function assertNoSeed(texts: readonly { where: string; text: string }[]): void {
  const found = texts.flatMap(({ where, text }) => findSeeds(text).map((seed) => `${hideSeeds(where)}: ${seed.slice(0, 4)}… in ${JSON.stringify(hideSeeds(text).slice(0, 200))}`));
  assert.deepEqual(found, [], 'a seed is shown');
}

suite('Secrets: never shown', () => {
  let api: ExtensionApi;
  let folder: string;
  const log: string[] = [];
  let logSubscription: vscode.Disposable;
  const cluster = createCluster();
  const user = createUser();
  const account = createAccount();
  const server = createServer();

  suiteSetup(async () => {
    api = await activateExtension();
    logSubscription = api.onDidLog((line) => log.push(line));
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(root, 'no workspace folder is open');
    folder = path.join(root, 'reliability-secrets');
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder, { recursive: true });
  });

  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('editor').update('wordBasedSuggestions', undefined, vscode.ConfigurationTarget.Workspace);
    logSubscription.dispose();
    api.setPrompter(undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(folder, { recursive: true, force: true });
  });

  test('editor features show no seed', async () => {
    const clusterSeed = seedOf(cluster);
    const lines = [
      `WASMCLOUD_CLUSTER_SEED=${clusterSeed}`,
      `WASMCLOUD_CLUSTER_ISSUERS=${cluster.getPublicKey()}, ${seedOf(user)}`,
      `WASMCLOUD_LATTICE_PREFIX=${seedOf(createCluster())}`,
      `WASMCLOUD_HOST_SEED=${seedOf(server)}`,
      `WASMCLOUD_RPC_SEED=${seedOf(user)}`,
      `WASMCLOUD_CTL_SEED=${seedOf(account)}`,
      `WASMCLOUD_CTL_JWT=${seedOf(createUser())}`,
      `WASMCLOUD_PROV_RPC_HOST=${seedOf(createUser())}`,
      `WASMCLOUD_RPC_CREDS=${seedOf(createUser())}`,
      `WASMCLOUD_RPC_PORT=${seedOf(createUser())}`,
      `WASMCLOUD_CLUSTR_SEED=${seedOf(createCluster())}`,
      `WASMCLOUD_CLUSTER_SEED_BACKUP="${seedOf(createCluster())}"`,
      `# old seed: ${seedOf(createCluster())}`,
      `WASMCLOUD_STRUCTURED_LOGGING_ENABLED=${seedOf(createCluster())} # ${seedOf(createCluster())}`,
      `WASMCLOUD_JS_DOMAIN='${seedOf(createCluster())}`,
      '',
    ];
    // VS Code's own word completions would offer every word of the open files, seeds included; only the extension's items count here.
    await vscode.workspace.getConfiguration('editor').update('wordBasedSuggestions', 'off', vscode.ConfigurationTarget.Workspace);
    const file = path.join(folder, 'seeds.env');
    writeFileSync(file, lines.join('\n'));
    const uri = vscode.Uri.file(file);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);

    // Wait for the validator, which reports at least the issuer that is a seed.
    const deadline = Date.now() + 15_000;
    let diagnostics: vscode.Diagnostic[] = [];
    while (Date.now() < deadline) {
      diagnostics = vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === DIAGNOSTIC_SOURCE);
      if (diagnostics.some((diagnostic) => diagnostic.code === 'issuer-is-seed')) {
        break;
      }
      await sleep(100);
    }
    assert.ok(diagnostics.length > 5, `only ${diagnostics.length} findings`);

    const shown: { where: string; text: string }[] = [];
    for (const diagnostic of diagnostics) {
      shown.push({ where: `diagnostic ${String(diagnostic.code)}`, text: diagnostic.message });
      for (const related of diagnostic.relatedInformation ?? []) {
        shown.push({ where: `related information of ${String(diagnostic.code)}`, text: related.message });
      }
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range);
      for (const action of actions ?? []) {
        shown.push({ where: `quick fix of ${String(diagnostic.code)}`, text: action.title });
      }
    }

    let hovers = 0;
    for (let line = 0; line < document.lineCount; line++) {
      const length = document.lineAt(line).text.length;
      for (let character = 0; character <= length; character += 3) {
        const results = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(line, character));
        for (const hover of results ?? []) {
          hovers++;
          shown.push({ where: `hover at ${line + 1}:${character + 1}`, text: hover.contents.map(textOf).join('\n') });
        }
      }
      const completions = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, new vscode.Position(line, length));
      for (const item of completions?.items ?? []) {
        shown.push({ where: `completion on line ${line + 1}`, text: [textOf(item.label), item.detail ?? '', textOf(item.documentation)].join('\n') });
      }
    }
    assert.ok(hovers > 10, `only ${hovers} hovers`);
    assertNoSeed(shown);
  });

  test('inspect key shows the public key only', async () => {
    const prompter = new ScriptedPrompter();
    api.setPrompter(prompter);
    const seed = seedOf(cluster);
    await vscode.commands.executeCommand('wasmcloudLattice.inspectKey', seed);
    await vscode.commands.executeCommand('wasmcloudLattice.inspectKey', `${seed.slice(0, 57)}${seed.endsWith('A') ? 'E' : 'A'}`);
    await vscode.commands.executeCommand('wasmcloudLattice.inspectKey', seed.toLowerCase());
    assert.ok(prompter.notifications.some((notification) => notification.message.includes(cluster.getPublicKey())), JSON.stringify(prompter.notifications));
    assertNoSeed([
      ...prompter.shownTexts().map((text) => ({ where: 'inspect key prompt', text })),
      ...prompter.shownTexts().map((text) => ({ where: 'inspect key prompt (upper case)', text: text.toUpperCase() })),
    ]);
  });

  suite('Lattices view', () => {
    let natsServer: NatsServer;
    let nc: NatsConnection;
    const configSeed = seedOf(createCluster());

    suiteSetup(async () => {
      natsServer = await NatsServer.start();
      nc = await connect({ servers: natsServer.url });
      const jsm = await jetstreamManager(nc);
      for (const name of await jsm.streams.names().next()) {
        await jsm.streams.delete(name);
      }
      const lattice = await seedSampleLattice(nc, buildSampleLattice('secrets'));
      // wasmCloud 1.x keeps named configuration in this bucket, and people put secrets there.
      const config = await new Kvm(nc).create(`CONFIGDATA_${lattice.prefix}`);
      await config.put('host-keys', JSON.stringify({ cluster_seed: configSeed, note: 'rotated' }));
      // A seed pasted into the lattice variable of a host file in the workspace.
      writeFileSync(path.join(folder, 'pasted.env'), `WASMCLOUD_LATTICE=${seedOf(createCluster())}\nWASMCLOUD_CLUSTER_ISSUERS=${cluster.getPublicKey()}\n`);
      await setWorkspaceSettings({ connections: [{ name: 'secrets', servers: [natsServer.url] }], 'explorer.natsContexts': false });
      // The view rescans workspace .env files 500 ms after a change.
      await sleep(1_000);
      await vscode.commands.executeCommand('wasmcloudLattice.refresh');
    });

    suiteTeardown(async () => {
      rmSync(path.join(folder, 'pasted.env'), { force: true });
      await setWorkspaceSettings({ connections: undefined, 'explorer.natsContexts': undefined });
      await nc?.close();
      await natsServer?.dispose();
    });

    /** Returns every node below `node`, expanding everything, with entry groups loaded. */
    async function allNodes(node?: ExplorerNode): Promise<ExplorerNode[]> {
      const children = await childrenOf(api, node);
      const nested = await Promise.all(children.map((child) => allNodes(child)));
      return [...children, ...nested.flat()];
    }

    test('tree items show no seed', async () => {
      const nodes = await allNodes();
      assert.ok(nodes.some((node) => node.type === 'entry'), 'no entry in the tree');
      assert.ok(
        nodes.some((node) => node.type === 'entry' && node.entry.subject.includes('host-keys')),
        'the config entry with a seed is not in the tree',
      );
      const shown: { where: string; text: string }[] = [];
      for (const node of nodes) {
        const item = await api.explorer.tree.getTreeItem(node);
        shown.push({ where: `${node.id} label`, text: textOf(item.label) });
        shown.push({ where: `${node.id} description`, text: textOf(item.description) });
        shown.push({ where: `${node.id} tooltip`, text: textOf(item.tooltip) });
      }
      assertNoSeed(shown);
    });

    test('error nodes show no seed', async () => {
      const accountSeed = seedOf(createAccount());
      const seedFile = path.join(folder, 'account.nk');
      writeFileSync(seedFile, `${accountSeed}\n`);
      const credsFile = path.join(folder, 'broken.creds');
      writeFileSync(credsFile, `-----BEGIN USER NKEY SEED-----\n${seedOf(createAccount())}\n------END USER NKEY SEED------\n`);
      await setWorkspaceSettings({
        connections: [
          { name: 'wrong-seed', servers: [natsServer.url], auth: 'nkey', nkeyFile: seedFile },
          { name: 'broken-creds', servers: [natsServer.url], auth: 'creds', credsFile },
        ],
        'explorer.natsContexts': false,
      });
      try {
        const shown: { where: string; text: string }[] = [];
        const connections = await childrenOf(api);
        assert.equal(connections.filter((node) => node.type === 'connection').length, 2);
        for (const connection of connections) {
          for (const child of await childrenOf(api, connection)) {
            const item = await api.explorer.tree.getTreeItem(child);
            shown.push({ where: `${child.id} label`, text: textOf(item.label) }, { where: `${child.id} tooltip`, text: textOf(item.tooltip) });
          }
        }
        assert.ok(shown.length >= 4, JSON.stringify(shown));
        assertNoSeed(shown);
      } finally {
        await setWorkspaceSettings({ connections: [{ name: 'secrets', servers: [natsServer.url] }] });
      }
    });

    test('NATS error detail is redacted in the log', async () => {
      const seed = seedOf(createUser());
      const password = 'pw-redact-4c17';
      const limited = await NatsServer.start({
        config: `authorization { users: [ { user: limited, password: "${password}", permissions: { subscribe: { deny: "secret.>" } } } ] }`,
      });
      const logger = new ChannelLogger();
      const lines: string[] = [];
      const subscription = logger.onDidLog((line) => lines.push(line));
      const client = await connect({ servers: limited.url, user: 'limited', pass: password });
      try {
        const failed = new Promise<unknown>((resolve) => {
          client.subscribe(`secret.${seed}`, { callback: (error) => resolve(error) });
        });
        const error = await failed;
        assert.ok(error instanceof Error, `the server accepted the subscription: ${String(error)}`);
        const failure = classifyNatsError(error, { server: limited.url, connection: 'limited' });
        // The server's text names the subject, so the detail contains the seed.
        assert.ok(failure.detail.includes(seed), `the detail does not carry the seed: ${failure.detail}`);
        logger.error(failureLogLine('Subscribing', failure));
        logger.warn(`Connection "limited" reported an error: ${error.message}`);
        assert.equal(lines.length, 2);
        assertNoSeed(lines.map((line) => ({ where: 'log line', text: line })));
        assert.ok(lines.every((line) => line.includes('[redacted]')), JSON.stringify(lines));
      } finally {
        subscription.dispose();
        logger.dispose();
        await client.close();
        await limited.dispose();
      }
    });
  });

  // A suite's own tests run before its nested suites, so this one runs after all of the above.
  suite('Log', () => {
    test('log lines hold no seed', () => {
      assert.ok(log.length > 0, 'nothing was logged');
      assertNoSeed(log.map((line) => ({ where: 'log line', text: line })));
    });
  });
});
