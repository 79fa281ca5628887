import * as vscode from 'vscode';
import type { GeneratedKey } from '../../core/keys/generate';
import { inspectKey } from '../../core/keys/inspect';
import { KEY_KINDS, type KeyKind } from '../../core/keys/kinds';
import { describeError, type Logger } from '../../core/log';

/** A stored key as other features see it. The seed stays in secret storage. */
export interface StoredKey {
  readonly name: string;
  readonly kind: KeyKind;
  readonly publicKey: string;
  /** Creation time as an ISO 8601 string. */
  readonly created: string;
}

/**
 * Read-only view of the stored keys for other features, such as issuer
 * completion. It exposes names, kinds and public keys, never seeds.
 */
export interface StoredKeysReader {
  list(): readonly StoredKey[];
  /** Fires after a key is stored, renamed or deleted, in this window or another one. */
  readonly onDidChange: vscode.Event<void>;
}

/** Thrown for a store operation the user can act on. The message names the key, never its seed. */
export class KeyStoreError extends Error {}

/** globalState entry with the metadata of every stored key. */
const METADATA_KEY = 'wasmcloudLattice.storedKeys';
/** Secret storage key of a seed: this prefix and the public key. */
const SEED_KEY_PREFIX = 'wasmcloudLattice.seed.';
/**
 * Secret storage entry listing the public keys of every stored seed. It lets
 * Delete All find seeds whose metadata is gone, for example after the
 * extension was uninstalled, because VS Code 1.82 cannot list secret keys.
 */
const SEED_INDEX_KEY = 'wasmcloudLattice.seedIndex';

export const MAX_NAME_LENGTH = 64;

/**
 * Stored keys: each seed in VS Code's SecretStorage under its public key, and
 * names, kinds, public keys and creation times in globalState. Nothing secret
 * goes to globalState, settings or the log.
 */
export class KeyStore implements StoredKeysReader, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  private readonly subscription: vscode.Disposable;

  readonly onDidChange: vscode.Event<void> = this.changeEmitter.event;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly globalState: vscode.Memento,
    private readonly logger: Logger,
  ) {
    // Another window that stores or deletes a key changes secret storage. Its
    // globalState update reaches this window on its own (VS Code's global
    // memento takes values written by other windows), so listeners only need
    // to read list() again.
    this.subscription = secrets.onDidChange((event) => {
      if (event.key.startsWith(SEED_KEY_PREFIX) || event.key === SEED_INDEX_KEY) {
        this.changeEmitter.fire();
      }
    });
  }

  list(): readonly StoredKey[] {
    const stored = this.globalState.get<unknown>(METADATA_KEY);
    if (!Array.isArray(stored)) {
      return [];
    }
    return stored.filter(isStoredKey);
  }

  find(name: string): StoredKey | undefined {
    return this.list().find((entry) => entry.name === name);
  }

  /** Returns an error message for an invalid or taken name, or undefined when the name can be used. */
  validateName(name: string, renaming?: StoredKey): string | undefined {
    const trimmed = name.trim();
    if (trimmed === '') {
      return 'Enter a name for the key.';
    }
    if (trimmed.length > MAX_NAME_LENGTH) {
      return `The name has ${trimmed.length} characters, so shorten it to at most ${MAX_NAME_LENGTH}.`;
    }
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(trimmed)) {
      return 'The name contains a control character, so remove it.';
    }
    const taken = this.list().find((entry) => entry.name.toLowerCase() === trimmed.toLowerCase());
    if (taken !== undefined && taken.publicKey !== renaming?.publicKey) {
      return `A stored ${taken.kind} key is already named '${taken.name}', so choose another name.`;
    }
    return undefined;
  }

  /** Returns `base` when no stored key has that name, else `base-2`, `base-3` and so on. */
  suggestName(base: string): string {
    const taken = new Set(this.list().map((entry) => entry.name.toLowerCase()));
    if (!taken.has(base.toLowerCase())) {
      return base;
    }
    const stem = base.replace(/-\d+$/, '');
    for (let counter = 2; ; counter++) {
      const candidate = `${stem}-${counter}`;
      if (!taken.has(candidate.toLowerCase())) {
        return candidate;
      }
    }
  }

  /**
   * Stores a key under `name`. Throws KeyStoreError when the name is invalid
   * or taken, or secret storage fails, and then removes the metadata again.
   */
  async add(name: string, kind: KeyKind, key: GeneratedKey, created = new Date()): Promise<StoredKey> {
    const trimmed = name.trim();
    const problem = this.validateName(trimmed);
    if (problem !== undefined) {
      throw new KeyStoreError(problem);
    }
    const entry: StoredKey = { name: trimmed, kind, publicKey: key.publicKey, created: created.toISOString() };

    // The metadata goes first: another window learns of the key from the
    // secret storage event, and by then its globalState should list the key.
    await this.writeMetadata([...this.list().filter((existing) => existing.publicKey !== key.publicKey), entry]);
    try {
      await this.secrets.store(SEED_KEY_PREFIX + key.publicKey, key.seed);
      await this.updateSeedIndex((publicKeys) => [...publicKeys.filter((publicKey) => publicKey !== key.publicKey), key.publicKey]);
    } catch (error) {
      await this.writeMetadata(this.list().filter((existing) => existing.publicKey !== key.publicKey));
      this.logger.error(`Storing the seed of ${kind} key '${trimmed}' (${key.publicKey}) in secret storage failed`, error);
      throw new KeyStoreError(`Secret storage failed to store the seed of '${trimmed}': ${describeError(error)}`);
    }

    this.logger.info(`Stored ${kind} key '${trimmed}' (${key.publicKey}).`);
    this.changeEmitter.fire();
    return entry;
  }

  /** Reads the seed of a stored key. Throws KeyStoreError when secret storage has no seed for it. */
  async readSeed(entry: StoredKey): Promise<string> {
    let seed: string | undefined;
    try {
      seed = await this.secrets.get(SEED_KEY_PREFIX + entry.publicKey);
    } catch (error) {
      this.logger.error(`Reading the seed of '${entry.name}' (${entry.publicKey}) from secret storage failed`, error);
      throw new KeyStoreError(`Secret storage failed to read the seed of '${entry.name}': ${describeError(error)}`);
    }
    if (seed === undefined) {
      this.logger.warn(`The seed of stored key '${entry.name}' (${entry.publicKey}) is missing from secret storage.`);
      throw new KeyStoreError(`The seed of '${entry.name}' is missing from secret storage, so only its public key is left. Delete the entry and store the key again.`);
    }
    return seed;
  }

  async rename(entry: StoredKey, newName: string): Promise<StoredKey> {
    const trimmed = newName.trim();
    const problem = this.validateName(trimmed, entry);
    if (problem !== undefined) {
      throw new KeyStoreError(problem);
    }
    const renamed: StoredKey = { ...entry, name: trimmed };
    await this.writeMetadata(this.list().map((existing) => (existing.publicKey === entry.publicKey ? renamed : existing)));
    this.logger.info(`Renamed stored ${entry.kind} key '${entry.name}' to '${trimmed}' (${entry.publicKey}).`);
    this.changeEmitter.fire();
    return renamed;
  }

  /** Deletes a stored key: its seed from secret storage first, then its metadata. */
  async remove(entry: StoredKey): Promise<void> {
    await this.deleteSeed(entry.publicKey);
    await this.updateSeedIndex((publicKeys) => publicKeys.filter((publicKey) => publicKey !== entry.publicKey));
    await this.writeMetadata(this.list().filter((existing) => existing.publicKey !== entry.publicKey));
    this.logger.info(`Deleted stored ${entry.kind} key '${entry.name}' (${entry.publicKey}).`);
    this.changeEmitter.fire();
  }

  /**
   * Deletes every stored key, including seeds whose metadata is gone, and
   * returns how many seeds were deleted.
   */
  async removeAll(): Promise<number> {
    const publicKeys = new Set([...this.list().map((entry) => entry.publicKey), ...(await this.readSeedIndex()), ...(await this.listSecretPublicKeys())]);
    for (const publicKey of publicKeys) {
      await this.deleteSeed(publicKey);
    }
    await this.secrets.delete(SEED_INDEX_KEY);
    await this.writeMetadata([]);
    this.logger.info(`Deleted all stored keys (${publicKeys.size} seeds).`);
    this.changeEmitter.fire();
    return publicKeys.size;
  }

  /**
   * Adds metadata for seeds that secret storage still has but globalState lost,
   * for example after a reinstall, so they show up again. Returns how many
   * were added. They are named `recovered-` and the start of the public key.
   */
  async recoverOrphans(now = new Date()): Promise<number> {
    const known = new Set(this.list().map((entry) => entry.publicKey));
    const candidates = new Set([...(await this.readSeedIndex()), ...(await this.listSecretPublicKeys())]);
    const recovered: StoredKey[] = [];
    for (const publicKey of candidates) {
      if (known.has(publicKey)) {
        continue;
      }
      const kind = inspectKey(publicKey, { type: 'public' }).kind;
      const seed = await this.secrets.get(SEED_KEY_PREFIX + publicKey);
      if (kind === undefined || seed === undefined) {
        continue;
      }
      const name = this.suggestName(`recovered-${publicKey.slice(1, 7).toLowerCase()}`);
      recovered.push({ name, kind, publicKey, created: now.toISOString() });
      known.add(publicKey);
    }
    if (recovered.length > 0) {
      await this.writeMetadata([...this.list(), ...recovered]);
      for (const entry of recovered) {
        this.logger.info(`Recovered stored ${entry.kind} key ${entry.publicKey} as '${entry.name}': secret storage had its seed but no name.`);
      }
      this.changeEmitter.fire();
    }
    return recovered.length;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changeEmitter.dispose();
  }

  private async deleteSeed(publicKey: string): Promise<void> {
    try {
      await this.secrets.delete(SEED_KEY_PREFIX + publicKey);
    } catch (error) {
      this.logger.error(`Deleting the seed of ${publicKey} from secret storage failed`, error);
      throw new KeyStoreError(`Secret storage failed to delete the seed of ${publicKey}: ${describeError(error)}`);
    }
  }

  private async writeMetadata(entries: readonly StoredKey[]): Promise<void> {
    await this.globalState.update(METADATA_KEY, entries.length === 0 ? undefined : entries);
  }

  private async readSeedIndex(): Promise<string[]> {
    const text = await this.secrets.get(SEED_INDEX_KEY);
    if (text === undefined) {
      return [];
    }
    try {
      const parsed: unknown = JSON.parse(text);
      return Array.isArray(parsed) ? parsed.filter((item): item is string => typeof item === 'string') : [];
    } catch (error) {
      this.logger.warn(`The stored key index in secret storage is not valid JSON, so it is ignored: ${describeError(error)}`);
      return [];
    }
  }

  private async updateSeedIndex(change: (publicKeys: string[]) => string[]): Promise<void> {
    const publicKeys = change(await this.readSeedIndex());
    if (publicKeys.length === 0) {
      await this.secrets.delete(SEED_INDEX_KEY);
    } else {
      await this.secrets.store(SEED_INDEX_KEY, JSON.stringify(publicKeys));
    }
  }

  /** Lists seed keys through `SecretStorage.keys()`, which VS Code versions after 1.82 may offer. */
  private async listSecretPublicKeys(): Promise<string[]> {
    const listKeys = (this.secrets as { keys?: () => Thenable<string[]> }).keys;
    if (typeof listKeys !== 'function') {
      return [];
    }
    try {
      const keys = await listKeys.call(this.secrets);
      return keys.filter((key) => key.startsWith(SEED_KEY_PREFIX)).map((key) => key.slice(SEED_KEY_PREFIX.length));
    } catch (error) {
      this.logger.debug(`Listing secret storage keys failed, so only the stored key index is used: ${describeError(error)}`);
      return [];
    }
  }
}

function isStoredKey(value: unknown): value is StoredKey {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.name === 'string' &&
    KEY_KINDS.some((info) => info.kind === candidate.kind) &&
    typeof candidate.publicKey === 'string' &&
    typeof candidate.created === 'string'
  );
}
