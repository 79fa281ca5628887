import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { GitStatus } from '../core/rules/environment';

export interface GitStatusCache {
  status(filePath: string): Promise<GitStatus>;
}

/**
 * Answers git tracking questions for many files with few git processes: the
 * repository root is found by looking for `.git` in the parent folders, the
 * tracked files of each repository are listed once, and only untracked files
 * are checked against the ignore rules one by one.
 */
export function createGitStatusCache(): GitStatusCache {
  const roots = new Map<string, string | undefined>();
  const tracked = new Map<string, Promise<Set<string> | undefined>>();

  function rootOf(folder: string): string | undefined {
    if (roots.has(folder)) {
      return roots.get(folder);
    }
    const parent = path.dirname(folder);
    const root = existsSync(path.join(folder, '.git')) ? folder : parent === folder ? undefined : rootOf(parent);
    roots.set(folder, root);
    return root;
  }

  function trackedFiles(root: string): Promise<Set<string> | undefined> {
    let files = tracked.get(root);
    if (files === undefined) {
      files = git(root, ['ls-files', '-z']).then((output) => (output === undefined ? undefined : new Set(output.split('\0').filter((name) => name.length > 0).map((name) => path.join(root, name)))));
      tracked.set(root, files);
    }
    return files;
  }

  return {
    async status(filePath: string): Promise<GitStatus> {
      const absolute = path.resolve(filePath);
      const root = rootOf(path.dirname(absolute));
      if (root === undefined) {
        return 'outside';
      }
      const files = await trackedFiles(root);
      if (files === undefined) {
        return 'outside';
      }
      if (files.has(absolute)) {
        return 'tracked';
      }
      const ignored = await git(root, ['check-ignore', '-q', '--', path.relative(root, absolute)]);
      return ignored === undefined ? 'untracked' : 'ignored';
    },
  };
}

/** Runs git in `cwd`; resolves to its output, or undefined when it fails or exits non-zero. */
function git(cwd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, timeout: 10_000, maxBuffer: 64 * 1024 * 1024, windowsHide: true }, (error, stdout) => {
      resolve(error === null ? stdout : undefined);
    });
  });
}
