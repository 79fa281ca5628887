import type * as vscode from 'vscode';
import { latticeNameFromEnv } from '../../core/keys/env-file';
import { generateKey, type GeneratedKey } from '../../core/keys/generate';
import { KEY_KINDS, findKeyKind, keyKindInfo, type KeyKind } from '../../core/keys/kinds';
import type { FeatureDeps } from '../shared/deps';
import { copyToClipboard, documentName, editorForInsertion, insertIntoEditor, isEnvDocument, openUntitledEnv } from './destinations';
import { KeyStoreError, type KeyStore } from './key-store';
import type { LocalHistoryHint } from './local-history';

type Destination = 'editor' | 'untitled' | 'copy-public' | 'copy-seed' | 'store';

interface DestinationItem extends vscode.QuickPickItem {
  destination: Destination;
}

interface KindItem extends vscode.QuickPickItem {
  keyKind: KeyKind;
}

/** Quick pick items for every kind, with its prefixes, wash aliases and use. */
export function kindItems(): KindItem[] {
  return KEY_KINDS.map((info) => ({
    label: info.kind,
    description: `${info.publicPrefix}… / ${info.seedPrefix}…${info.aliases.length > 0 ? `  (wash: ${info.aliases.join(', ')})` : ''}`,
    detail: info.description,
    keyKind: info.kind,
  }));
}

/**
 * Runs `wasmCloud: Generate Key…` and `wasmCloud: Generate Cluster Key`:
 * prompts for the kind unless given, generates the key and offers destinations.
 * `requestedKind` may be a kind name or wash alias when another command or a
 * test passes one.
 */
export async function generateKeyCommand(requestedKind: unknown, deps: FeatureDeps, store: KeyStore, hint?: LocalHistoryHint): Promise<void> {
  const prompter = deps.prompter.get();
  // Read the editor before any quick pick, which may move the focus.
  const editor = editorForInsertion();
  const selections = editor?.selections ?? [];

  let kind = typeof requestedKind === 'string' ? findKeyKind(requestedKind) : undefined;
  if (typeof requestedKind === 'string' && kind === undefined) {
    void prompter.notify('error', `Unknown key kind '${requestedKind}'. Use one of: ${KEY_KINDS.map((info) => info.kind).join(', ')}.`);
    return;
  }
  if (kind === undefined) {
    const picked = await prompter.pick(kindItems(), { title: 'Generate Key', placeholder: 'Select the kind of key to generate', matchOnDescription: true, matchOnDetail: true });
    if (picked === undefined) {
      return;
    }
    kind = picked.keyKind;
  }

  const key = generateKey(kind);
  deps.logger.info(`Generated a new ${kind} key with public key ${key.publicKey}.`);
  await offerDestinations(kind, key, editor, selections, deps, store, hint);
}

async function offerDestinations(
  kind: KeyKind,
  key: GeneratedKey,
  editor: vscode.TextEditor | undefined,
  selections: readonly vscode.Selection[],
  deps: FeatureDeps,
  store: KeyStore,
  hint: LocalHistoryHint | undefined,
): Promise<void> {
  const prompter = deps.prompter.get();
  let storedName: string | undefined;

  for (;;) {
    const items = destinationItems(kind, key, editor, storedName === undefined);
    const title = storedName === undefined ? `New ${kind} key ${key.publicKey}` : `Stored as '${storedName}'. Also use the key elsewhere, or press Escape`;
    const picked = await prompter.pick(items, { title, placeholder: 'Where should the key go?' });
    if (picked === undefined) {
      return;
    }

    switch (picked.destination) {
      case 'editor':
        if (editor !== undefined) {
          await insertIntoEditor(editor, selections, kind, key, deps, hint);
        }
        return;
      case 'untitled':
        await openUntitledEnv(kind, key, deps);
        return;
      case 'copy-public':
        await copyToClipboard('public', kind, key.publicKey, key.publicKey, deps);
        return;
      case 'copy-seed':
        await copyToClipboard('seed', kind, key.seed, key.publicKey, deps);
        return;
      case 'store':
        // After storing, the same key is offered for the other destinations.
        storedName = await storeKey(kind, key, editor, deps, store);
        break;
    }
  }
}

function destinationItems(kind: KeyKind, key: GeneratedKey, editor: vscode.TextEditor | undefined, offerStore: boolean): DestinationItem[] {
  const info = keyKindInfo(kind);
  const items: DestinationItem[] = [];
  if (editor !== undefined) {
    const hostFile = isEnvDocument(editor.document) && (kind === 'cluster' || kind === 'server');
    items.push({
      label: `$(insert) Insert into ${documentName(editor.document)}`,
      description: hostFile ? (kind === 'cluster' ? 'WASMCLOUD_CLUSTER_SEED and WASMCLOUD_CLUSTER_ISSUERS' : 'WASMCLOUD_HOST_SEED') : 'the public key or the seed, at the cursor',
      destination: 'editor',
    });
  }
  items.push(
    { label: '$(new-file) Open in a New .env Document', description: 'untitled, with a comment that the seed is secret', destination: 'untitled' },
    { label: '$(copy) Copy Public Key', description: `${info.publicPrefix}… (${key.publicKey.length} characters)`, destination: 'copy-public' },
    { label: '$(copy) Copy Seed', description: 'secret: anyone who has it can act as this key', destination: 'copy-seed' },
  );
  if (offerStore) {
    items.push({ label: '$(lock) Save to Secret Storage…', description: 'under a name, then choose another destination', destination: 'store' });
  }
  return items;
}

/** Asks for a name and stores the key. Returns the name, or undefined when the user cancelled or storing failed. */
async function storeKey(kind: KeyKind, key: GeneratedKey, editor: vscode.TextEditor | undefined, deps: FeatureDeps, store: KeyStore): Promise<string | undefined> {
  const prompter = deps.prompter.get();
  const name = await prompter.input({
    title: 'Save to Secret Storage',
    prompt: `Name for the ${kind} key ${key.publicKey}`,
    value: store.suggestName(suggestedBaseName(kind, editor)),
    validate: (value) => store.validateName(value),
  });
  if (name === undefined) {
    return undefined;
  }

  try {
    const entry = await store.add(name, kind, key);
    void prompter.notify('info', `Stored the ${kind} key as '${entry.name}' (${entry.publicKey}). Its seed is in VS Code's secret storage.`);
    return entry.name;
  } catch (error) {
    if (error instanceof KeyStoreError) {
      void prompter.notify('error', error.message);
      return undefined;
    }
    throw error;
  }
}

/** Suggests a name from the active `.env` file's lattice, such as `prod` for a cluster key, else `cluster-1`. */
function suggestedBaseName(kind: KeyKind, editor: vscode.TextEditor | undefined): string {
  const lattice = editor !== undefined && isEnvDocument(editor.document) ? latticeNameFromEnv(editor.document.getText()) : undefined;
  if (lattice === undefined) {
    return `${kind}-1`;
  }
  return kind === 'cluster' ? lattice : `${lattice}-${kind}`;
}
