/**
 * Issue 12 reproductions: policy text reached `Function` and a backtracking
 * regex through arquero op functions that take objects and property names
 * (op.pluck, op.object, op.row_object, op.recode, op.to_json). With assay's
 * own function table these are validation errors, exit 2, before any data
 * is read; `check` refuses them the same way. Each ran on 92830bb.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { expectNoCrash, runCli, scratchProject } from './cli.js';

jest.setTimeout(120_000);

const ATTACKS: [string, 'row' | 'aggregate', string, RegExp][] = [
  [
    'Function reached through op.pluck on op.row_object',
    'aggregate',
    'op.array_agg(op.join(op.pluck(op.pluck([op.row_object()], "constr" + "uctor"), "constructor")))',
    /"op\.join" is not allowed/,
  ],
  [
    'a policy string handed to Function by op.to_json of an object with a toJSON from op.recode',
    'row',
    'op.to_json(op.object([["toJSON", op.recode(0, op.pluck(op.pluck([op.row_object()], "constructor"), "constructor"))]])) != ""',
    /"op\.to_json" is not allowed: expressions work on scalar values/,
  ],
  ['a backtracking regex through op.pluck([""], "match") as toJSON', 'row', 'op.to_json(op.object([["toJSON", op.pluck([""], "match")]]), "(a+)+$") != ""', /"op\.to_json" is not allowed/],
  ['op.pluck alone', 'row', 'op.pluck([op.row_object()], "constructor") != null', /"op\.pluck" is not allowed/],
  ['op.object alone', 'row', 'op.object([["a", 1]]) != null', /"op\.object" is not allowed/],
  ['op.parse_json of a cell', 'row', 'op.parse_json(d.s) != null', /"op\.parse_json" is not allowed/],
  ['op.match', 'row', 'op.match(d.s, "^(a+)+$") != null', /"op\.match" is not allowed: regexes in expressions are not allowed/],
];

test.each(ATTACKS)('%s: validate and check refuse it with exit 2', (_name, context, expression, message) => {
  const check = context === 'row' ? `  - expression: { row: ${JSON.stringify(expression)} }` : `  - aggregate: { expr: ${JSON.stringify(expression)}, max: 0 }`;
  const p = scratchProject({
    'data.csv': 's\n' + 'a'.repeat(40) + '!\n',
    'rules/t.yaml': ['kind: dataset', 'name: t', 'source: { path: ../data.csv }', 'columns:', '  s: { type: string }', 'checks:', check].join('\n'),
  });
  try {
    for (const command of [['validate', 'rules'], ['check', 'rules', '--out', 'out']]) {
      const r = runCli(command, p.dir);
      expectNoCrash(r);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/^rules\/t\.yaml:7:\d+: checks\[0\]\.(expression\.row|aggregate\.expr): /m);
      expect(r.stdout + r.stderr).not.toMatch(/function Function|native code/);
    }
  } finally {
    p.cleanup();
  }
});

test('an evaluation error reports the function and column, never the cell (issue 12: V8 quoted the cell)', () => {
  const secret = 'SSN-123-45-6789';
  const p = scratchProject({
    'data.csv': `name,n\n${secret},1\n`,
    'rules/t.yaml': ['kind: dataset', 'name: t', 'source: { path: ../data.csv }', 'columns:', '  name: { type: string }', '  n: { type: number }', 'checks:', '  - expression: { row: "op.abs(d.name) > 0" }', '  - aggregate: { expr: "op.sum(d.name)", max: 0 }'].join('\n'),
  });
  try {
    const r = runCli(['check', 'rules', '--format', 'json', '--format', 'markdown', '--out', 'out'], p.dir);
    expectNoCrash(r);
    expect(r.status).toBe(1);
    const report = readFileSync(join(p.dir, 'out/assay-report.json'), 'utf8');
    const checks = JSON.parse(report).datasets[0].checks.filter((c: { type: string }) => c.type === 'expression' || c.type === 'aggregate');
    expect(checks.map((c: { status: string }) => c.status)).toEqual(['error', 'error']);
    expect(checks[0].message).toContain('argument 1 of op.abs must be a number, not a string (reading d.name)');
    expect(checks[1].message).toContain('argument 1 of op.sum must be a number, not a string (reading d.name)');
    for (const text of [r.stdout, r.stderr, report, readFileSync(join(p.dir, 'out/summary.md'), 'utf8')]) expect(text).not.toContain(secret);
  } finally {
    p.cleanup();
  }
});
