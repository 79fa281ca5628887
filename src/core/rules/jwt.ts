import { quoteForMessage } from '../dotenv/redact';
import { inspectKey } from '../keys/inspect';

export interface UserJwt {
  /** Public key of the user (U…) the JWT was issued to. */
  readonly subject: string;
  readonly issuer?: string;
  /** Expiry in seconds since the epoch, when set. */
  readonly expires?: number;
}

export type JwtCheck = { readonly ok: true; readonly jwt: UserJwt } | { readonly ok: false; readonly reason: string };

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Decodes a NATS user JWT far enough to catch what breaks a connection: the
 * shape, the JSON header and claims, the user subject and the expiry. The
 * signature is not verified, because that needs the account's key. Reasons
 * never quote the token.
 */
export function checkUserJwt(text: string, now: number): JwtCheck {
  if (/^S[A-Z2-7]{57}$/.test(text)) {
    return { ok: false, reason: 'It holds a seed, not a JWT. Put the seed in the matching _SEED variable and the user JWT here.' };
  }
  if (text.includes('-----BEGIN')) {
    return { ok: false, reason: 'It holds the text of a creds file. Put only the JWT line here, or point a *_CREDS variable at the file (1.x hosts).' };
  }
  const parts = text.split('.');
  if (parts.length !== 3) {
    return { ok: false, reason: `A JWT has three parts separated by '.', but this value has ${parts.length}. Copy the whole JWT again from nsc or the creds file.` };
  }
  if (!parts.every((part) => BASE64URL.test(part))) {
    return { ok: false, reason: 'A part of the JWT has characters outside base64url (letters, digits, - and _). Copy it again without spaces or line breaks.' };
  }

  const header = decodeJson(parts[0]);
  if (header === undefined || typeof header.alg !== 'string') {
    return { ok: false, reason: 'The JWT header is not valid JSON with an "alg" field. Copy the JWT again.' };
  }
  if (!header.alg.startsWith('ed25519')) {
    return { ok: false, reason: `The JWT is signed with ${quoteForMessage(header.alg)}, but NATS JWTs are signed with ed25519-nkey. Use the user JWT from nsc or the creds file.` };
  }
  const claims = decodeJson(parts[1]);
  if (claims === undefined) {
    return { ok: false, reason: 'The JWT claims are not valid JSON. Copy the JWT again.' };
  }

  const nats = claims.nats as Record<string, unknown> | undefined;
  const type = typeof nats === 'object' && nats !== null ? nats.type : claims.type;
  if (type !== undefined && type !== 'user') {
    return { ok: false, reason: `This is a NATS ${quoteForMessage(String(type))} JWT, but connections authenticate with a user JWT. Use the JWT of a NATS user.` };
  }
  const subject = claims.sub;
  if (typeof subject !== 'string' || !inspectKey(subject, { type: 'public', kind: 'user' }).valid) {
    return { ok: false, reason: 'The JWT subject is not a user public key (U…), so it is not a NATS user JWT. Use the JWT of a NATS user.' };
  }
  const expires = typeof claims.exp === 'number' ? claims.exp : undefined;
  if (expires !== undefined && expires * 1000 <= now) {
    return { ok: false, reason: `The JWT expired on ${new Date(expires * 1000).toISOString().slice(0, 10)}, so the server rejects it. Issue a new user JWT.` };
  }
  const issuer = typeof claims.iss === 'string' ? claims.iss : undefined;
  return { ok: true, jwt: { subject, ...(issuer === undefined ? {} : { issuer }), ...(expires === undefined ? {} : { expires }) } };
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
