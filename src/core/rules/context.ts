import type { DotenvEntry, DotenvParseResult } from '../dotenv/index';
import type { SourceRange } from '../dotenv/lines';
import { quoteForMessage } from '../dotenv/redact';
import type { RuleCode, Severity } from './codes';
import { ruleInfo } from './codes';
import type { ProfileInference } from './profile';
import type { LintDiagnostic, LintEdit, LintFix, RelatedInformation } from './types';

/** Input of every single-file rule and the list it reports into. */
export interface RuleContext {
  readonly text: string;
  readonly parse: DotenvParseResult;
  /** The entry dotenv keeps for each key: the last one. */
  readonly effective: ReadonlyMap<string, DotenvEntry>;
  readonly profile: ProfileInference;
  /** Keys whose values use `${NAME}` or `$NAME` substitution; the value rules skip them. */
  readonly substituted: ReadonlySet<string>;
  /** Milliseconds since the epoch, for JWT expiry. */
  readonly now: number;
  readonly diagnostics: LintDiagnostic[];
}

export interface FindingDetails {
  readonly key?: string;
  readonly severity?: Severity;
  readonly related?: readonly RelatedInformation[];
  readonly fixes?: readonly LintFix[];
}

export function report(context: RuleContext, code: RuleCode, range: SourceRange, message: string, details: FindingDetails = {}): void {
  const diagnostic: LintDiagnostic = {
    code,
    severity: details.severity ?? ruleInfo(code).severity,
    message,
    range,
    ...(details.key === undefined ? {} : { key: details.key }),
    ...(details.related === undefined || details.related.length === 0 ? {} : { related: details.related }),
    ...(details.fixes === undefined || details.fixes.length === 0 ? {} : { fixes: details.fixes }),
  };
  context.diagnostics.push(diagnostic);
}

/**
 * Quotes part of a user's value for a message: seeds, JWTs and passwords
 * hidden first, then shortened, so that a message never carries a secret even
 * when the user pasted one into the wrong variable.
 */
export function quoteValue(value: string): string {
  return quoteForMessage(value);
}

/**
 * Range of `value.slice(from, to)` in the source when the value is verbatim
 * and on one line, else the whole value range.
 */
export function valueSubRange(entry: DotenvEntry, from: number, to: number): SourceRange {
  const whole = entry.valueRange;
  if (!entry.verbatim || whole.startLine !== whole.endLine) {
    return whole;
  }
  return {
    start: whole.start + from,
    end: whole.start + to,
    startLine: whole.startLine,
    startColumn: whole.startColumn + from,
    endLine: whole.startLine,
    endColumn: whole.startColumn + to,
  };
}

/** An edit that replaces the value of `entry`, keeping its quotes. */
export function replaceValue(entry: DotenvEntry, newText: string, file?: string): LintEdit {
  return { range: entry.valueRange, newText, ...(file === undefined ? {} : { file }) };
}

export function renameKey(entry: DotenvEntry, newName: string): LintEdit {
  return { range: entry.keyRange, newText: newName };
}

/** Returns a zero-width range at the start of the line that contains `range`. */
export function lineStartRange(range: SourceRange): SourceRange {
  const start = range.start - range.startColumn;
  return { start, end: start, startLine: range.startLine, startColumn: 0, endLine: range.startLine, endColumn: 0 };
}
