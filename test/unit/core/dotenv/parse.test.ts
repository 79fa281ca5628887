import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCluster, createServer } from '@nats-io/nkeys';
import dotenv from 'dotenv';
import { entriesToRecord, parseDotenv } from '../../../../src/core/dotenv/index';

/** Values as dotenv returns them, the reference for every case below. */
function reference(text: string): Map<string, string> {
  return new Map(Object.entries(dotenv.parse(text)));
}

function values(text: string): Map<string, string> {
  return entriesToRecord(parseDotenv(text).entries);
}

describe('parseDotenv values', () => {
  const cases: [string, string][] = [
    ['plain', 'A=1\nB=two words\n'],
    ['export prefix', 'export A=1\nexport  B = 2'],
    ['spaces around equals', 'A = 1\nB=   x   \n'],
    ['single quotes', "A='x # not a comment'"],
    ['double quotes with escapes', 'A="line\\nnext\\rend"\nB=\'no\\nescape\''],
    ['backticks', 'A=`it\'s "quoted"`'],
    ['multi-line quoted', 'A="one\ntwo"\nB=3'],
    ['inline comment', 'A=value # comment\nB="quoted" # comment'],
    ['CRLF', 'A=1\r\nB="x\r\ny"\r\n'],
    ['lone CR', 'A=1\rB=2\r'],
    ['BOM', '\ufeffA=1'],
    ['duplicate keys', 'A=1\nA=2'],
    ['colon separator', 'A: value\nB:no'],
    ['key then equals on next line', 'A\n=1'],
    ['value on next line', "A=\n'x'"],
    ['unterminated quote', "A='abc\nB=2"],
    ['escaped closing quote', "A='it\\'s'"],
    ['quote followed by text', "A='a' b"],
    ['empty values', 'A=\nB=""\nC=# comment'],
    ['dots and dashes in keys', 'a.b-c=1'],
    ['line separator', 'A=1\u2028B=2'],
    ['hash without space', 'A=a#b'],
    ['export as key', 'export=1'],
  ];
  for (const [name, text] of cases) {
    it(name, () => {
      assert.deepEqual(values(text), reference(text));
    });
  }
});

describe('parseDotenv ranges', () => {
  it('key and value ranges of a plain line', () => {
    const [entry] = parseDotenv('\n  KEY = value # c\n').entries;
    assert.deepEqual(
      [entry.keyRange.startLine, entry.keyRange.startColumn, entry.keyRange.endColumn],
      [1, 2, 5],
    );
    assert.deepEqual([entry.valueRange.startLine, entry.valueRange.startColumn, entry.valueRange.endColumn], [1, 8, 13]);
    assert.equal(entry.verbatim, true);
    assert.equal(entry.quote, '');
  });

  it('quoted value range excludes quotes', () => {
    const text = 'A="abc"';
    const [entry] = parseDotenv(text).entries;
    assert.equal(text.slice(entry.valueRange.start, entry.valueRange.end), 'abc');
    assert.equal(entry.quote, '"');
  });

  it('CRLF lines count once', () => {
    const entries = parseDotenv('A=1\r\nB=2\r\nC=3').entries;
    assert.deepEqual(
      entries.map((entry) => entry.keyRange.startLine),
      [0, 1, 2],
    );
  });

  it('escapes make a value not verbatim', () => {
    const [entry] = parseDotenv('A="x\\ny"').entries;
    assert.equal(entry.value, 'x\ny');
    assert.equal(entry.verbatim, false);
  });

  it('empty value range is after equals', () => {
    const [entry] = parseDotenv('A=').entries;
    assert.deepEqual([entry.valueRange.start, entry.valueRange.end], [2, 2]);
  });
});

describe('parseDotenv problems', () => {
  it('reports an unterminated quote', () => {
    const { problems } = parseDotenv("A='abc\nB=2");
    assert.equal(problems.length, 1);
    assert.equal(problems[0].code, 'unterminated-quote');
    assert.equal(problems[0].key, 'A');
    assert.equal(problems[0].range.startLine, 0);
  });

  it('reports a quote that swallows assignments', () => {
    const { problems } = parseDotenv('A="abc\nWASMCLOUD_RPC_HOST=x\nB="');
    assert.deepEqual(
      problems.map((problem) => problem.code),
      ['unterminated-quote'],
    );
    assert.match(problems[0].message, /WASMCLOUD_RPC_HOST/);
  });

  it('reports a line without equals', () => {
    const { problems } = parseDotenv('A=1\nJUST_A_NAME\n# comment\n');
    assert.equal(problems.length, 1);
    assert.equal(problems[0].code, 'line-invalid');
    assert.equal(problems[0].range.startLine, 1);
    assert.match(problems[0].message, /no '='/);
  });

  it('reports an invalid name', () => {
    const { problems } = parseDotenv('MY VAR=1');
    assert.equal(problems[0].code, 'line-invalid');
    assert.match(problems[0].message, /not a valid name/);
  });

  it('hides a seed in a quoted line', () => {
    const seed = 'SCABNLVRXGEJEG5FBBPMMKMMY37FNKVLDY6YXHVL6WA4IRBEYD6ACIQKV4';
    const { problems } = parseDotenv(`${seed}\n`);
    assert.equal(problems.length, 1);
    assert.ok(!problems[0].message.includes(seed.slice(0, 20)), problems[0].message);
  });

  it('accepts comments and blank lines', () => {
    assert.deepEqual(parseDotenv('# c\n\n   \n\t# d\nA=1').problems, []);
  });
});

describe('parseDotenv line-invalid messages', () => {
  const decoder = new TextDecoder();
  const serverSeed = decoder.decode(createServer().getSeed());
  const clusterSeed = decoder.decode(createCluster().getSeed());

  /** Returns the first piece of `secret`, `length` characters long, that `message` contains, if any. */
  function shownPiece(message: string, secret: string, length = 6): string | undefined {
    for (let start = 0; start + length <= secret.length; start++) {
      if (message.includes(secret.slice(start, start + length))) {
        return secret.slice(start, start + length);
      }
    }
    return undefined;
  }

  function messageOf(line: string): string {
    const { problems } = parseDotenv(`WASMCLOUD_LATTICE=prod\n${line}\n`);
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.equal(problems[0].code, 'line-invalid');
    return problems[0].message;
  }

  it('quotes only the name before a seed', () => {
    const message = messageOf(`WASMCLOUD_HOST_SEED ${serverSeed}`);
    assert.equal(shownPiece(message, serverSeed.slice(2)), undefined, message);
    assert.match(message, /'WASMCLOUD_HOST_SEED'/);
    assert.match(message, /Write it as WASMCLOUD_HOST_SEED=value/);
  });

  it('quotes only the name after export', () => {
    const message = messageOf(`export WASMCLOUD_CLUSTER_SEED ${clusterSeed}`);
    assert.equal(shownPiece(message, clusterSeed.slice(2)), undefined, message);
    assert.match(message, /'WASMCLOUD_CLUSTER_SEED'/);
  });

  it('hides a password after its name', () => {
    const message = messageOf('WASMCLOUD_OCI_REGISTRY_PASSWORD hunter2-supersecret');
    assert.ok(!message.includes('hunter2'), message);
  });

  it('hides a seed after an invalid name', () => {
    const message = messageOf(`WASMCLOUD HOST_SEED=${serverSeed}`);
    assert.equal(shownPiece(message, serverSeed.slice(2)), undefined, message);
    assert.match(message, /'WASMCLOUD HOST_SEED' is not a valid name/);
  });

  it('redacts a seed before shortening the line', () => {
    // The seed starts at character 24, so cutting the line to 40 characters first would leave 16 of its characters.
    const message = messageOf(`{"cluster_seed_value": "${clusterSeed}"}`);
    assert.equal(shownPiece(message, clusterSeed.slice(2)), undefined, message);
  });

  it('hides a bare seed line', () => {
    const message = messageOf(clusterSeed);
    assert.equal(shownPiece(message, clusterSeed.slice(2)), undefined, message);
    assert.match(message, /NAME=value/);
  });
});
