import { entriesToRecord, parseDotenv } from '../dotenv/index';

/** Host variables that name the lattice: OTP and 0.8x hosts read the prefix, 1.x hosts the lattice. */
export const LATTICE_VARIABLES = ['WASMCLOUD_LATTICE_PREFIX', 'WASMCLOUD_LATTICE'] as const;

// Stream and subject names cannot hold these, so a value with them names no cache.
const INVALID_LATTICE_CHARACTERS = /[\s.*>/\\]/;

/**
 * Returns the lattice names a host `.env` text sets, in variable order and
 * without duplicates: the value dotenv would load for each variable of
 * `LATTICE_VARIABLES`, trimmed. Values that cannot be part of a stream name
 * are left out.
 */
export function latticeNamesInEnv(text: string): string[] {
  const values = entriesToRecord(parseDotenv(text).entries);
  const names: string[] = [];
  for (const variable of LATTICE_VARIABLES) {
    const value = values.get(variable)?.trim();
    if (value !== undefined && value !== '' && !INVALID_LATTICE_CHARACTERS.test(value) && !names.includes(value)) {
      names.push(value);
    }
  }
  return names;
}
