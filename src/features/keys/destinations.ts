import * as path from 'node:path';
import * as vscode from 'vscode';
import { keyVariables, newEnvDocument, planEnvInsertion, type EnvInsertion, type KeyVariables, type TextEdit } from '../../core/keys/env-file';
import type { GeneratedKey } from '../../core/keys/generate';
import type { KeyKind } from '../../core/keys/kinds';
import { describeError } from '../../core/log';
import type { FeatureDeps } from '../shared/deps';
import type { LocalHistoryHint } from './local-history';

// `.env`, `.env.local`, `host.env` and similar names.
const ENV_FILE_NAME = /^\.env(\..+)?$|\.env$/i;
const WASMCLOUD_ASSIGNMENT = /^\s*(export\s+)?WASMCLOUD_[A-Z0-9_]*\s*=/m;

/** Returns whether a document is a host `.env` file: by language, by file name, or by a WASMCLOUD_ assignment in its text. */
export function isEnvDocument(document: vscode.TextDocument): boolean {
  if (document.languageId === 'dotenv') {
    return true;
  }
  if (document.uri.scheme !== 'untitled' && ENV_FILE_NAME.test(path.posix.basename(document.uri.path))) {
    return true;
  }
  return WASMCLOUD_ASSIGNMENT.test(document.getText());
}

/**
 * Returns the active editor when a key can be inserted there, or undefined for
 * none or for the Output panel, whose documents are read-only.
 */
export function editorForInsertion(): vscode.TextEditor | undefined {
  const editor = vscode.window.activeTextEditor;
  return editor === undefined || editor.document.uri.scheme === 'output' ? undefined : editor;
}

/** Returns the file name for messages, or the title of an untitled document. */
export function documentName(document: vscode.TextDocument): string {
  return document.isUntitled ? document.fileName : path.posix.basename(document.uri.path);
}

/**
 * Returns the language for a new `.env` document. VS Code 1.139 and dotenv
 * extensions provide a `dotenv` language, but older releases may not. The
 * fallback is the built-in `properties` language, which highlights
 * `KEY=value` lines and `#` comments, and then plain text.
 */
export async function envLanguageId(): Promise<string> {
  const languages = await vscode.languages.getLanguages();
  for (const candidate of ['dotenv', 'properties']) {
    if (languages.includes(candidate)) {
      return candidate;
    }
  }
  return 'plaintext';
}

function endOfLine(document: vscode.TextDocument): string {
  return document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
}

async function applyEdits(document: vscode.TextDocument, edits: readonly TextEdit[]): Promise<boolean> {
  const workspaceEdit = new vscode.WorkspaceEdit();
  for (const edit of edits) {
    workspaceEdit.replace(document.uri, new vscode.Range(document.positionAt(edit.start), document.positionAt(edit.end)), edit.text);
  }
  return vscode.workspace.applyEdit(workspaceEdit);
}

/**
 * Inserts `text` at every selection of the editor, replacing selected text.
 * The selections are read when this runs, so a quick pick shown before keeps
 * the place where the user invoked the command.
 */
export async function insertAtSelections(editor: vscode.TextEditor, selections: readonly vscode.Selection[], text: string): Promise<boolean> {
  const workspaceEdit = new vscode.WorkspaceEdit();
  for (const selection of selections) {
    workspaceEdit.replace(editor.document.uri, selection, text);
  }
  return vscode.workspace.applyEdit(workspaceEdit);
}

/**
 * Puts a generated key into the active editor. In a host `.env` file the seed
 * and public key go into the kind's host variables (see
 * `insertIntoHostFile`). In other files, and for kinds without host
 * variables, the user picks the public key or the seed for the cursor.
 * Returns whether the document changed.
 */
export async function insertIntoEditor(
  editor: vscode.TextEditor,
  selections: readonly vscode.Selection[],
  kind: KeyKind,
  key: GeneratedKey,
  deps: FeatureDeps,
  hint?: LocalHistoryHint,
): Promise<boolean> {
  if (keyVariables(kind) === undefined || !isEnvDocument(editor.document)) {
    return insertPublicKeyOrSeed(editor, selections, kind, key, deps, hint);
  }
  return insertIntoHostFile(editor, { kind, publicKey: key.publicKey, seedLabel: `the new ${kind} seed`, readSeed: async () => key.seed }, deps, hint);
}

/** A key for `insertIntoHostFile`. */
export interface HostFileKey {
  readonly kind: KeyKind;
  readonly publicKey: string;
  /** Names the seed in dialogs, such as "the new cluster seed" or "the seed of 'prod'". */
  readonly seedLabel: string;
  /** Returns the seed. It is called only after the user confirmed the insertion. */
  readSeed(): Promise<string>;
  /** A dialog to confirm first when the file sets no seed yet. A file that sets one always gets the replace dialog. */
  readonly confirmation?: { readonly message: string; readonly detail: string; readonly button: string };
}

/**
 * Puts a key into a host `.env` file through the kind's host variables, as
 * `planEnvInsertion` plans it: the public key joins WASMCLOUD_CLUSTER_ISSUERS
 * and the user confirms before an existing seed is replaced. The kind must
 * have host variables. Returns whether the document changed.
 */
export async function insertIntoHostFile(editor: vscode.TextEditor, key: HostFileKey, deps: FeatureDeps, hint?: LocalHistoryHint): Promise<boolean> {
  const document = editor.document;
  const variables = keyVariables(key.kind);
  if (variables === undefined) {
    return false;
  }
  const prompter = deps.prompter.get();
  const name = documentName(document);
  // The seed is not needed to plan which lines change, so it is read only after the dialogs.
  const planFor = (seed: string): EnvInsertion => planEnvInsertion(document.getText(), variables, { publicKey: key.publicKey, seed }, endOfLine(document));

  let replaceSeed = false;
  const before = planFor('');
  if (before.replacesSeed) {
    const answer = await prompter.notify(
      'warning',
      `${name} already sets ${variables.seed}. Replace it with ${key.seedLabel}?`,
      { modal: true, detail: replaceDetail(name, variables, before) },
      'Replace Seed',
      ...(variables.publicKeyList === undefined ? [] : ['Keep Seed']),
    );
    if (answer === undefined) {
      return false;
    }
    replaceSeed = answer === 'Replace Seed';
  } else if (key.confirmation !== undefined) {
    const answer = await prompter.notify('warning', key.confirmation.message, { modal: true, detail: key.confirmation.detail }, key.confirmation.button);
    if (answer !== key.confirmation.button) {
      return false;
    }
  }

  // Plan again, because the document may have changed while a dialog was open.
  const current = planFor('');
  const plan = replaceSeed || !current.replacesSeed ? planFor(await key.readSeed()) : current;
  if (!(await applyEdits(document, plan.edits(replaceSeed)))) {
    void prompter.notify('error', `Inserting the ${key.kind} key into ${name} failed because VS Code rejected the edit. Check that the file is writable and try again.`);
    return false;
  }

  const seedChanged = replaceSeed || !plan.replacesSeed;
  const listed = plan.listedKeys(replaceSeed);
  const added = [seedChanged ? variables.seed : undefined, listed.length > 0 ? variables.publicKeyList : undefined].filter((item) => item !== undefined);
  deps.logger.info(`Inserted ${key.kind} key ${key.publicKey} into ${document.uri.toString(true)} (${added.join(', ') || 'no change'}).`);
  const sentences = [added.length === 0 ? `${name} already had this key.` : `Updated ${added.join(' and ')} in ${name}.`];
  if (plan.currentSeedPublicKey !== undefined && listed.includes(plan.currentSeedPublicKey)) {
    sentences.push(
      replaceSeed
        ? `${variables.publicKeyList} keeps the replaced seed's public key ${plan.currentSeedPublicKey}, so hosts that still sign with it are accepted until you remove it.`
        : `${variables.publicKeyList} lists the kept seed's public key ${plan.currentSeedPublicKey} before the new one, so the host still accepts its own invocations.`,
    );
  }
  void prompter.notify('info', sentences.join(' '));
  if (seedChanged) {
    hint?.seedWritten(document);
  }
  return true;
}

/** Explains the choices of the dialog that asks before replacing a seed. */
function replaceDetail(name: string, variables: KeyVariables, plan: EnvInsertion): string {
  if (variables.publicKeyList === undefined) {
    return `Replacing removes the current seed from ${name}.`;
  }
  const list = variables.publicKeyList;
  const replaced = plan.listedKeys(true).includes(plan.currentSeedPublicKey ?? '')
    ? `Replacing removes the current seed from ${name}, and ${list} lists its public key next to the new one, so hosts that still sign with it are accepted.`
    : `Replacing removes the current seed from ${name}.`;
  const kept = plan.listedKeys(false).includes(plan.currentSeedPublicKey ?? '')
    ? `Keep Seed keeps it and adds its own public key and the new public key to ${list}.`
    : `Keep Seed keeps it and adds only the new public key to ${list}.`;
  return `${replaced} ${kept}`;
}

async function insertPublicKeyOrSeed(
  editor: vscode.TextEditor,
  selections: readonly vscode.Selection[],
  kind: KeyKind,
  key: GeneratedKey,
  deps: FeatureDeps,
  hint: LocalHistoryHint | undefined,
): Promise<boolean> {
  const prompter = deps.prompter.get();
  const items: Array<vscode.QuickPickItem & { value: 'public' | 'seed' }> = [
    { label: 'Public Key', description: key.publicKey, value: 'public' },
    { label: 'Seed', description: 'secret: anyone who has it can act as this key', value: 'seed' },
  ];
  const picked = await prompter.pick(items, { title: `Insert the ${kind} key into ${documentName(editor.document)}`, placeholder: 'Insert the public key or the seed?' });
  if (picked === undefined) {
    return false;
  }

  const text = picked.value === 'public' ? key.publicKey : key.seed;
  if (!(await insertAtSelections(editor, selections, text))) {
    void prompter.notify('error', `Inserting the ${kind} key into ${documentName(editor.document)} failed because VS Code rejected the edit. Check that the file is writable and try again.`);
    return false;
  }
  deps.logger.info(`Inserted the ${picked.value === 'public' ? 'public key' : 'seed'} of ${kind} key ${key.publicKey} into ${editor.document.uri.toString(true)}.`);
  if (picked.value === 'seed') {
    hint?.seedWritten(editor.document);
  }
  return true;
}

/**
 * Opens a new untitled `.env` document with the key's host variables and a
 * comment that the seed is secret.
 */
export async function openUntitledEnv(kind: KeyKind, key: GeneratedKey, deps: FeatureDeps): Promise<vscode.TextDocument> {
  // NOTE: VS Code's hot exit backs up unsaved documents to the user data
  // folder, so the seed can reach the disk there until the document is closed.
  const document = await vscode.workspace.openTextDocument({ language: await envLanguageId(), content: newEnvDocument(kind, key, new Date()) });
  await vscode.window.showTextDocument(document);
  deps.logger.info(`Opened a new ${document.languageId} document with ${kind} key ${key.publicKey}.`);
  return document;
}

/**
 * Copies a public key or a seed to the clipboard. The notification names what
 * was copied and shows a public key, never a seed. Returns whether it worked.
 */
export async function copyToClipboard(part: 'public' | 'seed', kind: KeyKind, value: string, publicKey: string, deps: FeatureDeps, storedName?: string): Promise<boolean> {
  const prompter = deps.prompter.get();
  const owner = storedName === undefined ? `${kind} key ${publicKey}` : `stored ${kind} key '${storedName}'`;
  try {
    await vscode.env.clipboard.writeText(value);
  } catch (error) {
    deps.logger.error(`Copying the ${part === 'public' ? 'public key' : 'seed'} of ${owner} to the clipboard failed`, error);
    void prompter.notify('error', `Copying to the clipboard failed: ${describeError(error)}`);
    return false;
  }

  deps.logger.info(`Copied the ${part === 'public' ? 'public key' : 'seed'} of ${owner} to the clipboard.`);
  if (part === 'public') {
    void prompter.notify('info', `Copied the public key ${publicKey} of the ${storedName === undefined ? `${kind} key` : `stored key '${storedName}'`} to the clipboard.`);
  } else {
    void prompter.notify('info', `Copied the ${kind} seed ${storedName === undefined ? `for ${publicKey}` : `of '${storedName}'`} to the clipboard. Paste it only where it stays secret.`);
  }
  return true;
}
