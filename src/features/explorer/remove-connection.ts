import * as vscode from 'vscode';
import type { ConnectionProfile } from '../../core/nats/profile';
import { settingsProfileId } from '../../core/nats/settings-profiles';
import type { Prompter } from '../shared/prompter';
import type { ConnectionSources, SettingsTarget } from './connection-sources';

const REMOVE = 'Remove';

/**
 * Removes a connection from user or workspace settings, with its stored
 * password or token, after a modal confirmation. Without `profile` it shows
 * a quick pick of the settings connections. Returns the removed profile id.
 */
export async function removeConnection(prompter: Prompter, sources: ConnectionSources, profile?: ConnectionProfile): Promise<string | undefined> {
  if (profile !== undefined && profile.source !== 'settings') {
    const where = profile.source === 'nats-context' ? `a NATS CLI context (${profile.origin ?? 'nats context'}); remove it with \`nats context rm ${profile.name}\`` : 'the built-in default';
    await prompter.notify('info', `Connection "${profile.name}" is ${where}. Only connections from settings can be removed here.`);
    return undefined;
  }

  const targets: [SettingsTarget, string][] = [
    [vscode.ConfigurationTarget.Workspace, 'workspace settings'],
    [vscode.ConfigurationTarget.Global, 'user settings'],
  ];
  const candidates = targets.flatMap(([target, label]) => sources.settingsAt(target).map((setting) => ({ target, label, setting })));
  let chosen = profile === undefined ? undefined : candidates.find((candidate) => candidate.setting.name === profile.name);

  if (profile === undefined) {
    if (candidates.length === 0) {
      await prompter.notify('info', 'No NATS connection is defined in settings.');
      return undefined;
    }
    const items = candidates.map((candidate) => ({
      label: candidate.setting.name,
      description: `${Array.isArray(candidate.setting.servers) ? candidate.setting.servers.join(', ') : candidate.setting.servers} · ${candidate.label}`,
      candidate,
    }));
    chosen = (await prompter.pick(items, { title: 'Remove NATS Connection', placeholder: 'Connection to remove' }))?.candidate;
  }
  if (chosen === undefined) {
    return undefined;
  }

  const name = chosen.setting.name;
  const answer = await prompter.notify(
    'warning',
    `Remove NATS connection "${name}" from ${chosen.label}?`,
    { modal: true, detail: 'Its stored password or token is deleted from secret storage too.' },
    REMOVE,
  );
  if (answer !== REMOVE) {
    return undefined;
  }
  const remaining = sources.settingsAt(chosen.target).filter((setting) => setting.name !== name);
  await sources.writeSettings(chosen.target, remaining);
  // Secrets are keyed by name, so they stay while the other settings level still defines it.
  const stillDefined = candidates.some((candidate) => candidate.target !== chosen.target && candidate.setting.name === name);
  if (!stillDefined) {
    await sources.storeSecrets(name, {});
  }
  return settingsProfileId(name);
}
