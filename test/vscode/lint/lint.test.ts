import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { createCluster, fromSeed } from '@nats-io/nkeys';
import * as vscode from 'vscode';

const decoder = new TextDecoder();
const encoder = new TextEncoder();
// The example pair printed on wasmCloud's lattice provisioning page.
const PUBLISHED_SEED = 'SCABNLVRXGEJEG5FBBPMMKMMY37FNKVLDY6YXHVL6WA4IRBEYD6ACIQKV4';

function clusterPair(): { publicKey: string; seed: string } {
  const pair = createCluster();
  return { publicKey: pair.getPublicKey(), seed: decoder.decode(pair.getSeed()) };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `read` until `done` returns true or `timeoutMs` passes, then returns the last value. */
async function waitFor<T>(read: () => T, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = read();
  while (!done(value) && Date.now() < deadline) {
    await sleep(50);
    value = read();
  }
  return value;
}

function ourDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'wasmCloud Lattice');
}

function codesOf(uri: vscode.Uri): string[] {
  return ourDiagnostics(uri).map((diagnostic) => String(diagnostic.code));
}

async function waitForCode(uri: vscode.Uri, code: string, present = true): Promise<vscode.Diagnostic[]> {
  const diagnostics = await waitFor(
    () => ourDiagnostics(uri),
    (found) => found.some((diagnostic) => diagnostic.code === code) === present,
  );
  assert.equal(
    diagnostics.some((diagnostic) => diagnostic.code === code),
    present,
    `${code} ${present ? 'missing from' : 'still in'} ${uri.fsPath}: ${JSON.stringify(diagnostics.map((diagnostic) => diagnostic.code))}`,
  );
  return diagnostics;
}

suite('Lint: .env validation', () => {
  let folder: string;

  function writeHostFile(name: string, text: string): vscode.Uri {
    const file = path.join(folder, name);
    writeFileSync(file, text);
    return vscode.Uri.file(file);
  }

  async function open(uri: vscode.Uri): Promise<vscode.TextEditor> {
    const document = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(document, { preview: false });
  }

  suiteSetup(async () => {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(root, 'no workspace folder is open');
    folder = path.join(root, 'lint-suite');
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder, { recursive: true });
    const extension = vscode.extensions.all.find((candidate) => candidate.packageJSON?.name === 'wasmcloud-lattice');
    assert.ok(extension, 'the extension is not loaded');
    await extension.activate();
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(folder, { recursive: true, force: true });
  });

  test('diagnostics appear in a host file', async () => {
    const key = clusterPair();
    const uri = writeHostFile('broken.env', `WASMCLOUD_LATTICE_PREFIX=prod\nWASMCLOUD_CLUSTER_SEED=${key.seed}\nWASMCLOUD_CLUSTER_ISSUERS=${key.publicKey}\nWASMCLOUD_RPC_PORT=42x\n`);
    await open(uri);
    const diagnostics = await waitForCode(uri, 'port-invalid');
    const port = diagnostics.find((diagnostic) => diagnostic.code === 'port-invalid');
    assert.equal(port?.severity, vscode.DiagnosticSeverity.Error);
    assert.deepEqual([port?.range.start.line, port?.range.start.character, port?.range.end.character], [3, 19, 22]);
    assert.ok(!codesOf(uri).includes('seed-malformed'));
  });

  test('quick fix removes issuer whitespace', async () => {
    const key = clusterPair();
    const other = clusterPair();
    const uri = writeHostFile('spaced.env', `WASMCLOUD_CLUSTER_SEED=${key.seed}\nWASMCLOUD_CLUSTER_ISSUERS=${key.publicKey}, ${other.publicKey}\n`);
    const editor = await open(uri);
    const [diagnostic] = (await waitForCode(uri, 'issuers-whitespace')).filter((candidate) => candidate.code === 'issuers-whitespace');

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((action) => action.title.startsWith('Remove whitespace around commas'));
    assert.ok(fix?.edit, `no whitespace fix among ${JSON.stringify(actions.map((action) => action.title))}`);
    assert.equal(fix.isPreferred, true);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));

    await waitForCode(uri, 'issuers-whitespace', false);
    assert.equal(editor.document.lineAt(1).text, `WASMCLOUD_CLUSTER_ISSUERS=${key.publicKey},${other.publicKey}`);

    await vscode.commands.executeCommand('undo');
    await waitFor(
      () => editor.document.lineAt(1).text,
      (text) => text.includes(', '),
    );
    assert.equal(editor.document.lineAt(1).text, `WASMCLOUD_CLUSTER_ISSUERS=${key.publicKey}, ${other.publicKey}`);
  });

  test('quick fix replaces a published seed', async () => {
    const published = fromSeed(encoder.encode(PUBLISHED_SEED)).getPublicKey();
    // A lattice of its own, so the sample hosts of lattice "default" do not take part.
    const uri = writeHostFile('published.env', `WASMCLOUD_CLUSTER_SEED=${PUBLISHED_SEED}\nWASMCLOUD_CLUSTER_ISSUERS=${published}\nWASMCLOUD_LATTICE_PREFIX=lint-suite-published\n`);
    const editor = await open(uri);
    const [diagnostic] = (await waitForCode(uri, 'seed-published-example')).filter((candidate) => candidate.code === 'seed-published-example');
    assert.ok(!diagnostic.message.includes(PUBLISHED_SEED));

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((action) => action.command?.command === 'wasmcloudLattice.applyLintFix');
    assert.ok(fix?.command, `no key replacement among ${JSON.stringify(actions.map((action) => action.title))}`);
    await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));

    await waitForCode(uri, 'seed-published-example', false);
    const seed = editor.document.lineAt(0).text.split('=')[1];
    const publicKey = fromSeed(encoder.encode(seed)).getPublicKey();
    assert.equal(editor.document.lineAt(1).text, `WASMCLOUD_CLUSTER_ISSUERS=${publicKey}`);
    assert.deepEqual(codesOf(uri), []);
  });

  test('hover shows public key not seed', async () => {
    const key = clusterPair();
    const uri = writeHostFile('hover.env', `WASMCLOUD_CLUSTER_SEED=${key.seed}\nWASMCLOUD_CLUSTER_ISSUERS=${key.publicKey}\n`);
    await open(uri);
    const deadline = Date.now() + 10_000;
    let text = '';
    while (!text.includes(key.publicKey) && Date.now() < deadline) {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(0, 30));
      text = hovers
        .flatMap((hover) => hover.contents)
        .map((content) => (typeof content === 'string' ? content : content.value))
        .join('\n');
      await sleep(50);
    }
    assert.ok(text.includes(key.publicKey), text);
    assert.ok(!text.includes(key.seed), 'the hover shows the seed');
    assert.ok(!text.includes(key.seed.slice(0, 20)), 'the hover shows part of the seed');
    assert.match(text, /Listed in this file's WASMCLOUD_CLUSTER_ISSUERS/);
  });

  test('cross-file mismatch in both files', async () => {
    const key = clusterPair();
    const first = writeHostFile('east.env', `WASMCLOUD_LATTICE_PREFIX=east\nWASMCLOUD_CLUSTER_SEED=${key.seed}\nWASMCLOUD_CLUSTER_ISSUERS=${key.publicKey}\n`);
    const second = writeHostFile('west.env', `WASMCLOUD_LATTICE_PREFIX=west\nWASMCLOUD_CLUSTER_SEED=${key.seed}\nWASMCLOUD_CLUSTER_ISSUERS=${key.publicKey}\n`);
    await open(first);
    await open(second);

    for (const [uri, other] of [
      [first, second],
      [second, first],
    ]) {
      const [mismatch] = (await waitForCode(uri, 'lattice-prefix-mismatch')).filter((diagnostic) => diagnostic.code === 'lattice-prefix-mismatch');
      const related = mismatch.relatedInformation ?? [];
      assert.ok(
        related.some((info) => info.location.uri.toString() === other.toString() && info.location.range.start.line === 0),
        `related information: ${JSON.stringify(related.map((info) => info.location.uri.toString()))}`,
      );
    }

    const editor = await open(second);
    await editor.edit((builder) => builder.replace(new vscode.Range(0, 25, 0, 29), 'east'));
    await waitForCode(first, 'lattice-prefix-mismatch', false);
    await waitForCode(second, 'lattice-prefix-mismatch', false);
  });

  test('untitled document stays out of workspace rules', async () => {
    const saved = clusterPair();
    const scratch = clusterPair();
    // A lattice of its own, so only these two hosts can disagree.
    const lattice = 'WASMCLOUD_LATTICE_PREFIX=lint-suite-untitled';
    // Each file has a port finding, so the test can wait until it was linted.
    const uri = writeHostFile('untitled-peer.env', `${lattice}\nWASMCLOUD_CLUSTER_SEED=${saved.seed}\nWASMCLOUD_CLUSTER_ISSUERS=${saved.publicKey}\nWASMCLOUD_CTL_PORT=0\n`);
    await open(uri);
    await waitForCode(uri, 'port-invalid');
    assert.deepEqual(codesOf(uri), ['port-invalid']);

    const document = await vscode.workspace.openTextDocument({
      language: 'dotenv',
      content: `${lattice}\nWASMCLOUD_CLUSTER_SEED=${scratch.seed}\nWASMCLOUD_CLUSTER_ISSUERS=${scratch.publicKey}\nWASMCLOUD_RPC_PORT=0\n`,
    });
    await vscode.window.showTextDocument(document, { preview: false });
    try {
      // The untitled document is linted on its own, and in the same pass the saved file's findings would change.
      await waitForCode(document.uri, 'port-invalid');
      assert.deepEqual(codesOf(document.uri), ['port-invalid']);
      assert.deepEqual(codesOf(uri), ['port-invalid']);
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  test('completion offers variable names', async () => {
    const uri = writeHostFile('complete.env', 'WASMCLOUD_LATTICE=prod\nWASMCLOUD_CLU');
    await open(uri);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, new vscode.Position(1, 13));
    const labels = list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
    assert.ok(labels.includes('WASMCLOUD_CLUSTER_SEED'), labels.slice(0, 20).join());
    assert.ok(!labels.includes('WASMCLOUD_LATTICE'), 'a variable already set is offered again');
  });

  test('closing a file clears its diagnostics', async () => {
    const uri = writeHostFile('closing.env', 'WASMCLOUD_RPC_PORT=0\n');
    await open(uri);
    await waitForCode(uri, 'port-invalid');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await waitForCode(uri, 'port-invalid', false);
  });

  test('git tracking finding follows git changes', async () => {
    const repo = path.join(folder, 'repo');
    mkdirSync(repo, { recursive: true });
    const git = (...args: string[]): void => {
      execFileSync('git', args, { cwd: repo, stdio: 'ignore' });
    };
    git('init', '-q');
    const key = clusterPair();
    const uri = vscode.Uri.file(path.join(repo, 'host.env'));
    writeFileSync(uri.fsPath, `WASMCLOUD_CLUSTER_SEED=${key.seed}\nWASMCLOUD_CLUSTER_ISSUERS=${key.publicKey}\nWASMCLOUD_LATTICE_PREFIX=lint-suite-git\n`);
    await open(uri);
    const [untracked] = (await waitForCode(uri, 'seed-in-tracked-file')).filter((diagnostic) => diagnostic.code === 'seed-in-tracked-file');
    assert.match(untracked.message, /^git does not ignore this file/);

    // No edit follows: the watcher of .gitignore and the index starts the new check.
    writeFileSync(path.join(repo, '.gitignore'), 'host.env\n');
    await waitForCode(uri, 'seed-in-tracked-file', false);

    git('add', '--force', 'host.env');
    const [tracked] = (await waitForCode(uri, 'seed-in-tracked-file')).filter((diagnostic) => diagnostic.code === 'seed-in-tracked-file');
    assert.match(tracked.message, /^git tracks this file/);
  });

  test('disable comment silences a line', async () => {
    const uri = writeHostFile('disabled.env', '# wasmcloud-lattice-disable-next-line port-invalid\nWASMCLOUD_RPC_PORT=0\nWASMCLOUD_CTL_PORT=0\n');
    await open(uri);
    const diagnostics = await waitForCode(uri, 'port-invalid');
    assert.deepEqual(
      diagnostics.filter((diagnostic) => diagnostic.code === 'port-invalid').map((diagnostic) => diagnostic.range.start.line),
      [2],
    );
  });
});
