import type { ConnectionProfile } from '../../core/nats/profile';
import type { Prompter } from '../shared/prompter';
import { secretFieldOf, type ConnectionSources } from './connection-sources';

/**
 * Asks for the password or token of a settings connection in a password box
 * and stores it in secret storage, replacing the stored one. Returns true
 * when a value was stored, false when cancelled or when the connection takes
 * no secret from secret storage (it then shows where its credentials live).
 */
export async function setConnectionSecret(prompter: Prompter, sources: ConnectionSources, profile: ConnectionProfile | undefined): Promise<boolean> {
  if (profile === undefined) {
    await prompter.notify('info', 'Select a connection in the Lattices view, then run Set Password… or Set Token… from its context menu.');
    return false;
  }
  const field = secretFieldOf(profile);
  if (field === undefined) {
    const where =
      profile.source === 'settings'
        ? `authenticates with "${profile.auth.kind}", which needs no password or token`
        : 'does not come from settings; its credentials are in its NATS CLI context file';
    await prompter.notify('info', `Connection "${profile.name}" ${where}.`);
    return false;
  }

  const prompt =
    field === 'password' && profile.auth.kind === 'user-password'
      ? `Password of user ${profile.auth.user} for connection "${profile.name}" (kept in secret storage, never in settings)`
      : `Token for connection "${profile.name}" (kept in secret storage, never in settings)`;
  const value = await prompter.input({
    title: field === 'password' ? 'Set Password' : 'Set Token',
    prompt,
    password: true,
    validate: (text) => (text === '' ? `Enter the ${field}.` : undefined),
  });
  if (value === undefined) {
    return false;
  }
  await sources.storeSecret(profile.name, field, value);
  return true;
}
