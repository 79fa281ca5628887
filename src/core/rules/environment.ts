import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { DotenvEntry } from '../dotenv/index';
import { inspectKey } from '../keys/inspect';
import { finishDiagnostics, type FileLintResult, type LintOptions } from './lint';
import { hideSecrets, redactForMessage, shownName } from '../dotenv/redact';
import { quoteValue, report, type RuleContext } from './context';
import { checkUserJwt } from './jwt';
import { usesSubstitution } from './substitution';
import type { LintDiagnostic } from './types';
import { findHostVariable } from './variables';

/** How a file stands with git. */
export type GitStatus = 'tracked' | 'untracked' | 'ignored' | 'outside';

/** The I/O the environment rules need, so the extension and the CLI can supply their own. */
export interface LintHost {
  /** The file's text, or undefined when it does not exist or cannot be read. */
  readFile(filePath: string): Promise<string | undefined>;
  /** Whether git tracks, ignores or does not know the file; omit where git cannot be asked. */
  gitStatus?(filePath: string): Promise<GitStatus>;
}

/** Maximum size of a creds file read for `credsfile-malformed`; real ones are under 2 KB. */
const MAX_CREDS_BYTES = 64 * 1024;

/**
 * Runs the rules that read other files or ask git: creds files named in the
 * file (resolved against its folder) and seeds in files that git tracks or
 * does not ignore. Returns findings with overrides and disable comments applied.
 */
export async function lintEnvironment(filePath: string, lint: FileLintResult, host: LintHost, options: LintOptions = {}): Promise<LintDiagnostic[]> {
  const effective = new Map<string, DotenvEntry>();
  for (const entry of lint.parse.entries) {
    effective.set(entry.key, entry);
  }
  const context: RuleContext = { text: '', parse: lint.parse, effective, profile: lint.profile, substituted: new Set(), now: options.now ?? Date.now(), diagnostics: [] };

  const folder = path.dirname(filePath);
  const checks: Promise<void>[] = [];
  for (const entry of effective.values()) {
    // A path such as ${HOME}/x.creds is resolved only by the tool that expands it; lintText reports that it is not checked.
    if (findHostVariable(entry.key)?.type === 'creds-file' && entry.value.length > 0 && !usesSubstitution(entry)) {
      checks.push(checkCredsFile(context, entry, folder, host));
    }
  }
  if (host.gitStatus !== undefined) {
    checks.push(checkTracked(context, filePath, host.gitStatus.bind(host)));
  }
  await Promise.all(checks);
  return finishDiagnostics(context.diagnostics, lint.suppressions, options.severities);
}

/** Resolves a creds path as the host would when started from the .env file's folder; `~/` is the home folder. */
export function resolveCredsPath(value: string, folder: string): string {
  if (value === '~' || value.startsWith('~/')) {
    return path.join(process.env.HOME ?? process.env.USERPROFILE ?? '~', value.slice(1));
  }
  return path.resolve(folder, value);
}

async function checkCredsFile(context: RuleContext, entry: DotenvEntry, folder: string, host: LintHost): Promise<void> {
  const resolved = resolveCredsPath(entry.value, folder);
  // The path is built from the value, which may be a pasted seed or token, so it is redacted like the value.
  const shownPath = redactForMessage(resolved, PATH_LENGTH);
  const text = await host.readFile(resolved);
  if (text === undefined) {
    const pasted = pastedSecret(entry.value);
    const message =
      pasted === undefined
        ? `${entry.key} names ${quoteValue(entry.value)}, but no readable file exists at ${shownPath}. Relative paths are resolved against this .env file's folder; fix the path or create the creds file with nsc.`
        : `${entry.key} holds ${pasted}, not the path of a creds file, so the host finds no file at ${shownPath}. Set it to the path of the .creds file that nsc wrote.`;
    report(context, 'credsfile-missing', entry.valueRange, message, { key: entry.key });
    return;
  }
  const problem = credsProblem(text, context.now);
  if (problem !== undefined) {
    report(context, 'credsfile-malformed', entry.valueRange, `${entry.key} names ${shownPath}, which is not a valid NATS creds file: ${problem}`, { key: entry.key });
  }
}

/** Maximum characters of a resolved creds path shown in a message. */
const PATH_LENGTH = 200;

/** Names the secret that a creds variable contains instead of a path, or returns undefined when the value looks like a path. */
function pastedSecret(value: string): string | undefined {
  if (/^S[A-Z2-7]{57}$/.test(value)) {
    return 'what looks like an nkey seed';
  }
  if (/^eyJ[\w-]*\.[\w-]+\.[\w-]*$/.test(value)) {
    return 'what looks like a JWT';
  }
  return undefined;
}

// The blocks the 1.x host looks for (src/main.rs): the END lines have six dashes, as nsc writes them.
const JWT_BLOCK = /-----BEGIN NATS USER JWT-----\r?\n(.*)\r?\n------END NATS USER JWT------/;
const SEED_BLOCK = /-----BEGIN USER NKEY SEED-----\r?\n(.*)\r?\n------END USER NKEY SEED------/;

/** Describes what is wrong with a creds file's text, or undefined when it is usable. Never quotes the seed. */
export function credsProblem(text: string, now: number): string | undefined {
  if (text.length > MAX_CREDS_BYTES) {
    return `it is ${text.length} characters long, far more than a creds file. Point the variable at the .creds file nsc wrote.`;
  }
  const jwt = JWT_BLOCK.exec(text);
  if (jwt === null) {
    return 'it has no "-----BEGIN NATS USER JWT-----" block ending in "------END NATS USER JWT------". Export the creds again with nsc.';
  }
  const jwtCheck = checkUserJwt(jwt[1].trim(), now);
  if (!jwtCheck.ok) {
    return `its JWT is not usable. ${jwtCheck.reason}`;
  }
  const seed = SEED_BLOCK.exec(text);
  if (seed === null) {
    return 'it has no "-----BEGIN USER NKEY SEED-----" block ending in "------END USER NKEY SEED------". Export the creds again with nsc.';
  }
  const inspection = inspectKey(seed[1].trim(), { type: 'seed', kind: 'user' });
  if (!inspection.valid) {
    return `its seed is not a valid user seed. ${hideSecrets(inspection.reason ?? '')}`.trim();
  }
  if (inspection.publicKey !== jwtCheck.jwt.subject) {
    return `its seed belongs to ${inspection.publicKey as string}, but its JWT was issued to ${jwtCheck.jwt.subject}. Export the creds of one user again with nsc.`;
  }
  return undefined;
}

async function checkTracked(context: RuleContext, filePath: string, gitStatus: (filePath: string) => Promise<GitStatus>): Promise<void> {
  const seeds = [...context.effective.values()].filter((entry) => /^S[A-Z2-7]{57}$/.test(entry.value) && inspectKey(entry.value, { type: 'seed' }).type === 'seed');
  if (seeds.length === 0) {
    return;
  }
  const status = await gitStatus(filePath);
  if (status === 'ignored' || status === 'outside') {
    return;
  }
  const names = seeds.map((entry) => shownName(entry.key)).join(', ');
  const message =
    status === 'tracked'
      ? `git tracks this file, so the seed in ${shownName(seeds[0].key)} is in the repository and its history. Move the seeds to an untracked file listed in .gitignore, run 'git rm --cached' on this file, and replace every seed that was committed.`
      : `git does not ignore this file, so 'git add' would commit the seed in ${shownName(seeds[0].key)}. Add the file to .gitignore.`;
  for (const entry of seeds) {
    report(context, 'seed-in-tracked-file', entry.keyRange, seeds.length > 1 ? `${message} (Seeds in this file: ${names}.)` : message, { key: entry.key });
  }
}

/** A `LintHost` on the local file system, asking the `git` command line for tracking status. */
export const nodeLintHost: LintHost = {
  async readFile(filePath: string): Promise<string | undefined> {
    try {
      const info = await stat(filePath);
      if (!info.isFile()) {
        return undefined;
      }
      if (info.size > MAX_CREDS_BYTES) {
        return ' '.repeat(MAX_CREDS_BYTES + 1);
      }
      return await readFile(filePath, 'utf8');
    } catch {
      return undefined;
    }
  },
  gitStatus,
};

/** Asks git whether it tracks or ignores `filePath`. Any failure (no git, no repository) reads as `outside`. */
export async function gitStatus(filePath: string): Promise<GitStatus> {
  const cwd = path.dirname(filePath);
  const name = path.basename(filePath);
  const tracked = await runGit(cwd, ['ls-files', '--error-unmatch', '--', name]);
  if (tracked === 0) {
    return 'tracked';
  }
  const inside = await runGit(cwd, ['rev-parse', '--is-inside-work-tree']);
  if (inside !== 0) {
    return 'outside';
  }
  const ignored = await runGit(cwd, ['check-ignore', '-q', '--', name]);
  return ignored === 0 ? 'ignored' : 'untracked';
}

function runGit(cwd: string, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, timeout: 5000, windowsHide: true }, (error) => {
      if (error === null) {
        resolve(0);
        return;
      }
      const code = (error as { code?: unknown }).code;
      resolve(typeof code === 'number' ? code : -1);
    });
  });
}
