import { chmod } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { GITIGNORE_FILE_NAME, planGitignore } from '../../core/provision/gitignore';
import type { PlannedFile, ProvisionPlan } from '../../core/provision/plan';
import { COMPOSE_FILE_NAME } from '../../core/provision/compose';
import { MAX_HOST_FILE_BYTES, type FolderFile } from '../../core/provision/stale';
import { gitStatus } from '../../core/rules/environment';
import { describeError, type Logger } from '../../core/log';
import type { KeyStore } from '../keys/key-store';

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

/** Reads the `.env` files and the compose file in `folder`; a missing folder has none. */
export async function readFolderFiles(folder: vscode.Uri): Promise<FolderFile[]> {
  let entries: Array<[string, vscode.FileType]>;
  try {
    entries = await vscode.workspace.fs.readDirectory(folder);
  } catch {
    return [];
  }
  const files: FolderFile[] = [];
  const decoder = new TextDecoder();
  for (const [name, type] of entries) {
    if (type !== vscode.FileType.File || !(name.endsWith('.env') || name === COMPOSE_FILE_NAME)) {
      continue;
    }
    try {
      const uri = vscode.Uri.joinPath(folder, name);
      if ((await vscode.workspace.fs.stat(uri)).size <= MAX_HOST_FILE_BYTES) {
        files.push({ name, text: decoder.decode(await vscode.workspace.fs.readFile(uri)) });
      }
    } catch {
      // An unreadable file is no host file this command can check.
    }
  }
  return files;
}

/**
 * Returns whether `folder` is inside a git work tree. A folder that does not
 * exist yet is judged by the nearest folder above it that exists.
 */
export async function inGitWorkTree(folder: vscode.Uri): Promise<boolean> {
  if (folder.scheme !== 'file') {
    return false;
  }
  let existing = folder.fsPath;
  for (;;) {
    try {
      if ((await vscode.workspace.fs.stat(vscode.Uri.file(existing))).type & vscode.FileType.Directory) {
        break;
      }
      return false;
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) {
        return false;
      }
      existing = parent;
    }
  }
  // gitStatus checks a file path, and any name in the folder shows whether git finds a work tree there.
  return (await gitStatus(path.join(existing, '.wasmcloud-lattice-probe'))) !== 'outside';
}

/**
 * Adds the host files to the `.gitignore` in their folder, when the folder is
 * in a git work tree and git does not ignore them yet. Returns whether the
 * file changed, and a sentence for the user when it changed or could not be written.
 */
export async function ignoreHostFiles(folder: vscode.Uri, plan: ProvisionPlan, logger: Logger): Promise<{ updated: boolean; sentence?: string }> {
  if (plan.hostFiles.length === 0) {
    return { updated: false };
  }
  const status = folder.scheme === 'file' ? await gitStatus(vscode.Uri.joinPath(folder, plan.hostFiles[0].fileName).fsPath) : 'outside';
  if (status === 'outside') {
    logger.info(`${folder.toString(true)} is not in a git work tree, so no .gitignore was written.`);
    return { updated: false, sentence: `No ${GITIGNORE_FILE_NAME} was written, because the folder is not in a git repository.` };
  }
  if (status === 'ignored') {
    return { updated: false };
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
    return { updated: false };
  }
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(next));
  logger.info(`Added ${plan.hostFiles.length} host files to ${uri.fsPath}.`);
  return { updated: true, sentence: `Added them to ${GITIGNORE_FILE_NAME}.` };
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
