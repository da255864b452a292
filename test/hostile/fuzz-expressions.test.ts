/**
 * Property: an expression from a policy file is either refused at
 * validation with an ExpressionError, or it runs: every check ends in a
 * status, nothing escapes as an exception, and nothing outside the data is
 * touched (no global or prototype is changed).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { loadValidatedPolicies, runChecks } from '../../src/pipeline.js';
import { ExpressionError, parseExpression } from '../../src/expr/parse.js';
import { AssayError } from '../../src/util/diagnostics.js';
import { expressionSoup, fuzzParams, wellFormedExpression } from './fuzz.js';

let project: string;
const cwd = process.cwd();

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'assay-fuzz-expr-'));
  mkdirSync(join(project, '.git'));
  writeFileSync(join(project, 'data.csv'), 'a,b,s\n1,2,x\n-3,,"{""k"":1}"\n,0.5,\n7,8,"[1,2]"\n');
  process.chdir(project);
});
afterAll(() => {
  process.chdir(cwd);
  rmSync(project, { recursive: true, force: true });
});

function policyWith(expression: string, aggregate: string): string {
  return [
    'kind: dataset',
    'name: t',
    'source: { path: data.csv }',
    'columns: { a: { type: number }, b: { type: number }, s: { type: string } }',
    'checks:',
    `  - expression: { row: ${JSON.stringify(expression)} }`,
    `  - row_count: { min: 0, where: ${JSON.stringify(expression)} }`,
    `  - aggregate: { expr: ${JSON.stringify(aggregate)}, min: -1e300 }`,
  ].join('\n');
}

const before = { prototypeKeys: Object.getOwnPropertyNames(Object.prototype).sort(), globals: Object.getOwnPropertyNames(globalThis).sort() };

/** How many expressions got past validation and ran, so the properties are not vacuous. */
const outcomes = { refused: 0, ran: 0 };

async function runExpression(expression: string): Promise<void> {
  writeFileSync(join(project, 'rules.yaml'), policyWith(expression, `op.valid(${expression})`));
  let validated;
  try {
    validated = loadValidatedPolicies(['rules.yaml']);
  } catch (e) {
    expect(e).toBeInstanceOf(AssayError); // refused at validation: exit 2
    outcomes.refused++;
    return;
  }
  const run = await runChecks({ paths: ['rules.yaml'], now: new Date('2026-01-05T00:00:00Z') }, validated);
  outcomes.ran++;
  for (const check of run.report.datasets[0].checks) {
    expect(['pass', 'warn', 'fail', 'error']).toContain(check.status);
    expect(typeof check.message).toBe('string');
  }
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before.prototypeKeys);
  expect(Object.getOwnPropertyNames(globalThis).sort()).toEqual(before.globals);
}

test('token soup: parseExpression only ever throws ExpressionError', () => {
  fc.assert(
    fc.property(expressionSoup, fc.constantFrom('row', 'aggregate', 'filter') as fc.Arbitrary<'row' | 'aggregate' | 'filter'>, (text, context) => {
      try {
        parseExpression(text, context);
      } catch (e) {
        if (!(e instanceof ExpressionError)) throw e;
        // Messages may quote the text, line breaks included; formatDiagnostic escapes them.
        expect(e.offset).toBeGreaterThanOrEqual(0);
        expect(e.offset).toBeLessThanOrEqual(text.length);
      }
    }),
    fuzzParams(3000, 10),
  );
});

test('token soup through validate and run: refused or runs, never throws', async () => {
  await fc.assert(fc.asyncProperty(expressionSoup, runExpression), fuzzParams(150, 15));
});

test('well-formed expressions run over odd values (nulls, JSON text, NaN) without escaping exceptions', async () => {
  outcomes.ran = 0;
  await fc.assert(fc.asyncProperty(wellFormedExpression, runExpression), fuzzParams(150, 15));
  expect(outcomes.ran).toBeGreaterThan(20);
});
