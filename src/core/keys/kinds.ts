/**
 * The nkey kinds that `wash keys gen` generates. NATS defines account, cluster,
 * operator, server, user and curve. wasmCloud adds module and service, which
 * `@nats-io/nkeys` does not know.
 */
export type KeyKind = 'account' | 'cluster' | 'module' | 'operator' | 'server' | 'service' | 'user' | 'curve';

export interface KeyKindInfo {
  kind: KeyKind;
  /** First character of a public key of this kind, such as `C`. */
  publicPrefix: string;
  /** First two characters of a seed of this kind, such as `SC`. */
  seedPrefix: string;
  /** Other names that `wash keys gen` accepts for this kind. */
  aliases: readonly string[];
  /** Use of keys of this kind, as one short sentence. */
  description: string;
  /** Version byte in front of the 32 key bytes of a public key. Its top five bits are the public prefix letter. */
  prefixByte: number;
  /** Whether `@nats-io/nkeys` creates and decodes keys of this kind. */
  nkeysKind: boolean;
}

/** Length of an encoded public key: base32 of 1 prefix byte, 32 key bytes and a 2-byte CRC16. */
export const PUBLIC_KEY_LENGTH = 56;

/** Length of an encoded seed: base32 of 2 prefix bytes, 32 seed bytes and a 2-byte CRC16. */
export const SEED_LENGTH = 58;

/** Version byte of every seed. It encodes to the leading `S`. */
export const SEED_PREFIX_BYTE = 18 << 3;

export const KEY_KINDS: readonly KeyKindInfo[] = [
  {
    kind: 'account',
    publicPrefix: 'A',
    seedPrefix: 'SA',
    aliases: [],
    description: 'NATS account: signs user JWTs and issues component and provider claims.',
    prefixByte: 0,
    nkeysKind: true,
  },
  {
    kind: 'cluster',
    publicPrefix: 'C',
    seedPrefix: 'SC',
    aliases: [],
    description: 'Signs invocations between the hosts of a lattice.',
    prefixByte: 2 << 3,
    nkeysKind: true,
  },
  {
    kind: 'module',
    publicPrefix: 'M',
    seedPrefix: 'SM',
    aliases: ['component'],
    description: 'Identity of a WebAssembly component (actor), the subject of its signed claims.',
    prefixByte: 12 << 3,
    nkeysKind: false,
  },
  {
    kind: 'operator',
    publicPrefix: 'O',
    seedPrefix: 'SO',
    aliases: [],
    description: 'NATS operator: signs account JWTs.',
    prefixByte: 14 << 3,
    nkeysKind: true,
  },
  {
    kind: 'server',
    publicPrefix: 'N',
    seedPrefix: 'SN',
    aliases: ['host'],
    description: 'Identity of a wasmCloud host or a NATS server.',
    prefixByte: 13 << 3,
    nkeysKind: true,
  },
  {
    kind: 'service',
    publicPrefix: 'V',
    seedPrefix: 'SV',
    aliases: ['provider'],
    description: 'Identity of a capability provider, the subject of its signed claims.',
    prefixByte: 21 << 3,
    nkeysKind: false,
  },
  {
    kind: 'user',
    publicPrefix: 'U',
    seedPrefix: 'SU',
    aliases: [],
    description: 'NATS user: authenticates a client connection.',
    prefixByte: 20 << 3,
    nkeysKind: true,
  },
  {
    kind: 'curve',
    publicPrefix: 'X',
    seedPrefix: 'SX',
    aliases: ['x25519'],
    description: 'x25519 key that encrypts payloads, such as secrets sent to hosts. It cannot sign.',
    prefixByte: 23 << 3,
    nkeysKind: true,
  },
];

const BY_KIND = new Map<KeyKind, KeyKindInfo>(KEY_KINDS.map((info) => [info.kind, info]));

const BY_NAME = new Map<string, KeyKind>();
for (const info of KEY_KINDS) {
  BY_NAME.set(info.kind, info.kind);
  for (const alias of info.aliases) {
    BY_NAME.set(alias, info.kind);
  }
}

// Indexed by the prefix byte's top five bits, which is also the base32 value of the prefix letter.
const BY_PREFIX_VALUE: readonly (KeyKindInfo | undefined)[] = Array.from({ length: 32 }, (_, value) =>
  KEY_KINDS.find((info) => info.prefixByte === value << 3),
);

export function keyKindInfo(kind: KeyKind): KeyKindInfo {
  const info = BY_KIND.get(kind);
  if (info === undefined) {
    throw new Error(`Unknown key kind '${String(kind)}'.`);
  }
  return info;
}

/** Finds a kind by its name or a `wash` alias, ignoring case and surrounding spaces. */
export function findKeyKind(nameOrAlias: string): KeyKind | undefined {
  return BY_NAME.get(nameOrAlias.trim().toLowerCase());
}

/** Finds the kind whose public prefix letter has the base32 value `value` (0–31). */
export function keyKindByPrefixValue(value: number): KeyKindInfo | undefined {
  return BY_PREFIX_VALUE[value];
}

/** Finds the kind whose public keys start with `letter`, such as `C`. */
export function keyKindByPrefixLetter(letter: string): KeyKindInfo | undefined {
  return KEY_KINDS.find((info) => info.publicPrefix === letter);
}

/** Returns every kind name and alias, in the order of `KEY_KINDS`, for help texts and error messages. */
export function keyKindNames(): string[] {
  return KEY_KINDS.flatMap((info) => [info.kind, ...info.aliases]);
}
