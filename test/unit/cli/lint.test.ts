import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createCluster } from '@nats-io/nkeys';

const root = path.resolve(__dirname, '../../../..');
const cli = path.join(root, 'dist', 'cli.js');
const decoder = new TextDecoder();

interface Finding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  code: string;
  message: string;
}

function runLint(args: string[], cwd = root): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, 'lint', ...args], { cwd, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function clusterPair(): { publicKey: string; seed: string } {
  const pair = createCluster();
  return { publicKey: pair.getPublicKey(), seed: decoder.decode(pair.getSeed()) };
}

describe('wasmcloud-lattice lint', () => {
  let folder: string;
  const key = clusterPair();
  const healthy = `WASMCLOUD_LATTICE_PREFIX=prod\nWASMCLOUD_CLUSTER_SEED=${key.seed}\nWASMCLOUD_CLUSTER_ISSUERS=${key.publicKey}\n`;

  before(() => {
    const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
    folder = mkdtempSync(path.join(tmpdir(), 'lint-cli-'));
    mkdirSync(path.join(folder, 'clean'));
    writeFileSync(path.join(folder, 'clean', '.env'), healthy);
    writeFileSync(path.join(folder, 'clean', 'app.env'), 'DATABASE_URL=postgres://x\nBROKEN LINE\n');
    mkdirSync(path.join(folder, 'clean', 'node_modules', 'pkg'), { recursive: true });
    writeFileSync(path.join(folder, 'clean', 'node_modules', 'pkg', '.env'), 'WASMCLOUD_RPC_PORT=0\n');
    mkdirSync(path.join(folder, 'broken'));
    writeFileSync(path.join(folder, 'broken', 'host.env'), `WASMCLOUD_LATTICE_PREFIX=prod\nWASMCLOUD_RPC_PORT=70000\n`);
    mkdirSync(path.join(folder, 'pair'));
    writeFileSync(path.join(folder, 'pair', 'a.env'), healthy);
    writeFileSync(path.join(folder, 'pair', 'b.env'), healthy.replace('=prod', '=staging'));
    mkdirSync(path.join(folder, 'odd'));
    writeFileSync(path.join(folder, 'odd', 'good.env'), 'WASMCLOUD_RPC_PORT=99999\n');
    writeFileSync(path.join(folder, 'odd', 'binary.env'), Buffer.from([0x57, 0x41, 0, 0, 1, 2]));
    writeFileSync(path.join(folder, 'odd', 'empty.env'), '');
    mkdirSync(path.join(folder, 'odd', 'folder.env'));
    mkdirSync(path.join(folder, 'odd', '.env'));
    symlinkSync('loop-b.env', path.join(folder, 'odd', 'loop-a.env'));
    symlinkSync('loop-a.env', path.join(folder, 'odd', 'loop-b.env'));
    mkdirSync(path.join(folder, 'lines'));
    const other = clusterPair();
    writeFileSync(path.join(folder, 'lines', 'host.env'), `WASMCLOUD_CLUSTER_SEED=${key.seed}\nWASMCLOUD_CLUSTER_ISSUERS="${key.publicKey},\n${other.publicKey}"\nWASMCLOUD_LATTICE_PREFIX="a\nb"\n`);
  });

  after(() => rmSync(folder, { recursive: true, force: true }));

  it('exits 0 on clean host files', () => {
    const result = runLint([path.join(folder, 'clean')]);
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /0 errors, 0 warnings in 1 file\./);
  });

  it('exits 1 and prints positions for errors', () => {
    const result = runLint(['broken/host.env'], folder);
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stdout, /^broken\/host\.env:2:20: error port-invalid: WASMCLOUD_RPC_PORT '70000' is outside 1–65535/m);
  });

  it('prints JSON with 1-based positions', () => {
    const result = runLint(['--format', 'json', 'broken'], folder);
    assert.equal(result.status, 1, result.stderr);
    const findings = JSON.parse(result.stdout) as Finding[];
    assert.deepEqual(findings, [
      {
        file: path.join('broken', 'host.env'),
        line: 2,
        column: 20,
        endLine: 2,
        endColumn: 25,
        severity: 'error',
        code: 'port-invalid',
        message: "WASMCLOUD_RPC_PORT '70000' is outside 1–65535. Set a port from 1 to 65535, such as 4222.",
      },
    ]);
  });

  it('runs workspace rules across files', () => {
    const result = runLint(['--format=json', path.join(folder, 'pair')]);
    assert.equal(result.status, 1);
    const findings = JSON.parse(result.stdout) as Finding[];
    assert.deepEqual(findings.map((finding) => [path.basename(finding.file), finding.code, finding.line]).sort(), [
      ['a.env', 'lattice-prefix-mismatch', 1],
      ['b.env', 'lattice-prefix-mismatch', 1],
    ]);
  });

  it('host version changes the rules', () => {
    const result = runLint(['--host-version', '1.x', '--format', 'json', path.join(folder, 'clean', '.env')]);
    const codes = (JSON.parse(result.stdout) as Finding[]).map((finding) => finding.code);
    assert.ok(codes.includes('variable-renamed'), codes.join());
    assert.ok(codes.includes('variable-ignored'), codes.join());
  });

  it('reports odd files and lints the rest', () => {
    const result = runLint(['--format', 'json', path.join(folder, 'odd'), path.join(folder, 'missing.env')]);
    assert.equal(result.status, 2, 'unreadable paths mean exit 2');
    assert.match(result.stderr, /binary\.env is a binary file/);
    assert.match(result.stderr, /empty\.env is empty/);
    assert.match(result.stderr, /loop-a\.env cannot be read: ELOOP/);
    assert.match(result.stderr, /missing\.env cannot be read: ENOENT/);
    const findings = JSON.parse(result.stdout) as Finding[];
    assert.deepEqual(
      findings.map((finding) => [path.basename(finding.file), finding.code]),
      [['good.env', 'port-invalid']],
    );
  });

  it('prints one line per finding', () => {
    const result = runLint(['lines'], folder);
    assert.equal(result.status, 1, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    assert.deepEqual(
      lines.map((line) => /^lines\/host\.env:\d+:\d+: (error|warning|info) [a-z-]+: /.test(line) || /^\d+ errors?, \d+ warnings? in 1 file\.$/.test(line)),
      lines.map(() => true),
      result.stdout,
    );
    assert.match(result.stdout, /issuers-whitespace: WASMCLOUD_CLUSTER_ISSUERS is written over several lines/);
  });

  it('names a folder given as a file', () => {
    const result = runLint([path.join(folder, 'odd', '.env')]);
    assert.equal(result.status, 0);
    assert.match(result.stderr, /no host \.env files found/);
  });

  it('rejects unknown options with exit 2', () => {
    const result = runLint(['--format', 'xml']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--format must be text or json/);
    assert.equal(runLint(['--bogus']).status, 2);
    assert.equal(runLint(['--host-version', '2.x']).status, 2);
  });
});
