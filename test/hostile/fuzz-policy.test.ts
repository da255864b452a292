/**
 * Property: whatever text a policy file holds, loading and validating it
 * ends in a policy or in one-line diagnostics with a position; nothing
 * throws, and a policy that validates also compiles.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { compilePlan } from '../../src/plan/compile.js';
import { parseFile, type LoadResult } from '../../src/policy/load.js';
import { validatePolicies } from '../../src/policy/validate.js';
import { formatDiagnostic } from '../../src/util/diagnostics.js';
import { fuzzParams, mutatedText } from './fuzz.js';

const ORDERS = readFileSync('rules/orders.yaml', 'utf8')
  // one document alone: drop the checks that read another dataset (customers)
  .replace(', references: customers.customer_id', '')
  .replace(/^ {2}- reconcile: .*\n/m, '');

/** Load + validate + compile one file's text; returns the formatted diagnostics. */
function validateText(text: string): string[] {
  const loaded: LoadResult = { documents: [], files: [{ file: 'fuzz.yaml', text }], diagnostics: [] };
  parseFile('fuzz.yaml', text, loaded);
  const { policy, diagnostics } = validatePolicies(loaded);
  const lines = diagnostics.map(formatDiagnostic);
  for (const d of diagnostics) {
    if (d.severity === 'error') expect(d.location).toMatchObject({ file: 'fuzz.yaml', line: expect.any(Number), col: expect.any(Number) });
  }
  for (const line of lines) expect(line).not.toMatch(/[\n\r]/);
  if (!diagnostics.some((d) => d.severity === 'error')) compilePlan(policy);
  return lines;
}

test('arbitrary text never throws', () => {
  fc.assert(fc.property(fc.string({ maxLength: 400, unit: 'binary' }), (text) => void validateText(text)), fuzzParams(400));
});

test('mutated bundled policies never throw', () => {
  fc.assert(fc.property(mutatedText(ORDERS), (text) => void validateText(text)), fuzzParams(300));
});

test('structurally odd documents (any JSON value, prototype keys) never throw', () => {
  const key = fc.oneof(fc.constantFrom('kind', 'name', 'source', 'columns', 'checks', 'path', 'column', 'format', 'type', 'stat', 'severity', 'values', '__proto__', 'constructor', 'toString', 'valueOf', 'where', 'regex'), fc.string({ maxLength: 6 }));
  const value = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: 'small' },
      fc.oneof(fc.string({ maxLength: 10 }), fc.double(), fc.integer(), fc.boolean(), fc.constant(null)),
      fc.array(tie('node'), { maxLength: 4 }),
      fc.dictionary(key, tie('node'), { maxKeys: 4 }),
    ),
  })).node;
  const document = fc.record({ kind: fc.constantFrom('dataset', 'access', 'controls', 'other'), name: fc.string({ maxLength: 8 }), rest: fc.dictionary(key, value, { maxKeys: 5 }) });
  fc.assert(
    fc.property(document, ({ kind, name, rest }) => void validateText(stringify({ kind, name, ...rest }))),
    fuzzParams(400),
  );
});

test('a validating mutation still describes the same kind of thing (sanity: the unmutated file is valid)', () => {
  expect(validateText(ORDERS).filter((l) => !l.includes('warning'))).toEqual([]);
});
