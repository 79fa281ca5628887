import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RULES, RULE_CODES } from '../../../../src/core/rules/codes';
import type { LintOptions } from '../../../../src/core/rules/lint';
import { account, cluster, codes, lint, server, user, userJwt } from './support';

const host = cluster();
const other = cluster();
const third = cluster();
const nats = user();
const serverPair = server();
const accountPair = account();
// The example pair printed on wasmCloud's lattice provisioning page.
const PUBLISHED_SEED = 'SCABNLVRXGEJEG5FBBPMMKMMY37FNKVLDY6YXHVL6WA4IRBEYD6ACIQKV4';
const PUBLISHED_PUBLIC = 'CDMTUBVGADIQZFWBUZL7LEF7YHZF6CPSKO3HLOTLBQFY2FHDLZFAMYMD';

const good = (extra = ''): string => `WASMCLOUD_LATTICE_PREFIX=prod\nWASMCLOUD_CLUSTER_SEED=${host.seed}\nWASMCLOUD_CLUSTER_ISSUERS=${host.publicKey},${other.publicKey}\n${extra}`;
const OTP: LintOptions = { hostVersion: 'otp' };
const RUST: LintOptions = { hostVersion: '0.8x' };
const V1: LintOptions = { hostVersion: '1.x' };

interface RuleCase {
  failing: [string, LintOptions?][];
  passing: [string, LintOptions?][];
}

const CASES: Record<string, RuleCase> = {
  'seed-malformed': {
    failing: [[good().replace(host.seed, host.seed.slice(0, -1) + (host.seed.endsWith('A') ? 'B' : 'A'))], [good().replace(host.seed, host.seed.slice(0, 40))], [`WASMCLOUD_HOST_SEED=SN0NOTBASE32\n`]],
    passing: [[good()], [`WASMCLOUD_HOST_SEED=${serverPair.seed}\n`]],
  },
  'seed-is-public-key': {
    failing: [[good().replace(`SEED=${host.seed}`, `SEED=${host.publicKey}`)]],
    passing: [[good()]],
  },
  'seed-wrong-kind': {
    failing: [[good().replace(host.seed, nats.seed)], [`WASMCLOUD_HOST_SEED=${host.seed}\n`]],
    passing: [[good()]],
  },
  'seed-published-example': {
    failing: [[`WASMCLOUD_CLUSTER_SEED=${PUBLISHED_SEED}\nWASMCLOUD_CLUSTER_ISSUERS=${PUBLISHED_PUBLIC}\n`]],
    passing: [[good()]],
  },
  'issuer-malformed': {
    failing: [[good().replace(other.publicKey, other.publicKey.slice(0, 50))], [good().replace(other.publicKey, other.publicKey.toLowerCase())]],
    passing: [[good()]],
  },
  'issuer-wrong-kind': {
    failing: [[good().replace(other.publicKey, accountPair.publicKey)]],
    passing: [[good()]],
  },
  'issuer-is-seed': {
    failing: [[good().replace(other.publicKey, other.seed)]],
    passing: [[good()]],
  },
  'issuers-whitespace': {
    failing: [[good().replace(`,${other.publicKey}`, `, ${other.publicKey}`)]],
    passing: [[good()]],
  },
  'issuers-duplicate': {
    failing: [[good().replace(`,${other.publicKey}`, `,${other.publicKey},${other.publicKey}`)]],
    passing: [[good()]],
  },
  'issuers-empty-entry': {
    failing: [[good().replace(`,${other.publicKey}`, `,,${other.publicKey}`)], [good().replace(`,${other.publicKey}`, `,${other.publicKey},`)]],
    passing: [[good()]],
  },
  'issuers-missing-seed-key': {
    failing: [[good().replace(`${host.publicKey},`, '')]],
    passing: [[good()], [good().replace(`${host.publicKey},`, ''), V1]],
  },
  'issuers-without-seed': {
    failing: [[`WASMCLOUD_CLUSTER_ISSUERS=${host.publicKey}\n`], [`WASMCLOUD_CLUSTER_SEED=\nWASMCLOUD_CLUSTER_ISSUERS=${host.publicKey}\n`]],
    passing: [[good()], [`WASMCLOUD_CLUSTER_ISSUERS=${host.publicKey}\n`, V1]],
  },
  'lattice-prefix-invalid': {
    failing: [['WASMCLOUD_LATTICE_PREFIX=prod.eu\n'], ['WASMCLOUD_LATTICE=a b\n'], ['WASMCLOUD_LATTICE_PREFIX=team*\n'], ['WASMCLOUD_LATTICE=\n']],
    passing: [['WASMCLOUD_LATTICE_PREFIX=prod-eu_1\n'], ['WASMCLOUD_LATTICE=default\n']],
  },
  'variable-renamed': {
    failing: [['WASMCLOUD_LATTICE_PREFIX=prod\n', V1], ['NATS_HOST=nats\n', V1], ['WASMCLOUD_LATTICE=prod\n', OTP], ['WASMCLOUD_NATS_SEED=x\n', RUST], ['WASMCOULD_NATS_SEED=x\n', V1]],
    passing: [['WASMCLOUD_LATTICE_PREFIX=prod\n', OTP], ['WASMCLOUD_LATTICE=prod\n', V1], ['WASMCLOUD_LATTICE_PREFIX=prod\n'], ['WASMCOULD_NATS_SEED=x\nWASMCLOUD_NATS_SEED=x\n', V1]],
  },
  'variable-ignored': {
    failing: [[good(), V1], [`WASMCLOUD_NATS_CREDS=./nats.creds\nWASMCLOUD_CLUSTER_SEED=${host.seed}\n`], ['WASMCLOUD_PROV_RPC_HOST=nats\n', V1]],
    passing: [[good(), OTP], [good()], ['WASMCLOUD_RPC_HOST=nats\n', V1]],
  },
  'variable-unknown': {
    failing: [['WASMCLOUD_LATICE=prod\n'], ['WASMCLOUD_SOMETHING_ELSE=1\n']],
    passing: [['WASMCLOUD_LATTICE=prod\nWASMCLOUD_LABEL_zone=east\nOTHER_APP_SETTING=1\n']],
  },
  'port-invalid': {
    failing: [['WASMCLOUD_RPC_PORT=70000\n'], ['WASMCLOUD_CTL_PORT=42x\n'], ['WASMCLOUD_NATS_PORT=0\n']],
    passing: [['WASMCLOUD_RPC_PORT=4222\nWASMCLOUD_NATS_PORT=65535\n']],
  },
  'timeout-invalid': {
    failing: [['WASMCLOUD_RPC_TIMEOUT_MS=2s\n'], ['WASMCLOUD_RPC_TIMEOUT_MS=0\n'], ['WASMCLOUD_RPC_TIMEOUT_MS=-5\n']],
    passing: [['WASMCLOUD_RPC_TIMEOUT_MS=2000\nWASMCLOUD_PROV_SHUTDOWN_DELAY_MS=0\n']],
  },
  'boolean-format': {
    failing: [['WASMCLOUD_RPC_TLS=1\n', V1], ['WASMCLOUD_CTL_TLS=True\n', RUST], ['WASMCLOUD_PROV_RPC_TLS=true\n', OTP], ['WASMCLOUD_RPC_TLS=on\n']],
    passing: [['WASMCLOUD_RPC_TLS=true\n', V1], ['WASMCLOUD_RPC_TLS=1\n', OTP], ['WASMCLOUD_RPC_TLS=yes\n', OTP], ['WASMCLOUD_RPC_TLS=yes\n'], ['WASMCLOUD_PROV_RPC_TLS=1\n', OTP]],
  },
  'credentials-incomplete': {
    failing: [[`WASMCLOUD_RPC_JWT=${userJwt(nats.publicKey)}\n`], [`WASMCLOUD_CTL_SEED=${nats.seed}\n`], [`WASMCLOUD_NATS_JWT=${userJwt(nats.publicKey)}\nWASMCLOUD_NATS_SEED=${nats.seed}\nWASMCLOUD_NATS_CREDS=./x.creds\n`], [`WASMCLOUD_RPC_JWT=${userJwt(user().publicKey)}\nWASMCLOUD_RPC_SEED=${nats.seed}\n`]],
    passing: [[`WASMCLOUD_RPC_JWT=${userJwt(nats.publicKey)}\nWASMCLOUD_RPC_SEED=${nats.seed}\n`], [`WASMCLOUD_NATS_JWT=${userJwt(nats.publicKey)}\nWASMCOULD_NATS_SEED=${nats.seed}\n`]],
  },
  'credentials-seed-kind': {
    failing: [[`WASMCLOUD_RPC_JWT=${userJwt(nats.publicKey)}\nWASMCLOUD_RPC_SEED=${host.seed}\n`]],
    passing: [[`WASMCLOUD_RPC_JWT=${userJwt(nats.publicKey)}\nWASMCLOUD_RPC_SEED=${nats.seed}\n`]],
  },
  'jwt-malformed': {
    failing: [[`WASMCLOUD_RPC_JWT=abc.def\nWASMCLOUD_RPC_SEED=${nats.seed}\n`], [`WASMCLOUD_RPC_JWT=${userJwt(nats.publicKey, { exp: 1_000_000 })}\nWASMCLOUD_RPC_SEED=${nats.seed}\n`], [`WASMCLOUD_RPC_JWT=${userJwt(accountPair.publicKey, { nats: { type: 'account' } })}\nWASMCLOUD_RPC_SEED=${nats.seed}\n`]],
    passing: [[`WASMCLOUD_RPC_JWT=${userJwt(nats.publicKey)}\nWASMCLOUD_RPC_SEED=${nats.seed}\n`]],
  },
  'duplicate-key': {
    failing: [['WASMCLOUD_LATTICE=a\nWASMCLOUD_LATTICE=b\n']],
    passing: [['WASMCLOUD_LATTICE=a\nWASMCLOUD_RPC_HOST=b\n']],
  },
  'unterminated-quote': {
    failing: [["WASMCLOUD_LATTICE='prod\n"], ['WASMCLOUD_RPC_HOST="nats\nWASMCLOUD_LATTICE=prod\nX="\n']],
    passing: [["WASMCLOUD_LATTICE='prod'\n"]],
  },
  'value-substituted': {
    failing: [['WASMCLOUD_RPC_PORT=${NATS_PORT}\n'], ['WASMCLOUD_CLUSTER_SEED="${CLUSTER_SEED}"\n']],
    passing: [["WASMCLOUD_RPC_PORT='${NATS_PORT}'\n"], ['WASMCLOUD_RPC_HOST=${NATS_HOST}\n'], ['WASMCLOUD_RPC_PORT=4222\n']],
  },
  'line-invalid': {
    failing: [['WASMCLOUD_LATTICE=prod\nWASMCLOUD_RPC_HOST\n'], ['WASMCLOUD LATTICE=prod\n']],
    passing: [['# comment\n\nWASMCLOUD_LATTICE=prod\n']],
  },
};

describe('rule catalogue', () => {
  it('every code is unique', () => {
    assert.equal(new Set(RULE_CODES).size, RULE_CODES.length);
  });

  it('every single-file rule has cases here', () => {
    const fileRules = RULES.filter((rule) => rule.group !== 'workspace' && !['credsfile-missing', 'credsfile-malformed', 'seed-in-tracked-file'].includes(rule.code));
    assert.deepEqual(
      fileRules.map((rule) => rule.code).filter((code) => !(code in CASES)),
      [],
    );
  });
});

describe('single-file rules', () => {
  for (const [code, ruleCase] of Object.entries(CASES)) {
    describe(code, () => {
      ruleCase.failing.forEach(([text, options], index) => {
        it(`reports failing input ${index + 1}`, () => {
          const found = lint(text, options);
          assert.ok(
            found.some((diagnostic) => diagnostic.code === code),
            `expected ${code} in ${JSON.stringify(found.map((diagnostic) => diagnostic.code))}`,
          );
        });
      });
      ruleCase.passing.forEach(([text, options], index) => {
        it(`accepts passing input ${index + 1}`, () => {
          assert.ok(!codes(text, options).includes(code), JSON.stringify(lint(text, options).filter((diagnostic) => diagnostic.code === code)));
        });
      });
    });
  }

  it('clean host file has no findings', () => {
    assert.deepEqual(codes(good()), []);
  });

  it('messages never contain a seed', () => {
    const seeds = [host.seed, other.seed, nats.seed, PUBLISHED_SEED, serverPair.seed];
    for (const ruleCase of Object.values(CASES)) {
      for (const [text, options] of [...ruleCase.failing, ...ruleCase.passing]) {
        for (const diagnostic of lint(text, options)) {
          for (const seed of seeds) {
            assert.ok(!diagnostic.message.includes(seed.slice(0, 20)), `${diagnostic.code}: ${diagnostic.message}`);
            for (const related of diagnostic.related ?? []) {
              assert.ok(!related.message.includes(seed.slice(0, 20)));
            }
          }
        }
      }
    }
  });
});

describe('fix data', () => {
  it('adds the seed public key to the issuers', () => {
    const [finding] = lint(good().replace(`${host.publicKey},`, '')).filter((diagnostic) => diagnostic.code === 'issuers-missing-seed-key');
    const fix = finding.fixes?.find((candidate) => candidate.preferred);
    assert.equal(fix?.edits[0].newText, `${other.publicKey},${host.publicKey}`);
  });

  it('removes whitespace around commas', () => {
    const [finding] = lint(good().replace(`,${other.publicKey}`, ` , ${other.publicKey}`)).filter((diagnostic) => diagnostic.code === 'issuers-whitespace');
    assert.equal(finding.fixes?.[0].edits[0].newText, `${host.publicKey},${other.publicKey}`);
  });

  it('removes a duplicate issuer', () => {
    const [finding] = lint(good().replace(`,${other.publicKey}`, `,${other.publicKey},${other.publicKey}`)).filter((diagnostic) => diagnostic.code === 'issuers-duplicate');
    assert.equal(finding.fixes?.[0].edits[0].newText, `${host.publicKey},${other.publicKey}`);
  });

  it('replaces a published seed and its issuer', () => {
    const text = `WASMCLOUD_CLUSTER_SEED=${PUBLISHED_SEED}\nWASMCLOUD_CLUSTER_ISSUERS=${PUBLISHED_PUBLIC},${third.publicKey}\n`;
    const [finding] = lint(text).filter((diagnostic) => diagnostic.code === 'seed-published-example');
    const fix = finding.fixes?.[0];
    assert.equal(fix?.generateKey, 'cluster');
    assert.deepEqual(
      fix?.edits.map((edit) => edit.newText),
      ['{{seed}}', `{{publicKey}},${third.publicKey}`],
    );
    assert.ok(!finding.message.includes(PUBLISHED_SEED));
  });

  it('renames a variable for the version', () => {
    const [finding] = lint('WASMCLOUD_LATTICE_PREFIX=prod\n', V1).filter((diagnostic) => diagnostic.code === 'variable-renamed');
    assert.equal(finding.fixes?.[0].edits[0].newText, 'WASMCLOUD_LATTICE');
    assert.equal(finding.fixes?.[0].preferred, true);
  });

  it('suggests the closest name', () => {
    const [finding] = lint('WASMCLOUD_CLUSTER_ISUERS=x\n');
    assert.match(finding.message, /Did you mean WASMCLOUD_CLUSTER_ISSUERS\?/);
    assert.equal(finding.fixes?.[0].edits[0].newText, 'WASMCLOUD_CLUSTER_ISSUERS');
  });

  it('replaces a seed pasted as issuer with its public key', () => {
    const [finding] = lint(good().replace(other.publicKey, other.seed)).filter((diagnostic) => diagnostic.code === 'issuer-is-seed');
    assert.equal(finding.fixes?.[0].edits[0].newText, `${host.publicKey},${other.publicKey}`);
  });
});

describe('suppressions and overrides', () => {
  const duplicate = 'WASMCLOUD_LATTICE=a\nWASMCLOUD_LATTICE=b\n';

  it('disable comment hides the next line', () => {
    assert.deepEqual(codes(`# wasmcloud-lattice-disable-next-line duplicate-key\n${duplicate}`), []);
  });

  it('disable comment for another code keeps it', () => {
    assert.deepEqual(codes(`# wasmcloud-lattice-disable-next-line port-invalid\n${duplicate}`), ['duplicate-key']);
  });

  it('severity override changes the severity', () => {
    assert.equal(lint(duplicate, { severities: { 'duplicate-key': 'error' } })[0].severity, 'error');
  });

  it('off removes the rule', () => {
    assert.deepEqual(codes(duplicate, { severities: { 'duplicate-key': 'off' } }), []);
  });
});

describe('host version inference', () => {
  it('reports version problems only when sure', () => {
    assert.deepEqual(codes('WASMCLOUD_LATTICE_PREFIX=prod\nWASMCLOUD_RPC_TLS=yes\n'), []);
  });

  it('a 1.x-only variable makes 1.x sure', () => {
    assert.ok(codes(`WASMCLOUD_NATS_CREDS=./x.creds\nWASMCLOUD_CLUSTER_SEED=${host.seed}\n`).includes('variable-ignored'));
  });
});
