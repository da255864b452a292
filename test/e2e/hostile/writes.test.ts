/**
 * Writes stay in the output folder (SECURITY.md): committed links under
 * reports/, globs through links, a report set that is always this run's,
 * reports too large to build, exports onto the data, and paths DuckDB would
 * glob. Each runs the built CLI as a subprocess in a scratch git project.
 */
import { jest } from '@jest/globals';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { expectNoCrash, runCli, scratchProject } from './cli.js';

jest.setTimeout(300_000);

const DATASET = ['kind: dataset', 'name: d', 'source: { path: ../data/d.csv }', 'columns:', '  id: { type: integer }', 'checks:', '  - row_count: { min: 1 }', ''].join('\n');
const ACCESS = ['kind: access', 'roles:', '  r: { description: reads d }', 'principals:', '  p: { roles: [r] }', 'policies:', '  - name: read-d', '    effect: allow', '    roles: [r]', '    datasets: { names: [d] }', ''].join('\n');

let project: ReturnType<typeof scratchProject>;
let outside: string;
beforeEach(() => {
  project = scratchProject({ 'rules/d.yaml': DATASET, 'data/d.csv': 'id\n1\n2\n' });
  outside = mkdtempSync(join(tmpdir(), 'assay-victim-'));
});
afterEach(() => {
  project.cleanup();
  rmSync(outside, { recursive: true, force: true });
});

const assay = (args: string[], env: NodeJS.ProcessEnv = {}) => {
  const r = runCli(args, project.dir, 120_000, env);
  expectNoCrash(r);
  return r;
};
const at = (path: string) => join(project.dir, path);
const victim = (text = 'export PATH=/usr/bin\n'): string => {
  const file = join(outside, 'important.txt');
  writeFileSync(file, text);
  return file;
};

describe('committed links under reports/ never redirect a write', () => {
  test('reports/assay-report.json -> a file outside: exit 2, one line naming the link, the file untouched', () => {
    const target = victim();
    mkdirSync(at('reports'));
    symlinkSync(target, at('reports/assay-report.json'));
    const r = assay(['check', '--no-audit']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(['assay: reports/assay-report.json: is a symbolic link; assay never writes through a link', 'hint: remove it, or choose another output folder']);
    expect(readFileSync(target, 'utf8')).toBe('export PATH=/usr/bin\n');
  });

  test('reports/audit.jsonl -> a file outside: nothing is appended to it, exit 2', () => {
    const target = victim();
    mkdirSync(at('reports'));
    symlinkSync(target, at('reports/audit.jsonl'));
    const r = assay(['check']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^assay: reports\/audit\.jsonl: is a symbolic link/m);
    expect(readFileSync(target, 'utf8')).toBe('export PATH=/usr/bin\n');
  });

  test('a link to a file that does not exist yet (say ~/.bashrc) is not created either', () => {
    mkdirSync(at('reports'));
    symlinkSync(join(outside, 'bashrc'), at('reports/audit.jsonl'));
    expect(assay(['check']).status).toBe(2);
    expect(existsSync(join(outside, 'bashrc'))).toBe(false);
  });

  test('reports itself a link to a folder outside: exit 2, nothing written there', () => {
    symlinkSync(outside, at('reports'));
    const r = assay(['check', '--format', 'html']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^assay: reports: is a symbolic link/m);
    expect(readdirSync(outside)).toEqual([]);
  });

  test('a link planted at a report this run does not ask for is refused too, not removed through', () => {
    const target = victim();
    mkdirSync(at('reports'));
    symlinkSync(target, at('reports/report.html'));
    expect(assay(['check', '--no-audit']).status).toBe(2);
    expect(lstatSync(at('reports/report.html')).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('export PATH=/usr/bin\n');
  });

  test('export --out and report compliance --out onto a link are refused', () => {
    const target = victim();
    project.write('rules/access.yaml', ACCESS);
    symlinkSync(target, at('view.csv'));
    const e = assay(['export', '--as', 'p', '--dataset', 'd', '--out', 'view.csv', '--no-audit']);
    expect(e.status).toBe(2);
    expect(e.stderr).toMatch(/^assay: view\.csv: is a symbolic link/m);
    const c = assay(['report', 'compliance', '--out', 'view.csv', '--audit-log', 'none.jsonl']);
    expect(c.status).toBe(2);
    expect(readFileSync(target, 'utf8')).toBe('export PATH=/usr/bin\n');
  });
});

describe('the report set is always this run\'s', () => {
  const runId = (file: string): string => JSON.parse(readFileSync(at(file), 'utf8')).run.id;

  test('--format junit --format html rewrites assay-report.json and removes the earlier summary.md', () => {
    expect(assay(['check', '--no-audit', '--format', 'json', '--format', 'markdown']).status).toBe(0);
    const first = runId('reports/assay-report.json');
    const r = assay(['check', '--no-audit', '--format', 'junit', '--format', 'html']);
    expect(r.status).toBe(0);
    // The metrics history (SPEC §6) is a store kept across runs, like the audit log, not part of the report set.
    expect(readdirSync(at('reports')).sort()).toEqual(['assay-report.json', 'history.duckdb', 'junit.xml', 'report.html']);
    const second = runId('reports/assay-report.json');
    expect(second).not.toBe(first);
    expect(readFileSync(at('reports/report.html'), 'utf8')).toContain(`run ${second}`);
    expect(readFileSync(at('reports/junit.xml'), 'utf8')).toContain(`value="${second}"`);
  });

  test('a run that exits 2 leaves no report of an earlier run behind (the audit log and the metrics history stay)', () => {
    expect(assay(['check', '--format', 'json', '--format', 'html', '--format', 'markdown', '--format', 'junit']).status).toBe(0);
    project.write('rules/d.yaml', `${DATASET}  - row_count: { min: 5, max: 1, typo: 1 }\n`);
    const r = assay(['check', '--format', 'html']);
    expect(r.status).toBe(2);
    expect(readdirSync(at('reports')).sort()).toEqual(['audit.jsonl', 'history.duckdb']);
  });
});

describe('globs do not follow links', () => {
  test('a link loop under a policy glob: check ends quickly with the real files', () => {
    project.write('rules/d.yaml', DATASET.replace('../data/d.csv', '../data/**/*.csv'));
    symlinkSync('..', at('data/loop1'));
    symlinkSync('..', at('data/loop2'));
    mkdirSync(at('data/sub'));
    symlinkSync('../..', at('data/sub/up'));
    const started = Date.now();
    const r = runCli(['check', '--no-audit', '--format', 'json'], project.dir, 30_000);
    expect(r.timedOut).toBe(false);
    expect(r.status).toBe(0);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(JSON.parse(readFileSync(at('reports/assay-report.json'), 'utf8')).datasets[0].rows).toBe(2);
  });

  test('a glob through a linked folder outside the project does not list or read it', () => {
    writeFileSync(join(outside, 'secret.csv'), 'id\n7\n8\n9\n');
    symlinkSync(outside, at('data/ext'));
    project.write('rules/d.yaml', DATASET.replace('../data/d.csv', '../data/**/*.csv'));
    const r = assay(['check', '--no-audit', '--format', 'json']);
    expect(r.status).toBe(0);
    const report = JSON.parse(readFileSync(at('reports/assay-report.json'), 'utf8'));
    expect(report.datasets[0].rows).toBe(2);
    expect(r.stdout + r.stderr).not.toContain('secret');
  });
});

test('2,800 checks keeping 1,000 samples each: a report is written, bounded, and says it was truncated', () => {
  project.write('data/d.csv', `id,s\n${Array.from({ length: 1000 }, (_, i) => `${i},${'x'.repeat(150)}${i}`).join('\n')}\n`);
  const checks = Array.from({ length: 2800 }, (_, i) => `  - pattern: { name: p${i}, column: s, regex: "^z${i}", samples: 1000 }`);
  project.write('rules/d.yaml', ['kind: dataset', 'name: d', 'source: { path: ../data/d.csv }', 'columns:', '  id: { type: integer }', '  s: { type: string }', 'checks:', ...checks, ''].join('\n'));
  // About 25 s on an idle machine; the longer timeout is for a busy one.
  const r = runCli(['check', '--no-audit', '--format', 'console', '--format', 'html', '--format', 'junit', '--format', 'markdown'], project.dir, 280_000);
  expectNoCrash(r);
  expect(r.status).toBe(1);
  const report = JSON.parse(readFileSync(at('reports/assay-report.json'), 'utf8'));
  expect(report.summary).toMatchObject({ fail: 2800, error: 0 });
  expect(report.truncated.samples_omitted).toBeGreaterThan(0);
  expect(r.stdout).toMatch(/^report truncated: \d+ sample rows left out/m);
  expect(readFileSync(at('reports/report.html'), 'utf8')).toContain('report truncated: ');
});

describe('export', () => {
  test('NDJSON of an int64 beyond 2^53 keeps its exact digits', () => {
    project.write('rules/access.yaml', ACCESS);
    project.write('rules/d.yaml', ['kind: dataset', 'name: d', 'source: { path: ../data/big.parquet }', 'columns:', '  id: { type: integer }', ''].join('\n'));
    project.write('data/big.parquet', Buffer.from(parquetWriteBuffer({ columnData: [{ name: 'id', data: [BigInt('9007199254740993'), BigInt(1), null], type: 'INT64' }] })));
    const r = assay(['export', '--as', 'p', '--dataset', 'd', '--out', 'out/view.ndjson', '--no-audit']);
    expect(r.status).toBe(0);
    expect(readFileSync(at('out/view.ndjson'), 'utf8')).toBe('{"id":9007199254740993}\n{"id":1}\n{"id":null}\n');
  });

  test('--out onto a declared source is refused (exit 2) and the data is untouched', () => {
    project.write('rules/access.yaml', ACCESS);
    const r = assay(['export', '--as', 'p', '--dataset', 'd', '--out', 'data/d.csv', '--no-audit']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^assay: --out data\/d\.csv: is a source file of dataset "d"; export never replaces declared data$/m);
    expect(readFileSync(at('data/d.csv'), 'utf8')).toBe('id\n1\n2\n');
    // Any declared source, not only the exported dataset's; by path or through another name.
    project.write('rules/e.yaml', DATASET.replace('name: d', 'name: e').replace('../data/d.csv', '../data/e/*.csv'));
    project.write('data/e/part.csv', 'id\n3\n');
    expect(assay(['export', '--as', 'p', '--dataset', 'd', '--out', './data/e/../e/part.csv', '--no-audit']).status).toBe(2);
    expect(readFileSync(at('data/e/part.csv'), 'utf8')).toBe('id\n3\n');
  });

  test('--out onto a policy file or the audit log it records to is refused (exit 2), both untouched (second round of issue 12)', () => {
    project.write('rules/access.yaml', ACCESS);
    expect(assay(['export', '--as', 'p', '--dataset', 'd', '--out', 'out/first.csv']).status).toBe(0);
    const log = readFileSync(at('reports/audit.jsonl'), 'utf8');
    const policy = readFileSync(at('rules/access.yaml'), 'utf8');
    for (const [out, what] of [
      ['reports/audit.jsonl', 'the audit log'],
      ['rules/access.yaml', 'a policy file'],
      ['./rules/../rules/d.yaml', 'a policy file'],
    ]) {
      const r = assay(['export', '--as', 'p', '--dataset', 'd', '--out', out]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`--out ${out}: is ${what}; export never replaces assay's own inputs`);
    }
    expect(readFileSync(at('reports/audit.jsonl'), 'utf8')).toBe(log);
    expect(readFileSync(at('rules/access.yaml'), 'utf8')).toBe(policy);
  });
});

test('with --engine duckdb a data file named ** is read as itself, not as a pattern', () => {
  rmSync(at('data/d.csv'));
  writeFileSync(at('data/**'), 'id\n1\n');
  project.write('data/.hidden/more.csv', 'id\n2\n3\n');
  project.write('rules/d.yaml', ['kind: dataset', 'name: d', 'source: { path: "../data/*", format: csv }', 'columns:', '  id: { type: integer }', 'checks:', '  - row_count: { max: 1 }', ''].join('\n'));
  const r = assay(['check', '--no-audit', '--format', 'json', '--engine', 'duckdb']);
  expect(r.stderr).not.toContain('measured by the arquero engine');
  expect(r.status).toBe(0);
  expect(JSON.parse(readFileSync(at('reports/assay-report.json'), 'utf8')).datasets[0].rows).toBe(1);
});
