/**
 * PostgreSQL tables through the built CLI, beyond the warehouse example
 * (test/e2e/postgres.test.ts): `export` of a table (row filter in WHERE,
 * masks, denied columns never read), strftime `format:` on text columns, the
 * dataset's `key:` in samples, integers beyond 2^53 (declined, exact with
 * --pull), sub-millisecond timestamps, and one connection per run. Tables
 * are created in a schema of their own; needs ASSAY_TEST_POSTGRES_URL
 * (skipped with the reason without it).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { runCli } from '../helpers/cli.js';
import { POSTGRES_SKIP_REASON, postgresUrl } from '../helpers/postgres-case.js';

const server = postgresUrl() ? describe : describe.skip;
if (!postgresUrl()) test.skip(POSTGRES_SKIP_REASON, () => undefined);

const SCHEMA = `assay_e2e_${process.pid}`;
const CONNECTION = 'kind: connection\nname: w\ntype: postgres\nurl_env: W_URL\n';
let client: pg.Client;
let dir: string;
let out: string;

beforeAll(async () => {
  if (!postgresUrl()) return;
  client = new pg.Client({ connectionString: postgresUrl() });
  await client.connect();
  await client.query(`CREATE SCHEMA ${SCHEMA}`);
  await client.query(`
    CREATE TABLE ${SCHEMA}.films (id int, title text, released text, shown text);
    INSERT INTO ${SCHEMA}.films VALUES
      (3, 'C', 'Jun 12 1998', '06/12/1998 1:05 PM'),
      (1, 'A', 'Feb 29 2023', '06/12/1998 13:05 PM'),
      (2, 'B', 'dec 25 1962', '12/31/1999 12:00 AM'),
      (4, 'D', NULL, 'soon');
    CREATE TABLE ${SCHEMA}.wide (id int PRIMARY KEY, big int8, big_text text, n int);
    INSERT INTO ${SCHEMA}.wide VALUES (1, 9007199254740993, '9007199254740993', 1), (2, 9007199254740992, '9007199254740992', 2), (3, 5, '5', 3);
    CREATE TABLE ${SCHEMA}.dups (id int PRIMARY KEY, code text);
    INSERT INTO ${SCHEMA}.dups VALUES (1, 'x'), (2, 'y'), (3, 'x'), (4, 'w'), (5, 'x'), (6, 'y'), (7, 'x');
    CREATE TABLE ${SCHEMA}.events (id int PRIMARY KEY, at timestamptz);
    INSERT INTO ${SCHEMA}.events VALUES (1, '2026-01-05 10:00:00.123456+00'), (2, '1969-12-31 23:59:59.999999+00');
  `);
});
afterAll(async () => {
  if (!postgresUrl()) return;
  await client.query(`DROP SCHEMA ${SCHEMA} CASCADE`);
  await client.end();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'assay-pg-tables-'));
  out = mkdtempSync(join(tmpdir(), 'assay-pg-tables-out-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
});

const check = (extra: string[] = []) => runCli(['check', dir, '--out', out, '--no-audit', '--now', '2026-01-10T00:00:00Z', ...extra], { W_URL: postgresUrl()! });
const report = () => JSON.parse(readFileSync(join(out, 'assay-report.json'), 'utf8')).datasets[0];
const byId = (dataset: { checks: { id: string }[] }, id: string) => dataset.checks.find((c) => c.id === id);

server('PostgreSQL tables end to end', () => {
  test('strftime formats on text columns are read as the in-process engine reads them; samples come in key order', () => {
    writeFileSync(
      join(dir, 'films.yaml'),
      `kind: dataset\nname: films\nkey: id\nsource: { connection: w, table: ${SCHEMA}.films }\ncolumns:\n  id: { type: integer }\n  title: { type: string }\n  released: { type: date, format: "%b %d %Y" }\n  shown: { type: timestamp, format: "%m/%d/%Y %I:%M %p" }\nchecks:\n  - metric: { name: first_release, column: released, stat: min, min: "1900-01-01" }\n  - metric: { name: last_show, column: shown, stat: max, min: "1900-01-01" }\n---\n${CONNECTION}`,
    );
    const result = check();
    const films = report();
    expect(films.engine).toMatchObject({ name: 'postgres', pulled: 0 });
    // Feb 29 2023 is no date; 13:05 PM and "soon" are no time: each fails `type`, in key order (id), not insertion order.
    expect(byId(films, 'films.released.type')).toMatchObject({ status: 'fail', failed_rows: 1, evaluated_rows: 3, samples: [{ key: { id: 1 }, values: { released: 'Feb 29 2023' } }] });
    expect(byId(films, 'films.shown.type')).toMatchObject({ status: 'fail', failed_rows: 2, samples: [{ key: { id: 1 } }, { key: { id: 4 } }] });
    expect(byId(films, 'films.first_release')).toMatchObject({ status: 'pass', observed: '1962-12-25T00:00:00.000Z' });
    expect(byId(films, 'films.last_show')).toMatchObject({ status: 'pass', observed: '1999-12-31T00:00:00.000Z' });
    expect(result.code).toBe(1);
  });

  test('integers beyond 2^53 (int8 and text): their measures are declined, naming the column; --pull measures them exactly', () => {
    writeFileSync(
      join(dir, 'wide.yaml'),
      `kind: dataset\nname: wide\nsource: { connection: w, table: ${SCHEMA}.wide }\ncolumns:\n  id: { type: integer }\n  big: { type: integer, unique: true }\n  big_text: { type: integer, unique: true }\n  n: { type: integer }\nchecks:\n  - metric: { name: n_sum, column: n, stat: sum, max: 100 }\n---\n${CONNECTION}`,
    );
    check();
    const declined = report();
    // 2^53 + 1 and 2^53 are one double apart from nothing: as doubles they would collide; in-process (bigints) they are distinct.
    for (const id of ['wide.big.unique', 'wide.big_text.unique']) {
      expect(byId(declined, id)).toMatchObject({ status: 'error', message: expect.stringMatching(/not translated to SQL: column "big(_text)?" holds integers beyond 2\^53.*--pull/) });
    }
    // Validity does not depend on the values' precision: every one is an integer (int64), as in the in-process engine.
    expect(byId(declined, 'wide.big_text.type')).toMatchObject({ status: 'pass', evaluated_rows: 3 });
    expect(byId(declined, 'wide.n_sum')).toMatchObject({ status: 'pass', observed: 6 });
    check(['--pull']);
    const pulled = report();
    expect(byId(pulled, 'wide.big.unique')).toMatchObject({ status: 'pass', failed_rows: 0 });
    expect(byId(pulled, 'wide.big_text.unique')).toMatchObject({ status: 'pass', failed_rows: 0 });
    expect(pulled.engine).toMatchObject({ name: 'postgres', pulled: 2 });
  });

  test('--failed-rows on a table writes every failing row, beyond samples (no LIMIT), for unique and row checks', () => {
    writeFileSync(
      join(dir, 'dups.yaml'),
      `kind: dataset\nname: dups\nkey: id\nsource: { connection: w, table: ${SCHEMA}.dups }\ncolumns:\n  id: { type: integer }\n  code: { type: string, unique: true, pattern: "^z" }\n---\n${CONNECTION}`,
    );
    const result = check(['--failed-rows', join(out, 'failed')]);
    expect(result.stderr).not.toMatch(/Infinity|syntax error/);
    const dups = report();
    // x four times and y twice: six rows hold a repeated value; no code starts with z.
    expect(byId(dups, 'dups.code.unique')).toMatchObject({ failed_rows: 6 });
    expect(byId(dups, 'dups.code.pattern')).toMatchObject({ failed_rows: 7, samples: expect.arrayContaining([expect.anything()]) });
    const lines = (name: string) => readFileSync(join(out, 'failed', name), 'utf8').trim().split('\n');
    // A header and every failing row, though the report keeps fewer samples.
    expect(lines('dups.code.unique.csv')).toHaveLength(7);
    expect(lines('dups.code.pattern.csv')).toHaveLength(8);
    expect(result.code).toBe(1);
  });

  test('timestamps keep milliseconds and drop finer digits, as JavaScript does', () => {
    writeFileSync(
      join(dir, 'events.yaml'),
      `kind: dataset\nname: events\nsource: { connection: w, table: ${SCHEMA}.events }\ncolumns:\n  id: { type: integer }\n  at: { type: timestamp }\nchecks:\n  - metric: { name: newest, column: at, stat: max, min: "2000-01-01" }\n  - metric: { name: oldest, column: at, stat: min, min: "1900-01-01" }\n---\n${CONNECTION}`,
    );
    check();
    expect(byId(report(), 'events.newest')).toMatchObject({ observed: '2026-01-05T10:00:00.123Z' });
    expect(byId(report(), 'events.oldest')).toMatchObject({ observed: '1969-12-31T23:59:59.999Z' });
  });

  test('a dataset key: that is not a column of the table: exit 3 naming it', () => {
    writeFileSync(join(dir, 'films.yaml'), `kind: dataset\nname: films\nkey: film_id\nsource: { connection: w, table: ${SCHEMA}.films }\nschema: { extra_columns: allow }\ncolumns:\n  film_id: { type: integer }\nchecks:\n  - row_count: { min: 1 }\n---\n${CONNECTION}`);
    const result = check();
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/key column "film_id" is not in the table/);
  });

  test('one connection per run, whatever the number of datasets on it', async () => {
    // A database of its own, so that other tests' connections are not counted.
    const database = `assay_e2e_one_${process.pid}`;
    await client.query(`CREATE DATABASE ${database}`);
    const url = new URL(postgresUrl()!);
    url.pathname = `/${database}`;
    try {
      const other = new pg.Client({ connectionString: url.toString() });
      await other.connect();
      await other.query('CREATE TABLE films (id int); INSERT INTO films VALUES (1), (2)');
      await other.end();
      const datasets = [1, 2, 3].map((i) => `kind: dataset\nname: films${i}\nsource: { connection: w, table: films }\nschema: { extra_columns: allow }\nchecks:\n  - row_count: { min: 1 }\n`);
      writeFileSync(join(dir, 'films.yaml'), `${datasets.join('---\n')}---\n${CONNECTION}`);
      // pg_stat_database counts the sessions opened on each database (PostgreSQL 14+): the run adds exactly one.
      const sessions = async () => Number((await client.query('SELECT sessions::int AS n FROM pg_stat_database WHERE datname = $1', [database])).rows[0].n);
      const start = await sessions();
      expect(runCli(['check', dir, '--out', out, '--no-audit'], { W_URL: url.toString() }).code).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 500)); // the statistics are flushed when the session ends
      expect((await sessions()) - start).toBe(1);
    } finally {
      await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    }
  });
});

server('export of a table', () => {
  const policy = (extra = '') =>
    `kind: dataset\nname: orders\nsource: { connection: w, table: public.orders }\ncolumns:\n  order_id: { type: integer }\n  email: { type: string, classification: [pii.email] }\n  country: { type: string }\n  amount: { type: number }\n${extra}---\n${CONNECTION}---\nkind: access\nroles:\n  support: { description: answers customers of one region }\nprincipals:\n  bob: { roles: [support], attributes: { region: US } }\n  eve: { roles: [support] }\npolicies:\n  - { name: support-reads, effect: allow, roles: [support], datasets: { names: [orders] } }\n  - { name: own-region, effect: row_filter, roles: [support], datasets: { names: [orders] }, filter: d.country == principal.attributes.region }\n  - { name: no-emails, effect: mask, roles: [support], columns: { classification: pii }, mask: redact }\n  - { name: no-amounts, effect: deny, roles: [support], datasets: { names: [orders] }, columns: { names: [amount] } }\n`;
  const exportAs = (who: string, file: string, extra: string[] = []) => runCli(['export', dir, '--as', who, '--dataset', 'orders', '--out', file, '--no-audit', ...extra], { W_URL: postgresUrl()! });

  test('streams the rows the filter keeps, in key order, masked, without denied columns', async () => {
    writeFileSync(join(dir, 'p.yaml'), policy());
    const file = join(out, 'bob.csv');
    const result = exportAs('bob', file);
    expect(result.stderr).toMatch(/exported \d+ of 1000 rows, 3 columns of orders for bob .*masked: email; left out: amount; rows where d\.country == "US"/);
    expect(result.code).toBe(0);
    const { rows } = await client.query("SELECT order_id FROM public.orders WHERE country = 'US' ORDER BY order_id");
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('order_id,email,country');
    expect(lines.slice(1).map((l) => Number(l.split(',')[0]))).toEqual(rows.map((r) => Number(r.order_id)));
    expect(rows.length).toBeGreaterThan(10);
    const emails = (await client.query('SELECT email FROM public.orders WHERE email IS NOT NULL')).rows.map((r) => r.email as string);
    const text = readFileSync(file, 'utf8');
    expect(emails.filter((e) => text.includes(e))).toEqual([]);
    expect(lines.slice(1).every((l) => l.endsWith(',US'))).toBe(true);
  });

  test('NDJSON too; a principal whose filter reads a missing attribute gets no rows (fails closed)', () => {
    writeFileSync(join(dir, 'p.yaml'), policy());
    const file = join(out, 'eve.ndjson');
    const result = exportAs('eve', file);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/exported 0 of 1000 rows/);
    expect(readFileSync(file, 'utf8')).toBe('');
    const bob = join(out, 'bob.ndjson');
    expect(exportAs('bob', bob).code).toBe(0);
    const first = JSON.parse(readFileSync(bob, 'utf8').split('\n')[0]);
    expect(Object.keys(first)).toEqual(['order_id', 'email', 'country']);
    expect(first.country).toBe('US');
  });

  test('a row filter the engine cannot express exactly refuses the export (fails closed); nothing is written', () => {
    writeFileSync(join(dir, 'p.yaml'), policy().replace('filter: d.country == principal.attributes.region', 'filter: d.order_id % 2 == 0'));
    const file = join(out, 'bob.csv');
    const result = exportAs('bob', file);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/row filter "own-region" on dataset "orders" is not translated to SQL \(.*\); nothing is exported/);
    expect(() => readFileSync(file)).toThrow();
  });

  test('a connection that fails: exit 3 naming host and database, never the password; no file is left', () => {
    writeFileSync(join(dir, 'p.yaml'), policy());
    const file = join(out, 'bob.csv');
    const result = runCli(['export', dir, '--as', 'bob', '--dataset', 'orders', '--out', file, '--no-audit', '--connection', 'w=postgres://assay:s3cret-pw@127.0.0.1:1/shop'], {});
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/connection "w" \(127\.0\.0\.1:1\/shop\): cannot connect/);
    expect(result.stdout + result.stderr).not.toContain('s3cret-pw');
    expect(() => readFileSync(file)).toThrow();
  });
});
