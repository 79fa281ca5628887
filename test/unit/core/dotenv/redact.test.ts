import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCluster, createUser } from '@nats-io/nkeys';
import { quoteForMessage, redactForMessage, shownName } from '../../../../src/core/dotenv/redact';
import { HOST_VARIABLES } from '../../../../src/core/rules/variables';

const decoder = new TextDecoder();
const seed = decoder.decode(createCluster().getSeed());
const userSeed = decoder.decode(createUser().getSeed());

describe('redactForMessage', () => {
  it('hides a seed that the cut would shorten', () => {
    const text = `${'x'.repeat(30)} ${seed}`;
    const shown = redactForMessage(text);
    assert.ok(!shown.includes(seed.slice(0, 8)), shown);
    assert.ok(shown.includes('[redacted]'), shown);
  });

  it('keeps the placeholder whole at the cut', () => {
    const shown = redactForMessage(`${'y'.repeat(35)} ${seed} tail`);
    assert.match(shown, /\[redacted\]…$/);
  });

  it('hides a piece of a seed', () => {
    assert.equal(redactForMessage(`prefix ${userSeed.slice(0, 20)}`), 'prefix [redacted]');
  });

  it('hides a value after a secret name', () => {
    assert.equal(redactForMessage('OCI_PASSWORD hunter2'), 'OCI_PASSWORD [redacted]');
    assert.equal(redactForMessage('token: abc123'), 'token: [redacted]');
  });

  it('escapes line breaks and bidi characters', () => {
    assert.equal(redactForMessage('a\nb\r\tc\u202Ed'), 'a\\nb\\r\\tc\\u202ed');
  });

  it('quotes and shortens plain text', () => {
    assert.equal(quoteForMessage('prod'), "'prod'");
    assert.equal(quoteForMessage('a'.repeat(50)), `'${'a'.repeat(40)}…'`);
  });

  it('leaves every known variable name unchanged', () => {
    for (const variable of HOST_VARIABLES) {
      assert.equal(shownName(variable.name), variable.name);
    }
  });
});
