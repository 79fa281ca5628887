/**
 * Checks on the NATS credentials a provisioning request names, shared by the
 * command's input boxes, the CLI and the planner.
 */
import { inspectKey } from '../keys/inspect';
import { credsProblem } from '../rules/environment';
import { checkUserJwt } from '../rules/jwt';

// The blocks `nsc generate creds` writes; the END lines have six dashes.
const JWT_BLOCK = /-----BEGIN NATS USER JWT-----\r?\n(.*)\r?\n------END NATS USER JWT------/;
const SEED_BLOCK = /-----BEGIN USER NKEY SEED-----\r?\n(.*)\r?\n------END USER NKEY SEED------/;

/**
 * Reads the user JWT and seed out of a creds file's text, for hosts that read
 * no creds files (OTP and 0.8x). Returns an error message that never quotes
 * the seed when the file is not a usable creds file.
 */
export function readCredsText(text: string, now = Date.now()): { jwt: string; seed: string } | { error: string } {
  const problem = credsProblem(text, now);
  if (problem !== undefined) {
    return { error: `It is not a usable NATS creds file: ${problem}` };
  }
  const jwt = JWT_BLOCK.exec(text)?.[1].trim();
  const seed = SEED_BLOCK.exec(text)?.[1].trim();
  if (jwt === undefined || seed === undefined) {
    return { error: 'It has no user JWT block and user seed block. Export the creds again with nsc.' };
  }
  return { jwt, seed };
}

/** Returns an error message for a value that is not a usable NATS user JWT, or undefined. */
export function validateUserJwt(jwt: string, now = Date.now()): string | undefined {
  const check = checkUserJwt(jwt.trim(), now);
  return check.ok ? undefined : check.reason;
}

/**
 * Returns an error message when `seed` is not a user seed (SU…) or does not
 * belong to `jwt`, or undefined when the pair is usable. Never quotes the seed.
 */
export function validateUserSeed(seed: string, jwt: string | undefined, now = Date.now()): string | undefined {
  const inspection = inspectKey(seed.trim(), { type: 'seed', kind: 'user' });
  if (!inspection.valid) {
    return `It is not a NATS user seed (SU…). ${inspection.reason ?? ''}`.trim();
  }
  if (jwt === undefined) {
    return undefined;
  }
  const check = checkUserJwt(jwt.trim(), now);
  if (check.ok && check.jwt.subject !== inspection.publicKey) {
    return `The seed belongs to ${inspection.publicKey ?? 'another user'}, but the JWT was issued to ${check.jwt.subject}. Enter the seed of the same NATS user.`;
  }
  return undefined;
}
