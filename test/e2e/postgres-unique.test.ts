/**
 * Unique checks in PostgreSQL (the shared GROUP BY of plan-sql.ts) against
 * the default engine on the same rows: nulls in composite keys, `where`,
 * several unique checks on one table, and `--failed-rows`, which keeps every
 * failing row and identifies a table's rows by their key (`assay_key`), not
 * by an index of the run. Needs ASSAY_TEST_POSTGRES_URL.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { runCli } from '../helpers/cli.js';
import { POSTGRES_SKIP_REASON, postgresUrl } from '../helpers/postgres-case.js';

const server = postgresUrl() ? describe : describe.skip;
if (!postgresUrl()) test.skip(POSTGRES_SKIP_REASON, () => undefined);

// id, a, b, n, region: no empty strings (a CSV cannot tell them from null, a table can).
const ROWS: [number, string | null, string | null, number | null, string | null][] = [
  [1, 'x', 'p', 1, 'eu'], [2, 'x', 'p', 2, 'eu'], [3, 'x', null, 3, 'us'], [4, 'x', null, 4, 'us'],
  [5, null, null, 5, 'eu'], [6, null, null, 5, 'eu'], [7, 'y', 'q', null, 'us'], [8, 'y', 'q', null, 'eu'],
  [9, 'z', 'r', 9, null], [10, 'z', 'r', 9, null], [11, 'v', 'p', 11, 'eu'], [12, 'u', 'p', 12, 'eu'], [13, 'w', 's', 13, 'us'],
];
const CHECKS = `columns:
  id: { type: integer }
  a: { type: string }
  b: { type: string }
  n: { type: number }
  region: { type: string }
checks:
  - unique: { column: a }
  - unique: { columns: [a, b] }
  - unique: { columns: [a, b], where: "d.region == 'eu'", name: ab_eu }
  - unique: { column: n, where: "d.region == 'us'", name: n_us }
  - unique: { columns: [b, n], name: bn }
  - unique: { column: id }
  - duplicate_count: { columns: [a, b], max: 0 }
  - distinct_count: { column: a, min: 1 }
`;

server('unique checks: PostgreSQL gives the default engine report', () => {
  let dir: string;
  let client: pg.Client;
  const tables: string[] = [];
  beforeAll(async () => {
    client = new pg.Client({ connectionString: postgresUrl() });
    await client.connect();
  });
  afterAll(async () => {
    for (const t of tables) await client.query(`DROP TABLE IF EXISTS ${t}`);
    await client.end();
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'assay-pg-unique-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const load = async (withKey: boolean): Promise<string> => {
    const table = `public.assay_unique_${process.pid}_${tables.length}`;
    tables.push(table);
    await client.query(`CREATE TABLE ${table} (id bigint${withKey ? ' PRIMARY KEY' : ''}, a text, b text, n float8, region text)`);
    for (const row of ROWS) await client.query(`INSERT INTO ${table} VALUES ($1, $2, $3, $4, $5)`, row);
    return table;
  };
  const run = (policy: string, out: string, extra: string[]) =>
    runCli(['check', policy, '--out', join(dir, out), '--no-audit', '--no-history', '--now', '2026-01-05T00:00:00Z', '--failed-rows', join(dir, `${out}-failed`), ...extra], { W_URL: postgresUrl()! });
  const report = (out: string) => JSON.parse(readFileSync(join(dir, out, 'assay-report.json'), 'utf8')).datasets[0];
  const csv = (out: string, file: string) => readFileSync(join(dir, `${out}-failed`, file), 'utf8').trim().split('\n');

  test.each([false, true])('table with primary key: %s', async (withKey) => {
    const table = await load(withKey);
    writeFileSync(join(dir, 't.yaml'), `kind: dataset\nname: t\nsource: { connection: w, table: ${table} }\n${withKey ? 'key: [id]\n' : ''}${CHECKS}---\nkind: connection\nname: w\ntype: postgres\nurl_env: W_URL\n`);
    writeFileSync(join(dir, 't.csv'), ['id,a,b,n,region', ...ROWS.map((r) => r.map((v) => v ?? '').join(','))].join('\n') + '\n');
    const inPg = run(join(dir, 't.yaml'), 'pg', []);
    const local = run(join(dir, 't.yaml'), 'local', ['--data', `t=${join(dir, 't.csv')}`]);
    expect(inPg.stderr).not.toMatch(/Infinity|error/i);
    expect(inPg.code).toBe(1);
    expect(local.code).toBe(1);
    const a = report('pg');
    const b = report('local');
    expect(a.engine).toEqual({ name: 'postgres', pushed_down: a.checks.length, pulled: 0 });
    const comparable = (c: { id: string; status: string; observed: unknown; failed_rows?: number; evaluated_rows?: number; samples?: { values: unknown }[] }) => [c.id, c.status, c.observed, c.failed_rows, c.evaluated_rows, c.samples?.map((s) => s.values)];
    expect(a.checks.map(comparable)).toEqual(b.checks.map(comparable));
    const byId = (id: string) => a.checks.find((c: { id: string }) => c.id === id);
    // a: x×4, y×2, z×2 repeat; null is not a key. (a, b): (x,p), (y,q), (z,r); (x,null) and (null,null) are not keys.
    expect(byId('t.a.unique')).toMatchObject({ status: 'fail', failed_rows: 8, evaluated_rows: 11 });
    expect(byId('t.a+b.unique')).toMatchObject({ status: 'fail', failed_rows: 6, evaluated_rows: 9 });
    expect(byId('t.ab_eu')).toMatchObject({ status: 'fail', failed_rows: 2, evaluated_rows: 5 });
    expect(byId('t.n_us')).toMatchObject({ status: 'pass', failed_rows: 0, evaluated_rows: 3 });
    expect(byId('t.bn')).toMatchObject({ status: 'fail', failed_rows: 2 });
    // --failed-rows: every failing row (more than a sample's 5), the same cells as the default engine's.
    const pgRows = csv('pg', 't.a.unique.csv');
    const localRows = csv('local', 't.a.unique.csv');
    expect(pgRows.length).toBe(1 + 8);
    expect(localRows[0]).toBe('assay_row,id,a,b,n,region');
    expect(pgRows[0]).toBe('assay_key,id,a,b,n,region');
    const cells = (lines: string[]) => lines.slice(1).map((l) => l.replace(/^("[^"]*(""[^"]*)*"|[^,]*),/, ''));
    expect(cells(pgRows)).toEqual(cells(localRows));
    // A table's row is named by its key (or ctid), never by an index of the run: ids 9 and 10 fail (b, n).
    const bn = csv('pg', 't.bn.csv');
    expect(bn.slice(1).map((l) => l.split(',').slice(-5).join(','))).toEqual(['9,z,r,9,', '10,z,r,9,']);
    expect(bn[1]).toMatch(withKey ? /^"\{""id"":9\}",/ : /^"\{""ctid"":""\(0,9\)""\}",/);
  }, 120_000);
});
