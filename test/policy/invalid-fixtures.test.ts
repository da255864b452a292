/**
 * One policy file per kind of error under fixtures/policies/invalid/, each
 * with <case>.expected.txt holding the exact diagnostic lines it must produce
 * (`file:line:col: path: message (expected)`). UPDATE_GOLDEN=1 rewrites them.
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadPolicies } from '../../src/policy/load.js';
import { validatePolicies } from '../../src/policy/validate.js';
import { formatDiagnostic } from '../../src/util/diagnostics.js';
import { expectGolden } from '../helpers/golden.js';

const DIR = 'fixtures/policies/invalid';
const cases = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.replace(/\.yaml$/, ''));

test('there is a fixture for every kind of policy error', () => {
  expect(cases).toEqual(
    expect.arrayContaining([
      'unknown-key', 'unknown-check-type', 'wrong-type', 'missing-required-key', 'enum-value', 'yaml-syntax', 'duplicate-key',
      'duplicate-dataset', 'duplicate-check-id', 'unknown-column', 'unsafe-expression', 'unsafe-regex', 'bad-duration',
      'conflicting-options', 'unknown-control',
    ]),
  );
});

test.each(cases)('%s', (name) => {
  const { diagnostics } = validatePolicies(loadPolicies([join(DIR, `${name}.yaml`)]));
  const errors = diagnostics.filter((d) => d.severity === 'error');
  expect(errors.length).toBeGreaterThan(0);
  expectGolden(resolve(DIR, `${name}.expected.txt`), diagnostics.map(formatDiagnostic).join('\n') + '\n');
});
