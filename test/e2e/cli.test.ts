/**
 * The CLI contract (SPEC §2, §3), end to end: the built CLI runs as a
 * subprocess on the policies and data in fixtures/, writing into a temp folder.
 */
import { withoutEngine } from '../helpers/policy-run.js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasAnsi, runCli, runCliOnTty } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/files.js';

const NOW = '2026-01-10T00:00:00Z';
let out: TempDir;
beforeEach(() => {
  out = tempDir('assay-e2e-');
});
afterEach(() => out.remove());

// --no-audit: the audit log (docs/audit.md) has its own e2e tests; here --out holds only reports.
const check = (args: string[], env: Record<string, string> = {}) => runCli(['check', ...args, '--out', out.path, '--now', NOW, '--no-audit'], env);
const report = () => JSON.parse(readFileSync(join(out.path, 'assay-report.json'), 'utf8'));
const noStackTrace = (text: string) => expect(text).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);

describe('exit codes', () => {
  test('0 when every check passes', () => {
    const { code, stdout } = check(['fixtures/e2e/clean.yaml']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^PASS {2}8 checks: 8 pass, 0 warn, 0 fail, 0 error$/m);
    expect(report().status).toBe('pass');
  });

  test('1 when an error-level check fails', () => {
    const { code } = check(['fixtures/e2e/shipments.yaml']);
    expect(code).toBe(1);
    expect(report().summary).toEqual({ checks: 15, pass: 10, warn: 1, fail: 4, error: 0 });
  });

  test('2 when a policy file is invalid: every diagnostic on stderr, then a count, no stack trace, no report', () => {
    const { code, stdout, stderr } = check(['fixtures/policies/invalid/unknown-key.yaml']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`${readFileSync('fixtures/policies/invalid/unknown-key.expected.txt', 'utf8')}1 error in 1 file\n`);
    expect(existsSync(join(out.path, 'assay-report.json'))).toBe(false);
  });

  test('3 when data cannot be read, with file:line on stderr; other datasets are still checked', () => {
    const { code, stderr } = check(['fixtures/e2e/broken', 'fixtures/e2e/shipments.yaml']);
    expect(code).toBe(3);
    expect(stderr).toContain(
      'assay: cannot read data for dataset "broken_events": fixtures/e2e/broken/events.ndjson:2: invalid JSON: Expected \',\' or \'}\' after property value\n',
    );
    noStackTrace(stderr);
    const { datasets } = report();
    expect(datasets.map((d: { name: string; status: string }) => [d.name, d.status])).toEqual([
      ['broken_events', 'error'],
      ['shipments', 'fail'],
    ]);
    expect(datasets[0].checks[0]).toMatchObject({ id: 'broken_events.read', type: 'read', status: 'error', message: expect.stringContaining('cannot read data') });
    expect(datasets[0].checks[1]).toMatchObject({ status: 'error', message: expect.stringContaining('not run: cannot read data') });
  });

  test('3 for a missing data file', () => {
    const { code, stderr } = check(['fixtures/e2e/shipments.yaml', '--data', 'shipments=fixtures/e2e/no-such-batch.csv']);
    expect(code).toBe(3);
    expect(stderr).toContain('assay: cannot read data for dataset "shipments": fixtures/e2e/no-such-batch.csv: no such file\n');
  });

  test('2 for a policy path that does not exist', () => {
    const { code, stderr } = check(['rules/nope']);
    expect(code).toBe(2);
    expect(stderr).toBe('assay: no such file or directory: rules/nope\nhint: give a policy file or a folder of them (default rules/)\n');
  });
});

describe('options', () => {
  test('--dataset runs only the named datasets', () => {
    const { code } = check(['fixtures/e2e', '--dataset', 'shipments_clean', '--dataset', 'shipments_warn']);
    expect(code).toBe(0);
    expect(report().datasets.map((d: { name: string }) => d.name)).toEqual(['shipments_clean', 'shipments_warn']);
  });

  test('--dataset with an unknown name is a usage error with a suggestion', () => {
    const { code, stderr } = check(['fixtures/e2e', '--dataset', 'shipment']);
    expect(code).toBe(2);
    expect(stderr).toBe('assay: unknown dataset "shipment"\nhint: did you mean "shipments"?\n');
  });

  test('--data NAME=PATH checks another file (here CSV) against a dataset\'s rules', () => {
    const { code } = check(['fixtures/e2e/shipments.yaml', '--data', 'shipments=fixtures/e2e/batch.csv']);
    expect(code).toBe(0);
    const [dataset] = report().datasets;
    expect(dataset).toMatchObject({ name: 'shipments', source: 'fixtures/e2e/batch.csv', rows: 3, status: 'pass' });
  });

  test.each([
    [['--data', 'shipments'], 'assay: --data: expected NAME=PATH, got "shipments"\nhint: e.g. --data orders=batches/2026-01-05.csv\n'],
    [['--data', 'nope=fixtures/e2e/batch.csv'], 'assay: unknown dataset "nope"\nhint: expected one of "shipments"\n'],
  ])('--data %p is a usage error', (args, expected) => {
    const { code, stderr } = check(['fixtures/e2e/shipments.yaml', ...args]);
    expect(code).toBe(2);
    expect(stderr).toBe(expected);
  });

  test('--fail-on warn makes warnings fail the gate', () => {
    expect(check(['fixtures/e2e/warn-only.yaml']).code).toBe(0);
    expect(report().status).toBe('warn');
    expect(check(['fixtures/e2e/warn-only.yaml', '--fail-on', 'warn']).code).toBe(1);
    expect(check(['fixtures/e2e/clean.yaml', '--fail-on', 'warn']).code).toBe(0);
  });

  test('--now and ASSAY_NOW fix "now"; --now wins', () => {
    check(['fixtures/e2e/clean.yaml']);
    expect(report().run.now).toBe('2026-01-10T00:00:00.000Z');
    runCli(['check', 'fixtures/e2e/clean.yaml', '--out', out.path], { ASSAY_NOW: '2026-03-01T12:00:00+01:00' });
    expect(report().run.now).toBe('2026-03-01T11:00:00.000Z');
    runCli(['check', 'fixtures/e2e/clean.yaml', '--out', out.path, '--now', '2026-02-02T00:00:00Z'], { ASSAY_NOW: '2026-03-01T12:00:00Z' });
    expect(report().run.now).toBe('2026-02-02T00:00:00.000Z');
  });

  test.each([
    [['--now', 'yesterday'], 'assay: --now: invalid timestamp "yesterday"\nhint: use ISO 8601, e.g. 2026-01-05T10:00:00Z\n'],
    [['--now'], 'assay: --now needs a value\nhint: run assay check --help\n'],
  ])('%p is a usage error', (args, expected) => {
    const { code, stderr } = runCli(['check', 'fixtures/e2e/clean.yaml', '--out', out.path, ...args]);
    expect(code).toBe(2);
    expect(stderr).toBe(expected);
  });

  test('an invalid ASSAY_NOW is a usage error naming the variable', () => {
    const { code, stderr } = runCli(['check', 'fixtures/e2e/clean.yaml', '--out', out.path], { ASSAY_NOW: 'soon' });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^assay: ASSAY_NOW: invalid timestamp "soon"\n/);
  });

  test('--format console prints the console report; the JSON report, the record of the run, is written all the same', () => {
    const { code, stdout, stderr } = check(['fixtures/e2e/clean.yaml', '--format', 'console']);
    expect(code).toBe(0);
    expect(stdout).toContain('shipments_clean');
    expect(readdirSync(out.path)).toEqual(['assay-report.json', 'history.duckdb']);
    expect(stderr).toBe(`reports written: ${join(out.path, 'assay-report.json')}\n`);
  });

  test('--format json writes the JSON report and prints no console report', () => {
    const { code, stdout, stderr } = check(['fixtures/e2e/clean.yaml', '--format', 'json']);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(readdirSync(out.path)).toEqual(['assay-report.json', 'history.duckdb']);
    expect(stderr).toBe(`reports written: ${join(out.path, 'assay-report.json')}\n`);
  });

  test('--format with an unknown name is a usage error', () => {
    const { code, stderr } = check(['fixtures/e2e/clean.yaml', '--format', 'pdf']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^assay: --format: unknown format "pdf"\nhint: use one of console, github, json, junit, markdown, html\n$/);
  });

  test('--out creates the folder', () => {
    const nested = join(out.path, 'a', 'b');
    const { code } = runCli(['check', 'fixtures/e2e/clean.yaml', '--out', nested, '--now', NOW, '--no-audit']);
    expect(code).toBe(0);
    expect(readdirSync(nested)).toEqual(['assay-report.json', 'history.duckdb']);
  });

  test('--out that cannot be created is a one-line error', () => {
    const file = out.write('not-a-folder', 'x');
    const { code, stderr } = runCli(['check', 'fixtures/e2e/clean.yaml', '--out', join(file, 'sub')]);
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toMatch(/^assay: cannot create folder .*not-a-folder\/sub: ENOTDIR/);
    noStackTrace(stderr);
  });

  test('--json prints the JSON report on stdout (the same as the file) and nothing else', () => {
    const { code, stdout, stderr } = check(['fixtures/e2e/shipments.yaml', '--json']);
    expect(code).toBe(1);
    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toEqual(report());
  });
});

describe('--engine duckdb', () => {
  const datasets = (stdout: string) => withoutEngine(JSON.parse(stdout).datasets);

  test('the same report as the default engine, exit 1 for the failing fixture', () => {
    const arquero = check(['fixtures/duckdb/shipments.yaml', '--json']);
    const duckdb = check(['fixtures/duckdb/shipments.yaml', '--json', '--engine', 'duckdb']);
    expect([arquero.code, duckdb.code]).toEqual([1, 1]);
    expect(duckdb.stderr).toBe('');
    expect(datasets(duckdb.stdout)).toEqual(datasets(arquero.stdout));
  });

  test('a dataset DuckDB cannot measure falls back to arquero, saying why on stderr', () => {
    // (The orders example's schema check runs in DuckDB since issue 19; the JSON penguins do not.)
    const { code, stderr } = check(['rules', '--json', '--engine', 'duckdb', '--dataset', 'penguins']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^assay: penguins: measured by the arquero engine, not DuckDB: json files are read by the arquero engine$/m);
  });

  test('an unknown engine is a usage error', () => {
    const { code, stderr } = check(['rules', '--engine', 'spark']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^assay: --engine: invalid value "spark" \(expected one of "arquero", "duckdb"\)/);
  });
});

describe('usage errors: one line, a hint, exit 2, no stack trace', () => {
  test.each([
    [['chek'], 'assay: unknown command "chek" (did you mean "check"?)\nhint: run assay --help\n'],
    [[], 'assay: no command given\nhint: run assay --help\n'],
    [['check', '--bogus'], 'assay: unknown option "--bogus"\nhint: run assay check --help\n'],
    [['check', '--x=1', '-y'], 'assay: unknown options "--x", "-y"\nhint: run assay check --help\n'],
    [['validate', '--fail-on', 'warn'], 'assay: unknown option "--fail-on"\nhint: run assay validate --help\n'],
    [['check', '--fail-on', 'never'], 'assay: --fail-on: invalid value "never" (expected one of "error", "warn")\nhint: run assay check --help\n'],
    [['check', '--dataset'], 'assay: --dataset needs a value\nhint: run assay check --help\n'],
  ])('assay %p', (args, expected) => {
    const { code, stdout, stderr } = runCli(args as string[]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(expected);
  });

  test('an unknown command lists the commands', () => {
    const { code, stderr } = runCli(['frobnicate']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^assay: unknown command "frobnicate"\nhint: use one of (\w+, )*check, (\w+, )*validate(, \w+)*; run assay --help\n$/);
  });

  test('--help and --version succeed', () => {
    expect(runCli(['check', '--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('--fail-on') });
    expect(runCli(['--version'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/) });
  });
});

describe('the JSON report (SPEC §3)', () => {
  test('has exactly the contract\'s field names', () => {
    check(['fixtures/e2e/shipments.yaml']);
    const r = report();
    expect(Object.keys(r)).toEqual(['assay_version', 'run', 'status', 'summary', 'datasets']);
    expect(Object.keys(r.run)).toEqual(['id', 'started_at', 'finished_at', 'now', 'principal']);
    expect(r.run).toMatchObject({ now: '2026-01-10T00:00:00.000Z', principal: null });
    for (const key of ['started_at', 'finished_at']) expect(new Date(r.run[key]).toISOString()).toBe(r.run[key]);
    expect(Object.keys(r.summary)).toEqual(['checks', 'pass', 'warn', 'fail', 'error']);
    const [dataset] = r.datasets;
    expect(Object.keys(dataset)).toEqual(expect.arrayContaining(['name', 'source', 'rows', 'fingerprint', 'status', 'checks']));
    // Fields beyond SPEC's example are additions documented in docs/ (never renames).
    for (const key of Object.keys(dataset)) expect(['name', 'source', 'rows', 'fingerprint', 'status', 'error', 'engine', 'columns', 'metrics', 'checks']).toContain(key);
    expect(dataset.engine).toEqual({ name: 'arquero', pushed_down: 0, pulled: 0 });
    expect(dataset).toMatchObject({ name: 'shipments', source: 'fixtures/data/shipments.arrow', rows: 12, status: 'fail' });
    expect(dataset.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    for (const c of dataset.checks) {
      expect(Object.keys(c)).toEqual(expect.arrayContaining(['id', 'name', 'type', 'severity', 'status', 'observed', 'threshold', 'message', 'samples', 'controls']));
      expect(c.id).toBe(`shipments.${c.name}`);
    }
  });

  test('a failing row check, field by field', () => {
    check(['fixtures/e2e/shipments.yaml']);
    const carrier = report().datasets[0].checks.find((c: { id: string }) => c.id === 'shipments.carrier.accepted_values');
    expect(carrier).toEqual({
      id: 'shipments.carrier.accepted_values',
      name: 'carrier.accepted_values',
      type: 'accepted_values',
      column: 'carrier',
      severity: 'error',
      status: 'fail',
      observed: 1,
      failed_rows: 1,
      evaluated_rows: 11,
      failed_percent: 9.0909,
      threshold: 'failed_rows > 0',
      message: '1 of 11 non-null values are not in [DHL, UPS, FedEx]',
      samples: [{ row: 5, values: { carrier: 'UPX' } }],
      controls: [],
    });
  });

  test('an aggregate check with a warn bound', () => {
    check(['fixtures/e2e/shipments.yaml']);
    const missing = report().datasets[0].checks.find((c: { id: string }) => c.id === 'shipments.delivered_at.missing_count');
    expect(missing).toMatchObject({ type: 'missing_count', status: 'warn', observed: 5, samples: [] });
    expect(missing).not.toHaveProperty('failed_rows');
  });

  test('timestamps and dates in samples are ISO strings', () => {
    check(['fixtures/e2e/shipments.yaml']);
    const expr = report().datasets[0].checks.find((c: { id: string }) => c.id === 'shipments.delivered_after_shipped');
    expect(expr.samples).toEqual([{ row: 4, values: { delivered_at: '2026-01-02T12:00:00.000Z', ship_date: '2026-01-03' } }]);
  });

  test('samples from a glob carry their file and the row within it', () => {
    expect(check(['fixtures/e2e/events.yaml']).code).toBe(1);
    const [dataset] = report().datasets;
    expect(dataset.source).toBe('fixtures/e2e/data/events/part-*.ndjson');
    const kind = dataset.checks.find((c: { id: string }) => c.id === 'events.kind.accepted_values');
    expect(kind.samples).toEqual([
      { row: 3, file: 'fixtures/e2e/data/events/part-1.ndjson', values: { kind: 'scroll' } },
      { row: 2, file: 'fixtures/e2e/data/events/part-2.ndjson', values: { kind: 'hover' } },
    ]);
    const at = dataset.checks.find((c: { id: string }) => c.id === 'events.at.type');
    expect(at).toMatchObject({ failed_rows: 1, evaluated_rows: 5, samples: [{ row: 2, file: 'fixtures/e2e/data/events/part-2.ndjson', values: { at: '5 Jan 2026' } }] });
  });

  test('Arrow and Parquet copies of the same data give the same results', () => {
    check(['fixtures/e2e/shipments.yaml']);
    const fromArrow = report().datasets[0].checks;
    check(['fixtures/e2e/shipments.yaml', '--data', 'shipments=fixtures/data/shipments.parquet']);
    const fromParquet = report().datasets[0].checks;
    expect(fromParquet).toEqual(fromArrow);
  });
});

describe('colour', () => {
  test('no ANSI codes when stdout is not a terminal', () => {
    const { stdout, stderr } = check(['fixtures/e2e/shipments.yaml']);
    expect(hasAnsi(stdout)).toBe(false);
    expect(hasAnsi(stderr)).toBe(false);
  });

  test('colour on a terminal, none with NO_COLOR', () => {
    const args = ['check', 'fixtures/e2e/shipments.yaml', '--out', out.path, '--format', 'console'];
    const tty = runCliOnTty(args);
    expect(tty.code).toBe(1);
    expect(hasAnsi(tty.stdout)).toBe(true);
    const noColor = runCliOnTty(args, { NO_COLOR: '1' });
    expect(noColor.code).toBe(1);
    expect(noColor.stdout).toContain('shipments.carrier.accepted_values');
    expect(hasAnsi(noColor.stdout)).toBe(false);
  });
});
