import * as vscode from 'vscode';
import { isRuleCode, type SeverityOverride } from '../../core/rules/codes';
import { HOST_VERSION_SETTINGS, type HostVersionSetting } from '../../core/rules/profile';

export const SECTION = 'wasmcloudLattice';

export interface LintSettings {
  readonly hostVersion: HostVersionSetting;
  readonly severities: Readonly<Record<string, SeverityOverride>>;
  readonly workspacePass: boolean;
}

const OVERRIDES = new Set<string>(['error', 'warning', 'info', 'hint', 'off']);

/** Reads the lint settings for a file; invalid values fall back to the defaults. */
export function lintSettings(scope: vscode.Uri | undefined): LintSettings {
  const configuration = vscode.workspace.getConfiguration(SECTION, scope);
  const hostVersion = configuration.get<string>('hostVersion', 'auto');
  const raw = configuration.get<Record<string, unknown>>('lint.severity', {});
  const severities: Record<string, SeverityOverride> = {};
  for (const [code, value] of Object.entries(raw ?? {})) {
    if (isRuleCode(code) && typeof value === 'string' && OVERRIDES.has(value)) {
      severities[code] = value as SeverityOverride;
    }
  }
  return {
    hostVersion: (HOST_VERSION_SETTINGS as readonly string[]).includes(hostVersion) ? (hostVersion as HostVersionSetting) : 'auto',
    severities,
    workspacePass: configuration.get<boolean>('lint.workspace', true),
  };
}

export function affectsLintSettings(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(`${SECTION}.hostVersion`) || event.affectsConfiguration(`${SECTION}.lint`);
}
