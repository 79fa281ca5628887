import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import dotenv from 'dotenv';
import { entriesToRecord, parseDotenv } from '../../../../src/core/dotenv/index';

// Pieces chosen to hit every branch of dotenv's expression: quotes of the
// three kinds, escapes, separators, comments, every line end, BOM and the
// Unicode spaces and line separators JavaScript's \s includes.
const PIECES = [
  'A', 'KEY', 'WASMCLOUD_LATTICE', 'export', 'export ', ' ', '  ', '\t', '=', '==', ':', ': ', '#', ' # c', "'", '"', '`',
  '\\', '\\n', '\\r', "\\'", '\\"', '\n', '\r\n', '\r', 'x', 'val', 'a b', '\u2028', '\u2029', '\ufeff', '\u00a0', '\v', '\f',
  '.', '-', '_', 'é', '$', 'B_C=', "='x'", '="y"', '=`z`', '\n\n', '#x\n',
];

/** Mulberry32: a small seeded generator, so a failure can be replayed from its seed. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(random: () => number, maxPieces: number): string {
  const count = 1 + Math.floor(random() * maxPieces);
  let text = '';
  for (let index = 0; index < count; index++) {
    text += PIECES[Math.floor(random() * PIECES.length)];
  }
  return text;
}

/** Line and column of `offset`, with lines ending at LF, CRLF or CR as in VS Code. */
function position(text: string, offset: number): [number, number] {
  const before = text.slice(0, offset);
  const breaks = before.match(/\r\n|\r(?!\n)|\n/g) ?? [];
  const lastBreak = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
  return [breaks.length, offset - (lastBreak + 1)];
}

/** Checks that every range lies inside the text and agrees with its offsets, and that a verbatim value is the text it covers. */
function checkRanges(text: string, label: string): void {
  const { entries, problems } = parseDotenv(text);
  const ranges = [...entries.flatMap((entry) => [entry.keyRange, entry.valueRange]), ...problems.map((problem) => problem.range)];
  for (const range of ranges) {
    assert.ok(range.start >= 0, `${label}: range ${range.start}-${range.end} starts before the text`);
    assert.ok(range.start <= range.end, `${label}: range ${range.start}-${range.end} ends before it starts`);
    assert.ok(range.end <= text.length, `${label}: range ${range.start}-${range.end} ends after the text`);
    assert.deepEqual([range.startLine, range.startColumn], position(text, range.start), `${label}: start of ${range.start}-${range.end}`);
    assert.deepEqual([range.endLine, range.endColumn], position(text, range.end), `${label}: end of ${range.start}-${range.end}`);
  }
  for (const entry of entries) {
    assert.equal(text.slice(entry.keyRange.start, entry.keyRange.end), entry.key, label);
    if (entry.verbatim) {
      assert.equal(text.slice(entry.valueRange.start, entry.valueRange.end), entry.value, label);
    }
  }
}

describe('parseDotenv against dotenv.parse', () => {
  const runs: [string, number, number, number][] = [
    ['short texts', 20260101, 20000, 12],
    ['long texts', 424242, 4000, 60],
  ];
  for (const [name, seed, count, maxPieces] of runs) {
    it(name, () => {
      const random = generator(seed);
      for (let index = 0; index < count; index++) {
        const text = generate(random, maxPieces);
        const expected = dotenv.parse(text);
        const actual = entriesToRecord(parseDotenv(text).entries);
        // dotenv assigns into a plain object, where a key named __proto__ is dropped.
        actual.delete('__proto__');
        assert.deepEqual(actual, new Map(Object.entries(expected)), `generator seed ${seed}, text #${index}: ${JSON.stringify(text)}`);
        checkRanges(text, `generator seed ${seed}, text #${index}`);
      }
    });
  }
});
