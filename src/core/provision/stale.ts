/**
 * Finds files of an earlier provisioning in the output folder that a new plan
 * would not overwrite: host files of hosts that are no longer planned, and a
 * docker-compose.yml that still starts them.
 */
import { parseDotenv } from '../dotenv/index';
import { latticeNameFromEnv } from '../keys/env-file';
import { COMPOSE_FILE_NAME } from './compose';
import { plannedFileNames, type ProvisionPlan } from './plan';
import { validateHostNames, type ProvisionRequest } from './request';

/** A file in the output folder, read before the new files are written. */
export interface FolderFile {
  readonly name: string;
  readonly text: string;
}

/** A `.env` file that configures a wasmCloud host but is not part of the new plan. */
export interface StaleHostFile {
  readonly fileName: string;
  /** Lattice the file joins, when it names one. */
  readonly lattice?: string;
}

/** Largest `.env` file that is read to look for host variables. Host files are a few kilobytes. */
export const MAX_HOST_FILE_BYTES = 1024 * 1024;

const HOST_VARIABLE = /^WASMCLOUD_/;

// renderCompose writes this line, so a compose file with it was written by this tool.
const WRITTEN_BY_US = /^# Written by wasmCloud Lattice on \d{4}-\d{2}-\d{2}\./m;

/** Returns whether a compose file was written by `provision`, which may then rewrite it. */
export function isProvisionedCompose(text: string): boolean {
  return WRITTEN_BY_US.test(text);
}

/**
 * Returns the `.env` files of `files` that set a WASMCLOUD_ variable and that
 * the new plan does not write, sorted by name.
 */
export function findStaleHostFiles(files: readonly FolderFile[], plannedNames: readonly string[]): StaleHostFile[] {
  const planned = new Set(plannedNames);
  return files
    .filter((file) => file.name.endsWith('.env') && !planned.has(file.name))
    .filter((file) => parseDotenv(file.text).entries.some((entry) => HOST_VARIABLE.test(entry.key)))
    .map((file) => {
      const lattice = latticeNameFromEnv(file.text);
      return lattice === undefined ? { fileName: file.name } : { fileName: file.name, lattice };
    })
    .sort((left, right) => left.fileName.localeCompare(right.fileName));
}

/** Returns the `.env` file paths that a compose file mentions, without a leading `./`, such as `host-3.env` for `./host-3.env` in `env_file`. */
export function composeEnvFiles(text: string): string[] {
  const names = new Set<string>();
  for (const match of text.matchAll(/(?:^|[\s"'])(?:\.\/)?([A-Za-z0-9_.][A-Za-z0-9_./-]*\.env)(?=["'\s]|$)/gm)) {
    names.add(match[1]);
  }
  return [...names].sort();
}

/**
 * Returns whether the plan should also write docker-compose.yml although the
 * request did not ask for it: the folder has one that this tool wrote for an
 * earlier plan, so it would start hosts that no longer exist. A host named
 * like the compose file's nats service prevents the rewrite.
 */
export function shouldRewriteCompose(files: readonly FolderFile[], request: ProvisionRequest): boolean {
  const compose = files.find((file) => file.name === COMPOSE_FILE_NAME);
  return compose !== undefined && !request.compose && isProvisionedCompose(compose.text) && validateHostNames(request.hosts, true) === undefined;
}

/** Returns what the plan leaves behind in the folder: stale host files, and the `.env` files that a kept compose file still reads. */
export function findLeftovers(files: readonly FolderFile[], plan: ProvisionPlan): { stale: StaleHostFile[]; composeLeft: string[] } {
  const planned = plannedFileNames(plan);
  const compose = plan.compose === undefined ? files.find((file) => file.name === COMPOSE_FILE_NAME) : undefined;
  return {
    stale: findStaleHostFiles(files, planned),
    composeLeft: compose === undefined ? [] : composeEnvFiles(compose.text).filter((name) => !planned.includes(name)),
  };
}

/**
 * Returns one warning per kind of stale file for the user, or an empty list.
 * `folder` names the output folder as the user knows it, and `composeFix` is
 * the sentence that explains how to replace a compose file left as is.
 */
export function staleFileWarnings(folder: string, lattice: string, stale: readonly StaleHostFile[], composeLeft: readonly string[], composeFix: string): string[] {
  const warnings: string[] = [];
  if (stale.length > 0) {
    const names = stale.map((file) => (file.lattice === undefined || file.lattice === lattice ? file.fileName : `${file.fileName} (lattice '${file.lattice}')`));
    const single = stale.length === 1;
    warnings.push(
      `${names.join(', ')} in ${folder} ${single ? 'is' : 'are'} not part of lattice '${lattice}' as provisioned now, but still configure${single ? 's' : ''} a wasmCloud host with ${single ? 'its' : 'their'} old keys. Delete ${single ? 'it' : 'them'} if that host is gone.`,
    );
  }
  if (composeLeft.length > 0) {
    warnings.push(
      `${COMPOSE_FILE_NAME} in ${folder} was left as is, but it still reads ${composeLeft.join(', ')}, which ${composeLeft.length === 1 ? 'is' : 'are'} not part of the new hosts. ${composeFix}`,
    );
  }
  return warnings;
}
