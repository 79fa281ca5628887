import { open, opendir, stat } from 'node:fs/promises';
import path from 'node:path';
import { HOST_VERSION_SETTINGS, type HostVersionSetting } from '../core/rules/profile';
import { lintEnvironment, nodeLintHost, type GitStatus, type LintHost } from '../core/rules/environment';
import { lintText } from '../core/rules/lint';
import type { LintDiagnostic } from '../core/rules/types';
import { WorkspaceIndex } from '../core/rules/workspace';
import { describeError } from '../core/log';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, type CliCommand, type CliIo } from './command';
import { createGitStatusCache } from '../core/rules/git-status';

type OutputFormat = 'text' | 'json';

const USAGE = `Usage:
  wasmcloud-lattice lint [paths…] [--format text|json] [--host-version auto|otp|0.8x|1.x]

Check wasmCloud host .env files: seeds, issuers, lattice names, NATS
credentials, and lattice names and issuers across all the files given.

Paths are files or folders (default: the current folder). Folders are searched
for host .env files (.env, .env.*, *.env with a WASMCLOUD_ variable), skipping
node_modules and .git; symbolic links to folders are not followed. Files named
directly are always linted.

Options:
  --format text|json      Output format (default: text). json prints an array of
                          {file, line, column, endLine, endColumn, severity, code,
                          message} with lines and columns counted from 1.
  --host-version VERSION  Host version the files are for: auto (infer from the
                          variables, the default), otp (0.50–0.63), 0.8x
                          (0.78–0.82) or 1.x.
  -h, --help              Show this help

Exit codes: 0 no errors, 1 errors found, 2 usage error or a file that could
not be read.
`;

/** Maximum size of a file read; host .env files are a few KB, so anything larger is not one. */
const MAX_FILE_BYTES = 16 * 1024 * 1024;

/** A finding as printed: lines and columns from 1. */
interface PrintedFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  code: string;
  message: string;
}

interface LintRun {
  format: OutputFormat;
  hostVersion: HostVersionSetting;
  paths: string[];
}

function parseArgs(args: string[]): LintRun {
  const run: LintRun = { format: 'text', hostVersion: 'auto', paths: [] };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const next = inline ?? args[++index];
      if (next === undefined) {
        throw new UsageError(`${flag} needs a value.`);
      }
      return next;
    };
    if (flag === '--format' || flag === '-f') {
      const format = value();
      if (format !== 'text' && format !== 'json') {
        throw new UsageError(`--format must be text or json, not '${format}'.`);
      }
      run.format = format;
    } else if (flag === '--host-version') {
      const version = value();
      if (!(HOST_VERSION_SETTINGS as readonly string[]).includes(version)) {
        throw new UsageError(`--host-version must be one of ${HOST_VERSION_SETTINGS.join(', ')}, not '${version}'.`);
      }
      run.hostVersion = version as HostVersionSetting;
    } else if (arg === '--') {
      run.paths.push(...args.slice(index + 1));
      break;
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new UsageError(`unknown option '${arg}'.`);
    } else {
      run.paths.push(arg);
    }
  }
  if (run.paths.length === 0) {
    run.paths.push('.');
  }
  return run;
}

/** Whether a file name is one of the .env patterns: `.env`, `.env.*` or `*.env`. */
export function isEnvFileName(name: string): boolean {
  return name === '.env' || name.startsWith('.env.') || (name.endsWith('.env') && name.length > 4);
}

const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);

interface Candidate {
  readonly file: string;
  /** Named on the command line, so linted even without WASMCLOUD_ variables. */
  readonly explicit: boolean;
}

/**
 * Yields the files to lint, one at a time so thousands of files never sit in
 * memory at once. Problems with a path are reported through `onProblem`.
 */
async function* candidates(paths: readonly string[], onProblem: (file: string, message: string) => void): AsyncGenerator<Candidate> {
  for (const requested of paths) {
    let info;
    try {
      info = await stat(requested);
    } catch (error) {
      onProblem(requested, `cannot be read: ${describeError(error)}`);
      continue;
    }
    if (info.isDirectory()) {
      yield* walk(requested, onProblem);
    } else if (info.isFile()) {
      yield { file: requested, explicit: true };
    } else {
      onProblem(requested, 'is neither a file nor a folder, so it was skipped.');
    }
  }
}

async function* walk(folder: string, onProblem: (file: string, message: string) => void): AsyncGenerator<Candidate> {
  const pending = [folder];
  while (pending.length > 0) {
    const current = pending.pop() as string;
    let directory;
    try {
      directory = await opendir(current);
    } catch (error) {
      onProblem(current, `cannot be read: ${describeError(error)}`);
      continue;
    }
    const folders: string[] = [];
    try {
      for await (const dirent of directory) {
        const full = path.join(current, dirent.name);
        if (dirent.isDirectory()) {
          if (!SKIPPED_FOLDERS.has(dirent.name)) {
            folders.push(full);
          }
        } else if (isEnvFileName(dirent.name) && (dirent.isFile() || dirent.isSymbolicLink())) {
          if (dirent.isSymbolicLink()) {
            // Follow links to files; a link to a folder, a dangling link or a loop is reported.
            try {
              const target = await stat(full);
              if (!target.isFile()) {
                continue;
              }
            } catch (error) {
              onProblem(full, `cannot be read: ${describeError(error)}`);
              continue;
            }
          }
          yield { file: full, explicit: false };
        }
      }
    } catch (error) {
      onProblem(current, `could not be listed completely: ${describeError(error)}`);
    }
    pending.push(...folders.sort().reverse());
  }
}

type ReadResult = { text: string } | { skip: string } | { error: string };

async function readEnvFile(file: string): Promise<ReadResult> {
  let handle;
  try {
    handle = await open(file, 'r');
    const info = await handle.stat();
    if (info.isDirectory()) {
      return { skip: 'is a folder, not a file.' };
    }
    if (info.size > MAX_FILE_BYTES) {
      return { skip: `is ${info.size} bytes, larger than any .env file (limit ${MAX_FILE_BYTES}), so it was skipped.` };
    }
    const bytes = await handle.readFile();
    if (bytes.length === 0) {
      return { skip: 'is empty.' };
    }
    if (bytes.subarray(0, 8192).includes(0)) {
      return { skip: 'is a binary file (it contains NUL bytes), so it was skipped.' };
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return { skip: 'is not UTF-8 text, so it was skipped.' };
    }
    return { text };
  } catch (error) {
    return { error: `cannot be read: ${describeError(error)}` };
  } finally {
    await handle?.close();
  }
}

function printed(file: string, diagnostic: LintDiagnostic): PrintedFinding {
  const range = diagnostic.range;
  return {
    file,
    line: range.startLine + 1,
    column: range.startColumn + 1,
    endLine: range.endLine + 1,
    endColumn: range.endColumn + 1,
    severity: diagnostic.severity,
    code: diagnostic.code,
    message: diagnostic.message,
  };
}

function formatText(finding: PrintedFinding, related: LintDiagnostic['related']): string {
  const lines = [`${finding.file}:${finding.line}:${finding.column}: ${finding.severity} ${finding.code}: ${finding.message}`];
  for (const info of related ?? []) {
    const where = info.file === '' ? finding.file : info.file;
    lines.push(`    ${where}:${info.range.startLine + 1}:${info.range.startColumn + 1}: ${info.message}`);
  }
  return `${lines.join('\n')}\n`;
}

async function runLint(args: string[], io: CliIo): Promise<number> {
  const run = parseArgs(args);
  let ioFailure = false;
  const reportProblem = (file: string, message: string, failure = true): void => {
    ioFailure ||= failure;
    io.stderr.write(`wasmcloud-lattice lint: ${file} ${message}\n`);
  };

  const gitCache = createGitStatusCache();
  const host: LintHost = { readFile: nodeLintHost.readFile, gitStatus: (file: string): Promise<GitStatus> => gitCache.status(file) };
  const index = new WorkspaceIndex();
  // Single-file findings wait here, printed, until the workspace pass adds its own; no file text is kept.
  const findings = new Map<string, { printed: PrintedFinding[]; related: LintDiagnostic['related'][] }>();
  const seen = new Set<string>();
  let linted = 0;

  for await (const candidate of candidates(run.paths, (file, message) => reportProblem(file, message))) {
    const key = path.resolve(candidate.file);
    if (seen.has(key)) {
      continue;
    }
    seen.add(key);
    const read = await readEnvFile(candidate.file);
    if ('error' in read) {
      reportProblem(candidate.file, read.error);
      continue;
    }
    if ('skip' in read) {
      reportProblem(candidate.file, read.skip, false);
      continue;
    }
    const result = lintText(read.text, { hostVersion: run.hostVersion });
    if (!candidate.explicit && !result.facts.isHostFile) {
      continue;
    }
    linted++;
    const environment = await lintEnvironment(key, result, host, { hostVersion: run.hostVersion });
    const all = [...result.diagnostics, ...environment];
    findings.set(candidate.file, { printed: all.map((diagnostic) => printed(candidate.file, diagnostic)), related: all.map((diagnostic) => diagnostic.related) });
    index.updateMany([[candidate.file, result]]);
  }

  let errors = 0;
  let warnings = 0;
  let first = true;
  if (run.format === 'json') {
    io.stdout.write('[');
  }
  for (const [file, fileFindings] of findings) {
    const workspace = index.diagnostics(file);
    const all = [
      ...fileFindings.printed.map((finding, position) => ({ finding, related: fileFindings.related[position] })),
      ...workspace.map((diagnostic) => ({ finding: printed(file, diagnostic), related: diagnostic.related })),
    ].sort((a, b) => a.finding.line - b.finding.line || a.finding.column - b.finding.column);
    for (const { finding, related } of all) {
      if (finding.severity === 'error') {
        errors++;
      } else if (finding.severity === 'warning') {
        warnings++;
      }
      if (run.format === 'json') {
        io.stdout.write(`${first ? '\n' : ',\n'}  ${JSON.stringify(finding)}`);
      } else {
        io.stdout.write(formatText(finding, related));
      }
      first = false;
    }
  }
  if (run.format === 'json') {
    io.stdout.write(first ? ']\n' : '\n]\n');
  } else {
    io.stdout.write(`${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'} in ${linted} file${linted === 1 ? '' : 's'}.\n`);
  }

  if (linted === 0 && !ioFailure) {
    io.stderr.write(`wasmcloud-lattice lint: no host .env files found in ${run.paths.join(', ')}.\n`);
  }
  if (ioFailure) {
    return EXIT_USAGE;
  }
  return errors > 0 ? EXIT_FINDINGS : EXIT_OK;
}

export const lintCommand: CliCommand = {
  name: 'lint',
  summary: 'Check host .env files: keys, lattice names, credentials, across files',
  usage: USAGE,
  run: runLint,
};

