import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createGitStatusCache, type GitRunner } from '../../../../src/core/rules/git-status';

/** Runs the real git and records every command, so tests can count the processes the cache starts. */
function recordingGit(): { run: GitRunner; commands: string[] } {
  const commands: string[] = [];
  const run: GitRunner = (cwd, args) => {
    commands.push(args[0]);
    return new Promise((resolve) => {
      execFile('git', [...args], { cwd }, (error, stdout) => resolve(error === null ? stdout : undefined));
    });
  };
  return { run, commands };
}

describe('createGitStatusCache', () => {
  let repo: string;
  const git = (...args: string[]): void => {
    execFileSync('git', args, { cwd: repo, stdio: 'ignore' });
  };
  const file = (name: string): string => path.join(repo, name);

  before(() => {
    repo = mkdtempSync(path.join(tmpdir(), 'git-status-'));
    git('init', '-q');
    git('config', 'user.email', 'test@example.com');
    git('config', 'user.name', 'test');
    mkdirSync(file('team'));
    writeFileSync(file('.gitignore'), 'ignored.env\n');
    writeFileSync(file('team/.gitignore'), 'local-*.env\n');
    for (const name of ['tracked.env', 'team/tracked.env', 'new.env', 'ignored.env', 'team/local-a.env', 'team/new.env']) {
      writeFileSync(file(name), 'WASMCLOUD_LATTICE=prod\n');
    }
    git('add', 'tracked.env', 'team/tracked.env', '.gitignore', 'team/.gitignore');
    git('commit', '-q', '-m', 'initial');
  });
  after(() => rmSync(repo, { recursive: true, force: true }));

  it('reads tracked, untracked and ignored files', async () => {
    const cache = createGitStatusCache();
    assert.equal(await cache.status(file('tracked.env')), 'tracked');
    assert.equal(await cache.status(file('team/tracked.env')), 'tracked');
    assert.equal(await cache.status(file('new.env')), 'untracked');
    assert.equal(await cache.status(file('team/new.env')), 'untracked');
    assert.equal(await cache.status(file('ignored.env')), 'ignored');
    assert.equal(await cache.status(file('team/local-a.env')), 'ignored');
  });

  it('reads a file outside any repository as outside', async () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'git-status-none-'));
    try {
      const recorded = recordingGit();
      assert.equal(await createGitStatusCache(recorded.run).status(path.join(outside, 'a.env')), 'outside');
      assert.deepEqual(recorded.commands, []);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('lists the index once for many files', async () => {
    const recorded = recordingGit();
    const cache = createGitStatusCache(recorded.run);
    await Promise.all(['tracked.env', 'team/tracked.env', 'new.env', 'ignored.env'].map((name) => cache.status(file(name))));
    assert.deepEqual(recorded.commands.sort(), ['check-ignore', 'check-ignore', 'ls-files']);
  });

  it('starts no git process for a repeated question', async () => {
    const recorded = recordingGit();
    const cache = createGitStatusCache(recorded.run);
    for (const name of ['tracked.env', 'new.env', 'ignored.env']) {
      await cache.status(file(name));
    }
    const started = recorded.commands.length;
    for (let round = 0; round < 3; round++) {
      assert.equal(await cache.status(file('tracked.env')), 'tracked');
      assert.equal(await cache.status(file('new.env')), 'untracked');
      assert.equal(await cache.status(file('ignored.env')), 'ignored');
    }
    assert.equal(recorded.commands.length, started);
  });

  describe('after a change', () => {
    beforeEach(() => {
      git('reset', '-q', 'HEAD', '--', '.');
      writeFileSync(file('.gitignore'), 'ignored.env\n');
      writeFileSync(file('team/.gitignore'), 'local-*.env\n');
    });

    it('sees git add and git rm --cached', async () => {
      const recorded = recordingGit();
      const cache = createGitStatusCache(recorded.run);
      assert.equal(await cache.status(file('new.env')), 'untracked');
      git('add', 'new.env');
      assert.equal(await cache.status(file('new.env')), 'tracked');
      git('rm', '-q', '--cached', 'new.env');
      assert.equal(await cache.status(file('new.env')), 'untracked');
      assert.equal(recorded.commands.filter((command) => command === 'ls-files').length, 3);
    });

    it('sees an edited .gitignore in a subfolder', async () => {
      const cache = createGitStatusCache();
      assert.equal(await cache.status(file('team/new.env')), 'untracked');
      writeFileSync(file('team/.gitignore'), 'local-*.env\nnew.env\n');
      assert.equal(await cache.status(file('team/new.env')), 'ignored');
      writeFileSync(file('team/.gitignore'), 'local-*.env\n');
      assert.equal(await cache.status(file('team/new.env')), 'untracked');
    });

    it('sees an edited top-level .gitignore', async () => {
      const cache = createGitStatusCache();
      assert.equal(await cache.status(file('new.env')), 'untracked');
      writeFileSync(file('.gitignore'), 'ignored.env\n*.env\n');
      assert.equal(await cache.status(file('new.env')), 'ignored');
      assert.equal(await cache.status(file('team/new.env')), 'ignored');
      assert.equal(await cache.status(file('tracked.env')), 'tracked');
    });

    it('sees info/exclude', async () => {
      const cache = createGitStatusCache();
      assert.equal(await cache.status(file('new.env')), 'untracked');
      writeFileSync(file('.git/info/exclude'), 'new.env\n');
      try {
        assert.equal(await cache.status(file('new.env')), 'ignored');
      } finally {
        writeFileSync(file('.git/info/exclude'), '');
      }
    });
  });

  it('reads a linked worktree through its .git file', async () => {
    const worktree = path.join(mkdtempSync(path.join(tmpdir(), 'git-status-worktree-')), 'tree');
    try {
      git('worktree', 'add', '-q', '--detach', worktree);
      const cache = createGitStatusCache();
      assert.equal(await cache.status(path.join(worktree, 'tracked.env')), 'tracked');
      writeFileSync(path.join(worktree, 'extra.env'), 'WASMCLOUD_LATTICE=prod\n');
      assert.equal(await cache.status(path.join(worktree, 'extra.env')), 'untracked');
      execFileSync('git', ['add', 'extra.env'], { cwd: worktree, stdio: 'ignore' });
      assert.equal(await cache.status(path.join(worktree, 'extra.env')), 'tracked');
    } finally {
      git('worktree', 'remove', '--force', worktree);
      rmSync(path.dirname(worktree), { recursive: true, force: true });
    }
  });

  it('sees the main info/exclude from a worktree', async () => {
    const worktree = path.join(mkdtempSync(path.join(tmpdir(), 'git-status-worktree-')), 'tree');
    const exclude = file('.git/info/exclude');
    try {
      git('worktree', 'add', '-q', '--detach', worktree);
      writeFileSync(path.join(worktree, 'local.env'), 'WASMCLOUD_LATTICE=prod\n');
      const ignoredByGit = (): boolean => {
        try {
          execFileSync('git', ['check-ignore', '-q', 'local.env'], { cwd: worktree, stdio: 'ignore' });
          return true;
        } catch {
          return false;
        }
      };
      const cache = createGitStatusCache();
      assert.equal(await cache.status(path.join(worktree, 'local.env')), 'untracked');

      writeFileSync(exclude, 'local.env\n');
      assert.equal(ignoredByGit(), true, 'git itself does not read the main info/exclude');
      assert.equal(await cache.status(path.join(worktree, 'local.env')), 'ignored');

      writeFileSync(exclude, '');
      assert.equal(ignoredByGit(), false);
      assert.equal(await cache.status(path.join(worktree, 'local.env')), 'untracked');
    } finally {
      writeFileSync(exclude, '');
      git('worktree', 'remove', '--force', worktree);
      rmSync(path.dirname(worktree), { recursive: true, force: true });
    }
  });

  it('reads a file through a linked folder in the repository', async () => {
    symlinkSync('team', file('alias'));
    try {
      const cache = createGitStatusCache();
      assert.equal(await cache.status(file('alias/tracked.env')), 'tracked');
      assert.equal(await cache.status(file('alias/new.env')), 'untracked');
    } finally {
      rmSync(file('alias'));
    }
  });

  it('reads a file through a link from outside', async () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'git-status-link-'));
    try {
      symlinkSync(path.join(repo, 'team'), path.join(outside, 'linked'));
      const cache = createGitStatusCache();
      assert.equal(await cache.status(path.join(outside, 'linked', 'tracked.env')), 'tracked');
      assert.equal(await cache.status(path.join(outside, 'linked', 'local-a.env')), 'ignored');
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('reads a new repository without an index', async () => {
    const fresh = mkdtempSync(path.join(tmpdir(), 'git-status-fresh-'));
    try {
      execFileSync('git', ['init', '-q'], { cwd: fresh, stdio: 'ignore' });
      writeFileSync(path.join(fresh, 'a.env'), 'WASMCLOUD_LATTICE=prod\n');
      const cache = createGitStatusCache();
      assert.equal(await cache.status(path.join(fresh, 'a.env')), 'untracked');
      execFileSync('git', ['add', 'a.env'], { cwd: fresh, stdio: 'ignore' });
      assert.equal(await cache.status(path.join(fresh, 'a.env')), 'tracked');
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});
