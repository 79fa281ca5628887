import { fromSeed } from '@nats-io/nkeys';
import { parse } from 'dotenv';
import { lintText, type LintOptions } from '../../../../src/core/rules/lint';
import type { LintDiagnostic } from '../../../../src/core/rules/types';
import { WorkspaceIndex } from '../../../../src/core/rules/workspace';

const encoder = new TextEncoder();

/** Returns the variables a host would load from a file, read by the `dotenv` package. */
export function loadEnv(text: string): Record<string, string> {
  return parse(text);
}

/** Returns the public key of a seed, derived by `@nats-io/nkeys`. */
export function publicKeyOf(seed: string): string {
  return fromSeed(encoder.encode(seed)).getPublicKey();
}

/** Lints every file alone and across the workspace, and returns the errors and warnings as "path: code: message". */
export function errorsAndWarnings(files: Record<string, string>, options: LintOptions = {}): string[] {
  const workspace = new WorkspaceIndex();
  const found: string[] = [];
  const keep = (path: string, diagnostics: readonly LintDiagnostic[]): void => {
    for (const diagnostic of diagnostics) {
      if (diagnostic.severity === 'error' || diagnostic.severity === 'warning') {
        found.push(`${path}: ${diagnostic.code}: ${diagnostic.message}`);
      }
    }
  };
  for (const [path, text] of Object.entries(files)) {
    const result = lintText(text, options);
    keep(path, result.diagnostics);
    workspace.update(path, result);
  }
  for (const path of Object.keys(files)) {
    keep(path, workspace.diagnostics(path));
  }
  return found;
}

/**
 * Returns "rejecter → signer" for every pair of hosts where one host's
 * issuers (as dotenv loads them, split on ',') lack the public key of the
 * other's cluster seed (derived by nkeys). A host without issuers accepts
 * only its own key.
 */
export function rejectedPairs(files: Record<string, string>): string[] {
  const hosts = Object.entries(files).map(([path, text]) => {
    const env = loadEnv(text);
    const seed = env.WASMCLOUD_CLUSTER_SEED;
    const signs = seed === undefined ? undefined : publicKeyOf(seed);
    const issuers = env.WASMCLOUD_CLUSTER_ISSUERS;
    let accepts: string[] = [];
    if (issuers !== undefined) {
      accepts = issuers.split(',');
    } else if (signs !== undefined) {
      accepts = [signs];
    }
    return { path, signs, accepts };
  });
  const pairs: string[] = [];
  for (const rejecter of hosts) {
    for (const signer of hosts) {
      if (signer.signs !== undefined && !rejecter.accepts.includes(signer.signs)) {
        pairs.push(`${rejecter.path} → ${signer.path}`);
      }
    }
  }
  return pairs;
}
