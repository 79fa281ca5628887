import { createAccount, createCluster, createOperator, createServer, createUser, type KeyPair } from '@nats-io/nkeys';
import { lintText, type LintOptions } from '../../../../src/core/rules/lint';
import type { LintDiagnostic } from '../../../../src/core/rules/types';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

export interface Pair {
  publicKey: string;
  seed: string;
}

/** A key pair made by @nats-io/nkeys, the reference for every expected key value. */
export function pair(create: () => KeyPair = createCluster): Pair {
  const keyPair = create();
  return { publicKey: keyPair.getPublicKey(), seed: decoder.decode(keyPair.getSeed()) };
}

export const cluster = (): Pair => pair(createCluster);
export const user = (): Pair => pair(createUser);
export const server = (): Pair => pair(createServer);
export const account = (): Pair => pair(createAccount);
export const operator = (): Pair => pair(createOperator);

/** A NATS user JWT for `userKey`, signed by a new account key with @nats-io/nkeys. */
export function userJwt(userKey: string, claims: Record<string, unknown> = {}): string {
  const signer = createAccount();
  const header = Buffer.from(JSON.stringify({ typ: 'JWT', alg: 'ed25519-nkey' })).toString('base64url');
  const body = Buffer.from(
    JSON.stringify({ jti: 'TEST', iat: 1_700_000_000, iss: signer.getPublicKey(), name: 'test', sub: userKey, nats: { type: 'user', version: 2 }, ...claims }),
  ).toString('base64url');
  const signature = Buffer.from(signer.sign(encoder.encode(`${header}.${body}`))).toString('base64url');
  return `${header}.${body}.${signature}`;
}

export function lint(text: string, options: LintOptions = {}): LintDiagnostic[] {
  return lintText(text, options).diagnostics;
}

export function codes(text: string, options: LintOptions = {}): string[] {
  return lint(text, options).map((diagnostic) => diagnostic.code);
}
