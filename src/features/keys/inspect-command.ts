import * as vscode from 'vscode';
import { inspectKey, keyLabel, type KeyInspection } from '../../core/keys/inspect';
import type { FeatureDeps } from '../shared/deps';

/** Characters a token under the cursor may contain. Digits and lower case are included so that inspect can name them. */
const TOKEN_PATTERN = /[A-Za-z0-9]+/;
/** Shortest token under the cursor that is taken for a key. Shorter words, such as variable names, open the input box. */
const MIN_KEY_TOKEN_LENGTH = 20;

interface KeySource {
  text: string;
  /** Names where the key came from, for the message. */
  origin: string;
}

/**
 * Runs `wasmCloud: Inspect Key…` on the text passed as argument, the
 * selection, the key under the cursor, or a key the user types into a
 * password box. The message names the kind and problem but never repeats
 * the key, so a seed is not echoed.
 */
export async function inspectKeyCommand(argument: unknown, deps: FeatureDeps): Promise<KeyInspection | undefined> {
  const source = await readKeySource(argument, deps);
  if (source === undefined) {
    return undefined;
  }

  const inspection = inspectKey(source.text);
  deps.logger.debug(`Inspected ${source.origin.toLowerCase()}: type ${inspection.type}, kind ${inspection.kind ?? 'unknown'}, ${inspection.valid ? 'valid' : `invalid (${inspection.problem})`}.`);
  await showInspection(inspection, source.origin, deps);
  return inspection;
}

async function readKeySource(argument: unknown, deps: FeatureDeps): Promise<KeySource | undefined> {
  if (typeof argument === 'string') {
    return { text: argument, origin: 'The key' };
  }

  const editor = vscode.window.activeTextEditor;
  if (editor !== undefined) {
    const selection = editor.selection;
    if (!selection.isEmpty) {
      // A selection made with the mouse often takes in spaces or the line break.
      return { text: editor.document.getText(selection).trim(), origin: 'The selected key' };
    }
    const range = editor.document.getWordRangeAtPosition(selection.active, TOKEN_PATTERN);
    const token = range === undefined ? '' : editor.document.getText(range);
    if (token.length >= MIN_KEY_TOKEN_LENGTH) {
      return { text: token, origin: 'The key under the cursor' };
    }
  }

  const typed = await deps.prompter.get().input({
    title: 'Inspect Key',
    prompt: 'Paste a public key or a seed. The input is hidden because a seed is secret.',
    password: true,
  });
  return typed === undefined ? undefined : { text: typed, origin: 'The key you entered' };
}

async function showInspection(inspection: KeyInspection, origin: string, deps: FeatureDeps): Promise<void> {
  const prompter = deps.prompter.get();
  if (!inspection.valid) {
    void prompter.notify('warning', `${origin} is not valid. ${inspection.reason ?? ''}`.trim());
    return;
  }

  const label = inspection.type === 'unknown' || inspection.kind === undefined ? 'key' : keyLabel(inspection.type, inspection.kind);
  if (inspection.type !== 'seed' || inspection.publicKey === undefined) {
    void prompter.notify('info', `${origin} is a valid ${label}.`);
    return;
  }

  const publicKey = inspection.publicKey;
  const action = await prompter.notify('info', `${origin} is a valid ${label}. Its public key is ${publicKey}.`, {}, 'Copy Public Key');
  if (action === 'Copy Public Key') {
    await vscode.env.clipboard.writeText(publicKey);
    void prompter.notify('info', `Copied the public key ${publicKey} to the clipboard.`);
  }
}
