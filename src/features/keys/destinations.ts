import * as path from 'node:path';
import * as vscode from 'vscode';
import { keyVariables, newEnvDocument, planEnvInsertion, type TextEdit } from '../../core/keys/envFile';
import type { GeneratedKey } from '../../core/keys/generate';
import type { KeyKind } from '../../core/keys/kinds';
import { describeError } from '../../core/log';
import type { FeatureDeps } from '../shared/deps';

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
 * and public key go into the kind's host variables: a new public key is
 * appended to an existing WASMCLOUD_CLUSTER_ISSUERS line, and the user confirms
 * replacing an existing seed. In other files, and for kinds without host
 * variables, the user picks the public key or the seed for the cursor.
 * Returns whether the document changed.
 */
export async function insertIntoEditor(
  editor: vscode.TextEditor,
  selections: readonly vscode.Selection[],
  kind: KeyKind,
  key: GeneratedKey,
  deps: FeatureDeps,
): Promise<boolean> {
  const document = editor.document;
  const variables = keyVariables(kind);
  if (variables === undefined || !isEnvDocument(document)) {
    return insertPublicKeyOrSeed(editor, selections, kind, key, deps);
  }

  const prompter = deps.prompter.get();
  const name = documentName(document);
  let replaceSeed = false;
  if (planEnvInsertion(document.getText(), variables, key, endOfLine(document)).replacesSeed) {
    const keepSeedAction = variables.publicKeyList === undefined ? [] : ['Keep Seed'];
    const detail =
      variables.publicKeyList === undefined
        ? `Replacing removes the current seed from ${name}.`
        : `Replacing removes the current seed from ${name}. Keep Seed adds only the new public key to ${variables.publicKeyList}.`;
    const answer = await prompter.notify('warning', `${name} already sets ${variables.seed}. Replace it with the new ${kind} seed?`, { modal: true, detail }, 'Replace Seed', ...keepSeedAction);
    if (answer === undefined) {
      return false;
    }
    replaceSeed = answer === 'Replace Seed';
  }

  // Plan again, because the document may have changed while the dialog was open.
  const plan = planEnvInsertion(document.getText(), variables, key, endOfLine(document));
  if (!(await applyEdits(document, plan.edits(replaceSeed)))) {
    void prompter.notify('error', `Inserting the ${kind} key into ${name} failed because VS Code rejected the edit. Check that the file is writable and try again.`);
    return false;
  }

  const added = [replaceSeed || !plan.replacesSeed ? variables.seed : undefined, variables.publicKeyList].filter((item) => item !== undefined);
  deps.logger.info(`Inserted ${kind} key ${key.publicKey} into ${document.uri.toString(true)} (${added.join(', ')}).`);
  void prompter.notify('info', `Updated ${added.join(' and ')} in ${name}.`);
  return true;
}

async function insertPublicKeyOrSeed(
  editor: vscode.TextEditor,
  selections: readonly vscode.Selection[],
  kind: KeyKind,
  key: GeneratedKey,
  deps: FeatureDeps,
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
