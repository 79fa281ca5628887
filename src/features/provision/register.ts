import * as vscode from 'vscode';
import { validateLatticeName, type KeyStrategy } from '../../core/provision/request';
import type { KeyStore } from '../keys/key-store';
import { registerReportingCommand } from '../shared/commands';
import type { FeatureDeps } from '../shared/deps';
import { provisionLatticeCommand } from './provision-command';
import { STRATEGY_ITEMS, type ProvisionDefaults } from './provision-flow';
import { rotateClusterKeyCommand } from './rotate-command';

/** globalState entry with the strategy and lattice name the walkthrough's steps chose. */
const DEFAULTS_KEY = 'wasmcloudLattice.provision.defaults';

/**
 * Registers Provision Lattice…, Rotate Cluster Key… and the two commands
 * behind the walkthrough's "choose" steps, which remember a key strategy and
 * a lattice name as the first answers of Provision Lattice.
 */
export function registerProvision(context: vscode.ExtensionContext, deps: FeatureDeps, store: KeyStore): void {
  const defaults = (): ProvisionDefaults => context.globalState.get<ProvisionDefaults>(DEFAULTS_KEY) ?? {};
  const remember = (change: ProvisionDefaults): Thenable<void> => context.globalState.update(DEFAULTS_KEY, { ...defaults(), ...change });

  const register = (command: string, title: string, run: (...args: unknown[]) => Promise<unknown>): void =>
    registerReportingCommand(context, deps, command, title, run);

  register('wasmcloudLattice.provisionLattice', 'Provision Lattice', (folder) => provisionLatticeCommand(deps, store, defaults(), folder instanceof vscode.Uri ? folder : undefined));
  register('wasmcloudLattice.rotateClusterKey', 'Rotate Cluster Key', (folder) => rotateClusterKeyCommand(deps, store, folder));

  register('wasmcloudLattice.chooseKeyStrategy', 'Choose Key Strategy', async () => {
    const picked = await deps.prompter.get().pick(STRATEGY_ITEMS, { title: 'Choose Key Strategy', placeholder: 'Provision Lattice offers this strategy first' });
    if (picked !== undefined) {
      await remember({ strategy: picked.strategy });
    }
    return picked?.strategy satisfies KeyStrategy | undefined;
  });
  register('wasmcloudLattice.chooseLatticeName', 'Choose Lattice Name', async () => {
    const name = await deps.prompter.get().input({
      title: 'Choose Lattice Name',
      prompt: "Lattice name: letters, digits, '_' and '-'. Every host of the lattice uses it.",
      placeholder: 'prod',
      value: defaults().lattice ?? '',
      validate: (value) => validateLatticeName(value.trim()),
    });
    if (name !== undefined) {
      await remember({ lattice: name.trim() });
    }
    return name?.trim();
  });
}
