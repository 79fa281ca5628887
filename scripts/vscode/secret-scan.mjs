// The secret scan that ends an extension test run: looks through everything
// the extension could have left secrets in and fails when it finds an nkey
// seed, a password or token a test used, or creds file content.
//
// Where it looks:
//   - logs: every *.log file under the code-server user-data logs folder,
//     the "wasmCloud Lattice" channel's files included;
//   - shown texts: the capture file the extension suites write
//     (test/vscode/reliability/secret-capture.test.ts and the scripted
//     prompters): log lines at every level, notifications, prompts, diagnostics;
//   - settings: the user and workspace settings.json files and every state of
//     the wasmcloudLattice settings seen during the run;
//   - state: globalState and workspaceState, which VS Code for the Web keeps
//     in the browser's IndexedDB, dumped from the workbench page at the end of
//     the run (`dumpBrowserState`). Secret storage entries (`secret://…`) are
//     left out: secret storage is where seeds belong.
//
// What it looks for: any 58-character `S…` run that decodes as an nkey seed
// (with the product's codec, so wasmCloud module and service seeds count).
// Also every password, token and JWT the tests recorded in the needles file,
// and the body of a creds file block. Findings name the place and show only the
// first four characters of the secret.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Passwords and tokens shorter than this are not looked for: they match ordinary words. */
const MIN_NEEDLE_LENGTH = 6;
// The body line of a creds file block that is not already redacted.
const CREDS_BODY = /-{3,}BEGIN (?:NATS USER JWT|USER NKEY SEED)-{3,}[ \t]*\r?\n[ \t]*(?!\[redacted\])(\S{8,})/g;

/** Reads a JSON-lines file; a missing file is empty. */
function readJsonLines(file) {
  if (file === undefined || !existsSync(file)) {
    return [];
  }
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
}

function listFiles(folder, keep) {
  if (!existsSync(folder)) {
    return [];
  }
  const found = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      found.push(...listFiles(full, keep));
    } else if (keep(full)) {
      found.push(full);
    }
  }
  return found.sort();
}

function shortly(secret) {
  return `${secret.slice(0, 4)}… (${secret.length} characters)`;
}

/**
 * Returns the secrets in `text`, each as `{ kind, shown, index }`: decodable
 * seeds, creds file bodies and the recorded needles.
 *
 * @param {string} text
 * @param {{ needles: {kind: string, value: string}[], decodeSeed: (text: string) => unknown }} context
 */
export function secretsIn(text, { needles, decodeSeed }) {
  const found = [];
  for (const match of text.matchAll(/(?=(S[A-Z2-7]{57}))/g)) {
    try {
      decodeSeed(match[1]);
      found.push({ kind: 'nkey seed', shown: shortly(match[1]), index: match.index });
    } catch {
      // Shaped like a seed, but not one.
    }
  }
  for (const match of text.matchAll(CREDS_BODY)) {
    found.push({ kind: 'creds file content', shown: shortly(match[1]), index: match.index });
  }
  for (const needle of needles) {
    const index = text.indexOf(needle.value);
    if (index >= 0) {
      found.push({ kind: needle.kind, shown: shortly(needle.value), index });
    }
  }
  return found;
}

/**
 * Dumps the workbench page's IndexedDB databases and localStorage: where VS
 * Code for the Web keeps globalState and workspaceState. Values that are
 * bytes are decoded as UTF-8.
 *
 * @param {import('playwright-core').Page} page
 */
export async function dumpBrowserState(page) {
  // The workbench writes storage changes after a short delay.
  await page.waitForTimeout(1_500);
  // This function runs in the workbench page, where these are browser globals.
  /* global indexedDB, localStorage, TextDecoder */
  return page.evaluate(async () => {
    const request = (operation) =>
      new Promise((resolve, reject) => {
        operation.onsuccess = () => resolve(operation.result);
        operation.onerror = () => reject(operation.error);
      });
    const asText = (value) => {
      if (typeof value === 'string') {
        return value;
      }
      if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
        return new TextDecoder().decode(value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
      }
      return JSON.stringify(value);
    };
    const databases = [];
    for (const { name } of await indexedDB.databases()) {
      const db = await request(indexedDB.open(name));
      const stores = [];
      for (const storeName of Array.from(db.objectStoreNames)) {
        const store = db.transaction(storeName, 'readonly').objectStore(storeName);
        const [keys, values] = await Promise.all([request(store.getAllKeys()), request(store.getAll())]);
        stores.push({ name: storeName, entries: keys.map((key, index) => [asText(key), asText(values[index])]) });
      }
      db.close();
      databases.push({ name, stores });
    }
    const local = Object.keys(localStorage).map((key) => [key, localStorage.getItem(key) ?? '']);
    return { databases, localStorage: local };
  });
}

/**
 * Scans a finished session and returns one check per place, each
 * `{ title, ok, detail }`.
 *
 * @param {object} options
 * @param {string} options.userDataDir code-server's --user-data-dir
 * @param {string} options.workspace the folder the tests ran in
 * @param {string} options.needlesFile secrets the tests recorded (JSON lines)
 * @param {string} options.captureFile texts the product showed (JSON lines)
 * @param {object | undefined} options.browserState the result of dumpBrowserState, or undefined when it failed
 * @param {(text: string) => unknown} options.decodeSeed throws unless the text is an nkey seed
 */
export function scanSession({ userDataDir, workspace, needlesFile, captureFile, browserState, decodeSeed }) {
  const recorded = readJsonLines(needlesFile);
  const needles = [];
  const skipped = new Set();
  for (const needle of recorded) {
    if (needle.value.length < MIN_NEEDLE_LENGTH && (needle.kind === 'password' || needle.kind === 'token')) {
      skipped.add(needle.value.length);
    } else if (!needles.some((known) => known.value === needle.value)) {
      needles.push(needle);
    }
  }
  const context = { needles, decodeSeed };
  const captured = readJsonLines(captureFile);

  /** Runs one check over `sources` ({where, text}). `empty` explains why having nothing to scan is a failure. */
  const check = (title, sources, empty) => {
    if (sources.length === 0) {
      return { title, ok: false, detail: `nothing to scan: ${empty}` };
    }
    const findings = [];
    for (const { where, text } of sources) {
      for (const secret of secretsIn(text, context)) {
        // A multi-line text (a stored value, a notification) also gets the line of the finding.
        const line = text.includes('\n') ? `, line ${text.slice(0, secret.index).split('\n').length}` : '';
        findings.push(`${where}${line}: ${secret.kind} ${secret.shown}`);
      }
    }
    const unique = [...new Set(findings)];
    const scanned = `${sources.length} source${sources.length === 1 ? '' : 's'}, ${needles.length} recorded secrets${skipped.size > 0 ? ` (passwords of ${[...skipped].join(', ')} characters too short to look for)` : ''}`;
    return unique.length === 0
      ? { title, ok: true, detail: scanned }
      : { title, ok: false, detail: `${unique.length} finding${unique.length === 1 ? '' : 's'} in ${scanned}:\n${unique.slice(0, 40).join('\n')}` };
  };

  const logFiles = listFiles(path.join(userDataDir, 'logs'), (file) => file.endsWith('.log'));
  const logSources = logFiles.flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .map((text, index) => ({ where: `${path.relative(userDataDir, file)}:${index + 1}`, text })),
  );
  const channelLogs = logFiles.filter((file) => file.includes('wasmcloud-lattice'));

  const shown = captured.filter((record) => record.source !== 'settings').map((record, index) => ({ where: `${record.source} #${index + 1}`, text: record.text }));

  const settingsFiles = [path.join(userDataDir, 'User', 'settings.json'), path.join(workspace, '.vscode', 'settings.json')].filter((file) => existsSync(file) && statSync(file).isFile());
  const settings = [
    ...settingsFiles.map((file) => ({ where: file, text: readFileSync(file, 'utf8') })),
    ...captured.filter((record) => record.source === 'settings').map((record, index) => ({ where: `wasmcloudLattice settings, state ${index + 1}`, text: record.text })),
  ];

  const state = [];
  // The extension's globalState is the entry keyed by its id in the global state database.
  let extensionState = false;
  for (const database of browserState?.databases ?? []) {
    for (const store of database.stores) {
      for (const [key, value] of store.entries) {
        if (!key.startsWith('secret://')) {
          state.push({ where: `IndexedDB ${database.name}/${store.name} key ${key}`, text: `${key}\n${value}` });
          extensionState ||= key === 'wasmcloud-lattice.wasmcloud-lattice';
        }
      }
    }
  }
  for (const [key, value] of browserState?.localStorage ?? []) {
    state.push({ where: `localStorage ${key}`, text: `${key}\n${value}` });
  }

  const checks = [
    check('log files hold no secret', channelLogs.length === 0 ? [] : logSources, `no "wasmCloud Lattice" log file under ${path.join(userDataDir, 'logs')}`),
    check('logged and shown texts hold no secret', shown, `the capture file ${captureFile} is empty or missing`),
    check('settings hold no secret', settings, 'no settings.json and no recorded settings'),
    check('globalState and workspaceState hold no secret', state, browserState === undefined ? 'the browser state could not be read' : 'the browser holds no stored state'),
  ];
  const stateCheck = checks[3];
  stateCheck.detail += extensionState ? "; the extension's own globalState entry was among them" : '; the extension stored no globalState in this run';
  return checks;
}
