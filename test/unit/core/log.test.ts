import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCluster, createUser } from '@nats-io/nkeys';
import { describeError, redactSecrets } from '../../../src/core/log';

const decoder = new TextDecoder();

describe('redactSecrets', () => {
  it('removes a cluster seed', () => {
    const seed = decoder.decode(createCluster().getSeed());
    const text = redactSecrets(`bad seed ${seed} in host.env`);
    assert.ok(!text.includes(seed));
    assert.equal(text, 'bad seed [redacted] in host.env');
  });

  it('keeps public keys readable', () => {
    const publicKey = createCluster().getPublicKey();
    assert.equal(redactSecrets(`issuer ${publicKey}`), `issuer ${publicKey}`);
  });

  it('removes a creds file block', () => {
    const seed = decoder.decode(createUser().getSeed());
    const creds = `-----BEGIN USER NKEY SEED-----\n${seed}\n------END USER NKEY SEED------`;
    const text = redactSecrets(creds);
    assert.ok(!text.includes(seed));
  });

  it('removes a JWT', () => {
    const jwt = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ.eyJzdWIiOiJVQSJ9.c2lnbmF0dXJl';
    assert.equal(redactSecrets(`jwt ${jwt}`), 'jwt [redacted]');
  });

  it('removes a password in a URL', () => {
    assert.equal(redactSecrets('nats://alice:s3cret@127.0.0.1:4222'), 'nats://alice:[redacted]@127.0.0.1:4222');
  });

  it('removes assigned passwords and tokens', () => {
    assert.equal(redactSecrets('token=abc123 password: "hunter2"'), 'token=[redacted] password: "[redacted]"');
  });
});

describe('describeError', () => {
  it('adds the error code', () => {
    const error = Object.assign(new Error('connect failed'), { code: 'ECONNREFUSED' });
    assert.equal(describeError(error), 'connect failed (ECONNREFUSED)');
  });

  it('formats a thrown string', () => {
    assert.equal(describeError('plain'), 'plain');
  });
});
