/**
 * Linting must stay linear in the size of the file. Hostile shapes (one
 * megabyte on one line, 100,000 quote characters, ten megabytes of one kind
 * of line) must lint within a fixed multiple of the time that a plain host
 * file of the same size takes. Times are compared as a ratio on the same machine in
 * the same process, never against a wall-clock limit.
 *
 * A run lints the text (`lintText`) and indexes the result for the
 * cross-file rules (`WorkspaceIndex`), as the editor does for an open file.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintText } from '../../../src/core/rules/lint';
import { WorkspaceIndex } from '../../../src/core/rules/workspace';

/**
 * Allowed ratio of a hostile text's lint time to a plain text's. Per-line
 * costs differ by up to about 7 times between shapes (100,000 one-quote
 * lines against ordinary host lines), while anything quadratic on these
 * sizes is thousands of times slower, so 20 separates the two with room for
 * timer noise.
 */
const MAX_RATIO = 20;
const MB = 1024 * 1024;
const ISSUER = 'CB5HEQNC5OP5BVUFKX67JENK3A4WIQSWEWY4NG3CRFUS4UHQVJU43JWW';

const PLAIN_LINES = [
  'WASMCLOUD_LATTICE_PREFIX=default',
  `WASMCLOUD_CLUSTER_ISSUERS=${ISSUER}`,
  'WASMCLOUD_RPC_HOST=nats.internal',
  'WASMCLOUD_RPC_PORT=4222',
  'WASMCLOUD_CTL_HOST=nats.internal',
  'WASMCLOUD_CTL_PORT=4222',
  'WASMCLOUD_RPC_TIMEOUT_MS=2000',
  '# a comment line between variables',
];

/** Ordinary host file lines, repeated to exactly `size` characters. */
function plainText(size: number): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < size; i++) {
    const line = `${PLAIN_LINES[i % PLAIN_LINES.length]}\n`;
    parts.push(line);
    length += line.length;
  }
  return parts.join('').slice(0, size);
}

/** Repeats `line` until the text has at least `size` characters. */
function repeatTo(line: string, size: number): string {
  return line.repeat(Math.ceil(size / line.length));
}

function lintOnce(text: string): void {
  const result = lintText(text, { now: 1_750_000_000_000 });
  const index = new WorkspaceIndex();
  index.update('/hosts/a.env', result);
  index.diagnostics('/hosts/a.env');
}

function timeMs(text: string): number {
  const started = process.hrtime.bigint();
  lintOnce(text);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/**
 * Times `runs` lints of each text, alternating between them so both see the
 * same load on the machine, and returns the fastest of each: other processes
 * can only add time, so the minimum is the closest to the cost of the lint.
 */
function fastestOf(hostile: string, plain: string, runs: number): { hostile: number; plain: number } {
  lintOnce(plain);
  lintOnce(hostile);
  let fastestHostile = Infinity;
  let fastestPlain = Infinity;
  for (let i = 0; i < runs; i++) {
    fastestPlain = Math.min(fastestPlain, timeMs(plain));
    fastestHostile = Math.min(fastestHostile, timeMs(hostile));
  }
  return { hostile: fastestHostile, plain: Math.max(fastestPlain, 0.05) };
}

/** Lints `text` and a plain text of the same size, and checks the ratio of their times. */
function assertLinear(text: string): void {
  const plain = plainText(text.length);

  // A text ten times over the limit on one run is timed only twice more, so a slow case fails in seconds.
  const once = fastestOf(text, plain, 1);
  let times = once.hostile / once.plain > MAX_RATIO * 10 ? fastestOf(text, plain, 2) : fastestOf(text, plain, 5);
  if (times.hostile / times.plain > MAX_RATIO) {
    // A second, longer measurement before failing, because a busy machine can slow single runs.
    times = fastestOf(text, plain, 9);
  }

  const ratio = times.hostile / times.plain;
  assert.ok(
    ratio <= MAX_RATIO,
    `linting ${text.length} characters took ${times.hostile.toFixed(1)} ms, ${ratio.toFixed(1)} times the ${times.plain.toFixed(1)} ms of a plain host file of the same size (limit ${MAX_RATIO} times)`,
  );
}

describe('lint time stays linear', () => {
  describe('1 MB on one line', () => {
    it('plain value', () => assertLinear(`WASMCLOUD_LATTICE=${'a'.repeat(MB)}`));
    it('issuers list', () => assertLinear(`WASMCLOUD_CLUSTER_ISSUERS=${repeatTo(`${ISSUER}, `, MB)}`));
    it('seed-shaped run', () => assertLinear(`WASMCLOUD_CLUSTER_SEED=${'S'.repeat(MB)}`));
    it('variable name', () => assertLinear(`WASMCLOUD_${'A'.repeat(MB)}=x`));
    it('equals signs', () => assertLinear('='.repeat(MB)));
    it('comment', () => assertLinear(`#${'x'.repeat(MB)}`));
    it('unclosed quote', () => assertLinear(`WASMCLOUD_LATTICE="${'x'.repeat(MB)}`));
    it('backslashes and quotes', () => assertLinear(`WASMCLOUD_RPC_CREDS="${repeatTo('\\"x', MB)}`));
  });

  describe('100,000 quote characters', () => {
    it('one value of quotes', () => assertLinear(`WASMCLOUD_LATTICE=${'"'.repeat(100_000)}`));
    it('one open quote per line', () => assertLinear('A="\n'.repeat(100_000)));
    it('escaped quotes', () => assertLinear(`A="${'\\"'.repeat(100_000)} x`));
    it('quotes of every kind', () => assertLinear(`A=${'\'"`'.repeat(33_334)}`));
    it('quoted values closing lines later', () => assertLinear("A='x\nB=y\n".repeat(50_000)));
  });

  describe('10 MB file', () => {
    it('repeated host file', () => assertLinear(plainText(10 * MB).replace(/RPC_PORT=4222/g, 'RPC_PORT=99999')));
    it('distinct unknown variables', () => {
      const lines: string[] = [];
      for (let i = 0, length = 0; length < 10 * MB; i++) {
        const line = `WASMCLOUD_UNKNOWN_SETTING_${i}=value`;
        lines.push(line);
        length += line.length + 1;
      }
      assertLinear(lines.join('\n'));
    });
    it('lines dotenv ignores', () => assertLinear(repeatTo('this line has no equals sign\n', 10 * MB)));
    it('disable comments', () => assertLinear(repeatTo('# wasmcloud-lattice-disable-next-line\nWASMCLOUD_LATTICE=a.b\n', 10 * MB)));
    it('CRLF line ends', () => assertLinear(plainText(10 * MB).replace(/\n/g, '\r\n')));
    it('multi-line quoted values', () => assertLinear(repeatTo('WASMCLOUD_RPC_JWT="a\nb\nWASMCLOUD_CTL_SEED=x"\n', 10 * MB)));
  });
});
