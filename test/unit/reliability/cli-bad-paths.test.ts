/**
 * `wasmcloud-lattice lint` on paths that are not readable host files:
 * unreadable files and folders, a path through a file (ENOTDIR), dangling
 * links, link loops, folders named `.env`, FIFOs, binary, non-UTF-8, empty
 * and oversized files. Each must get one clear line on stderr, the other
 * files must still be linted, and exit code 2 must mean a usage or I/O
 * failure only.
 *
 * Runs the bundled CLI (dist/cli.js, built by `npm test`). As root,
 * permissions do not stop reads, so the permission cases run the CLI as
 * `nobody` through setpriv.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

const root = path.resolve(__dirname, '../../../..');
const cli = path.join(root, 'dist', 'cli.js');

/** A host file with one error the CLI must report when it lints the file. */
const GOOD_HOST_FILE = 'WASMCLOUD_LATTICE_PREFIX=prod\nWASMCLOUD_RPC_PORT=99999\n';

interface CliRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stderr lines about one path: `wasmcloud-lattice lint: PATH reason`. */
  problems: string[];
  /** Files with a port-invalid finding in the JSON output. */
  linted: string[];
}

const isRoot = process.getuid?.() === 0;
const setpriv = spawnSync('sh', ['-c', 'command -v setpriv'], { encoding: 'utf8' }).stdout.trim();

/** Runs `lint --format json` with a timeout, so a read that blocks (a FIFO) fails the test instead of hanging it. */
function lint(args: string[], options: { asNobody?: boolean } = {}): CliRun {
  const command = options.asNobody && isRoot ? [setpriv, '--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath] : [process.execPath];
  const result = spawnSync(command[0], [...command.slice(1), cli, 'lint', '--format', 'json', ...args], { encoding: 'utf8', timeout: 30_000, cwd: tmpdir() });
  const problems = result.stderr.split('\n').filter((line) => line.startsWith('wasmcloud-lattice lint: '));
  let linted: string[] = [];
  try {
    linted = (JSON.parse(result.stdout) as { file: string; code: string }[]).filter((finding) => finding.code === 'port-invalid').map((finding) => finding.file);
  } catch {
    assert.fail(`stdout is not a JSON array (exit ${result.status}, signal ${result.signal}):\n${result.stdout}\nstderr:\n${result.stderr}`);
  }
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr, problems, linted };
}

/** Returns the one stderr line about `file`, and fails when there is none or more than one. */
function problemAbout(run: CliRun, file: string): string {
  const lines = run.problems.filter((line) => line.startsWith(`wasmcloud-lattice lint: ${file} `));
  assert.equal(lines.length, 1, `expected one line about ${file} on stderr, got:\n${run.stderr}`);
  return lines[0].slice(`wasmcloud-lattice lint: ${file} `.length);
}

describe('lint CLI on bad paths', () => {
  let dir: string;
  const at = (...parts: string[]): string => path.join(dir, ...parts);

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'wcl-bad-paths-'));
    // Readable by `nobody` for the permission cases.
    chmodSync(dir, 0o755);
    writeFileSync(at('good.env'), GOOD_HOST_FILE);

    mkdirSync(at('odd'));
    writeFileSync(at('odd', 'host.env'), GOOD_HOST_FILE);
    mkdirSync(at('odd', '.env'));
    writeFileSync(at('odd', '.env', 'inner.env'), GOOD_HOST_FILE);
    writeFileSync(at('odd', 'binary.env'), Buffer.from([0x57, 0x41, 0x53, 0x4d, 0x00, 0x01, 0xff, 0x3d]));
    writeFileSync(at('odd', 'latin1.env'), Buffer.from('WASMCLOUD_LATTICE=caf\u00e9\n', 'latin1'));
    writeFileSync(at('odd', 'utf16.env'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('WASMCLOUD_RPC_PORT=1\n', 'utf16le')]));
    writeFileSync(at('odd', 'empty.env'), '');
    writeFileSync(at('odd', 'huge.env'), '');
    // Sparse, so the 17 MB cost no disk.
    truncateSync(at('odd', 'huge.env'), 17 * 1024 * 1024);
    symlinkSync('.', at('odd', 'self-loop'));
    spawnSync('mkfifo', [at('odd', 'fifo.env')]);

    mkdirSync(at('links'));
    symlinkSync('no-such-target.env', at('links', 'dangling.env'));
    symlinkSync('loop-b.env', at('links', 'loop-a.env'));
    symlinkSync('loop-a.env', at('links', 'loop-b.env'));
    symlinkSync(at('odd', 'fifo.env'), at('links', 'to-fifo.env'));

    writeFileSync(at('locked.env'), GOOD_HOST_FILE);
    chmodSync(at('locked.env'), 0o000);
    mkdirSync(at('locked-folder'));
    writeFileSync(at('locked-folder', 'hidden.env'), GOOD_HOST_FILE);
    chmodSync(at('locked-folder'), 0o000);
  });

  after(() => {
    chmodSync(at('locked-folder'), 0o755);
    rmSync(dir, { recursive: true, force: true });
  });

  it('skips odd files in a folder', () => {
    const run = lint([at('odd')]);
    assert.equal(run.signal, null, 'the CLI hung');
    assert.deepEqual(run.linted.sort(), [at('odd', '.env', 'inner.env'), at('odd', 'host.env')]);
    assert.match(problemAbout(run, at('odd', 'binary.env')), /binary/);
    assert.match(problemAbout(run, at('odd', 'latin1.env')), /not UTF-8/);
    assert.match(problemAbout(run, at('odd', 'utf16.env')), /binary|UTF-8/);
    assert.match(problemAbout(run, at('odd', 'empty.env')), /empty/);
    assert.match(problemAbout(run, at('odd', 'huge.env')), /larger than/);
    assert.equal(run.problems.length, 5, run.stderr);
    // Skipped files are not I/O failures: exit 1 for the port errors found.
    assert.equal(run.status, 1, run.stderr);
  });

  it('names a folder called .env', () => {
    const run = lint([at('odd', '.env'), at('good.env')]);
    assert.deepEqual(run.linted.sort(), [at('good.env'), at('odd', '.env', 'inner.env')]);
    assert.equal(run.status, 1, run.stderr);
  });

  it('does not block on a FIFO', () => {
    const run = lint([at('odd', 'fifo.env'), at('links', 'to-fifo.env'), at('good.env')]);
    assert.equal(run.signal, null, 'the CLI hung on a FIFO');
    assert.deepEqual(run.linted, [at('good.env')]);
    assert.match(problemAbout(run, at('odd', 'fifo.env')), /neither a file nor a folder/);
    assert.match(problemAbout(run, at('links', 'to-fifo.env')), /neither a file nor a folder/);
  });

  it('reports a dangling link', () => {
    const run = lint([at('links', 'dangling.env'), at('good.env')]);
    assert.match(problemAbout(run, at('links', 'dangling.env')), /cannot be read: ENOENT/);
    assert.deepEqual(run.linted, [at('good.env')]);
    assert.equal(run.status, 2);
  });

  it('reports a link loop', () => {
    const run = lint([at('links', 'loop-a.env'), at('good.env')]);
    assert.match(problemAbout(run, at('links', 'loop-a.env')), /cannot be read: ELOOP/);
    assert.deepEqual(run.linted, [at('good.env')]);
    assert.equal(run.status, 2);
  });

  it('reports broken links in a folder', () => {
    const run = lint([at('links'), at('good.env')]);
    assert.equal(run.signal, null, 'the CLI hung');
    assert.match(problemAbout(run, at('links', 'dangling.env')), /ENOENT/);
    assert.match(problemAbout(run, at('links', 'loop-a.env')), /ELOOP/);
    assert.match(problemAbout(run, at('links', 'loop-b.env')), /ELOOP/);
    assert.deepEqual(run.linted, [at('good.env')]);
    assert.equal(run.status, 2);
  });

  it('reports a path through a file', () => {
    const run = lint([at('good.env', 'child.env'), at('odd', 'host.env')]);
    assert.match(problemAbout(run, at('good.env', 'child.env')), /cannot be read: ENOTDIR/);
    assert.deepEqual(run.linted, [at('odd', 'host.env')]);
    assert.equal(run.status, 2);
  });

  it('reports a missing path', () => {
    const run = lint([at('missing.env'), at('good.env')]);
    assert.match(problemAbout(run, at('missing.env')), /cannot be read: ENOENT/);
    assert.deepEqual(run.linted, [at('good.env')]);
    assert.equal(run.status, 2);
  });

  it('reports an unreadable file', { skip: isRoot && setpriv === '' ? 'running as root without setpriv, so permissions cannot stop a read' : false }, () => {
    const run = lint([at('locked.env'), at('good.env')], { asNobody: true });
    assert.match(problemAbout(run, at('locked.env')), /cannot be read: EACCES/);
    assert.deepEqual(run.linted, [at('good.env')]);
    assert.equal(run.status, 2);
  });

  it('reports an unreadable folder', { skip: isRoot && setpriv === '' ? 'running as root without setpriv, so permissions cannot stop a read' : false }, () => {
    const run = lint([at('locked-folder'), at('good.env')], { asNobody: true });
    assert.match(problemAbout(run, at('locked-folder')), /cannot be read: EACCES/);
    assert.deepEqual(run.linted, [at('good.env')]);
    assert.equal(run.status, 2);
  });

  it('exits 2 only for failures', () => {
    const skippedOnly = lint([at('odd', 'binary.env'), at('odd', 'empty.env')]);
    assert.notEqual(skippedOnly.status, 2, `skipped files alone must not exit 2:\n${skippedOnly.stderr}`);
    const usage = spawnSync(process.execPath, [cli, 'lint', '--format'], { encoding: 'utf8' });
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /--format needs a value/);
  });
});
