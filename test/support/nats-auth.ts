/**
 * Credentials for NATS auth tests: operator-mode JWTs signed with
 * `@nats-io/nkeys`, creds files in the layout `nsc` writes, and a TLS CA
 * with server and client certificates made by `openssl`.
 */
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { createAccount, createOperator, createUser, type KeyPair } from '@nats-io/nkeys';
import { recordSecret } from './secret-capture';

function base64url(value: string | object): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

/** Encodes and signs a NATS v2 JWT (`alg: ed25519-nkey`) for `subject` with `issuer`. */
export function signJwt(issuer: KeyPair, subject: string, name: string, nats: Record<string, unknown>): string {
  const header = base64url({ typ: 'JWT', alg: 'ed25519-nkey' });
  const claims = base64url({
    // nats-server does not check jti against the claims hash, so a random id does.
    jti: randomBytes(16).toString('hex').toUpperCase(),
    iat: Math.floor(Date.now() / 1000),
    iss: issuer.getPublicKey(),
    name,
    sub: subject,
    nats: { ...nats, version: 2 },
  });
  const signature = Buffer.from(issuer.sign(new TextEncoder().encode(`${header}.${claims}`))).toString('base64url');
  return `${header}.${claims}.${signature}`;
}

const UNLIMITED = { subs: -1, data: -1, payload: -1, imports: -1, exports: -1, wildcards: true, conn: -1, leaf: -1 };

export interface OperatorSetup {
  /** Server config text: operator, system account and a memory resolver with both accounts. */
  serverConfig: string;
  userJwt: string;
  userSeed: string;
  /** A second user whose JWT is signed by an account the server does not know. */
  strangerJwt: string;
  strangerSeed: string;
}

/** Builds an operator with a JetStream-enabled account and one user, for creds-file tests. */
export function operatorSetup(): OperatorSetup {
  const operator = createOperator();
  const account = createAccount();
  const system = createAccount();
  const user = createUser();
  const strangerAccount = createAccount();
  const stranger = createUser();

  const operatorJwt = signJwt(operator, operator.getPublicKey(), 'test-operator', { type: 'operator' });
  const accountJwt = signJwt(operator, account.getPublicKey(), 'lattice', {
    type: 'account',
    limits: { ...UNLIMITED, mem_storage: -1, disk_storage: -1, streams: -1, consumer: -1 },
  });
  const systemJwt = signJwt(operator, system.getPublicKey(), 'SYS', { type: 'account', limits: UNLIMITED });
  const userJwt = signJwt(account, user.getPublicKey(), 'lattice-user', { type: 'user', pub: {}, sub: {}, subs: -1, data: -1, payload: -1 });
  const strangerJwt = signJwt(strangerAccount, stranger.getPublicKey(), 'stranger', { type: 'user', pub: {}, sub: {}, subs: -1, data: -1, payload: -1 });

  const serverConfig = [
    `operator: ${JSON.stringify(operatorJwt)}`,
    `system_account: ${system.getPublicKey()}`,
    'resolver: MEMORY',
    'resolver_preload: {',
    `  ${account.getPublicKey()}: ${JSON.stringify(accountJwt)}`,
    `  ${system.getPublicKey()}: ${JSON.stringify(systemJwt)}`,
    '}',
  ].join('\n');
  const decoder = new TextDecoder();
  return {
    serverConfig,
    userJwt,
    userSeed: decoder.decode(user.getSeed()),
    strangerJwt,
    strangerSeed: decoder.decode(stranger.getSeed()),
  };
}

/** Builds the text of a creds file as `nsc generate creds` writes it, with `eol` line ends. */
export function credsFileText(jwt: string, seed: string, eol = '\n'): string {
  recordSecret('jwt', jwt);
  return [
    '-----BEGIN NATS USER JWT-----',
    jwt,
    '------END NATS USER JWT------',
    '',
    '************************* IMPORTANT *************************',
    'NKEY Seed printed below can be used to sign and prove identity.',
    'NKEYs are sensitive and should be treated as secrets.',
    '',
    '-----BEGIN USER NKEY SEED-----',
    seed,
    '------END USER NKEY SEED------',
    '',
    '*************************************************************',
    '',
  ].join(eol);
}

export interface TlsFiles {
  caFile: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A CA that signed nothing here, for "untrusted server" tests. */
  otherCaFile: string;
}

function openssl(args: string[], cwd: string): void {
  const result = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`openssl ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  }
}

/** Creates a CA, a server certificate for 127.0.0.1 and localhost, and a client certificate, in `dir`. */
export function makeTlsFiles(dir: string): TlsFiles {
  const file = (name: string): string => path.join(dir, name);
  const makeCa = (name: string): void => {
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.pem`], dir);
  };
  makeCa('ca');
  makeCa('other-ca');

  writeFileSync(file('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  writeFileSync(file('client.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const [name, ext] of [
    ['server', 'server.ext'],
    ['client', 'client.ext'],
  ]) {
    openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.csr`], dir);
    openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', ext, '-out', `${name}.pem`], dir);
  }
  return {
    caFile: file('ca.pem'),
    serverCert: file('server.pem'),
    serverKey: file('server.key'),
    clientCert: file('client.pem'),
    clientKey: file('client.key'),
    otherCaFile: file('other-ca.pem'),
  };
}
