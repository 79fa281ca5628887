import { execFile } from 'node:child_process';
import { readFile, realpath, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { GitStatus } from './environment';

/** Runs git with `args` in `cwd`; resolves to its output, or undefined when it fails or exits non-zero. */
export type GitRunner = (cwd: string, args: readonly string[]) => Promise<string | undefined>;

export interface GitStatusCache {
  /** Returns whether git tracks, ignores or does not know `filePath`. */
  status(filePath: string): Promise<GitStatus>;
}

interface Repository {
  /** The work tree's top folder: the folder that contains `.git`. */
  readonly root: string;
  /** The folder with the index: `.git` itself, or the folder a `.git` file names (worktrees, submodules). */
  readonly gitDir: string;
  /** The folder with `info/exclude`: `gitDir`, or for a worktree the main repository's git folder, which its `commondir` file names. */
  readonly commonDir: string;
}

interface RepositoryState {
  /** Identifies the version of the index that `tracked` was listed from. */
  readonly indexStamp: string;
  /** Absolute paths of the files in the index, or undefined when git failed to list them. */
  readonly tracked: Promise<Set<string> | undefined>;
  /** `check-ignore` results of untracked files, with the ignore files' stamp they were read under. */
  readonly ignored: Map<string, { readonly stamp: string; readonly result: Promise<boolean> }>;
}

/**
 * Creates a cache that returns the git status of many files with few git
 * processes. The tracked files of a repository are listed once
 * (`git ls-files -z`), and only untracked files are checked against the ignore
 * rules, one `git check-ignore` per file. Before a result is reused, the
 * size, times and inode of the files it depends on are compared. A tracked
 * result depends on the index. An ignore result depends on every `.gitignore`
 * from the repository's top folder down to the file's folder, on
 * `info/exclude` and on the user's default global ignore file. So `git add`,
 * `git rm` or an edited `.gitignore` takes effect at the next call without a
 * file watcher.
 *
 * NOTE: an ignore file named by `core.excludesFile` in a git config is read by
 * git but not checked for changes here, so an edit to it shows only after the
 * index or a `.gitignore` changes, or with a new cache.
 */
export function createGitStatusCache(runGit: GitRunner = runGitCommand): GitStatusCache {
  const repositories = new Map<string, RepositoryState>();

  function stateOf(repository: Repository, indexStamp: string): RepositoryState {
    const known = repositories.get(repository.root);
    if (known !== undefined && known.indexStamp === indexStamp) {
      return known;
    }
    const root = repository.root;
    const tracked = runGit(root, ['ls-files', '-z']).then((output) =>
      output === undefined ? undefined : new Set(output.split('\0').filter((name) => name.length > 0).map((name) => path.join(root, name))),
    );
    const state: RepositoryState = { indexStamp, tracked, ignored: new Map() };
    repositories.set(root, state);
    return state;
  }

  return {
    async status(filePath: string): Promise<GitStatus> {
      const absolute = await resolveFolderLinks(path.resolve(filePath));
      const repository = await findRepository(path.dirname(absolute));
      if (repository === undefined) {
        return 'outside';
      }
      const state = stateOf(repository, await fileStamp(path.join(repository.gitDir, 'index')));
      const tracked = await state.tracked;
      if (tracked === undefined) {
        return 'outside';
      }
      if (tracked.has(absolute)) {
        return 'tracked';
      }

      const stamp = await ignoreStamp(repository, absolute);
      let check = state.ignored.get(absolute);
      if (check === undefined || check.stamp !== stamp) {
        const result = runGit(repository.root, ['check-ignore', '-q', '--', path.relative(repository.root, absolute)]).then((output) => output !== undefined);
        check = { stamp, result };
        state.ignored.set(absolute, check);
      }
      return (await check.result) ? 'ignored' : 'untracked';
    },
  };
}

/** Finds the repository whose work tree contains `folder`: the nearest folder upwards with a `.git` folder or file. */
async function findRepository(folder: string): Promise<Repository | undefined> {
  for (let current = folder; ; current = path.dirname(current)) {
    const dotGit = path.join(current, '.git');
    const info = await stat(dotGit).catch(() => undefined);
    if (info?.isDirectory() === true) {
      return { root: current, gitDir: dotGit, commonDir: dotGit };
    }
    if (info?.isFile() === true) {
      const gitDir = await linkedGitDir(dotGit, current);
      return { root: current, gitDir, commonDir: await commonGitDir(gitDir) };
    }
    if (path.dirname(current) === current) {
      return undefined;
    }
  }
}

/** Reads the `gitdir: …` line of a `.git` file; falls back to the file's own path, whose stamp then stands for the index. */
async function linkedGitDir(dotGitFile: string, root: string): Promise<string> {
  const text = await readFile(dotGitFile, 'utf8').catch(() => '');
  const match = /^gitdir:\s*(.+?)\s*$/m.exec(text);
  return match === null ? dotGitFile : path.resolve(root, match[1]);
}

/** Reads the `commondir` file of a worktree's git folder; returns `gitDir` itself when there is none, as for a submodule. */
async function commonGitDir(gitDir: string): Promise<string> {
  const text = await readFile(path.join(gitDir, 'commondir'), 'utf8').catch(() => '');
  const common = text.trim();
  return common === '' ? gitDir : path.resolve(gitDir, common);
}

/**
 * Resolves symbolic links in the folders of `file`, as git does for the work
 * tree, but not in its name: git tracks a link as the link itself. Returns
 * `file` unchanged when its folder does not exist.
 */
async function resolveFolderLinks(file: string): Promise<string> {
  const folder = await realpath(path.dirname(file)).catch(() => undefined);
  return folder === undefined ? file : path.join(folder, path.basename(file));
}

/**
 * Identifies the ignore files that decide whether `file` is ignored, as they
 * are now: every `.gitignore` from the top folder down to the file's folder,
 * `info/exclude` and the default global ignore file.
 */
async function ignoreStamp(repository: Repository, file: string): Promise<string> {
  const files = [path.join(repository.commonDir, 'info', 'exclude'), globalIgnoreFile()];
  const relativeFolder = path.relative(repository.root, path.dirname(file));
  let folder = repository.root;
  files.push(path.join(folder, '.gitignore'));
  for (const part of relativeFolder === '' ? [] : relativeFolder.split(path.sep)) {
    folder = path.join(folder, part);
    files.push(path.join(folder, '.gitignore'));
  }
  return (await Promise.all(files.map(fileStamp))).join('|');
}

/** git's default `core.excludesFile`: `$XDG_CONFIG_HOME/git/ignore`, else `~/.config/git/ignore`. */
function globalIgnoreFile(): string {
  const configHome = process.env.XDG_CONFIG_HOME;
  return path.join(configHome !== undefined && configHome !== '' ? configHome : path.join(os.homedir(), '.config'), 'git', 'ignore');
}

/**
 * Identifies the current version of a file by its size, modification and
 * change times and inode. Returns `-` for a file that does not exist. git
 * replaces its index through a rename, so the inode changes too.
 */
async function fileStamp(file: string): Promise<string> {
  const info = await stat(file, { bigint: true }).catch(() => undefined);
  return info === undefined ? '-' : `${info.size}:${info.mtimeNs}:${info.ctimeNs}:${info.ino}`;
}

function runGitCommand(cwd: string, args: readonly string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', [...args], { cwd, timeout: 10_000, maxBuffer: 64 * 1024 * 1024, windowsHide: true }, (error, stdout) => {
      resolve(error === null ? stdout : undefined);
    });
  });
}
