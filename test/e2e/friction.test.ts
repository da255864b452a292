/**
 * The first hour with real data (issue 15, "the first hour's friction"),
 * through the CLI as a new user meets it: the vega-datasets-like movies
 * example (fixtures/movies/) and small policies written to a temp folder.
 */
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { runCli } from '../helpers/cli.js';

const NOW = ['--now', '2026-01-01T00:00:00Z'];
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'assay-friction-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const report = (out: string) => JSON.parse(readFileSync(join(out, 'assay-report.json'), 'utf8'));
const check = (r: any, id: string) => r.datasets.flatMap((d: any) => d.checks).find((c: any) => c.id === id);

describe('dates in the data\'s own spelling: format "%b %d %Y"', () => {
  test('Jun 12 1998 reads as a date, Jun 31 1963 fails the type check, and both engines give the same report', () => {
    const reports = ['arquero', 'duckdb'].map((engine) => {
      const out = join(dir, engine);
      const r = runCli(['check', 'fixtures/movies', '--engine', engine, '--out', out, '--no-audit', ...NOW]);
      expect(r.stderr).not.toMatch(/measured by the arquero engine/); // DuckDB measured it itself
      expect(r.code).toBe(1);
      return report(out);
    });
    const [arquero, duckdb] = reports.map((r) => r.datasets.map((d: any) => ({ ...d, fingerprint: null, engine: null })));
    expect(duckdb).toEqual(arquero);
    const type = check(reports[0], 'movies.Release Date.type');
    expect(type).toMatchObject({ status: 'fail', failed_rows: 1, samples: [{ row: 16, values: { Title: 'Summer Holiday', 'Release Date': 'Jun 31 1963' } }] });
    // A parsed date is a date: it compares with a date bound, and samples show it in ISO.
    expect(check(reports[0], 'movies.Release Date.range').samples).toEqual([{ row: 10, values: { Title: 'Duel in the Sun', 'Release Date': '2046-12-31' } }]);
  });

  test('a format on a column that is not a date, and an unknown directive, are errors naming the key', () => {
    writeFileSync(join(dir, 'm.yaml'), `kind: dataset
name: m
source: { path: m.csv }
columns:
  a: { type: string, format: "%Y-%m-%d" }
  b: { type: date, format: "%Y-%j" }
`);
    const r = runCli(['validate', join(dir, 'm.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr.replaceAll(dir, 'D')).toBe(
      [
        'D/m.yaml:5:30: columns.a.format: "%Y-%m-%d" is a date format, and column "a" is declared as string (declare type: date or type: timestamp, or use a format name such as email)',
        'D/m.yaml:6:28: columns.b.format: invalid date format "%Y-%j": unknown directive "%j" (supported: %Y %y %m %b %B %d %H %I %p %M %S %f %z and %%)',
        '2 errors in 1 file',
        '',
      ].join('\n'),
    );
  });
});

describe('samples say which row they are: key columns', () => {
  test('every sample carries the key, masked like any other column', () => {
    writeFileSync(join(dir, 'm.yaml'), `kind: dataset
name: movies
key: [Title, IMDB Rating]
source: { path: ${join(process.cwd(), 'fixtures/movies/movies.csv')} }
columns:
  Title: { type: string, classification: [confidential] }
  IMDB Rating: { type: number }
  Director: { type: string, required: true }
`);
    const out = join(dir, 'out');
    const r = runCli(['check', dir, '--out', out, '--no-audit', ...NOW], { ASSAY_DATA_ROOT: '/' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('row 1: Title="***" IMDB Rating=6.1 Director=null');
    expect(check(report(out), 'movies.Director.not_null').samples[3]).toEqual({ row: 4, values: { Title: '***', 'IMDB Rating': null, Director: null } });
  });

  test('a key column the dataset does not declare is an error with did-you-mean', () => {
    writeFileSync(join(dir, 'm.yaml'), 'kind: dataset\nname: m\nkey: titel\nsource: { path: m.csv }\ncolumns:\n  title: { type: string }\n');
    const r = runCli(['validate', join(dir, 'm.yaml')]);
    expect(r.stderr.replaceAll(dir, 'D')).toBe('D/m.yaml:3:6: key: unknown key column "titel" in dataset "m" (did you mean "title"?)\n1 error in 1 file\n');
  });
});

describe('check --as P picks samples among the rows P can see', () => {
  test('the first failing rows are other regions\': P still gets its own', () => {
    const rows = ['id,region,email', ...[1, 2, 3, 4, 5, 6].map((i) => `${i},EU,`), '7,US,', '8,US,', '9,US,x@example.com'];
    writeFileSync(join(dir, 'c.csv'), `${rows.join('\n')}\n`);
    writeFileSync(join(dir, 'c.yaml'), `kind: dataset
name: c
source: { path: c.csv }
columns:
  id: { type: integer }
  region: { type: string }
  email: { type: string, required: true, unique: true }
checks:
  - unique: { column: region, name: region_repeats }
---
kind: access
roles: { support: {} }
principals:
  bob: { roles: [support], attributes: { region: US } }
policies:
  - { name: read, effect: allow, roles: [support], datasets: "*" }
  - { name: own-region, effect: row_filter, roles: [support], datasets: "*", filter: "d.region == principal.attributes.region" }
`);
    const out = join(dir, 'out');
    const r = runCli(['check', dir, '--out', out, '--no-audit', '--as', 'bob', ...NOW]);
    expect(r.code).toBe(1);
    const notNull = check(report(out), 'c.email.not_null');
    expect(notNull).toMatchObject({ failed_rows: 8, evaluated_rows: 9 });
    expect(notNull.samples.map((s: any) => s.row)).toEqual([7, 8]);
    // unique (key counts, first occurrences): every region repeats; bob sees the US ones only.
    expect(check(report(out), 'c.region_repeats').samples.map((s: any) => s.row)).toEqual([7, 8, 9]);
    const duck = runCli(['check', dir, '--out', join(dir, 'duck'), '--no-audit', '--as', 'bob', '--engine', 'duckdb', ...NOW]);
    expect(duck.stderr).toContain("c: measured by the arquero engine, not DuckDB: samples are picked among the rows the principal's row filters keep");
    expect(check(report(join(dir, 'duck')), 'c.email.not_null').samples.map((s: any) => s.row)).toEqual([7, 8]);
  });
});

describe('validate reports every error of a file', () => {
  test('schema errors (enums, unknown keys) do not hide unknown columns and expressions; type names and stats get did-you-mean', () => {
    writeFileSync(join(dir, 't.yaml'), `kind: dataset
name: movies
source: { path: m.csv }
columns:
  Title: { type: str }
  IMDB Rating: { type: float, format: emial }
  Director: { type: string }
checks:
  - not_null: { column: Directr }
  - expression: { row: "d.IMDB_Rating > 1" }
  - range: { column: Title, min: 0, exclusiv: true }
  - metric: { column: IMDB Rating, stat: avg, max: 3 }
`);
    const r = runCli(['validate', join(dir, 't.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr.replaceAll(dir, 'D')).toBe(
      [
        'D/t.yaml:5:18: columns.Title.type: invalid value "str" (did you mean "string"?)',
        'D/t.yaml:6:24: columns."IMDB Rating".type: invalid value "float" (did you mean "number"?)',
        'D/t.yaml:6:39: columns."IMDB Rating".format: invalid value "emial" (did you mean "email"?)',
        'D/t.yaml:9:25: checks[0].not_null.column: unknown column "Directr" in dataset "movies" (did you mean "Director"?)',
        'D/t.yaml:10:24: checks[1].expression.row: unknown column "IMDB_Rating" (did you mean "IMDB Rating"? In an expression write it d[\'IMDB Rating\'])',
        'D/t.yaml:11:37: checks[2].range: unknown key "exclusiv" (did you mean "exclusive"?)',
        'D/t.yaml:12:42: checks[3].metric.stat: invalid value "avg" (did you mean "mean"?)',
        '7 errors in 1 file',
        '',
      ].join('\n'),
    );
  });
});

describe('names found only in the data', () => {
  test('with no columns: declared, an unknown column says where the check is and what was meant', () => {
    writeFileSync(join(dir, 'n.yaml'), `kind: dataset
name: movies
source: { path: ${join(process.cwd(), 'fixtures/movies/movies.csv')} }
checks:
  - not_null: { column: Directr }
  - expression: { row: "d.IMDB_Rating > 1" }
`);
    const out = join(dir, 'out');
    const r = runCli(['check', join(dir, 'n.yaml'), '--out', out, '--no-audit', ...NOW], { ASSAY_DATA_ROOT: '/' });
    expect(r.code).toBe(1);
    const file = join(dir, 'n.yaml');
    expect(check(report(out), 'movies.Directr.not_null').message).toBe(
      `check could not run (${file}:5:15): unknown column "Directr" (did you mean "Director"?; the data has 6 columns: Title, Director, Release Date, IMDB Rating, Production Budget, MPAA Rating)`,
    );
    expect(check(report(out), 'movies.expression').message).toMatch(/^check could not run \(.*n\.yaml:6:17\): unknown column "IMDB_Rating" \(did you mean "IMDB Rating"\? In an expression write it d\['IMDB Rating'\]; the data has 6 columns/);
  });

  test('a source outside the project root says how to allow it, in the report and on stderr', () => {
    mkdirSync(join(dir, 'rules'));
    writeFileSync(join(dir, 'rules', 'm.yaml'), `kind: dataset\nname: movies\nsource: { path: ${join(process.cwd(), 'fixtures/movies/movies.csv')} }\n`);
    const out = join(dir, 'out');
    const r = runCli(['check', join(dir, 'rules'), '--out', out, '--no-audit', ...NOW], { ASSAY_DATA_ROOT: dir });
    expect(r.code).toBe(3);
    const how = 'to allow it, set ASSAY_DATA_ROOT to a folder that holds it, or check the file for one run with --data NAME=PATH';
    expect(report(out).datasets[0].error).toContain(`source.path resolves outside the project root`);
    expect(report(out).datasets[0].error).toMatch(new RegExp(`; ${how.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    expect(r.stderr).toContain(how);
  });
});

describe('--failed-rows DIR', () => {
  test('every failing row of each row check, whole and masked, as CSV named after the check', () => {
    const out = join(dir, 'out');
    const failed = join(dir, 'failed');
    const r = runCli(['check', 'fixtures/movies', '--out', out, '--no-audit', '--failed-rows', failed, ...NOW]);
    expect(r.code).toBe(1);
    expect(readdirSync(failed).sort()).toEqual(['movies.Director.not_null.csv', 'movies.Release_Date.range.csv', 'movies.Release_Date.type.csv', 'movies.rated_films_have_a_rating.csv']);
    expect(readFileSync(join(failed, 'movies.Director.not_null.csv'), 'utf8')).toBe(
      [
        'assay_row,Title,Director,Release Date,IMDB Rating,Production Budget,MPAA Rating',
        '1,The Land Girls,,1998-06-12,6.1,8000000,R',
        '2,First Love Last Rites,,1998-08-07,6.9,300000,R',
        '3,I Married a Strange Person,,1998-08-28,6.8,250000,',
        '4,Let\'s Talk About Sex,,1998-09-11,,300000,R',
        '16,Summer Holiday,,Jun 31 1963,,3000000,',
        '',
      ].join('\n'),
    );
    // The report keeps its own samples (5 by default); the CSV has them all.
    expect(check(report(out), 'movies.Director.not_null').samples).toHaveLength(5);
  });

  test('classified columns are redacted in the files as in samples', () => {
    writeFileSync(join(dir, 'm.yaml'), `kind: dataset\nname: movies\nsource: { path: ${join(process.cwd(), 'fixtures/movies/movies.csv')} }\ncolumns:\n  Title: { type: string, classification: confidential }\n  Director: { type: string, required: true }\n`);
    const failed = join(dir, 'failed');
    runCli(['check', join(dir, 'm.yaml'), '--out', join(dir, 'out'), '--no-audit', '--failed-rows', failed, ...NOW], { ASSAY_DATA_ROOT: '/' });
    const csv = readFileSync(join(failed, 'movies.Director.not_null.csv'), 'utf8');
    expect(csv.split('\n')[1]).toBe('1,***,,Jun 12 1998,6.1,8000000,R');
    expect(csv).not.toContain('Land Girls');
  });

  test('--failed-rows-format parquet: the same rows, typed where every value is of its type, masked alike', async () => {
    writeFileSync(join(dir, 'm.yaml'), readFileSync('fixtures/movies/movies.yaml', 'utf8').replace(/path: (\S+)/, (_m, p: string) => `path: ${join(process.cwd(), 'fixtures/movies', p)}`).replace('Title: {', 'Title: { classification: confidential,'));
    const failed = join(dir, 'failed');
    const r = runCli(['check', join(dir, 'm.yaml'), '--out', join(dir, 'out'), '--no-audit', '--failed-rows', failed, '--failed-rows-format', 'parquet', ...NOW], { ASSAY_DATA_ROOT: '/' });
    expect(r.stderr).not.toMatch(/internal error/);
    expect(readdirSync(failed).sort()).toEqual(['movies.Director.not_null.parquet', 'movies.Release_Date.range.parquet', 'movies.Release_Date.type.parquet', 'movies.rated_films_have_a_rating.parquet']);
    const bytes = readFileSync(join(failed, 'movies.Director.not_null.parquet'));
    const rows = await parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), utf8: true });
    expect(rows.map((row) => row.assay_row)).toEqual([1n, 2n, 3n, 4n, 16n]);
    // Title is classified: redacted, as in the CSV and the samples. Release Date holds a value the type check rejected: text.
    expect(rows[0]).toEqual({ assay_row: 1n, Title: '***', Director: null, 'Release Date': '1998-06-12', 'IMDB Rating': 6.1, 'Production Budget': 8000000n, 'MPAA Rating': 'R' });
    expect(rows[4]['Release Date']).toBe('Jun 31 1963');
    expect(bytes.includes('Land Girls')).toBe(false);
  });

  test('a symbolic link in place of a file is refused, and nothing is written through it', () => {
    const failed = join(dir, 'failed');
    mkdirSync(failed);
    writeFileSync(join(dir, 'victim.txt'), 'keep me');
    symlinkSync(join(dir, 'victim.txt'), join(failed, 'movies.Director.not_null.csv'));
    const r = runCli(['check', 'fixtures/movies', '--out', join(dir, 'out'), '--no-audit', '--failed-rows', failed, ...NOW]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`assay: ${join(failed, 'movies.Director.not_null.csv')}: is a symbolic link; assay never writes through a link`);
    expect(readFileSync(join(dir, 'victim.txt'), 'utf8')).toBe('keep me');
    expect(lstatSync(join(failed, 'movies.Director.not_null.csv')).isSymbolicLink()).toBe(true);
  });

  test('a folder outside the work tree is the runner\'s to name, links and all (util/write-file.ts, as for --out)', () => {
    mkdirSync(join(dir, 'elsewhere'));
    symlinkSync(join(dir, 'elsewhere'), join(dir, 'failed'));
    const r = runCli(['check', 'fixtures/movies', '--out', join(dir, 'out'), '--no-audit', '--failed-rows', join(dir, 'failed'), ...NOW]);
    expect(r.code).toBe(1);
    expect(readdirSync(join(dir, 'elsewhere'))).toContain('movies.Director.not_null.csv');
  });
});

describe('report nits', () => {
  test('quantile names its quantile; freshness reads as a duration; thresholds say when a check fails; no "error" under a WARN badge', () => {
    const out = join(dir, 'out');
    runCli(['check', 'fixtures/movies', '--out', out, '--no-audit', '--format', 'json', '--format', 'markdown', '--format', 'html', ...NOW]);
    const q = check(report(out), 'movies.IMDB Rating.p90');
    expect(q).toMatchObject({ message: 'quantile(IMDB Rating, 0.9) is 7.68', threshold: 'quantile(IMDB Rating, 0.9) > 8' });
    const freshness = check(report(out), 'movies.freshness');
    expect(freshness.threshold).toBe('age > 365d; warn when age > 30d');
    expect(freshness.observed).toBe(-662601600); // seconds in the JSON report
    const page = readFileSync(join(out, 'report.html'), 'utf8');
    expect(page).toContain('<td class="num">7669d in the future</td>');
    expect(page).not.toContain('662601600');
    writeFileSync(join(dir, 'w.yaml'), `kind: dataset\nname: w\nsource: { path: ${join(process.cwd(), 'fixtures/movies/movies.csv')} }\nchecks:\n  - row_count: { min: 1, warn: { min: 100 } }\n`);
    runCli(['check', join(dir, 'w.yaml'), '--out', join(dir, 'w'), '--no-audit', '--format', 'json', '--format', 'html', ...NOW], { ASSAY_DATA_ROOT: '/' });
    const html = readFileSync(join(dir, 'w', 'report.html'), 'utf8');
    expect(check(report(join(dir, 'w')), 'w.row_count')).toMatchObject({ status: 'warn', severity: 'error', threshold: 'row_count < 1; warn when row_count < 100' });
    expect(html).toContain('<span class="badge warn">warn</span></td><td><a href="#dataset-0">w</a></td><td><code>w.<wbr>row_count</code><div class="muted">row_count</div>');
    expect(html).not.toContain('· error');
  });
});
