import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import * as vscode from 'vscode';
import { NatsServer } from '../support/nats-server';

// Checks what every extension suite relies on: the test workspace is open and
// a suite can start its own nats-server from inside the extension host.
suite('Harness', () => {
  test('test workspace is open', () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'no workspace folder is open');
    assert.ok(existsSync(path.join(folder.uri.fsPath, 'hosts', 'edge.env')), `hosts/edge.env is missing in ${folder.uri.fsPath}`);
  });

  test('runner environment reaches extension host', function () {
    if (process.env.WCL_TEST_RUNNER !== 'code-server') {
      this.skip();
    }
    assert.ok(process.env.NATS_SERVER_BIN, 'NATS_SERVER_BIN is not set in the extension host');
    assert.ok(existsSync(process.env.NATS_SERVER_BIN), `NATS_SERVER_BIN points at a missing file: ${process.env.NATS_SERVER_BIN}`);
    assert.ok(process.env.WCL_TEST_RESULTS, 'WCL_TEST_RESULTS is not set in the extension host');
  });

  test('runner wrote generated host files', function () {
    if (process.env.WCL_TEST_RUNNER !== 'code-server') {
      this.skip();
    }
    const hosts = path.join(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '', 'hosts');
    assert.ok(existsSync(path.join(hosts, 'host-good.env')), `host-good.env is missing in ${hosts}`);
    assert.ok(existsSync(path.join(hosts, 'host-mistakes.env')), `host-mistakes.env is missing in ${hosts}`);
  });

  test('extension host starts nats-server', async () => {
    const server = await NatsServer.start();
    const nc = await connect({ servers: server.url });
    try {
      const jsm = await jetstreamManager(nc);
      await jsm.streams.add({ name: 'LATTICECACHE_harness', subjects: ['lc.harness.>'] });
      const ack = await jetstream(nc).publish('lc.harness.claims.Mharness', JSON.stringify({ name: 'harness' }));
      const stored = await jsm.streams.getMessage('LATTICECACHE_harness', { seq: ack.seq });
      assert.equal(stored?.subject, 'lc.harness.claims.Mharness');
      assert.deepEqual(stored?.json(), { name: 'harness' });
    } finally {
      await nc.close();
      await server.dispose();
    }
  });
});
