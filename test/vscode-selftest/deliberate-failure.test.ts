import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

// The runner's --self-test expects exactly one pass and one failure here.
suite('Harness self-test', () => {
  test('passing test is counted', () => {
    assert.equal(typeof vscode.version, 'string');
  });

  test('deliberately failing test', () => {
    assert.equal(1 + 1, 3, 'this failure is expected by the self-test');
  });
});
