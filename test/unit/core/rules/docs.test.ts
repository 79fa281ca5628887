import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { RULE_CODES } from '../../../../src/core/rules/codes';

const root = path.resolve(__dirname, '../../../../..');

describe('rule documentation', () => {
  it('docs/rules.md documents every code', () => {
    const docs = readFileSync(path.join(root, 'docs', 'rules.md'), 'utf8');
    assert.deepEqual(
      RULE_CODES.filter((code) => !docs.includes(`\`${code}\``)),
      [],
    );
  });

  it('package.json lists every code for severities', () => {
    const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
    const sections = [manifest.contributes.configuration].flat();
    const setting = sections.map((section) => section.properties['wasmcloudLattice.lint.severity']).find((property) => property !== undefined);
    const listed: string[] = setting.propertyNames.enum;
    assert.deepEqual([...listed].sort(), [...RULE_CODES].sort());
  });
});
