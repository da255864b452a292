/**
 * Values computed from classified columns (an observed max, a min date, an
 * aggregate, a freshness message) reach a report reader only through that
 * reader's mask (SPEC §1.3). Each reproduction of issue 12 runs through the
 * built CLI, in every report format and the audit log, without a principal and
 * `--as` readers with different views; everything written is scanned for the
 * classified cells in clear.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashValue, partialMask } from '../../src/access/masks.js';
import { REPORT_FORMATS } from '../../src/report/formats/index.js';
import { runCli } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/files.js';

const KEY = 'derived-leak-test-key-0123456789';

/** Every cell of every classified column; none should show in clear except to the reader who sees it. */
const STAFF = [
  { id: 1, region: 'EU', name: 'Zelda Quartermain', ssn: '123-45-6789', salary: 987654.5, dob: '1961-07-14', hired: '2025-12-30T08:15:00Z', badge: 'kq-ALPHA-771' },
  { id: 2, region: 'US', name: 'Abel Zzyzx', ssn: '987-65-4321', salary: 123456.25, dob: '1999-03-02', hired: '2026-01-02T17:45:00Z', badge: 'kq-OMEGA-993' },
  { id: 3, region: 'US', name: 'Mia Oberlin', ssn: '555-12-3434', salary: 555333.75, dob: '1984-11-23', hired: '2026-01-04T06:30:00Z', badge: 'kq-DELTA-404' },
];
const CLASSIFIED = ['name', 'ssn', 'salary', 'dob', 'hired', 'badge'] as const;

const CSV = ['id,region,name,ssn,salary,dob,hired,badge', ...STAFF.map((r) => [r.id, r.region, r.name, r.ssn, r.salary, r.dob, r.hired, r.badge].join(','))].join('\n') + '\n';

const DATASET = `kind: dataset
name: staff
tags: [hr]
source: { path: staff.csv }
columns:
  id: { type: integer }
  region: { type: string }
  name: { type: string, classification: [pii.name] }
  ssn: { type: string, classification: [pii.ssn] }
  salary: { type: number, classification: [confidential.pay] }
  dob: { type: date, classification: [pii.birth] }
  hired: { classification: [confidential.hr] }
  badge: { classification: [confidential.hr] }
checks:
  - metric: { name: max_salary, column: salary, stat: max, max: 1000 }
  - metric: { name: min_dob, column: dob, stat: min, min: "2000-01-01" }
  - metric: { name: median_salary, column: salary, stat: median, max: 1000 }
  - metric: { name: p90_salary, column: salary, stat: quantile, q: 0.9, max: 1000 }
  - metric: { name: sum_salary, column: salary, stat: sum, max: 1000 }
  - aggregate: { name: ssns, expr: "op.array_agg(d.ssn)", max: 0 }
  - aggregate: { name: latest_dob, expr: "op.max(d.dob)", max: 0 }
  - aggregate: { name: lowest_salary, expr: "op.min(d.salary)", max: 0 }
  - freshness: { name: hired_recently, column: hired, fail_after: 1h }
  - freshness: { name: badge_fresh, column: badge, fail_after: 1h }
  - row_count: { min: 10 }
  - aggregate: { name: ssn_digits, expr: "op.max(op.parse_int(op.substring(d.ssn, 4, 6)))", max: 0, where: "d.id == 1" }
  - aggregate: { name: badge_digits, expr: "op.max(op.parse_int(op.substring(d.badge, 9, 12)))", max: 0 }
`;

const ACCESS = `kind: access
roles:
  hr: {}
  analyst: {}
  guest: {}
principals:
  hana: { roles: [hr] }
  alan: { roles: [analyst] }
  gus: { roles: [guest] }
policies:
  - name: read-hr
    effect: allow
    roles: [hr, analyst, guest]
    datasets: { tags: [hr] }
  - name: analysts-hash-pii
    effect: mask
    roles: [analyst]
    columns: { classification: pii }
    mask: hash
  - name: analysts-partial-pay
    effect: mask
    roles: [analyst]
    columns: { classification: confidential }
    mask: partial
    keep_last: 2
  - name: guests-no-classified
    effect: deny
    roles: [guest]
    columns: { classification: [pii, confidential] }
default: deny
`;

/** The text of every cell of the classified columns, and forms a report would print them in. */
function rawForms(): { column: string; text: string }[] {
  const forms: { column: string; text: string }[] = [];
  for (const row of STAFF) {
    for (const column of CLASSIFIED) {
      const value = String(row[column]);
      forms.push({ column, text: value });
      if (column === 'dob') forms.push({ column, text: `${value}T00:00:00.000Z` });
      if (column === 'hired') forms.push({ column, text: new Date(value).toISOString() });
    }
  }
  return forms;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

interface Run {
  code: number | null;
  text: string;
  stderr: string;
  report: { datasets: { checks: { name: string; observed: unknown; message: string; status: string }[] }[] };
  audit: string;
}

function check(dir: string, principal: string | null, engine = 'arquero'): Run {
  const out = join(dir, `out-${principal ?? 'none'}-${engine}`);
  const formats = REPORT_FORMATS.flatMap((f) => ['--format', f.name]);
  const r = runCli(['check', dir, ...formats, '--out', out, '--now', '2026-01-05T12:00:00Z', '--engine', engine, ...(principal ? ['--as', principal] : [])], { NO_COLOR: '1', ASSAY_MASK_KEY: KEY });
  const files = filesUnder(out);
  const read = (suffix: string) => readFileSync(files.find((f) => f.endsWith(suffix))!, 'utf8');
  return { code: r.code, text: [r.stdout, r.stderr, ...files.map((f) => readFileSync(f, 'utf8'))].join('\n'), stderr: r.stderr, report: JSON.parse(read('assay-report.json')), audit: read('audit.jsonl') };
}

function leaks(text: string, visible: (column: string) => boolean): string[] {
  return rawForms().filter((f) => !visible(f.column) && text.includes(f.text)).map((f) => `${f.column}: ${f.text}`);
}

function observedOf(run: Run, name: string) {
  return run.report.datasets[0].checks.find((c) => c.name === name)!;
}

let tmp: TempDir;
beforeAll(() => {
  tmp = tempDir('assay-derived-leak-');
  writeFileSync(join(tmp.path, 'staff.csv'), CSV);
  writeFileSync(join(tmp.path, 'staff.yaml'), DATASET);
  writeFileSync(join(tmp.path, 'access.yaml'), ACCESS);
});
afterAll(() => tmp.remove());

describe.each([
  ['no principal', null],
  ['a principal denied the classified columns', 'gus'],
])('%s: values of classified columns are redacted everywhere', (_label, principal) => {
  let run: Run;
  beforeAll(() => {
    run = check(tmp.path, principal);
  });
  test('the run completes and fails (the checks fail on the hidden values)', () => {
    expect(run.stderr).not.toMatch(/internal error/);
    expect(run.code).toBe(1);
  });
  test('no classified cell appears in any format, on the terminal or in the audit log', () => {
    expect(leaks(run.text, () => false)).toEqual([]);
  });
  test('observed values and messages say "***" in place of the value; counts stay visible', () => {
    for (const name of ['max_salary', 'min_dob', 'median_salary', 'p90_salary', 'sum_salary', 'lowest_salary']) {
      const c = observedOf(run, name);
      expect({ name, observed: c.observed }).toEqual({ name, observed: '***' });
      // The status is decided on the measured value. (A list or a text against a numeric bound is the numbers' part, SPEC §1.2.)
      expect({ name, status: c.status }).toEqual({ name, status: 'fail' });
      expect(c.message).toContain('is ***');
    }
    expect(observedOf(run, 'hired_recently').message).toMatch(/^newest hired is \*\*\*, \*\*\* old at 2026-01-05T12:00:00.000Z; fails after 1h$/);
    expect(observedOf(run, 'hired_recently').observed).toBe('***');
    expect(observedOf(run, 'badge_fresh')).toMatchObject({ status: 'error', message: '"badge" does not hold dates or timestamps (found ***); declare it with type: timestamp' });
    expect(observedOf(run, 'row_count').observed).toBe(3);
  });
});

describe('a reader who may see everything (hr)', () => {
  test('sees the values in clear: the scan can find them', () => {
    const run = check(tmp.path, 'hana');
    expect(observedOf(run, 'max_salary').observed).toBe(987654.5);
    expect(observedOf(run, 'min_dob').observed).toBe('1961-07-14T00:00:00.000Z');
    expect(observedOf(run, 'badge_fresh').message).toContain('found kq-OMEGA-993');
    expect(leaks(run.text, () => false).length).toBeGreaterThan(0);
  });
});

describe('a reader with masks (analyst: pii hashed, pay partial)', () => {
  let run: Run;
  beforeAll(() => {
    run = check(tmp.path, 'alan');
  });
  test('no cell in clear anywhere', () => {
    expect(leaks(run.text, () => false)).toEqual([]);
  });
  test('values come through the reader\'s mask, as samples and exports would show them', () => {
    expect(observedOf(run, 'max_salary').observed).toBe(partialMask('987654.5', 2));
    expect(observedOf(run, 'max_salary').message).toContain(`is ${partialMask('987654.5', 2)}; expected`);
    expect(observedOf(run, 'min_dob').observed).toBe(hashValue('1961-07-14', KEY)); // as the date's cells hash in samples and exports
    expect(observedOf(run, 'lowest_salary').observed).toBe(partialMask('123456.25', 2));
  });
  test('a value computed from masked cells is redacted, not masked: a mask on it would show what it hides of them (second round of issue 12)', () => {
    // partial on the max of digits 4-5 of row 1's ssn would print "*5", a digit its hash hides; hash would be a 100-entry dictionary.
    expect(observedOf(run, 'ssn_digits')).toMatchObject({ observed: '***', status: 'fail' });
    // partial (keep 2) on the digits of a badge would print "*71", a digit partial hides of the cell "kq-ALPHA-771".
    expect(observedOf(run, 'badge_digits')).toMatchObject({ observed: '***', status: 'fail' });
    expect(observedOf(run, 'sum_salary').observed).toBe('***');
  });
});

test('the gate follows the measures, whichever engine computed them (--engine duckdb)', () => {
  const run = check(tmp.path, null, 'duckdb');
  expect(run.code).toBe(1);
  expect(observedOf(run, 'max_salary')).toMatchObject({ observed: '***', status: 'fail' });
  expect(leaks(run.text, () => false)).toEqual([]);
});

test('the audit event carries statuses and counts, never observed values or messages', () => {
  const run = check(tmp.path, null);
  const events = run.audit.trim().split('\n').map((l) => JSON.parse(l));
  const event = events.find((e) => e.action === 'check.run');
  expect(event.details.results['staff.max_salary']).toBe('fail');
  expect(JSON.stringify(event)).not.toMatch(/observed|message/);
  expect(leaks(run.audit, () => false)).toEqual([]);
});

describe('reconcile with a dataset whose column is classified', () => {
  test('reconcile between datasets gates the other dataset\'s values too', () => {
    const dir = join(tmp.path, 'reconcile');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.csv'), 'amount\n10\n');
    writeFileSync(join(dir, 'b.csv'), 'amount\n987654.5\n');
    writeFileSync(join(dir, 'a.yaml'), 'kind: dataset\nname: a\nsource: { path: a.csv }\ncolumns:\n  amount: { type: number }\nchecks:\n  - reconcile: { with: b, metric: "op.sum(d.amount)" }\n');
    writeFileSync(join(dir, 'b.yaml'), 'kind: dataset\nname: b\nsource: { path: b.csv }\ncolumns:\n  amount: { type: number, classification: [confidential] }\n');
    const out = join(dir, 'out');
    const r = runCli(['check', dir, '--format', 'json', '--out', out, '--now', '2026-01-05T12:00:00Z'], { NO_COLOR: '1' });
    expect(r.code).toBe(1);
    const report = readFileSync(join(out, 'assay-report.json'), 'utf8');
    expect(report).not.toContain('987654');
    expect(report).not.toContain('987644'); // the difference, from which the value follows
    expect(JSON.parse(report).datasets[0].checks.find((c: { type: string }) => c.type === 'reconcile')).toMatchObject({ status: 'fail', observed: '***', message: 'op.sum(d.amount) is *** here and *** in b: difference *** (***%); tolerance 0' });
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('reference keys are values of the key column they reference', () => {
  test('samples of a reference check on a classified key are redacted, or masked as the key column', () => {
    const dir = join(tmp.path, 'reference');
    mkdirSync(dir);
    writeFileSync(join(dir, 'staff.csv'), CSV);
    writeFileSync(join(dir, 'staff.yaml'), DATASET.replace(/checks:[\s\S]*$/, 'checks: []\n'));
    writeFileSync(join(dir, 'access.yaml'), ACCESS);
    // The orphan key looks like an SSN and is one in the referenced column's domain.
    writeFileSync(join(dir, 'claims.csv'), 'claim,holder\n1,123-45-6789\n2,999-88-7777\n');
    writeFileSync(join(dir, 'claims.yaml'), 'kind: dataset\nname: claims\ntags: [hr]\nsource: { path: claims.csv }\ncolumns:\n  claim: { type: integer }\n  holder: { type: string, references: staff.ssn }\n');
    const run = (principal: string | null) => {
      const out = join(dir, `out-${principal ?? 'none'}`);
      runCli(['check', dir, '--format', 'json', '--out', out, '--now', '2026-01-05T12:00:00Z', ...(principal ? ['--as', principal] : [])], { NO_COLOR: '1', ASSAY_MASK_KEY: KEY });
      const report = JSON.parse(readFileSync(join(out, 'assay-report.json'), 'utf8'));
      return report.datasets.find((d: { name: string }) => d.name === 'claims').checks.find((c: { type: string }) => c.type === 'reference');
    };
    expect(run(null)).toMatchObject({ status: 'fail', failed_rows: 1, samples: [{ row: 2, values: { holder: '***' } }] });
    expect(run('alan').samples).toEqual([{ row: 2, values: { holder: hashValue('999-88-7777', KEY) } }]);
    expect(run('gus').samples).toEqual([{ row: 2, values: {} }]);
    expect(run('hana').samples).toEqual([{ row: 2, values: { holder: '999-88-7777' } }]);
  });
});
