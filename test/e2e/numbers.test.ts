/**
 * End to end (issue 12, "false passes and wrong numbers"): each reproduction
 * run through the built CLI. Each of these passed, or ended wrongly, on 92830bb.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { runCli } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/files.js';

let dir: TempDir;
beforeEach(() => {
  dir = tempDir('assay-numbers-');
});
afterEach(() => dir.remove());

interface CheckJson {
  id: string;
  status: string;
  observed: unknown;
  message: string;
  samples: { row: number; values: Record<string, unknown> }[];
}

function check(args: string[], env: Record<string, string> = {}) {
  const out = join(dir.path, 'out');
  const r = runCli(['check', join(dir.path, 'rules'), '--out', out, '--no-audit', '--format', 'json', ...args], env);
  const report = r.code === 0 || r.code === 1 || r.code === 3 ? JSON.parse(readFileSync(join(out, 'assay-report.json'), 'utf8')) : undefined;
  const checks: Record<string, CheckJson> = {};
  for (const d of report?.datasets ?? []) for (const c of d.checks) checks[c.id] = c;
  return { ...r, report, checks };
}

describe('like with like: a column with one non-numeric value never passes a numeric bound', () => {
  beforeEach(() => {
    dir.write('orders.csv', 'id,amount\n1,5\n2,N/A\n3,1000000\n');
    dir.write('rules/orders.yaml', `kind: dataset
name: orders
source: { path: ../orders.csv }
columns: { id: { type: integer }, amount: {} }
checks:
  - metric: { column: amount, stat: max, max: 1000 }
  - aggregate: { name: max_amount, expr: "op.max(d.amount)", max: 1000 }
`);
  });

  test.each(['arquero', 'duckdb'])('%s engine: both checks are errors, the run does not exit 0', (engine) => {
    const r = check(['--engine', engine]);
    expect(r.code).toBe(1);
    expect(r.checks['orders.amount.max']).toMatchObject({ status: 'error', observed: null, message: 'max(amount) is not numeric: the column holds text' });
    // The expression engine refuses op.max over text itself; either way the check is an error, never a pass.
    expect(r.checks['orders.max_amount']).toMatchObject({ status: 'error', observed: null });
    expect(r.report.summary).toMatchObject({ error: 2, pass: 1 });
  });
});

describe('integers beyond 2^53 stay exact', () => {
  test('undeclared CSV column: unique sees distinct keys, samples show the real values', () => {
    dir.write('keys.csv', 'id,parent\n9007199254740993,1\n9007199254740992,9007199254740995\n9007199254740993,2\n');
    dir.write('rules/keys.yaml', `kind: dataset
name: keys
source: { path: ../keys.csv }
columns: { id: {}, parent: {} }
checks:
  - unique: { column: id }
  - unique: { name: pair_unique, columns: [id, parent] }
  - metric: { column: id, stat: max, max: 9007199254740992 }
  - metric: { column: parent, stat: sum, min: 9007199254741000 }
`);
    for (const engine of ['arquero', 'duckdb']) {
      const r = check(['--engine', engine]);
      expect(r.code).toBe(1);
      expect(r.checks['keys.id.unique']).toMatchObject({ status: 'fail', observed: 2, samples: [{ row: 1, values: { id: '9007199254740993' } }, { row: 3, values: { id: '9007199254740993' } }] });
      expect(r.checks['keys.pair_unique']).toMatchObject({ status: 'pass', observed: 0 });
      expect(r.checks['keys.id.max']).toMatchObject({ status: 'fail', observed: '9007199254740993', message: 'max(id) is 9007199254740993; expected <= 9007199254740992' });
      // 1 + 9007199254740995 + 2, exactly (in doubles the values round, and so does the sum)
      expect(r.checks['keys.parent.sum']).toMatchObject({ status: 'fail', observed: '9007199254740998' });
      if (engine === 'duckdb') expect(r.stderr).toContain('measured by the arquero engine, not DuckDB: an integer column holds values beyond 2^53');
    }
  });

  test.each(['ndjson', 'json'])('%s with type: integer: reference catches the orphan, unique passes distinct keys', (format) => {
    const rows = (key: string, values: string[]) => (format === 'ndjson' ? values.map((v) => `{"${key}": ${v}}`).join('\n') : `[${values.map((v) => `{"${key}": ${v}}`).join(',')}]`);
    dir.write(`parents.${format}`, rows('id', ['9007199254740992', '9007199254740994', '12']));
    dir.write(`kids.${format}`, rows('parent_id', ['9007199254740993', '9007199254740992', '12']));
    dir.write('rules/family.yaml', `kind: dataset
name: parents
source: { path: ../parents.${format} }
columns: { id: { type: integer, unique: true } }
---
kind: dataset
name: kids
source: { path: ../kids.${format} }
columns: { parent_id: { type: integer, references: parents.id } }
`);
    const r = check([]);
    expect(r.code).toBe(1);
    expect(r.checks['parents.id.unique']).toMatchObject({ status: 'pass', observed: 0 });
    expect(r.checks['kids.parent_id.type']).toMatchObject({ status: 'pass' });
    expect(r.checks['kids.parent_id.reference']).toMatchObject({ status: 'fail', observed: 1, samples: [{ row: 1, values: { parent_id: '9007199254740993' } }] });
  });

  test('NDJSON export of an int64 beyond 2^53 writes the exact digits', () => {
    dir.write('ids.ndjson', '{"id": 9007199254740993, "n": 1}\n{"id": 5, "n": 2}\n');
    dir.write('rules/ids.yaml', `kind: dataset
name: ids
source: { path: ../ids.ndjson }
columns: { id: { type: integer }, n: { type: integer } }
---
kind: access
roles: { analyst: {} }
principals: { alice: { roles: [analyst] } }
policies:
  - { name: read, effect: allow, roles: [analyst], datasets: "*" }
`);
    const out = join(dir.path, 'ids-out.ndjson');
    const r = runCli(['export', join(dir.path, 'rules'), '--as', 'alice', '--dataset', 'ids', '--out', out, '--no-audit']);
    expect(r.stderr).not.toContain('internal error');
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('{"id":9007199254740993,"n":1}\n{"id":5,"n":2}\n');
  });
});

test('1e309 does not pass type: number as Infinity, in either engine', () => {
  dir.write('n.csv', 'x\n1.5\n1e309\n');
  dir.write('rules/n.yaml', 'kind: dataset\nname: n\nsource: { path: ../n.csv }\ncolumns: { x: { type: number } }\n');
  for (const engine of ['arquero', 'duckdb']) {
    const r = check(['--engine', engine]);
    expect(r.code).toBe(1);
    expect(r.checks['n.x.type']).toMatchObject({ status: 'fail', observed: 1, samples: [{ row: 2, values: { x: '1e309' } }] });
  }
});

test.each([
  ['row_count: { min: 5, max: 1 }', 'rules/r.yaml:6:23: checks[0].row_count.min: min 5 is greater than max 1'],
  ['metric: { column: x, stat: mean, min: 0, warn: { between: [9, 2] } }', 'rules/r.yaml:6:63: checks[0].metric.warn.between: between [9, 2] is empty'],
])('%s is a validation error, exit 2, with file:line', (entry, line) => {
  dir.write('r.csv', 'x\n1\n');
  dir.write('rules/r.yaml', `kind: dataset\nname: r\nsource: { path: ../r.csv }\ncolumns: { x: { type: integer } }\nchecks:\n  - ${entry}\n`);
  const r = runCli(['validate', join(dir.path, 'rules')]);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(`/rules/r.yaml:${line.split(':').slice(1).join(':')}\n`);
  expect(check([]).code).toBe(2);
});

test('an unreadable dataset with no checks is an error in JUnit and in the summary (a <dataset>.read case)', () => {
  dir.write('rules/gone.yaml', 'kind: dataset\nname: gone\nsource: { path: ../missing.csv }\n');
  const out = join(dir.path, 'out');
  const r = runCli(['check', join(dir.path, 'rules'), '--out', out, '--no-audit', '--format', 'junit', '--format', 'console']);
  expect(r.code).toBe(3);
  expect(r.stdout).toContain('ERROR  1 check: 0 pass, 0 warn, 0 fail, 1 error');
  const xml = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(join(out, 'junit.xml'), 'utf8'));
  expect(xml.testsuites['@_errors']).toBe('1');
  expect(xml.testsuites.testsuite['@_errors']).toBe('1');
  expect(xml.testsuites.testsuite.testcase['@_name']).toBe('gone.read');
});

describe('--data runs are not compliance evidence', () => {
  test('a clean hand-picked file passes, but the control keeps the declared source\'s failure, and the run is listed apart', () => {
    dir.write('real.csv', 'id\n1\n1\n');
    dir.write('clean.csv', 'id\n1\n2\n');
    dir.write('rules/d.yaml', `kind: dataset
name: d
source: { path: ../real.csv }
columns: { id: { type: integer, unique: true } }
controls: [soc2.CC7.1]
---
kind: controls
frameworks: { soc2: { CC7.1: Detect changes } }
`);
    const log = join(dir.path, 'audit.jsonl');
    const rules = join(dir.path, 'rules');
    const out = join(dir.path, 'out');
    expect(runCli(['check', rules, '--out', out, '--audit-log', log]).code).toBe(1);
    expect(runCli(['check', rules, '--out', out, '--audit-log', log, '--data', `d=${join(dir.path, 'clean.csv')}`]).code).toBe(0);
    const r = runCli(['report', 'compliance', rules, '--audit-log', log, '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.controls[0]).toMatchObject({ id: 'soc2.CC7.1', status: 'not-satisfied' });
    expect(report.override_runs).toEqual([expect.objectContaining({ dataset: 'd', source: join(dir.path, 'clean.csv'), outcome: 'pass' })]);
  });
});

describe('durations out of range are refused with exit 2', () => {
  test('audit show --since 9999999999d', () => {
    const log = dir.write('audit.jsonl', '');
    const r = runCli(['audit', 'show', '--log', log, '--since', '9999999999d']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--since: duration "9999999999d" is out of range');
  });

  test('report compliance --since 9999999999d', () => {
    dir.write('rules/x.yaml', 'kind: controls\nframeworks: { soc2: { CC7.1: x } }\n');
    const log = dir.write('audit.jsonl', '');
    const r = runCli(['report', 'compliance', join(dir.path, 'rules'), '--audit-log', log, '--since', '9999999999d']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--since: duration "9999999999d" is out of range');
    expect(r.stderr).not.toContain('internal error');
  });
});

test('audit show escapes terminal control characters in actor text: no forged lines', () => {
  dir.write('t.csv', 'x\n1\n');
  dir.write('rules/t.yaml', 'kind: dataset\nname: t\nsource: { path: ../t.csv }\ncolumns: { x: { type: integer } }\n');
  const log = join(dir.path, 'audit.jsonl');
  const actor = 'eve\r\u001b[2K\u001b[1A#1  2026-01-01T00:00:00.000Z  admin  check.run  t  pass';
  expect(runCli(['check', join(dir.path, 'rules'), '--out', join(dir.path, 'out'), '--audit-log', log, '--actor', actor]).code).toBe(0);
  const r = runCli(['audit', 'show', '--log', log]);
  expect(r.code).toBe(0);
  // eslint-disable-next-line no-control-regex -- the test looks for raw control characters
  expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  expect(r.stdout).toContain('eve\\r\\u001b[2K\\u001b[1A#1');
});
