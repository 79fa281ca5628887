import { chmod } from 'node:fs/promises';
import * as vscode from 'vscode';
import { GITIGNORE_FILE_NAME, planGitignore } from '../../core/provision/gitignore';
import type { PlannedFile, ProvisionPlan } from '../../core/provision/plan';
import { gitStatus } from '../../core/rules/environment';
import { describeError, type Logger } from '../../core/log';
import type { KeyStore } from '../keys/keyStore';

/** Returns the names of the plan's files that already exist in `folder`. */
export async function existingFiles(folder: vscode.Uri, names: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const name of names) {
    try {
      await vscode.workspace.fs.stat(vscode.Uri.joinPath(folder, name));
      found.push(name);
    } catch {
      // Missing, so it can be written.
    }
  }
  return found;
}

/**
 * Writes the plan's files into `folder`, creating it when missing. Host files
 * on the local disk are made readable by their owner only, because they hold
 * seeds. Returns the URIs written, host files first.
 */
export async function writePlan(folder: vscode.Uri, plan: ProvisionPlan, progress: vscode.Progress<{ message?: string; increment?: number }>): Promise<vscode.Uri[]> {
  await vscode.workspace.fs.createDirectory(folder);
  const files: Array<[PlannedFile, boolean]> = [...plan.hostFiles.map((file): [PlannedFile, boolean] => [file, true]), ...(plan.compose === undefined ? [] : [[plan.compose, false] as [PlannedFile, boolean]])];
  const written: vscode.Uri[] = [];
  const encoder = new TextEncoder();
  for (const [file, secret] of files) {
    progress.report({ message: file.fileName, increment: 100 / files.length });
    const uri = vscode.Uri.joinPath(folder, file.fileName);
    await vscode.workspace.fs.writeFile(uri, encoder.encode(file.text));
    if (secret && uri.scheme === 'file') {
      await chmod(uri.fsPath, 0o600);
    }
    written.push(uri);
  }
  return written;
}

/**
 * Adds the host files to the `.gitignore` in their folder, when the folder is
 * in a git work tree and git does not ignore them yet. Returns what happened,
 * as a sentence for the user.
 */
export async function ignoreHostFiles(folder: vscode.Uri, plan: ProvisionPlan, logger: Logger): Promise<string | undefined> {
  if (folder.scheme !== 'file' || plan.hostFiles.length === 0) {
    return undefined;
  }
  const status = await gitStatus(vscode.Uri.joinPath(folder, plan.hostFiles[0].fileName).fsPath);
  if (status === 'outside') {
    logger.info(`${folder.fsPath} is not in a git work tree, so no .gitignore was written.`);
    return undefined;
  }
  if (status === 'ignored') {
    return undefined;
  }
  const uri = vscode.Uri.joinPath(folder, GITIGNORE_FILE_NAME);
  let current: string | undefined;
  try {
    current = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    current = undefined;
  }
  const next = planGitignore(
    current,
    plan.hostFiles.map((file) => file.fileName),
  );
  if (next === undefined) {
    return undefined;
  }
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(next));
  logger.info(`Added ${plan.hostFiles.length} host files to ${uri.fsPath}.`);
  return `Added them to ${GITIGNORE_FILE_NAME}.`;
}

/** Stores every cluster seed of the plan in secret storage under a free name. Returns the names used. */
export async function storeClusterSeeds(plan: ProvisionPlan, store: KeyStore, logger: Logger): Promise<string[]> {
  const names: string[] = [];
  for (const key of plan.clusterKeys) {
    const name = store.suggestName(key.name);
    try {
      await store.add(name, 'cluster', { publicKey: key.publicKey, seed: key.seed });
      names.push(name);
    } catch (error) {
      // The host files already hold the seed, so a failed copy is reported and the others are still tried.
      logger.error(`Storing the cluster key of ${key.hosts.join(', ')} (${key.publicKey}) failed`, error);
      throw new Error(`Storing the cluster seed for ${key.hosts.join(', ')} in secret storage failed: ${describeError(error)}. The host files hold the seed.`);
    }
  }
  return names;
}
