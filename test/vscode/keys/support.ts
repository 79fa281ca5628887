import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/features/shared/deps';
import { ScriptedPrompter } from '../../support/scripted-prompter';

/** Any nkey seed: `S`, a kind letter and 56 base32 characters. */
export const SEED_PATTERN = /S[A-Z2-7]{57}/g;

export async function activateExtension(): Promise<ExtensionApi> {
  const extension = vscode.extensions.all.find((candidate) => candidate.packageJSON?.name === 'wasmcloud-lattice') as vscode.Extension<ExtensionApi> | undefined;
  assert.ok(extension, 'the wasmcloud-lattice extension is not loaded');
  return extension.activate();
}

/** Everything written to the log channel while the capture runs. */
export class LogCapture implements vscode.Disposable {
  readonly lines: string[] = [];
  private readonly subscription: vscode.Disposable;

  constructor(api: ExtensionApi) {
    this.subscription = api.onDidLog((line) => this.lines.push(line));
  }

  dispose(): void {
    this.subscription.dispose();
  }
}

/** Files in a temporary folder outside the workspace, removed by `dispose`. */
export class TempFiles implements vscode.Disposable {
  readonly folder = mkdtempSync(path.join(os.tmpdir(), 'wcl-keys-'));

  async open(name: string, content: string): Promise<vscode.TextEditor> {
    const file = path.join(this.folder, name);
    writeFileSync(file, content);
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    return vscode.window.showTextDocument(document);
  }

  dispose(): void {
    rmSync(this.folder, { recursive: true, force: true });
  }
}

/** Reverts and closes every open editor, so no save dialog appears. */
export async function closeAllEditors(): Promise<void> {
  for (let attempt = 0; attempt < 20 && vscode.window.visibleTextEditors.length > 0; attempt++) {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Installs a fresh scripted prompter on the extension. */
export function scriptPrompter(api: ExtensionApi): ScriptedPrompter {
  const prompter = new ScriptedPrompter();
  api.setPrompter(prompter);
  return prompter;
}

/** Fails with the messages of any error notification, which is how the commands report a thrown error. */
export function assertNoErrors(prompter: ScriptedPrompter): void {
  const errors = prompter.notifications.filter((notification) => notification.level === 'error').map((notification) => notification.message);
  assert.deepEqual(errors, []);
}

/** Collects the seeds in a text, such as a document a test generated keys into. */
export function seedsIn(text: string): string[] {
  return text.match(SEED_PATTERN) ?? [];
}
