import * as path from 'node:path';
import * as vscode from 'vscode';
import { generateKey, type GeneratedKey } from '../../core/keys/generate';
import { lintText, type LintOptions } from '../../core/rules/lint';
import { WorkspaceIndex } from '../../core/rules/workspace';
import { RotationError, planAddIssuer, planRemoveIssuer, planSwapSeed, readRotationHosts, type FileEdits, type HostFileText, type RotationHost, type RotationStageId } from '../../core/provision/rotation';
import type { FeatureDeps } from '../shared/deps';
import type { Prompter } from '../shared/prompter';
import { lintSettings } from '../lint/settings';
import type { KeyStore, StoredKey } from '../keys/key-store';

const TITLE = 'Rotate Cluster Key';
// `.env`, `.env.*` and `*.env`, as the validator and the Lattices view find host files.
const HOST_FILE_NAME = /^\.env(\..+)?$|\.env$/i;

/** Result of a rotation, for tests. */
export interface RotationOutcome {
  readonly oldPublicKey: string;
  readonly newPublicKey: string;
  /** Stages applied, in order. */
  readonly stages: readonly RotationStageId[];
  /** Names the new seed was stored under, when it was stored. */
  readonly storedAs?: string;
}

interface HostItem extends vscode.QuickPickItem {
  readonly host: RotationHost;
}

interface KeyItem extends vscode.QuickPickItem {
  readonly stored?: StoredKey;
}

/**
 * Runs Rotate Cluster Key on a folder of host files. The user picks the host
 * whose key to retire and the new key. Each of the three stages is then one
 * undoable workspace edit, after which the files are saved, and the user
 * confirms between stages that the hosts were restarted.
 */
export async function rotateClusterKeyCommand(deps: FeatureDeps, store: KeyStore, folderArgument?: unknown): Promise<RotationOutcome | undefined> {
  const prompter = deps.prompter.get();
  const folder = folderArgument instanceof vscode.Uri ? folderArgument : await prompter.pickFolder({ title: `${TITLE}: folder of the host files`, ...defaultFolderOption() });
  if (folder === undefined) {
    return undefined;
  }
  const lintOptions: LintOptions = { hostVersion: lintSettings(folder).hostVersion };

  const documents = await hostDocuments(folder);
  let hosts = readRotationHosts(texts(documents), lintOptions);
  if (hosts.length === 0) {
    await prompter.notify('error', `No host file in ${displayPath(folder)} sets a cluster seed or issuers, so there is no cluster key to rotate. 1.x hosts use no cluster keys.`);
    return undefined;
  }

  const lattice = await pickLattice(prompter, hosts);
  if (lattice === undefined) {
    return undefined;
  }
  hosts = hosts.filter((host) => host.lattice === lattice);
  const latticeDocuments = documents.filter((document) => hosts.some((host) => host.path === document.uri.toString()));

  const host = await pickHost(prompter, hosts);
  if (host?.seedPublicKey === undefined) {
    return undefined;
  }
  const oldPublicKey = host.seedPublicKey;
  const picked = await pickNewKey(prompter, store, oldPublicKey, hosts);
  if (picked === undefined) {
    return undefined;
  }
  const { key: newKey, storedAs: alreadyStored } = picked;
  deps.logger.info(`Rotating cluster key ${oldPublicKey} to ${newKey.publicKey} in lattice '${lattice}' (${displayPath(folder)}).`);

  const stages: RotationStageId[] = [];
  const run = async (id: RotationStageId, plan: (current: HostFileText[]) => FileEdits[]): Promise<boolean> => {
    const applied = await applyStage(deps, latticeDocuments, id, plan, lintOptions);
    if (applied) {
      stages.push(id);
    }
    return applied;
  };

  // Stage 1: every host accepts the new key.
  if (!(await run('add-issuer', (current) => planAddIssuer(current, newKey.publicKey, lintOptions)))) {
    return { oldPublicKey, newPublicKey: newKey.publicKey, stages };
  }
  const swapping = hosts.filter((candidate) => candidate.seedPublicKey === oldPublicKey).map((candidate) => baseName(candidate.path));
  const restarted = await prompter.notify(
    'info',
    `Stage 1 of 3 done: every host of lattice '${lattice}' now accepts ${newKey.publicKey}. Restart every host so it reads the new issuers, then give ${swapping.join(', ')} the new seed.`,
    { modal: true, detail: 'Undo reverts this stage in every file.' },
    'Hosts Restarted, Swap Seed',
  );
  if (restarted !== 'Hosts Restarted, Swap Seed') {
    const storedAs = alreadyStored ?? (await offerToKeepSeed(prompter, store, newKey, lattice, deps));
    return { oldPublicKey, newPublicKey: newKey.publicKey, stages, ...(storedAs === undefined ? {} : { storedAs }) };
  }

  // Stage 2: the hosts that signed with the old key sign with the new one.
  if (!(await run('swap-seed', (current) => planSwapSeed(current, oldPublicKey, newKey, lintOptions)))) {
    return { oldPublicKey, newPublicKey: newKey.publicKey, stages };
  }
  const remove = await prompter.notify(
    'info',
    `Stage 2 of 3 done: ${swapping.join(', ')} now sign with ${newKey.publicKey}. Restart ${swapping.length === 1 ? 'that host' : 'those hosts'}, then remove the old key ${oldPublicKey} from every host's issuers.`,
    { modal: true, detail: 'Keep the old key to stop here: every host then accepts both keys.' },
    'Hosts Restarted, Remove Old Key',
  );
  if (remove === 'Hosts Restarted, Remove Old Key') {
    // Stage 3: no host accepts the old key any more.
    await run('remove-issuer', (current) => planRemoveIssuer(current, oldPublicKey, lintOptions));
  }
  if (stages.includes('remove-issuer')) {
    void prompter.notify('info', `Rotation done: lattice '${lattice}' no longer accepts ${oldPublicKey}. Restart every host once more so it drops the old key.`);
  }
  return { oldPublicKey, newPublicKey: newKey.publicKey, stages, ...(alreadyStored === undefined ? {} : { storedAs: alreadyStored }) };
}

function defaultFolderOption(): { defaultUri?: vscode.Uri } {
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active !== undefined && active.scheme === 'file') {
    return { defaultUri: vscode.Uri.file(path.dirname(active.fsPath)) };
  }
  const workspace = vscode.workspace.workspaceFolders?.[0]?.uri;
  return workspace === undefined ? {} : { defaultUri: workspace };
}

/** Opens (without showing) every host file directly in `folder`, so edits and text come from the editor's buffer. */
async function hostDocuments(folder: vscode.Uri): Promise<vscode.TextDocument[]> {
  const entries = await vscode.workspace.fs.readDirectory(folder);
  const documents: vscode.TextDocument[] = [];
  for (const [name, type] of entries.sort(([a], [b]) => a.localeCompare(b))) {
    if (type === vscode.FileType.File && HOST_FILE_NAME.test(name)) {
      documents.push(await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, name)));
    }
  }
  return documents;
}

function texts(documents: readonly vscode.TextDocument[]): HostFileText[] {
  return documents.map((document) => ({ path: document.uri.toString(), text: document.getText() }));
}

async function pickLattice(prompter: Prompter, hosts: readonly RotationHost[]): Promise<string | undefined> {
  const lattices = [...new Set(hosts.map((host) => host.lattice))];
  if (lattices.length === 1) {
    return lattices[0];
  }
  const items = lattices.map((lattice) => ({ label: lattice, description: `${hosts.filter((host) => host.lattice === lattice).length} host files` }));
  return (await prompter.pick(items, { title: TITLE, placeholder: 'The folder contains host files of several lattices. Which lattice?' }))?.label;
}

async function pickHost(prompter: Prompter, hosts: readonly RotationHost[]): Promise<RotationHost | undefined> {
  const items: HostItem[] = hosts
    .filter((host) => host.seedPublicKey !== undefined)
    .map((host) => {
      const sharing = hosts.filter((other) => other !== host && other.seedPublicKey === host.seedPublicKey).map((other) => baseName(other.path));
      return {
        host,
        label: baseName(host.path),
        description: host.seedPublicKey,
        detail: sharing.length === 0 ? 'Only this host signs with this key.' : `Shares this seed with ${sharing.join(', ')}, which get the new seed too.`,
      };
    });
  const picked = await prompter.pick(items, { title: TITLE, placeholder: "Which host's cluster key do you want to replace?", matchOnDescription: true });
  return picked?.host;
}

async function pickNewKey(prompter: Prompter, store: KeyStore, oldPublicKey: string, hosts: readonly RotationHost[]): Promise<{ key: GeneratedKey; storedAs?: string } | undefined> {
  const stored = store.list().filter((entry) => entry.kind === 'cluster' && entry.publicKey !== oldPublicKey && !hosts.some((host) => host.seedPublicKey === entry.publicKey));
  const items: KeyItem[] = [
    { label: '$(key) Generate a new cluster key', detail: 'A new seed that no host uses yet.' },
    ...stored.map((entry) => ({
      stored: entry,
      label: `$(lock) ${entry.name}`,
      description: entry.publicKey,
      detail: hosts.every((host) => host.accepted.includes(entry.publicKey)) ? 'Every host already accepts this key: the rotation continues at stage 2.' : 'Stored in secret storage.',
    })),
  ];
  const picked = await prompter.pick(items, { title: TITLE, placeholder: 'Which key do the hosts move to?' });
  if (picked === undefined) {
    return undefined;
  }
  if (picked.stored === undefined) {
    return { key: generateKey('cluster') };
  }
  return { key: { publicKey: picked.stored.publicKey, seed: await store.readSeed(picked.stored) }, storedAs: picked.stored.name };
}

/**
 * Plans a stage from the documents' current text and applies it as one
 * workspace edit, then saves the files, because hosts read them from disk.
 * Returns false when the stage cannot run (shown to the user) or the edit
 * was not applied. A stage with nothing to change counts as applied.
 */
async function applyStage(deps: FeatureDeps, documents: readonly vscode.TextDocument[], id: RotationStageId, plan: (current: HostFileText[]) => FileEdits[], lintOptions: LintOptions): Promise<boolean> {
  const prompter = deps.prompter.get();
  const before = texts(documents);
  let fileEdits: FileEdits[];
  try {
    fileEdits = plan(before);
  } catch (error) {
    if (error instanceof RotationError) {
      await prompter.notify('error', `${TITLE} stopped before "${STAGE_LABELS[id]}": ${error.message.replace(/file:\/\/\S+/g, (uri) => baseName(uri))}`);
      return false;
    }
    throw error;
  }
  if (fileEdits.length === 0) {
    deps.logger.info(`Rotation stage "${STAGE_LABELS[id]}" has nothing to change.`);
    return true;
  }

  const edit = new vscode.WorkspaceEdit();
  const changed: vscode.TextDocument[] = [];
  for (const fileEdit of fileEdits) {
    const document = documents.find((candidate) => candidate.uri.toString() === fileEdit.path);
    if (document === undefined) {
      continue;
    }
    changed.push(document);
    for (const textEdit of fileEdit.edits) {
      edit.replace(document.uri, new vscode.Range(document.positionAt(textEdit.start), document.positionAt(textEdit.end)), textEdit.text, { label: `${TITLE}: ${STAGE_LABELS[id]}`, needsConfirmation: false });
    }
  }
  if (!(await vscode.workspace.applyEdit(edit))) {
    await prompter.notify('error', `${TITLE} could not apply "${STAGE_LABELS[id]}": another change to the host files came first. Run the command again.`);
    return false;
  }
  for (const document of changed) {
    await document.save();
  }
  deps.logger.info(`Applied rotation stage "${STAGE_LABELS[id]}" to ${changed.map((document) => baseName(document.uri.toString())).join(', ')}.`);

  const findings = newFindings(before, texts(documents), lintOptions);
  if (findings.length > 0) {
    deps.logger.warn(`Rotation stage "${STAGE_LABELS[id]}" left findings: ${findings.join('; ')}`);
    void prompter.notify('warning', `After "${STAGE_LABELS[id]}" the host files have new problems: ${findings.slice(0, 3).join('; ')}. Check the Problems panel before you restart hosts.`);
  }
  return true;
}

const STAGE_LABELS: Readonly<Record<RotationStageId, string>> = {
  'add-issuer': 'add the new key to every issuers list',
  'swap-seed': 'swap the seed',
  'remove-issuer': 'remove the old key from every issuers list',
};

/** Returns the errors and warnings, in single files and across them, that `after` has and `before` had not, as "file: code". */
function newFindings(before: readonly HostFileText[], after: readonly HostFileText[], options: LintOptions): string[] {
  const found = (files: readonly HostFileText[]): Set<string> => {
    const index = new WorkspaceIndex(options.severities ?? {});
    const result = new Set<string>();
    for (const file of files) {
      const lint = lintText(file.text, options);
      index.update(file.path, lint);
      lint.diagnostics.filter((diagnostic) => diagnostic.severity === 'error' || diagnostic.severity === 'warning').forEach((diagnostic) => result.add(`${baseName(file.path)}: ${diagnostic.code}`));
    }
    for (const file of files) {
      index
        .diagnostics(file.path)
        .filter((diagnostic) => diagnostic.severity === 'error' || diagnostic.severity === 'warning')
        .forEach((diagnostic) => result.add(`${baseName(file.path)}: ${diagnostic.code}`));
    }
    return result;
  };
  const old = found(before);
  return [...found(after)].filter((finding) => !old.has(finding));
}

/** Offers to store the new seed when the user stops after stage 1, because no file contains it yet. */
async function offerToKeepSeed(prompter: Prompter, store: KeyStore, key: GeneratedKey, lattice: string, deps: FeatureDeps): Promise<string | undefined> {
  const answer = await prompter.notify(
    'warning',
    `The rotation stopped after stage 1. No host file holds the new seed yet, so it is lost unless you store it. Store it to continue later by choosing it in ${TITLE}.`,
    { modal: true, detail: `Or undo stage 1 to remove ${key.publicKey} from the issuers again.` },
    'Store New Seed',
  );
  if (answer !== 'Store New Seed') {
    return undefined;
  }
  const name = store.suggestName(`${lattice}-rotation`);
  await store.add(name, 'cluster', key);
  deps.logger.info(`Stored the new cluster key ${key.publicKey} as '${name}' to continue the rotation later.`);
  return name;
}

function baseName(uriOrPath: string): string {
  return path.posix.basename(uriOrPath);
}

function displayPath(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? vscode.workspace.asRelativePath(uri, true) : uri.toString();
}
