/**
 * `assay check` on Spark, through the built CLI: the lake example
 * (examples/lake/) read by a real Spark Connect server gives the report the
 * default engine gives over the same files, and a connection that cannot be
 * used fails as it should. Server-backed tests read ASSAY_TEST_SPARK_URL
 * (CI sets it: .ci/spark.sh) and are skipped with the reason when it is unset.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { SPARK_SKIP_REASON, sparkUrl } from '../helpers/spark-case.js';

let out: string;
let dir: string;
beforeEach(() => {
  out = mkdtempSync(join(tmpdir(), 'assay-spark-e2e-'));
  dir = mkdtempSync(join(tmpdir(), 'assay-spark-policy-'));
});
afterEach(() => {
  rmSync(out, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

const check = (paths: string[], env: Record<string, string>, extra: string[] = []) => runCli(['check', ...paths, '--out', out, '--no-audit', '--now', '2026-01-05T00:00:00Z', ...extra], env);

describe('without a server', () => {
  test('a connection whose URL variable is unset: exit 3, one line naming the variable and an sc:// URL', () => {
    const result = check(['examples/lake', '--dataset', 'customers'], { ASSAY_LAKE_URL: '' });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('connection "lake" (examples/lake/connection.yaml:7): the environment variable ASSAY_LAKE_URL is not set (set it to sc://host:15002, or give --connection lake=URL)');
  });

  test('a server that does not answer: exit 3 naming the host, never the token', () => {
    const result = check(['examples/lake', '--dataset', 'customers'], {}, ['--connection', 'lake=sc://127.0.0.1:1/;token=s3cret-token']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/connection "lake" \(127\.0\.0\.1:1\): cannot connect: /);
    expect(result.stdout + result.stderr + readFileSync(join(out, 'assay-report.json'), 'utf8')).not.toContain('s3cret-token');
  });

  test('a token in a policy file is a validation error saying where it goes', () => {
    writeFileSync(join(dir, 'c.yaml'), 'kind: connection\nname: lake\ntype: spark\nurl: sc://spark.internal:443/;use_ssl=true;token=hunter2\n');
    const result = runCli(['validate', dir]);
    expect(result.code).toBe(2);
    expect(result.stdout + result.stderr).toMatch(/c\.yaml:4:\d+: url: the URL holds a token; policy files are committed and must not/);
    expect(result.stdout + result.stderr).toContain('token_env');
  });

  test('files read by the engine need a spark connection and a format Spark reads', () => {
    writeFileSync(
      join(dir, 'd.yaml'),
      'kind: dataset\nname: a\nsource: { connection: warehouse, path: x.csv, format: csv }\n---\nkind: dataset\nname: b\nsource: { connection: lake, path: x.arrow, format: arrow }\n---\nkind: dataset\nname: c\nsource: { connection: lake, path: x.csv }\n---\nkind: connection\nname: warehouse\ntype: postgres\nurl_env: X\n---\nkind: connection\nname: lake\ntype: spark\nurl: sc://localhost\n',
    );
    const text = (() => {
      const result = runCli(['validate', dir]);
      expect(result.code).toBe(2);
      return result.stdout + result.stderr;
    })();
    expect(text).toMatch(/d\.yaml:3:\d+: source\.connection: a source is a file \("path"\) or a table \("connection" and "table"\), not both; only a spark connection reads files itself \(connection "warehouse" is postgres\)/);
    expect(text).toMatch(/d\.yaml:7:\d+: source\.format: a spark connection does not read arrow files/);
    expect(text).toMatch(/d\.yaml:1[01]:\d+: source: files a spark connection reads need "format"/);
  });

  test('a spark URL must be sc://', () => {
    writeFileSync(join(dir, 'c.yaml'), 'kind: connection\nname: lake\ntype: spark\nurl: http://spark.internal:15002\n');
    const result = runCli(['validate', dir]);
    expect(result.code).toBe(2);
    expect(result.stdout + result.stderr).toMatch(/c\.yaml:4:\d+: url: a Spark Connect URL is sc:\/\/host:port/);
  });
});

const server = sparkUrl() ? describe : describe.skip;
if (!sparkUrl()) test.skip(SPARK_SKIP_REASON, () => undefined);

interface CheckReport {
  id: string;
  status: string;
  observed: unknown;
  failed_rows?: number;
  evaluated_rows?: number;
  message: string;
  samples?: { row?: number; key?: unknown; values: Record<string, unknown> }[];
}

server('the lake example against a real Spark Connect server', () => {
  test("a table Spark does not have: exit 3, one line with Spark's error class and SQLSTATE (from the gRPC status details)", () => {
    writeFileSync(join(dir, 'd.yaml'), `kind: dataset\nname: t\nsource: { connection: lake, table: no_such_schema.no_such_table }\nchecks:\n  - row_count: { min: 1 }\n---\nkind: connection\nname: lake\ntype: spark\nurl_env: ASSAY_LAKE_URL\n`);
    const result = check([dir], { ASSAY_LAKE_URL: sparkUrl()! });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/dataset "t": connection "lake" \([^)]+\): table no_such_schema\.no_such_table: \[TABLE_OR_VIEW_NOT_FOUND\].*SQLSTATE:? 42P01/);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  }, 300_000);

  test('Spark reads the CSV and Parquet files itself and gives the default engine report (samples by position)', () => {
    const inSpark = check(['examples/lake'], { ASSAY_LAKE_URL: sparkUrl()! }, ['--failed-rows', join(out, 'failed')]);
    const sparkReport = JSON.parse(readFileSync(join(out, 'assay-report.json'), 'utf8'));
    // The same policy with plain file sources, measured in-process.
    const policy = readFileSync('examples/lake/orders.yaml', 'utf8')
      .replace(/connection: lake\n\s*path: \.\.\/\.\.\/(\S+)\n\s*format: \w+/g, (_m, path: string) => `path: ${resolve(path)}`);
    writeFileSync(join(dir, 'orders.yaml'), policy);
    const local = runCli(['check', dir, '--out', join(out, 'local'), '--no-audit', '--now', '2026-01-05T00:00:00Z', '--failed-rows', join(out, 'local-failed')]);
    const localReport = JSON.parse(readFileSync(join(out, 'local', 'assay-report.json'), 'utf8'));
    expect(inSpark.code).toBe(local.code);
    for (const name of ['orders', 'customers', 'shipments']) {
      const a = sparkReport.datasets.find((d: { name: string }) => d.name === name);
      const b = localReport.datasets.find((d: { name: string }) => d.name === name);
      expect(a.engine).toEqual({ name: 'spark', pushed_down: a.checks.length, pulled: 0 });
      expect(a.source).toMatch(/^lake:\.\.\/\.\.\/fixtures\/data\//);
      expect(a.rows).toBe(b.rows);
      const comparable = (c: CheckReport) => ({ id: c.id, status: c.status, observed: c.observed, failed_rows: c.failed_rows, evaluated_rows: c.evaluated_rows, message: c.message, samples: c.samples?.map((s) => s.values) });
      expect(a.checks.map(comparable)).toEqual(b.checks.map(comparable));
    }
    const orders = sparkReport.datasets.find((d: { name: string }) => d.name === 'orders');
    // One partition for a small file: a sample's row is its position, as in the file.
    const local_orders = localReport.datasets.find((d: { name: string }) => d.name === 'orders');
    const sampled = (r: { checks: CheckReport[] }) => r.checks.flatMap((c) => (c.samples ?? []).map((s) => [c.id, s.row]));
    expect(sampled(orders)).toEqual(sampled(local_orders));
    expect(sampled(orders).length).toBeGreaterThan(0);
    // --failed-rows: every failing row (no LIMIT), masked alike, the same files.
    const files = readdirSync(join(out, 'local-failed')).sort();
    expect(readdirSync(join(out, 'failed')).sort()).toEqual(files);
    expect(files).toContain('orders.order_id.unique.csv');
    for (const f of files) expect(readFileSync(join(out, 'failed', f), 'utf8')).toBe(readFileSync(join(out, 'local-failed', f), 'utf8'));
  }, 600_000);
});

server('export of the lake example read by Spark', () => {
  const ACCESS =
    'kind: access\nroles:\n  support: { description: answers customers of one region }\nprincipals:\n  bob: { roles: [support], attributes: { region: DE } }\npolicies:\n' +
    '  - { name: support-reads, effect: allow, roles: [support], datasets: { names: [orders] } }\n' +
    '  - { name: own-region, effect: row_filter, roles: [support], datasets: { names: [orders] }, filter: d.country == principal.attributes.region }\n' +
    '  - { name: no-emails, effect: mask, roles: [support], columns: { classification: pii }, mask: redact }\n' +
    '  - { name: no-status, effect: deny, roles: [support], datasets: { names: [orders] }, columns: { names: [status] } }\n';
  /** The lake policy in `folder`: read by Spark (files by absolute path), or (`local`) as plain file sources. */
  const lakePolicy = (folder: string, local: boolean, edit: (text: string) => string = (t) => t) => {
    const orders = readFileSync('examples/lake/orders.yaml', 'utf8').replace(/(connection: lake\n\s*)path: \.\.\/\.\.\/(\S+)(\n\s*format: \w+)/g, (_m, head: string, path: string, format: string) =>
      local ? `path: ${resolve(path)}` : `${head}path: ${resolve(path)}${format}`,
    );
    writeFileSync(join(folder, 'orders.yaml'), edit(orders));
    if (!local) writeFileSync(join(folder, 'connection.yaml'), readFileSync('examples/lake/connection.yaml', 'utf8'));
    writeFileSync(join(folder, 'access.yaml'), ACCESS);
  };
  const exportAs = (folder: string, file: string, env: Record<string, string> = {}) => runCli(['export', folder, '--as', 'bob', '--dataset', 'orders', '--out', file, '--no-audit'], env);

  test('masked, filtered in Spark, denied columns left out: the same file as the export of a local copy (CSV and NDJSON)', () => {
    const local = join(dir, 'local');
    const lake = join(dir, 'lake');
    for (const [folder, isLocal] of [[local, true], [lake, false]] as const) {
      mkdirSync(folder);
      lakePolicy(folder, isLocal);
    }
    for (const format of ['csv', 'ndjson']) {
      const fromSpark = exportAs(lake, join(out, `spark.${format}`), { ASSAY_LAKE_URL: sparkUrl()! });
      expect(fromSpark.stderr).toMatch(/exported \d+ of 1000 rows, 7 columns of orders for bob .*masked: email; left out: status; rows where d\.country == "DE"/);
      expect(fromSpark.code).toBe(0);
      const fromFile = exportAs(local, join(out, `local.${format}`));
      expect(fromFile.code).toBe(0);
      expect(fromSpark.stderr.match(/exported \d+ of \d+ rows/)![0]).toBe(fromFile.stderr.match(/exported \d+ of \d+ rows/)![0]);
      const text = readFileSync(join(out, `spark.${format}`), 'utf8');
      expect(text).toBe(readFileSync(join(out, `local.${format}`), 'utf8'));
      expect(text.split('\n').length).toBeGreaterThan(20);
      expect(text).not.toMatch(/@example\.com|"US"|,US,|paid|placed/);
    }
  }, 600_000);

  test('in key order (typed values, not text) when the dataset has key:; a filter Spark cannot express refuses the export', () => {
    const lake = join(dir, 'lake');
    mkdirSync(lake);
    lakePolicy(lake, false, (t) => t.replace('tags: [sales]\n', 'tags: [sales]\nkey: [customer_id, order_id]\n'));
    const file = join(out, 'keyed.ndjson');
    expect(exportAs(lake, file, { ASSAY_LAKE_URL: sparkUrl()! }).code).toBe(0);
    const keys = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { customer_id: number; order_id: number }).map((r) => [r.customer_id, r.order_id]);
    const sorted = [...keys].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(keys).toEqual(sorted);
    expect(keys.map((k) => k[1])).not.toEqual([...keys.map((k) => k[1])].sort((a, b) => a - b)); // not the file's order
    expect(new Set(keys.map((k) => String(k[0]).length)).size).toBeGreaterThan(1); // text order would differ

    writeFileSync(join(lake, 'access.yaml'), ACCESS.replace('filter: d.country == principal.attributes.region', 'filter: d.order_id % 2 == 0'));
    const refused = join(out, 'refused.csv');
    const result = exportAs(lake, refused, { ASSAY_LAKE_URL: sparkUrl()! });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/row filter "own-region" on dataset "orders" is not translated to SQL \(.*\); nothing is exported/);
    expect(existsSync(refused)).toBe(false);
  }, 600_000);
});
