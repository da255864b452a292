/**
 * `assay check` on PostgreSQL tables, through the built CLI: the warehouse
 * example (examples/warehouse/) against the fixture of fixtures/postgres/shop.sql,
 * and what happens when the connection cannot be used. Server-backed tests
 * read ASSAY_TEST_POSTGRES_URL (CI sets it: .ci/run) and are skipped with the
 * reason when it is unset.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { POSTGRES_SKIP_REASON, postgresUrl } from '../helpers/postgres-case.js';

let out: string;
beforeEach(() => {
  out = mkdtempSync(join(tmpdir(), 'assay-pg-e2e-'));
});
afterEach(() => rmSync(out, { recursive: true, force: true }));

const check = (paths: string[], env: Record<string, string>, extra: string[] = []) => runCli(['check', ...paths, '--out', out, '--no-audit', '--now', '2026-01-05T00:00:00Z', ...extra], env);

describe('without a server', () => {
  test('a connection whose URL variable is unset: exit 3, one line naming the variable and how to set it', () => {
    const result = check(['examples/warehouse', '--dataset', 'customers'], { ASSAY_WAREHOUSE_URL: '' });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('connection "warehouse" (examples/warehouse/connection.yaml:6): the environment variable ASSAY_WAREHOUSE_URL is not set (set it to postgres://user@host:5432/database, or give --connection warehouse=URL)');
  });

  test('a server that does not answer: exit 3 naming host and database, never the password', () => {
    const result = check(['examples/warehouse', '--dataset', 'customers'], {}, ['--connection', 'warehouse=postgres://assay:s3cret-pw@127.0.0.1:1/shop']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/connection "warehouse" \(127\.0\.0\.1:1\/shop\): cannot connect: /);
    expect(result.stdout + result.stderr + readFileSync(join(out, 'assay-report.json'), 'utf8')).not.toContain('s3cret-pw');
  });

  test('a password in a policy file is a validation error saying where it goes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'assay-pg-policy-'));
    try {
      writeFileSync(join(dir, 'c.yaml'), 'kind: connection\nname: w\ntype: postgres\nurl: postgres://assay:hunter2@db.internal:5432/shop\n');
      const result = runCli(['validate', dir]);
      expect(result.code).toBe(2);
      expect(result.stdout + result.stderr).toMatch(/c\.yaml:4:\d+: url: the URL holds a password; policy files are committed and must not/);
      expect(result.stdout + result.stderr).toContain('password_env');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a table source naming an undeclared connection is a validation error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'assay-pg-policy-'));
    try {
      writeFileSync(join(dir, 'd.yaml'), 'kind: dataset\nname: t\nsource: { connection: warehous, table: public.t }\n---\nkind: connection\nname: warehouse\ntype: postgres\nurl_env: X\n');
      const result = runCli(['validate', dir]);
      expect(result.code).toBe(2);
      expect(result.stdout + result.stderr).toMatch(/d\.yaml:3:\d+: source\.connection: unknown connection "warehous".*warehouse/s);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const server = postgresUrl() ? describe : describe.skip;
if (!postgresUrl()) test.skip(POSTGRES_SKIP_REASON, () => undefined);

server('the warehouse example against a real server', () => {
  test('every check runs in PostgreSQL; the faults of the fixture are found; samples carry the primary key', () => {
    const result = check(['examples/warehouse'], { ASSAY_WAREHOUSE_URL: postgresUrl()! });
    expect(result.code).toBe(1);
    const report = JSON.parse(readFileSync(join(out, 'assay-report.json'), 'utf8'));
    const orders = report.datasets.find((d: { name: string }) => d.name === 'orders');
    expect(orders.source).toBe('warehouse:public.orders');
    expect(orders.rows).toBe(1000);
    expect(orders.engine).toEqual({ name: 'postgres', pushed_down: orders.checks.length, pulled: 0 });
    const byId = (id: string) => orders.checks.find((c: { id: string }) => c.id === id);
    expect(byId('orders.amount.range')).toMatchObject({ status: 'fail', failed_rows: 1, samples: [{ key: { order_id: 17 }, values: { amount: -3.5 } }] });
    expect(byId('orders.email.format')).toMatchObject({ status: 'fail', failed_rows: 2, samples: [{ key: { order_id: 23 }, values: { email: '***' } }, { key: { order_id: 24 }, values: { email: '***' } }] });
    expect(byId('orders.customer_id.reference')).toMatchObject({ status: 'fail', failed_rows: 1, samples: [{ key: { order_id: 42 } }] });
    expect(byId('orders.updated_after_created')).toMatchObject({ status: 'pass', failed_rows: 1, evaluated_rows: 1000 });
    expect(byId('orders.schema')).toMatchObject({ status: 'pass' });
    const imports = report.datasets.find((d: { name: string }) => d.name === 'order_imports');
    expect(imports.checks.filter((c: { status: string }) => c.status === 'fail').map((c: { id: string; failed_rows: number }) => [c.id, c.failed_rows])).toEqual([
      ['order_imports.order_id.type', 1],
      ['order_imports.amount.type', 1],
      ['order_imports.placed.type', 1],
    ]);
    expect(result.stdout).toContain('key order_id=17: amount=-3.5');
  });

  test('a table that does not exist: exit 3 naming the table', () => {
    const dir = mkdtempSync(join(tmpdir(), 'assay-pg-policy-'));
    try {
      writeFileSync(join(dir, 'd.yaml'), 'kind: dataset\nname: t\nsource: { connection: w, table: public.Orders }\nchecks:\n  - row_count: { min: 1 }\n---\nkind: connection\nname: w\ntype: postgres\nurl_env: W_URL\n');
      const result = check([dir], { W_URL: postgresUrl()! });
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(/table public\.Orders: no such table/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

server('statement_timeout', () => {
  test('a query that outlives the connection\'s statement_timeout: exit 3, saying which option to raise', () => {
    const dir = mkdtempSync(join(tmpdir(), 'assay-pg-policy-'));
    try {
      // A regex over every row of a cross join: longer than 1 ms on any machine.
      writeFileSync(join(dir, 'd.yaml'), 'kind: dataset\nname: t\nsource: { connection: w, table: public.orders }\nchecks:\n  - pattern: { column: email, regex: "(a|b)+c" }\n---\nkind: connection\nname: w\ntype: postgres\nurl_env: W_URL\noptions: { statement_timeout: 1ms }\n');
      const result = check([dir], { W_URL: postgresUrl()! });
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(/canceling statement due to statement timeout \(statement_timeout: raise options\.statement_timeout/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

server('--pull', () => {
  test('an untranslated check is an error naming the construct; with --pull it runs in-process over only its columns', () => {
    const dir = mkdtempSync(join(tmpdir(), 'assay-pg-policy-'));
    try {
      writeFileSync(
        join(dir, 'd.yaml'),
        "kind: dataset\nname: t\nsource: { connection: w, table: public.orders }\ncolumns:\n  order_id: { type: integer }\n  status: { type: string }\nschema: { extra_columns: allow }\nchecks:\n  - row_count: { min: 1 }\n  - pattern: { name: not_void, column: status, regex: \"\\\\b[prsc]\" }\n---\nkind: connection\nname: w\ntype: postgres\nurl_env: W_URL\n",
      );
      const report = () => JSON.parse(readFileSync(join(out, 'assay-report.json'), 'utf8')).datasets[0];
      check([dir], { W_URL: postgresUrl()! });
      const without = report();
      expect(without.checks.find((c: { id: string }) => c.id === 't.not_void')).toMatchObject({ status: 'error', message: expect.stringContaining('not translated to SQL: the regex escape \\b') });
      expect(without.engine).toEqual({ name: 'postgres', pushed_down: 4, pulled: 0 });
      check([dir], { W_URL: postgresUrl()! }, ['--pull']);
      const pulled = report();
      expect(pulled.checks.find((c: { id: string }) => c.id === 't.not_void')).toMatchObject({ status: 'fail', failed_rows: 1, evaluated_rows: 1000, samples: [{ key: { order_id: 31 }, values: { status: 'void' } }] });
      expect(pulled.engine).toEqual({ name: 'postgres', pushed_down: 4, pulled: 1 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
