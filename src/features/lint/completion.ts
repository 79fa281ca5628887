import * as vscode from 'vscode';
import { CLUSTER_ISSUERS } from '../../core/rules/keys';
import { HOST_VARIABLES } from '../../core/rules/variables';
import type { StoredKeysReader } from '../keys/key-store';
import type { LintController } from './controller';
import { variableDocumentation } from './hover';

const KEY_PREFIX = /^\s*(?:export\s+)?([A-Za-z0-9_.-]*)$/;
const ISSUERS_VALUE = new RegExp(`^\\s*(?:export\\s+)?${CLUSTER_ISSUERS}\\s*=\\s*["'\`]?([^#"'\`]*)$`);

/**
 * Completes variable names with their documentation and, in
 * WASMCLOUD_CLUSTER_ISSUERS, the public keys of stored cluster keys and of
 * this file's cluster seed. No seed is ever offered.
 */
export class LintCompletion implements vscode.CompletionItemProvider {
  static readonly triggerCharacters = ['=', ','];

  constructor(
    private readonly controller: LintController,
    private readonly storedKeys: StoredKeysReader | undefined,
  ) {}

  provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] | undefined {
    const before = document.lineAt(position.line).text.slice(0, position.character);
    const issuers = ISSUERS_VALUE.exec(before);
    if (issuers !== null) {
      return this.issuerItems(document, position, issuers[1]);
    }
    const key = KEY_PREFIX.exec(before);
    if (key === null) {
      return undefined;
    }
    const range = new vscode.Range(position.line, position.character - key[1].length, position.line, position.character);
    const present = new Set(this.controller.resultFor(document.uri)?.parse.entries.map((entry) => entry.key) ?? []);
    return HOST_VARIABLES.filter((variable) => !present.has(variable.name)).map((variable) => {
      const item = new vscode.CompletionItem(variable.name, vscode.CompletionItemKind.Variable);
      item.detail = variable.versions;
      item.documentation = variableDocumentation(variable);
      item.insertText = `${variable.name}=`;
      item.range = range;
      item.sortText = `${variable.read['1.x'] === 'none' ? '1' : '0'}${variable.name}`;
      if (variable.read['1.x'] === 'none') {
        item.tags = [vscode.CompletionItemTag.Deprecated];
      }
      return item;
    });
  }

  private issuerItems(document: vscode.TextDocument, position: vscode.Position, value: string): vscode.CompletionItem[] {
    const current = value.slice(value.lastIndexOf(',') + 1);
    const listed = new Set(value.split(',').map((part) => part.trim()));
    const range = new vscode.Range(position.line, position.character - current.length, position.line, position.character);
    const items = new Map<string, vscode.CompletionItem>();

    const ownKey = this.controller.resultFor(document.uri)?.facts.seedPublicKey;
    if (ownKey !== undefined && !listed.has(ownKey)) {
      const item = new vscode.CompletionItem(ownKey, vscode.CompletionItemKind.Value);
      item.detail = "Public key of this file's WASMCLOUD_CLUSTER_SEED";
      item.range = range;
      item.sortText = '0';
      items.set(ownKey, item);
    }
    for (const stored of this.storedKeys?.list() ?? []) {
      if (stored.kind !== 'cluster' || listed.has(stored.publicKey) || items.has(stored.publicKey)) {
        continue;
      }
      const item = new vscode.CompletionItem({ label: stored.publicKey, description: stored.name }, vscode.CompletionItemKind.Value);
      item.detail = `Stored cluster key '${stored.name}', created ${stored.created.slice(0, 10)}`;
      item.filterText = `${stored.publicKey} ${stored.name}`;
      item.range = range;
      item.sortText = `1${stored.name}`;
      items.set(stored.publicKey, item);
    }
    return [...items.values()];
  }
}
