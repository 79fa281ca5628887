import * as vscode from 'vscode';
import type { DotenvEntry } from '../../core/dotenv/index';
import { hideSecrets, redactForMessage, shownName } from '../../core/dotenv/redact';
import { inspectKey, keyLabel } from '../../core/keys/inspect';
import type { KeyKind } from '../../core/keys/kinds';
import { splitIssuers } from '../../core/rules/keys';
import { checkUserJwt } from '../../core/rules/jwt';
import type { FileLintResult } from '../../core/rules/lint';
import { HOST_PROFILES, PROFILE_LABELS, findHostVariable, isHostKey, type HostVariable } from '../../core/rules/variables';
import type { LintController } from './controller';

const SEED_KINDS: Record<string, KeyKind> = { 'cluster-seed': 'cluster', 'server-seed': 'server', 'user-seed': 'user' };

/**
 * Hovers on .env files. A variable name shows what it does, its default and
 * the host versions that read it. A key value shows its kind and validity,
 * and for a seed its public key and whether the issuers accept it. A hover
 * never shows a seed.
 */
export class LintHover implements vscode.HoverProvider {
  constructor(private readonly controller: LintController) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const result = this.controller.resultFor(document.uri);
    if (result === undefined || !result.facts.isHostFile) {
      return undefined;
    }
    const offset = document.offsetAt(position);
    for (const entry of result.parse.entries) {
      if (offset >= entry.keyRange.start && offset <= entry.keyRange.end) {
        const markdown = variableHover(entry.key, result);
        return markdown === undefined ? undefined : new vscode.Hover(markdown, rangeOf(entry.keyRange));
      }
      if (offset >= entry.valueRange.start && offset <= entry.valueRange.end && entry.value.length > 0) {
        const markdown = this.valueHover(entry, offset, result);
        return markdown === undefined ? undefined : new vscode.Hover(markdown, rangeOf(entry.valueRange));
      }
    }
    return undefined;
  }

  private valueHover(entry: DotenvEntry, offset: number, result: FileLintResult): vscode.MarkdownString | undefined {
    const variable = findHostVariable(entry.key);
    if (variable === undefined) {
      return undefined;
    }
    const markdown = new vscode.MarkdownString();
    const seedKind = SEED_KINDS[variable.type];
    if (seedKind !== undefined) {
      const inspection = inspectKey(entry.value, { type: 'seed', kind: seedKind });
      if (!inspection.valid) {
        markdown.appendMarkdown(`**Invalid ${seedKind} seed.** ${escape(hideSecrets(inspection.reason ?? ''))}`);
        return markdown;
      }
      const publicKey = inspection.publicKey as string;
      markdown.appendMarkdown(`**Valid ${keyLabel('seed', seedKind)}.** The seed itself stays secret and is not shown.\n\n`);
      markdown.appendMarkdown(`Public key: \`${publicKey}\`\n\n`);
      if (seedKind === 'cluster') {
        markdown.appendMarkdown(this.clusterSeedStatus(publicKey, result));
      }
      return markdown;
    }
    if (variable.type === 'cluster-issuers') {
      const within = offset - entry.valueRange.start;
      const part = splitIssuers(entry.value).find((candidate) => within >= candidate.from && within <= candidate.to);
      if (part === undefined || part.trimmed.length === 0) {
        return undefined;
      }
      const inspection = inspectKey(part.trimmed, { type: 'public', kind: 'cluster' });
      if (!inspection.valid) {
        markdown.appendMarkdown(`**Invalid issuer.** ${escape(hideSecrets(inspection.reason ?? ''))}`);
        return markdown;
      }
      markdown.appendMarkdown(`**Valid cluster public key** \`${part.trimmed}\`\n\n`);
      if (result.facts.seedPublicKey === part.trimmed) {
        markdown.appendMarkdown("This is the public key of this host's WASMCLOUD_CLUSTER_SEED.\n\n");
      }
      const signers = this.controller.index.signedBy(result.facts.lattice, part.trimmed);
      markdown.appendMarkdown(`${signers} indexed host file${signers === 1 ? '' : 's'} in lattice \`${escape(shownLattice(result.facts.lattice))}\` sign${signers === 1 ? 's' : ''} with its seed.`);
      return markdown;
    }
    if (variable.type === 'server-public-key') {
      const inspection = inspectKey(entry.value, { type: 'public', kind: 'server' });
      markdown.appendMarkdown(inspection.valid ? `**Valid server public key.**` : `**Invalid server public key.** ${escape(hideSecrets(inspection.reason ?? ''))}`);
      return markdown;
    }
    if (variable.type === 'jwt') {
      const check = checkUserJwt(entry.value, Date.now());
      if (!check.ok) {
        markdown.appendMarkdown(`**Unusable NATS user JWT.** ${escape(check.reason)}`);
        return markdown;
      }
      markdown.appendMarkdown(`**NATS user JWT** issued to \`${check.jwt.subject}\``);
      if (check.jwt.issuer !== undefined) {
        markdown.appendMarkdown(` by \`${check.jwt.issuer}\``);
      }
      markdown.appendMarkdown(check.jwt.expires === undefined ? ', with no expiry.' : `, valid until ${new Date(check.jwt.expires * 1000).toISOString()}.`);
      return markdown;
    }
    return undefined;
  }

  private clusterSeedStatus(publicKey: string, result: FileLintResult): string {
    const lines: string[] = [];
    const issuers = result.facts.issuers;
    if (issuers === undefined) {
      lines.push('WASMCLOUD_CLUSTER_ISSUERS is not set in this file, so this host accepts only its own key.');
    } else {
      lines.push(issuers.includes(publicKey) ? 'Listed in this file\'s WASMCLOUD_CLUSTER_ISSUERS.' : "**Not listed** in this file's WASMCLOUD_CLUSTER_ISSUERS.");
    }
    const lattice = result.facts.lattice;
    const members = this.controller.index.latticeSize(lattice);
    if (members > 1) {
      const accepting = this.controller.index.acceptedBy(lattice, publicKey);
      lines.push(`Accepted by ${accepting} of ${members} indexed host files in lattice \`${escape(shownLattice(lattice))}\`.`);
    }
    return lines.join('\n\n');
  }
}

/** Markdown documentation of a variable, shared with completion. */
export function variableDocumentation(variable: HostVariable): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString();
  markdown.appendMarkdown(`${escape(variable.summary)}\n\n`);
  if (variable.default !== undefined) {
    markdown.appendMarkdown(`**Default:** ${escape(variable.default)}\n\n`);
  }
  markdown.appendMarkdown(`**Read by:** ${escape(variable.versions)}\n\n`);
  const byProfile = HOST_PROFILES.map((profile) => {
    const status = variable.read[profile];
    let word = 'not read';
    if (status === 'all') {
      word = 'read';
    } else if (status === 'some') {
      word = 'read by some releases';
    }
    const advice = variable.advice?.[profile];
    return `- ${PROFILE_LABELS[profile]}: ${word}${advice === undefined || status === 'all' ? '' : ` (${escape(advice.note)})`}`;
  });
  markdown.appendMarkdown(byProfile.join('\n'));
  return markdown;
}

function variableHover(key: string, result: FileLintResult): vscode.MarkdownString | undefined {
  const variable = findHostVariable(key);
  if (variable === undefined) {
    if (!isHostKey(key)) {
      return undefined;
    }
    return new vscode.MarkdownString(`**${escape(shownName(key))}**: no wasmCloud host version reads this variable.`);
  }
  const markdown = new vscode.MarkdownString(`**${escape(key)}**\n\n`);
  markdown.appendMarkdown(variableDocumentation(variable).value);
  markdown.appendMarkdown(`\n\n_Host version of this file:_ ${escape(result.profile.reason)}`);
  return markdown;
}

function rangeOf(range: { startLine: number; startColumn: number; endLine: number; endColumn: number }): vscode.Range {
  return new vscode.Range(range.startLine, range.startColumn, range.endLine, range.endColumn);
}

/** Prepares a lattice name for a hover. The name comes from the file and may be a pasted secret, so it is redacted like a message. */
function shownLattice(lattice: string): string {
  return redactForMessage(lattice, LATTICE_LENGTH);
}

/** Maximum characters of a lattice name shown in a hover. */
const LATTICE_LENGTH = 60;

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-!|<>]/g, '\\$&');
}
