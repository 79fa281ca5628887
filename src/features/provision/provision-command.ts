import * as vscode from 'vscode';
import { ProvisionError, planProvision, plannedFileNames, type ProvisionPlan } from '../../core/provision/plan';
import { COMPOSE_FILE_NAME } from '../../core/provision/compose';
import { findLeftovers, shouldRewriteCompose, staleFileWarnings, type FolderFile } from '../../core/provision/stale';
import type { ProvisionRequest } from '../../core/provision/request';
import type { FeatureDeps } from '../shared/deps';
import type { KeyStore } from '../keys/key-store';
import { askProvisionAnswers, type ProvisionAnswers, type ProvisionDefaults } from './provision-flow';
import { existingFiles, ignoreHostFiles, readFolderFiles, storeClusterSeeds, writePlan } from './write-files';

/** The result of Provision Lattice, for tests and the walkthrough. */
export interface ProvisionOutcome {
  readonly lattice: string;
  readonly folder: vscode.Uri;
  /** Host files, then docker-compose.yml when written. */
  readonly files: readonly vscode.Uri[];
  /** Names the cluster seeds were stored under in secret storage. */
  readonly storedKeys: readonly string[];
  readonly gitignoreUpdated: boolean;
}

/** Editors opened after writing; more host files stay closed but are in the Explorer. */
const MAX_OPENED_FILES = 10;

/**
 * Runs Provision Lattice. It shows the seven steps, confirms before
 * overwriting and writes the files with progress. Then it adds them to
 * .gitignore, stores the seeds when requested, and opens the host files. `folder` preselects the
 * folder, as from the Explorer's context menu.
 */
export async function provisionLatticeCommand(deps: FeatureDeps, store: KeyStore, defaults: ProvisionDefaults, folder?: vscode.Uri): Promise<ProvisionOutcome | undefined> {
  const prompter = deps.prompter.get();
  const defaultFolder = folder ?? vscode.workspace.workspaceFolders?.[0]?.uri;

  let previous: ProvisionAnswers | undefined;
  for (;;) {
    const answers = await askProvisionAnswers(prompter, defaults, defaultFolder, previous);
    if (answers === undefined || answers.folder === undefined) {
      return undefined;
    }
    const target = answers.folder;
    // A compose file from an earlier run would still start the old hosts, so it is rewritten with the host files.
    const folderFiles = await readFolderFiles(target);
    let request = requestOf(answers);
    const rewriteCompose = shouldRewriteCompose(folderFiles, request);
    if (rewriteCompose) {
      request = { ...request, compose: true };
    }

    let plan: ProvisionPlan;
    try {
      plan = planProvision(request);
    } catch (error) {
      if (error instanceof ProvisionError) {
        await prompter.notify('error', `Provision Lattice cannot write these files: ${error.message}`);
        return undefined;
      }
      throw error;
    }

    const existing = await existingFiles(target, plannedFileNames(plan));
    if (existing.length > 0) {
      const overwrite = await prompter.notify(
        'warning',
        `${existing.join(', ')} already exist${existing.length === 1 ? 's' : ''} in ${vscode.workspace.asRelativePath(target, true)}. Overwrite ${existing.length === 1 ? 'it' : 'them'}?`,
        {
          modal: true,
          detail: `The new files have new cluster keys, so hosts started from the old files will not accept hosts started from the new ones.${rewriteCompose ? ` ${COMPOSE_FILE_NAME} was written for the earlier hosts, so it is rewritten for the new ones.` : ''}`,
        },
        'Overwrite',
      );
      if (overwrite !== 'Overwrite') {
        // Back to the review step with every answer kept, so another folder can be chosen.
        previous = answers;
        continue;
      }
    }

    return writeAndReport(deps, store, answers, plan, target, { folderFiles, rewriteCompose });
  }
}

function requestOf(answers: ProvisionAnswers): ProvisionRequest {
  return {
    lattice: answers.lattice ?? '',
    hosts: answers.hosts ?? [],
    strategy: answers.strategy ?? 'shared',
    servers: answers.servers ?? [],
    hostVersion: answers.hostVersion ?? '1.x',
    credentials: answers.credentials ?? { rpc: { kind: 'none' }, ctl: { kind: 'none' } },
    compose: answers.compose,
  };
}

async function writeAndReport(
  deps: FeatureDeps,
  store: KeyStore,
  answers: ProvisionAnswers,
  plan: ProvisionPlan,
  folder: vscode.Uri,
  previous: { folderFiles: readonly FolderFile[]; rewriteCompose: boolean },
): Promise<ProvisionOutcome> {
  const { logger } = deps;
  const prompter = deps.prompter.get();
  const files = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Provisioning lattice '${plan.lattice}'` },
    async (progress) => {
      try {
        return await writePlan(folder, plan, progress);
      } catch (error) {
        logger.error(`Writing the host files of lattice '${plan.lattice}' to ${folder.toString(true)} failed`, error);
        throw error;
      }
    },
  );
  logger.info(`Provisioned lattice '${plan.lattice}': wrote ${plannedFileNames(plan).join(', ')} to ${folder.toString(true)} (${plan.clusterKeys.length} cluster keys: ${plan.clusterKeys.map((key) => key.publicKey).join(', ') || 'none'}).`);

  const sentences = [`Wrote ${plan.hostFiles.length} host file${plan.hostFiles.length === 1 ? '' : 's'} for lattice '${plan.lattice}' to ${vscode.workspace.asRelativePath(folder, true)}.`];
  if (previous.rewriteCompose) {
    sentences.push(`${COMPOSE_FILE_NAME} was written for the earlier hosts, so it now starts the new ones.`);
  }
  let gitignoreUpdated = false;
  if (answers.gitignore && plan.hostFiles.some((file) => file.text.includes('_SEED='))) {
    const result = await ignoreHostFiles(folder, plan, logger);
    gitignoreUpdated = result.updated;
    if (result.sentence !== undefined) {
      sentences.push(result.sentence);
    }
  }
  let storedKeys: string[] = [];
  if (answers.storeSeeds && plan.clusterKeys.length > 0) {
    storedKeys = await storeClusterSeeds(plan, store, logger);
    sentences.push(`Stored ${storedKeys.length === 1 ? 'the cluster seed' : `${storedKeys.length} cluster seeds`} as ${storedKeys.map((name) => `'${name}'`).join(', ')}.`);
  }
  sentences.push(...plan.notes);

  await openHostFiles(files.slice(0, plan.hostFiles.length));
  void vscode.commands.executeCommand('revealInExplorer', files[0]).then(undefined, () => undefined);

  const leftovers = findLeftovers(previous.folderFiles, plan);
  for (const warning of staleFileWarnings(vscode.workspace.asRelativePath(folder, true), plan.lattice, leftovers.stale, leftovers.composeLeft, "Update it, or provision again with 'Also write docker-compose.yml' to replace it.")) {
    logger.warn(warning);
    void prompter.notify('warning', warning);
  }

  void prompter.notify('info', sentences.join(' '), {}, 'Show Problems', 'Open Lattices View').then((action) => {
    if (action === 'Show Problems') {
      void vscode.commands.executeCommand('workbench.actions.view.problems');
    } else if (action === 'Open Lattices View') {
      void vscode.commands.executeCommand('wasmcloudLattice.explorer.focus');
    }
  });
  return { lattice: plan.lattice, folder, files, storedKeys, gitignoreUpdated };
}

/** Opens the first host files in editors that stay open, so the Problems panel shows all their findings. */
async function openHostFiles(files: readonly vscode.Uri[]): Promise<void> {
  for (const [index, uri] of files.slice(0, MAX_OPENED_FILES).entries()) {
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { preview: false, preserveFocus: index > 0 });
  }
}
