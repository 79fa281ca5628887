import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { connect } from '@nats-io/transport-node';
import type { Locator } from 'playwright-core';
import { NatsServer } from '../support/nats-server';
import { buildSampleLattice, seedSampleLattice, type SampleLattice } from '../support/sample-lattice';
import { Workbench } from './support/workbench';

const SETTING_KEYS = ['wasmcloudLattice.connections', 'wasmcloudLattice.explorer.natsContexts'];

/** Returns the workspace folder a workbench page has open, from its `folder` URL parameter. */
function workspaceOf(workbench: Workbench): string {
  const folder = new URL(workbench.page.url()).searchParams.get('folder');
  assert.ok(folder, `the workbench URL names no folder: ${workbench.page.url()}`);
  return folder;
}

function updateWorkspaceSettings(workspace: string, values: Record<string, unknown> | undefined): void {
  const file = path.join(workspace, '.vscode', 'settings.json');
  const current = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8') || '{}') as Record<string, unknown>) : {};
  for (const key of SETTING_KEYS) {
    delete current[key];
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ ...current, ...values }, null, 2)}\n`);
}

/** Returns the tree row of the Lattices view whose label is `label`. */
function row(pane: Locator, label: string): Locator {
  return pane.locator('.monaco-list-row', { has: pane.page().locator('.label-name', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }).first();
}

/** Expands a collapsed row and waits until it reports being expanded. */
async function expand(pane: Locator, label: string): Promise<void> {
  const target = row(pane, label);
  await target.waitFor({ timeout: 30_000 });
  if ((await target.getAttribute('aria-expanded')) !== 'true') {
    await target.click();
  }
  await pane.page().waitForFunction((element) => element?.getAttribute('aria-expanded') === 'true', await target.elementHandle(), { timeout: 30_000 });
}

suite('UI: Lattice explorer', () => {
  let server: NatsServer;
  let lattice: SampleLattice;
  let workbench: Workbench;
  let workspace: string;

  suiteSetup(async () => {
    server = await NatsServer.start();
    const nc = await connect({ servers: server.url });
    try {
      lattice = await seedSampleLattice(nc, buildSampleLattice('default'));
    } finally {
      await nc.close();
    }
    workbench = await Workbench.open();
    workspace = workspaceOf(workbench);
    // The shape `npm run demo` writes.
    updateWorkspaceSettings(workspace, {
      'wasmcloudLattice.connections': [{ name: 'demo', servers: [server.url] }],
      'wasmcloudLattice.explorer.natsContexts': false,
    });
  });

  suiteTeardown(async () => {
    if (workspace !== undefined) {
      updateWorkspaceSettings(workspace, undefined);
    }
    await workbench?.close();
    await server?.dispose();
  });

  test('explorer shows the demo lattice', async () => {
    const pane = await workbench.openView('Lattices');
    await expand(pane, 'demo');
    await expand(pane, 'default');
    await expand(pane, lattice.streamName);
    await expand(pane, 'Claims');

    for (const name of [lattice.streamName, `KV_${lattice.bucketName}`, 'Link definitions', ...lattice.components.map((component) => component.name)]) {
      await row(pane, name).waitFor({ timeout: 30_000 });
    }
    const description = await row(pane, lattice.streamName).locator('.label-description').textContent();
    assert.match(description ?? '', new RegExp(`^${lattice.streamMessages.length} msgs · `));

    // Clicking an entry opens its JSON in a read-only editor.
    const [first] = lattice.components;
    await row(pane, first.name).click();
    const editor = await workbench.waitFor('.editor-instance .monaco-editor .view-lines');
    await editor.getByText(`"${first.publicKey}"`).first().waitFor({ timeout: 30_000 });

    // A wider side bar, so the screenshot shows the descriptions.
    const sidebar = await workbench.waitFor('.part.sidebar');
    const box = await sidebar.boundingBox();
    assert.ok(box, 'the side bar has no bounding box');
    await workbench.page.mouse.move(box.x + box.width + 1, box.y + box.height / 2);
    await workbench.page.mouse.down();
    await workbench.page.mouse.move(box.x + box.width + 260, box.y + box.height / 2, { steps: 10 });
    await workbench.page.mouse.up();
    await workbench.screenshot('explorer-demo-lattice');
  });

  test('Enter in the purge dialog keeps the cache', async () => {
    const pane = await workbench.openView('Lattices');
    await expand(pane, 'demo');
    await expand(pane, 'default');
    const stream = row(pane, lattice.streamName);
    await stream.waitFor({ timeout: 30_000 });

    await stream.click({ button: 'right' });
    // The context menu ignores a click that lands while it is still opening, so
    // pick the item with the keyboard once the menu has focus.
    const item = workbench.page.locator('.monaco-menu .action-item', { hasText: 'Purge Cache…' }).first();
    await item.waitFor({ timeout: 30_000 });
    await item.hover();
    await workbench.page.locator('.monaco-menu .action-item.focused', { hasText: 'Purge Cache…' }).first().waitFor({ timeout: 30_000 });
    await workbench.page.keyboard.press('Enter');
    const dialog = await workbench.waitFor('.monaco-dialog-box');
    await dialog.getByText(`Purge ${lattice.streamMessages.length} messages from stream ${lattice.streamName}`).first().waitFor({ timeout: 30_000 });
    await workbench.screenshot('explorer-purge-dialog');
    // The focused default button is the first one, Review Entries, which purges nothing.
    await workbench.page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached', timeout: 30_000 });

    const nc = await connect({ servers: server.url });
    try {
      const info = (await nc.request(`$JS.API.STREAM.INFO.${lattice.streamName}`, undefined, { timeout: 5_000 })).json<{ state: { messages: number } }>();
      assert.equal(info.state.messages, lattice.streamMessages.length);
    } finally {
      await nc.close();
    }
  });
});
