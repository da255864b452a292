/**
 * Row expressions mean the same in the DuckDB executor as in the default
 * engine's closures: SQL's null logic (null through comparisons and
 * arithmetic, three-valued &&/||/!, `== null` as IS NULL, a null `where`
 * excludes the row, a null `expression` row is not evaluated). Property
 * test: random expressions over the DuckDB fixture's columns (with nulls,
 * invalid values, infinities and 0 / 0 from division) as `expression` checks
 * and `where` clauses; both engines must report the same evaluated and
 * failing rows and samples.
 */
import { withoutEngine } from '../helpers/policy-run.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { runChecks } from '../../src/pipeline.js';
import { fuzzParams } from '../hostile/fuzz.js';

const NOW = new Date('2026-01-08T00:00:00Z');
const DATA = resolve('fixtures/duckdb/shipments.csv');
const COLUMNS = `columns:
  id:           { type: integer }
  carrier:      { type: string }
  weight:       { type: number }
  qty:          { type: integer }
  shipped_at:   { type: timestamp }
  delivered_at: { type: timestamp }
  day:          { type: date }
  express:      { type: boolean }
  note:         { type: string }
  contact:      { type: string }
`;

const numberLeaf = fc.constantFrom('d.weight', 'd.qty', 'd.id', '0', '1', '-2.5', '1000', 'null', 'op.abs(d.weight)', 'op.floor(d.weight)', 'op.length(d.carrier)');
const dateLeaf = fc.constantFrom('d.shipped_at', 'd.delivered_at', 'd.day');
const stringLeaf = fc.constantFrom('d.carrier', 'd.note', "'ups'", "'dhl'", "''", 'op.lower(d.carrier)', 'op.upper(d.note)', "op.concat(d.carrier, '-', d.note)");
const booleanLeaf = fc.constantFrom('d.express', 'true', 'false');

const { condition } = fc.letrec((tie) => ({
  number: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    numberLeaf,
    fc.tuple(tie('number'), fc.constantFrom('+', '-', '*', '/'), tie('number')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    tie('number').map((a) => `(-(${a}))`),
    fc.tuple(tie('number'), tie('number')).map(([a, b]) => `(${a} ?? ${b})`),
    fc.tuple(tie('condition'), tie('number'), tie('number')).map(([c, a, b]) => `(${c} ? ${a} : ${b})`),
  ),
  ordered: fc.oneof(tie('number'), dateLeaf),
  condition: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.tuple(tie('ordered'), fc.constantFrom('<', '<=', '>', '>='), tie('ordered')).map(([a, op, b]) => `${a} ${op} ${b}`),
    fc.tuple(tie('number'), fc.constantFrom('==', '!=', '===', '!=='), tie('number')).map(([a, op, b]) => `${a} ${op} ${b}`),
    fc.tuple(stringLeaf, fc.constantFrom('==', '!='), stringLeaf).map(([a, op, b]) => `${a} ${op} ${b}`),
    fc.tuple(booleanLeaf, fc.constantFrom('==', '!='), booleanLeaf).map(([a, op, b]) => `${a} ${op} ${b}`),
    fc.tuple(fc.oneof(numberLeaf, stringLeaf, dateLeaf), fc.constantFrom('== null', '!= null')).map(([a, t]) => `${a} ${t}`),
    tie('condition').map((c) => `!(${c})`),
    fc.tuple(tie('condition'), fc.constantFrom('&&', '||'), tie('condition')).map(([a, op, b]) => `(${a}) ${op} (${b})`),
    fc.tuple(tie('condition'), tie('condition'), tie('condition')).map(([c, a, b]) => `(${c} ? ${a} : ${b})`),
    fc.tuple(stringLeaf, fc.constantFrom("'ups'", "'u'", "''")).map(([a, b]) => `op.startswith(${a}, ${b})`),
    fc.tuple(stringLeaf).map(([a]) => `op.includes(['ups', 'dhl', null], ${a})`),
    fc.tuple(numberLeaf).map(([a]) => `op.includes([0, 1, 1000], ${a})`),
    booleanLeaf,
    fc.constant('null'),
  ),
})) as { condition: fc.Arbitrary<string> };

const dir = mkdtempSync(join(tmpdir(), 'assay-duckdb-expr-'));
let n = 0;

/** One dataset per expression, so an expression DuckDB declines only sends its own dataset to arquero. */
function policyFor(expressions: [string, string][]): string {
  const file = join(dir, `p${n++}.yaml`);
  const docs = expressions.map(
    ([row, where], i) => `kind: dataset\nname: e${i}\nsource: { path: ${JSON.stringify(DATA)} }\n${COLUMNS}checks:\n  - expression: { row: ${JSON.stringify(row)}, where: ${JSON.stringify(where)}, samples: 3 }\n`,
  );
  writeFileSync(file, docs.join('---\n'));
  return file;
}

test('random expressions: the same failing rows and samples from both engines', async () => {
  let inDuckDB = 0;
  let total = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(fc.tuple(condition, condition), { minLength: 1, maxLength: 6 }), async (expressions) => {
      const file = policyFor(expressions);
      const arquero = await runChecks({ paths: [file], now: NOW, runId: 'test', engine: 'arquero' });
      const duckdb = await runChecks({ paths: [file], now: NOW, runId: 'test', engine: 'duckdb' });
      for (const e of duckdb.engines.values()) {
        total++;
        if (e.engine === 'duckdb') inDuckDB++;
      }
      expect(withoutEngine(duckdb.report.datasets)).toEqual(withoutEngine(arquero.report.datasets));
    }),
    // Runs are not cut off by time: an interrupted run would go on after the test ends.
    { ...fuzzParams(10), interruptAfterTimeLimit: undefined },
  );
  // Most generated expressions are translatable: the comparison is not vacuous.
  expect(inDuckDB).toBeGreaterThan(total / 2);
}, 300_000);
