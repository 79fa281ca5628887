import * as vscode from 'vscode';
import type { FeatureDeps } from '../shared/deps';
import { keyVariables } from '../../core/keys/env-file';
import { copyToClipboard, documentName, editorForInsertion, insertAtSelections, insertIntoHostFile, isEnvDocument } from './destinations';
import { KeyStoreError, type KeyStore, type StoredKey } from './key-store';
import type { LocalHistoryHint } from './local-history';

type KeyAction = 'insert-public' | 'insert-seed' | 'copy-public' | 'copy-seed' | 'rename' | 'delete';

interface StoredKeyItem extends vscode.QuickPickItem {
  entry: StoredKey;
}

interface ActionItem extends vscode.QuickPickItem {
  action: KeyAction;
}

/** Quick pick items for the stored keys, newest first. */
export function storedKeyItems(entries: readonly StoredKey[]): StoredKeyItem[] {
  return [...entries]
    .sort((left, right) => right.created.localeCompare(left.created))
    .map((entry) => ({
      label: `$(key) ${entry.name}`,
      description: `${entry.kind} · ${entry.publicKey}`,
      detail: `Created ${new Date(entry.created).toLocaleString()}`,
      entry,
    }));
}

/**
 * Runs `wasmCloud: Manage Stored Keys`: lists the stored keys and runs one
 * action on the picked key.
 */
export async function manageStoredKeysCommand(deps: FeatureDeps, store: KeyStore, hint?: LocalHistoryHint): Promise<void> {
  const prompter = deps.prompter.get();
  // Read the editor before any quick pick, which may move the focus.
  const editor = editorForInsertion();
  const selections = editor?.selections ?? [];

  try {
    await store.recoverOrphans();
  } catch (error) {
    deps.logger.error('Looking for stored seeds without a name failed', error);
  }

  const entries = store.list();
  if (entries.length === 0) {
    const action = await prompter.notify('info', 'No keys are stored. Generate a key and choose Save to Secret Storage.', {}, 'Generate Cluster Key');
    if (action === 'Generate Cluster Key') {
      await vscode.commands.executeCommand('wasmcloudLattice.generateClusterKey');
    }
    return;
  }

  const picked = await prompter.pick(storedKeyItems(entries), {
    title: 'Stored Keys',
    placeholder: 'Select a stored key',
    matchOnDescription: true,
  });
  if (picked === undefined) {
    return;
  }

  const action = await prompter.pick(actionItems(picked.entry, editor), { title: `${picked.entry.name} (${picked.entry.kind} key)`, placeholder: 'Select an action' });
  if (action === undefined) {
    return;
  }

  try {
    await runAction(action.action, picked.entry, editor, selections, deps, store, hint);
  } catch (error) {
    if (error instanceof KeyStoreError) {
      void prompter.notify('error', error.message);
      return;
    }
    throw error;
  }
}

function actionItems(entry: StoredKey, editor: vscode.TextEditor | undefined): ActionItem[] {
  const items: ActionItem[] = [];
  if (editor !== undefined) {
    const name = documentName(editor.document);
    const variables = isEnvDocument(editor.document) ? keyVariables(entry.kind) : undefined;
    items.push(
      { label: '$(insert) Insert Public Key', description: `into ${name}`, action: 'insert-public' },
      { label: '$(insert) Insert Seed…', description: variables === undefined ? `into ${name}, after confirmation` : `as ${variables.seed} in ${name}, after confirmation`, action: 'insert-seed' },
    );
  }
  items.push(
    { label: '$(copy) Copy Public Key', description: entry.publicKey, action: 'copy-public' },
    { label: '$(copy) Copy Seed', description: 'secret: anyone who has it can act as this key', action: 'copy-seed' },
    { label: '$(edit) Rename…', action: 'rename' },
    { label: '$(trash) Delete…', description: 'after confirmation', action: 'delete' },
  );
  return items;
}

async function runAction(
  action: KeyAction,
  entry: StoredKey,
  editor: vscode.TextEditor | undefined,
  selections: readonly vscode.Selection[],
  deps: FeatureDeps,
  store: KeyStore,
  hint: LocalHistoryHint | undefined,
): Promise<void> {
  const prompter = deps.prompter.get();
  switch (action) {
    case 'insert-public':
      if (editor !== undefined && (await insertAtSelections(editor, selections, entry.publicKey))) {
        deps.logger.info(`Inserted the public key of stored key '${entry.name}' (${entry.publicKey}) into ${editor.document.uri.toString(true)}.`);
      }
      return;

    case 'insert-seed':
      if (editor !== undefined) {
        await insertStoredSeed(entry, editor, selections, deps, store, hint);
      }
      return;

    case 'copy-public':
      await copyToClipboard('public', entry.kind, entry.publicKey, entry.publicKey, deps, entry.name);
      return;

    case 'copy-seed':
      await copyToClipboard('seed', entry.kind, await store.readSeed(entry), entry.publicKey, deps, entry.name);
      return;

    case 'rename': {
      const newName = await prompter.input({
        title: `Rename '${entry.name}'`,
        prompt: 'New name for the stored key',
        value: entry.name,
        validate: (value) => store.validateName(value, entry),
      });
      if (newName === undefined || newName.trim() === entry.name) {
        return;
      }
      const renamed = await store.rename(entry, newName);
      void prompter.notify('info', `Renamed the stored key '${entry.name}' to '${renamed.name}'.`);
      return;
    }

    case 'delete': {
      const confirmed = await prompter.notify(
        'warning',
        `Delete the stored ${entry.kind} key '${entry.name}'?`,
        { modal: true, detail: `Public key ${entry.publicKey}. Its seed is removed from secret storage and cannot be recovered. Copies in files stay.` },
        'Delete',
      );
      if (confirmed !== 'Delete') {
        return;
      }
      await store.remove(entry);
      void prompter.notify('info', `Deleted the stored key '${entry.name}'.`);
      return;
    }
  }
}

/**
 * Inserts a stored seed after confirmation. In a host `.env` file a cluster or
 * server seed goes into its host variable, as Generate Cluster Key does, so
 * the issuers list gets the public key. Elsewhere the seed replaces the
 * selections.
 */
async function insertStoredSeed(
  entry: StoredKey,
  editor: vscode.TextEditor,
  selections: readonly vscode.Selection[],
  deps: FeatureDeps,
  store: KeyStore,
  hint: LocalHistoryHint | undefined,
): Promise<void> {
  const name = documentName(editor.document);
  const message = `Insert the seed of '${entry.name}' into ${name}?`;
  const detail = 'The seed is secret. Anyone who can read the file can act as this key.';
  const variables = isEnvDocument(editor.document) ? keyVariables(entry.kind) : undefined;
  if (variables !== undefined) {
    await insertIntoHostFile(
      editor,
      {
        kind: entry.kind,
        publicKey: entry.publicKey,
        seedLabel: `the seed of '${entry.name}'`,
        readSeed: () => store.readSeed(entry),
        confirmation: { message, detail: `${detail} It goes into ${variables.seed}${variables.publicKeyList === undefined ? '' : `, and its public key into ${variables.publicKeyList}`}.`, button: 'Insert Seed' },
      },
      deps,
      hint,
    );
    return;
  }

  const confirmed = await deps.prompter.get().notify('warning', message, { modal: true, detail }, 'Insert Seed');
  if (confirmed !== 'Insert Seed') {
    return;
  }
  const seed = await store.readSeed(entry);
  if (await insertAtSelections(editor, selections, seed)) {
    deps.logger.info(`Inserted the seed of stored key '${entry.name}' (${entry.publicKey}) into ${editor.document.uri.toString(true)}.`);
    hint?.seedWritten(editor.document);
  }
}

const DELETE_ALL_BUTTON = 'Delete All…';
/** Text the user types to confirm Delete All Stored Keys. */
const DELETE_ALL_CONFIRMATION = 'delete';

/**
 * Runs `wasmCloud: Delete All Stored Keys` after a modal dialog and a typed
 * confirmation. It also deletes seeds whose names were lost, because secrets
 * outlive an uninstall.
 */
export async function deleteAllStoredKeysCommand(deps: FeatureDeps, store: KeyStore): Promise<void> {
  const prompter = deps.prompter.get();
  const count = store.list().length;
  const message =
    count === 0
      ? 'No stored keys are listed. Delete any seeds this extension left in secret storage, for example from an earlier installation?'
      : `Delete all ${count} stored ${count === 1 ? 'key' : 'keys'}?`;
  // VS Code focuses the first button of a modal dialog, so Enter would press
  // it. The dialog's button therefore leads to a typed confirmation, and Enter
  // on the empty input box deletes nothing.
  const confirmed = await prompter.notify(
    'warning',
    message,
    { modal: true, detail: 'Their seeds are removed from secret storage and cannot be recovered. Copies in files stay.' },
    DELETE_ALL_BUTTON,
  );
  if (confirmed !== DELETE_ALL_BUTTON) {
    return;
  }
  const typed = await prompter.input({
    title: 'Delete All Stored Keys',
    prompt: `Type '${DELETE_ALL_CONFIRMATION}' to delete ${count === 0 ? 'the seeds left in secret storage' : `all ${count} stored ${count === 1 ? 'key' : 'keys'}`}, or press Escape to keep them.`,
    placeholder: DELETE_ALL_CONFIRMATION,
    validate: (value) => (value.trim().toLowerCase() === DELETE_ALL_CONFIRMATION ? undefined : `Type '${DELETE_ALL_CONFIRMATION}' to confirm, or press Escape to keep the keys.`),
  });
  if (typed === undefined) {
    return;
  }

  try {
    const deleted = await store.removeAll();
    void prompter.notify('info', deleted === 0 ? 'Secret storage had no stored keys.' : `Deleted ${deleted} stored ${deleted === 1 ? 'key' : 'keys'}.`);
  } catch (error) {
    if (error instanceof KeyStoreError) {
      void prompter.notify('error', error.message);
      return;
    }
    throw error;
  }
}
