import type { DotenvEntry } from '../dotenv/index';
import { quoteValue, report, type RuleContext } from './context';
import { findHostVariable, type VariableType } from './variables';

// `$NAME` or `${…}` as Docker Compose reads them: a name of letters, digits
// and '_' that does not start with a digit, or a braced expression.
const VARIABLE_REFERENCE = /\$(?:\{|[A-Za-z_])/;

/**
 * Checks whether a value refers to another variable as `${NAME}`,
 * `${NAME:-default}` or `$NAME`. dotenv 18 returns such text unchanged, but Docker Compose
 * expands it in unquoted and double-quoted values of an env file, and
 * dotenv-expand does too. Single-quoted values and `$$` stay literal in
 * Compose, so they do not count.
 */
export function usesSubstitution(entry: Pick<DotenvEntry, 'value' | 'quote'>): boolean {
  const value = entry.value;
  if (entry.quote === "'" || value.indexOf('$') < 0) {
    return false;
  }
  return VARIABLE_REFERENCE.test(value.includes('$$') ? value.replace(/\$\$/g, '') : value);
}

/** Variable types whose values the rules check; a substituted value of another type is not checked anyway. */
const CHECKED_TYPES = new Set<VariableType>(['cluster-seed', 'cluster-issuers', 'server-seed', 'user-seed', 'jwt', 'creds-file', 'lattice', 'port', 'duration', 'boolean']);

/** Returns the keys whose values use substitution, so that the value rules can skip them. */
export function findSubstitutions(effective: ReadonlyMap<string, DotenvEntry>): Set<string> {
  const keys = new Set<string>();
  for (const entry of effective.values()) {
    if (usesSubstitution(entry)) {
      keys.add(entry.key);
    }
  }
  return keys;
}

/** Reports each substituted variable whose value a rule would otherwise check. */
export function reportSubstitutions(context: RuleContext): void {
  for (const key of context.substituted) {
    const entry = context.effective.get(key) as DotenvEntry;
    const variable = findHostVariable(key);
    if (variable === undefined || !CHECKED_TYPES.has(variable.type)) {
      continue;
    }
    report(
      context,
      'value-substituted',
      entry.valueRange,
      `${key} is set to ${quoteValue(entry.value)}, which refers to another variable. dotenv returns this text unchanged, while Docker Compose expands it when it loads the file, so the value is not checked here. Make sure the tool that starts the host expands it.`,
      { key },
    );
  }
}
