import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { NotificationRecord, VscodePrompter } from '../../../src/features/shared/prompter';

type CreateQuickPick = typeof vscode.window.createQuickPick;
type CreateInputBox = typeof vscode.window.createInputBox;

/**
 * Runs the real VscodePrompter and reads the quick input it created. VS Code
 * draws "step/totalSteps" next to a title by itself, so the title text must
 * not carry the counter a second time.
 */
suite('Prompter: step titles', () => {
  const window = vscode.window as { createQuickPick: CreateQuickPick; createInputBox: CreateInputBox };
  const originalQuickPick = window.createQuickPick;
  const originalInputBox = window.createInputBox;

  teardown(async () => {
    window.createQuickPick = originalQuickPick;
    window.createInputBox = originalInputBox;
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  });

  test('quick pick shows step once', async () => {
    const seen: { quickPick?: vscode.QuickPick<vscode.QuickPickItem> } = {};
    window.createQuickPick = (<T extends vscode.QuickPickItem>(): vscode.QuickPick<T> => {
      const quickPick = originalQuickPick<T>();
      seen.quickPick = quickPick as unknown as vscode.QuickPick<vscode.QuickPickItem>;
      return quickPick;
    }) as CreateQuickPick;

    const answer = new VscodePrompter(new NotificationRecord()).pick([{ label: 'one' }], { title: 'Add NATS Connection', step: 1, totalSteps: 6, canGoBack: true });
    const created = seen.quickPick;
    assert.ok(created, 'the prompter created no quick pick');
    assert.equal(created.title, 'Add NATS Connection');
    assert.equal(created.step, 1);
    assert.equal(created.totalSteps, 6);
    created.hide();
    assert.equal(await answer, undefined);
  });

  test('input box shows step once', async () => {
    const seen: { inputBox?: vscode.InputBox } = {};
    window.createInputBox = (): vscode.InputBox => {
      seen.inputBox = originalInputBox();
      return seen.inputBox;
    };

    const answer = new VscodePrompter(new NotificationRecord()).input({ title: 'Provision Lattice', step: 7, totalSteps: 7, prompt: 'Lattice name' });
    const created = seen.inputBox;
    assert.ok(created, 'the prompter created no input box');
    assert.equal(created.title, 'Provision Lattice');
    assert.equal(created.step, 7);
    assert.equal(created.totalSteps, 7);
    created.hide();
    assert.equal(await answer, undefined);
  });
});
