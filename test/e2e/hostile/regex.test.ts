/**
 * Regexes and expressions from policy files cannot hang assay: `pattern`
 * runs on RE2JS (linear time), `op.match` (a backtracking RegExp) is refused,
 * and assay's own type and format regexes are linear on hostile cells.
 * Each run has a timeout; a hang fails the test instead of stalling CI.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectNoCrash, runCli, scratchProject } from './cli.js';
import { jest } from '@jest/globals';

// Each test runs the CLI one or more times; a shared CI machine can be slow. Hangs are caught by runCli's own timeout.
jest.setTimeout(300_000);

const ROWS = 200;
const CELL = `${'a'.repeat(5000)}!`; // ^(a+)+$ needs ~2^5000 steps on a backtracking engine

test('^(a+)+$ over a long column finishes and fails every row', () => {
  const p = scratchProject({
    'data.csv': `s\n${Array.from({ length: ROWS }, () => CELL).join('\n')}\n`,
    'rules/t.yaml': [
      'kind: dataset',
      'name: t',
      'source: { path: ../data.csv }',
      'columns:',
      '  s: { type: string }',
      'checks:',
      '  - pattern: { column: s, regex: "^(a+)+$" }',
    ].join('\n'),
  });
  try {
    const r = runCli(['check', 'rules', '--format', 'json', '--out', 'out'], p.dir);
    expectNoCrash(r);
    expect(r.status).toBe(1);
    const report = JSON.parse(readFileSync(join(p.dir, 'out/assay-report.json'), 'utf8'));
    const check = report.datasets[0].checks.find((c: { type: string }) => c.type === 'pattern');
    expect(check).toMatchObject({ status: 'fail', failed_rows: ROWS, evaluated_rows: ROWS });
  } finally {
    p.cleanup();
  }
});

test('a one-megabyte numeric-looking cell types in linear time (declared and inferred columns)', () => {
  const cell = `${'1'.repeat(1_000_000)}x`; // was quadratic in the NUMBER regex: hours
  const p = scratchProject({
    'data.csv': `n,m\n${cell},${cell}\n1,2\n`,
    'rules/t.yaml': ['kind: dataset', 'name: t', 'source: { path: ../data.csv }', 'columns:', '  n: { type: number }', 'checks:', '  - row_count: { min: 1 }'].join('\n'),
  });
  try {
    const r = runCli(['check', 'rules', '--format', 'json', '--out', 'out'], p.dir);
    expectNoCrash(r);
    expect(r.status).toBe(1); // the type check fails on the bad cell
    const report = JSON.parse(readFileSync(join(p.dir, 'out/assay-report.json'), 'utf8'));
    expect(report.datasets[0].checks.find((c: { type: string }) => c.type === 'type')).toMatchObject({ status: 'fail', failed_rows: 1 });
  } finally {
    p.cleanup();
  }
});

test('a fail_when padded with a million spaces validates in linear time (the condition regex was quadratic)', () => {
  const condition = `> 1${' '.repeat(1_000_000)}x`;
  const p = scratchProject({
    'rules/t.yaml': ['kind: dataset', 'name: t', 'source: { path: ../data.csv }', 'checks:', `  - row_count: { min: 1, fail_when: "${condition}" }`].join('\n'),
  });
  try {
    const r = runCli(['validate', 'rules'], p.dir);
    expectNoCrash(r);
    expect(r.status).toBe(2);
  } finally {
    p.cleanup();
  }
});

test.each([
  ['op.match', 'op.match(d.s, "^(a+)+$") != null', /"op\.match" is not allowed: regexes in expressions are not allowed; use a pattern check/],
  ['a regex literal', 'op.replace(d.s, /(a+)+$/, "") == ""', /a regular expression literal is not allowed/],
  ['op.repeat', 'op.length(op.repeat(d.s, 1e9)) > 0', /"op\.repeat" is not allowed: its output is not bounded by its input/],
  ['op.padstart', 'op.length(op.padstart(d.s, 1e9)) > 0', /"op\.padstart" is not allowed/],
  ['op.sequence', 'op.length(op.sequence(0, 1e12)) > 0', /"op\.sequence" is not allowed/],
  ['a backreference in pattern', null, /cannot run in linear time or is not valid/],
])('validate refuses %s with exit 2 before reading data', (_name, row, message) => {
  const check = row === null ? '  - pattern: { column: s, regex: "^(a)\\\\1$" }' : `  - expression: { row: ${JSON.stringify(row)} }`;
  const p = scratchProject({
    'rules/t.yaml': ['kind: dataset', 'name: t', 'source: { path: ../missing.csv }', 'columns:', '  s: { type: string }', 'checks:', check].join('\n'),
  });
  try {
    const r = runCli(['validate', 'rules'], p.dir);
    expectNoCrash(r);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/^rules\/t\.yaml:7:\d+: checks\[0\]\./m);
  } finally {
    p.cleanup();
  }
});
