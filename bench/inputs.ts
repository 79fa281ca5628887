/**
 * The seeded inputs the benchmarks share, generated once per run. Changing a
 * seed or a size changes every figure measured on that input, so BENCHMARKS.md
 * names them.
 */
import { hostWorkspace, largeHostFile, type GeneratedHostFile } from '../test/support/host-files';

/** Seed and size of the large host-style file of `parse` and `lint-file`. */
export const LARGE_FILE_SEED = 6001;
export const LARGE_FILE_LINES = 10_000;

/** Seed and size of the workspace of `lint-workspace`, `lint-incremental` and `lint-memory`. */
export const WORKSPACE_SEED = 6002;
export const WORKSPACE_FILES = 2000;

/** Seed and size of the files that `first-diagnostics` opens; each file adds its index to the seed. */
export const DIAGNOSTICS_FILE_SEED = 6003;
export const DIAGNOSTICS_FILE_LINES = 500;

/** Seed of the key bytes of `inspect-keys`. */
export const INSPECT_KEYS_SEED = 6004;

let largeFile: string | undefined;
let workspace: GeneratedHostFile[] | undefined;

export function largeFileText(): string {
  largeFile ??= largeHostFile(LARGE_FILE_SEED, LARGE_FILE_LINES);
  return largeFile;
}

export function workspaceFiles(): readonly GeneratedHostFile[] {
  workspace ??= hostWorkspace({ seed: WORKSPACE_SEED, files: WORKSPACE_FILES });
  return workspace;
}
