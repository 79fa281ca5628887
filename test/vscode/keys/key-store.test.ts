import * as assert from 'node:assert/strict';
import { createAccount, createCluster } from '@nats-io/nkeys';
import * as vscode from 'vscode';
import { silentLogger } from '../../../src/core/log';
import { KeyStore, KeyStoreError } from '../../../src/features/keys/key-store';

const decoder = new TextDecoder();

function clusterKey(): { publicKey: string; seed: string } {
  const pair = createCluster();
  return { publicKey: pair.getPublicKey(), seed: decoder.decode(pair.getSeed()) };
}

/**
 * In-memory SecretStorage, so these tests can drop metadata while seeds stay,
 * as after an uninstall, and can fire the events another window would cause.
 */
class MemorySecrets implements vscode.SecretStorage {
  readonly values = new Map<string, string>();
  readonly changes = new vscode.EventEmitter<vscode.SecretStorageChangeEvent>();
  readonly onDidChange = this.changes.event;
  failStores = false;

  async get(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }

  async store(key: string, value: string): Promise<void> {
    if (this.failStores) {
      throw new Error('no keyring available');
    }
    this.values.set(key, value);
    this.changes.fire({ key });
  }

  async delete(key: string): Promise<void> {
    this.values.delete(key);
    this.changes.fire({ key });
  }
}

/** SecretStorage that also lists its keys, as VS Code releases after 1.82 may. */
class ListingSecrets extends MemorySecrets {
  async keys(): Promise<string[]> {
    return [...this.values.keys()];
  }
}

class MemoryMemento implements vscode.Memento {
  private readonly values = new Map<string, unknown>();

  keys(): readonly string[] {
    return [...this.values.keys()];
  }

  get<T>(key: string, defaultValue?: T): T | undefined {
    return (this.values.has(key) ? this.values.get(key) : defaultValue) as T | undefined;
  }

  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) {
      this.values.delete(key);
    } else {
      this.values.set(key, value);
    }
  }
}

suite('Keys: key store', () => {
  test('recovers seeds without metadata', async () => {
    const secrets = new MemorySecrets();
    const key = clusterKey();
    const first = new KeyStore(secrets, new MemoryMemento(), silentLogger);
    await first.add('lost', 'cluster', key);
    first.dispose();

    // A new global state, as after a reinstall, with the same secret storage.
    const second = new KeyStore(secrets, new MemoryMemento(), silentLogger);
    assert.deepEqual(second.list(), []);
    assert.equal(await second.recoverOrphans(new Date('2026-01-02T03:04:05Z')), 1);

    const [entry] = second.list();
    assert.equal(entry?.name, `recovered-${key.publicKey.slice(1, 7).toLowerCase()}`);
    assert.equal(entry?.kind, 'cluster');
    assert.equal(entry?.publicKey, key.publicKey);
    assert.equal(entry?.created, '2026-01-02T03:04:05.000Z');
    assert.equal(await second.readSeed(entry), key.seed);
    assert.equal(await second.recoverOrphans(), 0);
    second.dispose();
  });

  test('delete all removes orphaned seeds', async () => {
    const secrets = new MemorySecrets();
    const first = new KeyStore(secrets, new MemoryMemento(), silentLogger);
    await first.add('one', 'cluster', clusterKey());
    await first.add('two', 'cluster', clusterKey());
    first.dispose();

    const second = new KeyStore(secrets, new MemoryMemento(), silentLogger);
    assert.equal(await second.removeAll(), 2);
    assert.deepEqual([...secrets.values.keys()], []);
    second.dispose();
  });

  test('delete all uses SecretStorage.keys', async () => {
    const secrets = new ListingSecrets();
    const key = clusterKey();
    // A seed that is in no index, such as one written by a future version.
    secrets.values.set(`wasmcloudLattice.seed.${key.publicKey}`, key.seed);
    const store = new KeyStore(secrets, new MemoryMemento(), silentLogger);
    assert.equal(await store.removeAll(), 1);
    assert.equal(secrets.values.size, 0);
    store.dispose();
  });

  test('failed store keeps nothing', async () => {
    const secrets = new MemorySecrets();
    secrets.failStores = true;
    const store = new KeyStore(secrets, new MemoryMemento(), silentLogger);
    const key = clusterKey();

    await assert.rejects(
      () => store.add('broken', 'cluster', key),
      (error: Error) =>
        error instanceof KeyStoreError &&
        error.message === "Secret storage failed to store the seed of 'broken': no keyring available" &&
        !error.message.includes(key.seed),
    );
    assert.deepEqual(store.list(), []);
    store.dispose();
  });

  test('missing seed names the key', async () => {
    const secrets = new MemorySecrets();
    const store = new KeyStore(secrets, new MemoryMemento(), silentLogger);
    const entry = await store.add('gone', 'cluster', clusterKey());
    secrets.values.clear();

    await assert.rejects(() => store.readSeed(entry), /^Error: The seed of 'gone' is missing from secret storage, so only its public key is left\./);
    store.dispose();
  });

  test('change in another window fires', async () => {
    const secrets = new MemorySecrets();
    const store = new KeyStore(secrets, new MemoryMemento(), silentLogger);
    let fired = 0;
    const subscription = store.onDidChange(() => fired++);

    secrets.changes.fire({ key: `wasmcloudLattice.seed.${createAccount().getPublicKey()}` });
    secrets.changes.fire({ key: 'someOtherExtension.token' });

    assert.equal(fired, 1);
    subscription.dispose();
    store.dispose();
  });

  test('validates names', async () => {
    const store = new KeyStore(new MemorySecrets(), new MemoryMemento(), silentLogger);
    const entry = await store.add('prod', 'cluster', clusterKey());

    assert.equal(store.validateName(''), 'Enter a name for the key.');
    assert.equal(store.validateName('x'.repeat(65)), 'The name has 65 characters, so shorten it to at most 64.');
    assert.equal(store.validateName('a\tb'), 'The name contains a control character, so remove it.');
    assert.equal(store.validateName(' Prod '), "A stored cluster key is already named 'prod', so choose another name.");
    assert.equal(store.validateName('PROD', entry), undefined);
    assert.equal(store.suggestName('prod'), 'prod-2');
    assert.equal(store.suggestName('cluster-1'), 'cluster-1');
    await assert.rejects(() => store.add('prod', 'cluster', clusterKey()), KeyStoreError);
    store.dispose();
  });
});
