import type { SourceRange } from '../dotenv/lines';
import type { KeyKind } from '../keys/kinds';
import type { RuleCode, Severity } from './codes';

/** One text replacement. `file` is set when the edit is in another file than the diagnostic's. */
export interface LintEdit {
  readonly file?: string;
  readonly range: SourceRange;
  /**
   * Replacement text. When the fix has `generateKey`, the placeholders
   * `{{seed}}` and `{{publicKey}}` stand for the new key pair.
   */
  readonly newText: string;
}

export interface LintFix {
  /** Quick-fix title, such as "Add this seed's public key to WASMCLOUD_CLUSTER_ISSUERS". */
  readonly title: string;
  /** Whether this is the obvious fix, which editors offer first and apply on "auto fix". */
  readonly preferred: boolean;
  readonly edits: readonly LintEdit[];
  /** A new key pair of this kind fills the placeholders when the fix is applied. */
  readonly generateKey?: KeyKind;
}

export interface RelatedInformation {
  readonly file: string;
  readonly range: SourceRange;
  readonly message: string;
}

export interface LintDiagnostic {
  readonly code: RuleCode;
  readonly severity: Severity;
  /** Names the value's problem and the fix. Never contains a seed. */
  readonly message: string;
  readonly range: SourceRange;
  /** The variable the finding is about, when there is one. */
  readonly key?: string;
  readonly related?: readonly RelatedInformation[];
  readonly fixes?: readonly LintFix[];
}
