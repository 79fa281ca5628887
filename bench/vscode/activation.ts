/**
 * Extension-host entry of `activation`: makes sure the extension is active
 * and returns. The timing itself is done by the staged extension's
 * activation probe (activation-probe.ts), because VS Code may activate the
 * extension at startup, before this entry runs.
 */
import * as vscode from 'vscode';
import { EXTENSION_ID } from './extension-host';

export async function run(): Promise<void> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (extension === undefined) {
    throw new Error(`${EXTENSION_ID} is not loaded in this window; check extensionDevelopmentPath.`);
  }
  await extension.activate();
}
