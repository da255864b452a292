/**
 * `assay profile` and `assay suggest` through the built CLI, as users run
 * them: every output format, masking of PII candidates and classified
 * columns, and the promise of suggest: on every bundled data file the draft
 * validates and `assay check` passes on the file it came from.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'assay-profile-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const CUSTOMERS = 'fixtures/data/customers.csv';
const firstEmail = readFileSync(CUSTOMERS, 'utf8').split('\n')[1].split(',')[2];

describe('assay profile', () => {
  test('console: per column type, nulls, distinct, shapes, formats, and PII candidates with evidence; PII values masked', () => {
    const r = runCli(['profile', CUSTOMERS]);
    expect(r.code).toBe(0);
    expect(firstEmail).toMatch(/@/);
    expect(r.stdout).toContain('customers: 200 rows, 7 columns');
    expect(r.stdout).toMatch(/customer_id {2}integer \(100% fit\) {2}nulls 0% {2}distinct 200/);
    expect(r.stdout).toContain('PII candidate: email → pii.email: 100% of non-null values match; name hint "email"; confidence high');
    expect(r.stdout).toContain('top: "free" ×106, "pro" ×49, "enterprise" ×45');
    expect(r.stdout).toContain('shapes: AA 100%');
    expect(r.stdout).toContain('HyperLogLog');
    expect(r.stdout).not.toContain(firstEmail);
  }, 60_000);

  test('json: the report model, with the sketches used named', () => {
    const r = runCli(['profile', 'fixtures/public/penguins.json', '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.rows).toBe(344);
    expect(report.sketches.distinct).toMatch(/exact up to .* then HyperLogLog/);
    const mass = report.columns.find((c: any) => c.name === 'Body Mass (g)');
    expect(mass).toMatchObject({ type: 'integer', type_share: 1, nulls: 2, numeric: { min: 2700, max: 6300, quantiles_exact: true } });
    expect(mass.numeric.quantiles.p50).toBe(4050);
  }, 60_000);

  test('html: one self-contained page with a chart per column, written through the safe writer', () => {
    const out = join(dir, 'profile.html');
    const r = runCli(['profile', CUSTOMERS, '--format', 'html', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`wrote the profile of customers (200 rows, 7 columns) to ${out}`);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('Content-Security-Policy" content="default-src &#39;none&#39;');
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(html.match(/<svg /g)).toHaveLength(7);
    expect(html).not.toContain(firstEmail);
  }, 60_000);

  test('--dataset reads a declared dataset; its classified columns are masked even when no detector flags them', () => {
    const r = runCli(['profile', '--dataset', 'customers', '--format', 'json']);
    expect(r.code).toBe(0);
    const name = JSON.parse(r.stdout).columns.find((c: any) => c.name === 'name');
    expect(name.pii).toEqual([]);
    expect(name.masked).toBe(true);
    expect(name.top_values[0].value).toMatch(/^\*+[a-z]{2}$/);
  }, 60_000);

  test('errors: a missing file is exit 3, a file and --dataset together or an unknown dataset exit 2', () => {
    const missing = runCli(['profile', 'no/such.csv']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/no\/such\.csv/);
    expect(missing.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(runCli(['profile', CUSTOMERS, '--dataset', 'customers']).code).toBe(2);
    const unknown = runCli(['profile', '--dataset', 'custmers']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('did you mean "customers"');
    expect(runCli(['profile', 'README.md']).code).toBe(3);
  }, 120_000);
});

describe('assay suggest', () => {
  const BUNDLED = [
    'fixtures/data/customers.csv',
    'fixtures/data/orders.csv',
    'fixtures/data/shipments.parquet',
    'fixtures/data/shipments.arrow',
    'fixtures/public/penguins.json',
    'fixtures/batching/orders.ndjson',
    'fixtures/movies/movies.csv',
    'fixtures/profile/pii-labelled.csv',
  ];
  test.each(BUNDLED)(
    '%s: the draft validates and passes assay check on its data, with and without a holdout',
    (file) => {
      for (const holdout of [[], ['--holdout', '20%']]) {
        const out = join(dir, `draft${holdout.length}.yaml`);
        const s = runCli(['suggest', file, '--name', 'draft', '--out', out, ...holdout]);
        expect(s.code).toBe(0);
        expect(s.stderr).toMatch(/^suggested \d+ rules for draft/);
        const draft = readFileSync(out, 'utf8');
        // every rule carries its evidence
        for (const line of draft.split('\n').filter((l) => /^ {4}\w+:/.test(l))) expect(line).toMatch(/ {2}# \S/);
        const v = runCli(['validate', out]);
        expect(v.stderr + v.stdout).toMatch(/ok: 1 file/);
        expect(v.code).toBe(0);
        const c = runCli(['check', out, '--no-audit', '--out', join(dir, 'reports'), '--format', 'json']);
        expect(c.code).toBe(0);
      }
    },
    240_000,
  );

  test("--dataset: the draft reads the dataset's files from wherever it is written, and passes on them", () => {
    const out = join(dir, 'sub', 'orders.yaml');
    const s = runCli(['suggest', '--dataset', 'orders', '--out', out]);
    expect(s.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^name: orders\nsource:\n {2}path: .*fixtures\/data\/orders\.csv\n/m);
    expect(runCli(['check', out, '--no-audit', '--out', join(dir, 'reports')]).code).toBe(0);
  }, 120_000);

  test('the draft has types, required, unique, values, ranges, lengths, formats and classifications with their evidence', () => {
    const r = runCli(['suggest', CUSTOMERS, '--name', 'customers']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('kind: dataset\nname: customers\nsource:\n  path: ../fixtures/data/customers.csv\n');
    expect(r.stdout).toContain('    unique: true  # 200 distinct values in 200 non-null values');
    expect(r.stdout).toContain('    values: [ enterprise, free, pro ]  # 3 distinct values in 200 non-null values');
    expect(r.stdout).toContain('    max: 200  # largest value 200, rounded up');
    expect(r.stdout).toContain('    format: email  # all 200 non-null values are valid email');
    expect(r.stdout).toContain('    classification: [ pii.email ]  # PII candidate (email: 100% of values match, name hint "email", confidence high)');
    expect(r.stdout).toContain('  - row_count: { min: 100, max: 400 }  # 200 rows read; bounds at half and twice that');
    expect(r.stdout).not.toContain(firstEmail);
  }, 60_000);

  test('freshness: suggested for a recent event-time column, explained and left out for an old one', () => {
    const recent = runCli(['suggest', 'fixtures/data/orders.csv', '--now', '2026-01-02T00:00:00Z']);
    const old = runCli(['suggest', 'fixtures/data/orders.csv', '--now', '2030-01-01T00:00:00Z']);
    expect(recent.stdout + old.stdout).toMatch(/created_at|updated_at/);
    expect(old.stdout).toMatch(/^# .* a freshness rule would fail today/m);
    expect(old.stdout).not.toMatch(/^freshness:/m);
  }, 120_000);

  test('--access prints a draft access policy for classified columns; --write-access adds it; an existing one is left alone', () => {
    const access = join(dir, 'access.yaml');
    writeFileSync(
      access,
      'kind: access\nroles:\n  support: { description: Answers customers }\npolicies:\n  - name: support-reads-all\n    effect: allow\n    roles: [support]\n    datasets: "*"\n',
    );
    const before = readFileSync(access, 'utf8');
    const args = ['suggest', CUSTOMERS, '--name', 'newcust', '--out', join(dir, 'newcust.yaml'), '--access-file', access];
    const printed = runCli([...args, '--access']);
    expect(printed.code).toBe(0);
    expect(printed.stderr).toContain('access: draft policies for pii.email, pii.phone');
    expect(printed.stderr).toMatch(/effect: deny[\s\S]*except_roles:\n\s+- analyst[\s\S]*mask: hash/);
    expect(printed.stderr).toContain('not written; rerun with --write-access');
    expect(readFileSync(access, 'utf8')).toBe(before);
    expect(runCli([...args, '--write-access']).code).toBe(0);
    expect(readFileSync(access, 'utf8')).toContain('newcust-pii-hashed-for-analysts');
    expect(runCli(['validate', dir]).code).toBe(0);
    const again = runCli([...args, '--access']);
    expect(again.stderr).toContain('already masks or denies pii.email, pii.phone; nothing to add');
  }, 180_000);

  test('bad options are usage errors (exit 2)', () => {
    for (const args of [
      ['--holdout', '0%'],
      ['--holdout', 'half'],
      ['--name', 'Bad Name'],
    ]) {
      const r = runCli(['suggest', CUSTOMERS, ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n')[0]).toMatch(/^assay: --(holdout|name)/);
    }
  }, 120_000);
});
