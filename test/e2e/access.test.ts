/**
 * `assay access explain|check` and `assay export` run as a subprocess on the
 * bundled examples (rules/access.yaml over fixtures/data). Needs `npm run build`.
 */
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromArrow, fromCSV } from 'arquero';

const CLI = join(process.cwd(), 'dist/cli/bin.cjs');
const KEY = 'e2e-mask-key-0123456789';

let out: string;
/** Every run appends to a temporary audit log, never to reports/. */
const auditLog = () => join(out, 'audit.jsonl');

function assay(args: string[], env: Record<string, string> = {}) {
  const withLog = ['access', 'export'].includes(args[0]) ? [...args, '--audit-log', auditLog()] : args;
  const r = spawnSync(process.execPath, [CLI, ...withLog], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ASSAY_MASK_KEY: KEY, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The fixture CSV as text cells, read independently of assay's loaders. */
function fixture(name: string): Record<string, string>[] {
  const rows = fromCSV(readFileSync(`fixtures/data/${name}.csv`, 'utf8'), { autoType: false }).objects() as Record<string, string | null>[];
  return rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v ?? ''])));
}
const hmac = (text: string) => createHmac('sha256', KEY).update(text).digest('hex');

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'assay-export-'));
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('assay access explain', () => {
  test('--json prints the SPEC object', () => {
    const r = assay(['access', 'explain', '--as', 'alice', '--dataset', 'customers', '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(Object.keys(json)).toEqual(['principal', 'dataset', 'decision', 'reason', 'columns', 'row_filter', 'policies']);
    expect(json).toMatchObject({ principal: 'alice', dataset: 'customers', decision: 'allow', reason: 'allowed', row_filter: null });
    expect(json.columns.email).toEqual({ access: 'masked', mask: 'hash', reason: 'allowed', policies: ['pii-hashed-for-analysts'] });
    expect(json.columns.phone).toEqual({ access: 'denied', mask: null, reason: 'explicit_deny', policies: ['phone-numbers-need-a-reason'] });
    expect(json.columns.customer_id).toEqual({ access: 'clear', mask: null, reason: 'allowed', policies: ['staff-read-sales'] });
    expect(json.policies).toEqual(['staff-read-sales', 'pii-hashed-for-analysts', 'phone-numbers-need-a-reason']);
  });
  test('row filter with the principal\'s attributes bound', () => {
    const json = JSON.parse(assay(['access', 'explain', '--as', 'bob', '--dataset', 'orders', '--json']).stdout);
    expect(json.row_filter).toBe('d.country == "US"');
    expect(json.columns.amount.access).toBe('denied');
    expect(json.policies).toContain('support-sees-own-region');
  });
  test('text output says why for every column', () => {
    const r = assay(['access', 'explain', '--as', 'bob', '--dataset', 'customers']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^bob \(roles: support; attributes: region=US\) on dataset customers: ALLOW$/m);
    expect(r.stdout).toMatch(/^ {2}phone +masked {2}partial \(keep_last: 4\) by support-sees-phone-tail$/m);
    expect(r.stdout).toMatch(/^rows: only where d\.country == "US"$/m);
  });
  test('a dataset no allow grants: deny, no_allow, still exit 0 (explain is not a gate)', () => {
    const r = assay(['access', 'explain', '--as', 'bob', '--dataset', 'penguins', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ decision: 'deny', reason: 'no_allow', policies: [], row_filter: null });
  });
  test('an undeclared principal described with --role and --attr', () => {
    const json = JSON.parse(assay(['access', 'explain', '--as', 'ci-job', '--role', 'support', '--attr', 'region=DE', '--dataset', 'orders', '--json']).stdout);
    expect(json.principal).toBe('ci-job');
    expect(json.row_filter).toBe('d.country == "DE"');
  });
  test.each([
    [['--as', 'mallory', '--dataset', 'orders'], /unknown principal "mallory"/],
    [['--as', 'alice', '--dataset', 'ordres'], /unknown dataset "ordres".*\n.*did you mean "orders"/],
    [['--as', 'x', '--role', 'analyts', '--dataset', 'orders'], /unknown role "analyts".*\n.*did you mean "analyst"/],
    [['--as', 'alice', '--role', 'dpo', '--dataset', 'orders'], /principal "alice" is declared/],
    [['--dataset', 'orders'], /as/],
  ])('usage error %j → exit 2, one clear line', (args, message) => {
    const r = assay(['access', 'explain', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('assay access check', () => {
  test.each([
    [['--as', 'alice', '--dataset', 'orders'], 0, 'allow'],
    [['--as', 'alice', '--dataset', 'customers', '--columns', 'email,tier'], 0, 'allow'],
    [['--as', 'alice', '--dataset', 'customers', '--columns', 'email,phone'], 1, 'deny'],
    [['--as', 'bob', '--dataset', 'orders', '--columns', 'amount'], 1, 'deny'],
    [['--as', 'bob', '--dataset', 'penguins'], 1, 'deny'],
    [['--as', 'dana', '--dataset', 'customers', '--columns', 'phone'], 0, 'allow'],
  ])('%j → exit %d (%s)', (args, code, decision) => {
    const r = assay(['access', 'check', ...args, '--json']);
    expect(r.code).toBe(code);
    expect(JSON.parse(r.stdout).decision).toBe(decision);
  });
  test('--json lists only the requested columns and the deciding reason', () => {
    const json = JSON.parse(assay(['access', 'check', '--as', 'alice', '--dataset', 'customers', '--columns', 'phone', '--json']).stdout);
    expect(json).toMatchObject({ decision: 'deny', reason: 'explicit_deny' });
    expect(Object.keys(json.columns)).toEqual(['phone']);
  });
  test('text output names the deciding policies', () => {
    const r = assay(['access', 'check', '--as', 'bob', '--dataset', 'orders', '--columns', 'amount']);
    expect(r.stdout).toBe('deny: bob on orders [amount] (explicit_deny: support-no-amounts)\n');
  });
  test('an unknown column is a usage error', () => {
    const r = assay(['access', 'check', '--as', 'bob', '--dataset', 'orders', '--columns', 'amout']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown column "amout".*\n.*did you mean "amount"/);
  });
});

describe('assay export', () => {
  test('CSV for alice: pii hashed with the key, phone absent, all rows', () => {
    const file = join(out, 'alice-customers.csv');
    const r = assay(['export', '--as', 'alice', '--dataset', 'customers', '--out', file]);
    expect(r.code).toBe(0);
    const rows = fromCSV(readFileSync(file, 'utf8'), { autoType: false }).objects() as Record<string, string>[];
    const source = fixture('customers');
    expect(rows).toHaveLength(source.length);
    expect(Object.keys(rows[0])).toEqual(['customer_id', 'name', 'email', 'country', 'signup_date', 'tier']);
    rows.forEach((row, i) => {
      expect(row.customer_id).toBe(source[i].customer_id);
      expect(row.email).toBe(hmac(source[i].email));
      expect(row.name).toBe(hmac(source[i].name));
    });
  });
  test('NDJSON for bob: own region only, phone partial, signup year only, names in clear', () => {
    const file = join(out, 'bob-customers.ndjson');
    expect(assay(['export', '--as', 'bob', '--dataset', 'customers', '--out', file]).code).toBe(0);
    const rows = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const expected = fixture('customers').filter((c) => c.country === 'US');
    expect(rows.map((r) => String(r.customer_id))).toEqual(expected.map((c) => c.customer_id));
    rows.forEach((row, i) => {
      const phone = expected[i].phone;
      expect(row.phone).toBe(phone === '' ? null : '*'.repeat(phone.length - 4) + phone.slice(-4));
      expect(row.signup_date).toMatch(/^\d{4}-01-01$|^$/);
      expect(row.name).toBe(expected[i].name);
    });
  });
  test('Arrow for bob on orders: amount absent, only US rows', () => {
    const file = join(out, 'bob-orders.arrow');
    expect(assay(['export', '--as', 'bob', '--dataset', 'orders', '--out', file]).code).toBe(0);
    const table = fromArrow(readFileSync(file));
    expect(table.columnNames()).not.toContain('amount');
    expect(table.columnNames()).toContain('email');
    const expected = fixture('orders').filter((o) => o.country === 'US');
    expect(table.numRows()).toBe(expected.length);
    expect(Array.from(table.array('order_id') as ArrayLike<unknown>).map(String)).toEqual(expected.map((o) => o.order_id));
  });
  test('--format overrides the extension', () => {
    const file = join(out, 'dana.data');
    expect(assay(['export', '--as', 'dana', '--dataset', 'customers', '--out', file, '--format', 'ndjson']).code).toBe(0);
    const first = JSON.parse(readFileSync(file, 'utf8').split('\n')[0]);
    expect(first.phone).toBe(fixture('customers')[0].phone);
  });
  test('denied: exit 1, nothing written', () => {
    const file = join(out, 'bob-penguins.csv');
    const r = assay(['export', '--as', 'bob', '--dataset', 'penguins', '--out', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/access denied: bob may not read dataset "penguins" \(no_allow\)/);
    expect(existsSync(file)).toBe(false);
  });
  test('hash mask without ASSAY_MASK_KEY: exit 2, nothing written', () => {
    const file = join(out, 'nokey.csv');
    const r = assay(['export', '--as', 'alice', '--dataset', 'orders', '--out', file], { ASSAY_MASK_KEY: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^assay: ASSAY_MASK_KEY is not set/);
    expect(existsSync(file)).toBe(false);
  });
  test('the audit log holds the decisions and exports, verifies, and holds no cell values', () => {
    expect(assay(['audit', 'verify', '--log', auditLog()]).code).toBe(0);
    const text = readFileSync(auditLog(), 'utf8');
    const events = text.trim().split('\n').map((l) => JSON.parse(l));
    const exports = events.filter((e) => e.action === 'export');
    expect(exports.map((e) => `${e.details.principal}/${e.dataset}/${e.outcome}`)).toEqual(
      expect.arrayContaining(['alice/customers/written', 'bob/customers/written', 'bob/orders/written', 'bob/penguins/denied']),
    );
    const bobOrders = exports.find((e) => e.details.principal === 'bob' && e.dataset === 'orders');
    expect(bobOrders.details).toMatchObject({ format: 'arrow', denied: ['amount'], row_filters: ['support-sees-own-region'] });
    expect(bobOrders.details.rows).toBe(fixture('orders').filter((o) => o.country === 'US').length);
    expect(bobOrders.data_fingerprint).toMatch(/^sha256:/);
    const decisions = events.filter((e) => e.action === 'access.decision');
    expect(decisions.find((e) => e.details.command === 'access check' && e.outcome === 'deny')?.details.policies.length).toBeGreaterThan(0);
    for (const c of fixture('customers')) for (const v of [c.email, c.name, c.phone]) if (v) expect(text).not.toContain(v);
  });
  test('--no-audit appends nothing', () => {
    const before = readFileSync(auditLog(), 'utf8');
    const r = spawnSync(process.execPath, [CLI, 'access', 'check', '--as', 'dana', '--dataset', 'orders', '--no-audit', '--audit-log', auditLog()], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(readFileSync(auditLog(), 'utf8')).toBe(before);
  });
  test('unknown format: exit 2', () => {
    expect(assay(['export', '--as', 'dana', '--dataset', 'orders', '--out', join(out, 'x'), '--format', 'xlsx']).code).toBe(2);
  });
});

describe('assay check --as', () => {
  test.each([
    [['--as', 'alice'], { ASSAY_MASK_KEY: '' }, /ASSAY_MASK_KEY is not set: the view of alice on customers, orders uses the "hash" mask/],
    [['--as', 'zed'], {}, /unknown principal "zed"/],
    [['--role', 'analyst'], {}, /--role and --attr describe the principal given with --as/],
  ])('%j → exit 2 before any data is read', (args, env, message) => {
    const reports = join(out, `check-${args.join('-')}`);
    const r = assay(['check', ...args, '--out', reports, '--no-audit'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(reports)).toBe(false);
  });
  test('a principal that sees no hashes needs no key', () => {
    const r = assay(['check', '--as', 'bob', '--dataset', 'orders', '--out', join(out, 'bob-check'), '--no-audit'], { ASSAY_MASK_KEY: '' });
    expect(r.code).toBe(1); // the examples have planted failures
    expect(r.stderr).not.toMatch(/ASSAY_MASK_KEY/);
  });
  test('an undeclared principal with --role: its role\'s masks apply to samples', () => {
    const reports = join(out, 'ci-check');
    const r = assay(['check', '--as', 'ci', '--role', 'analyst', '--dataset', 'orders', '--format', 'json', '--out', reports, '--no-audit']);
    expect(r.code).toBe(1);
    const report = JSON.parse(readFileSync(join(reports, 'assay-report.json'), 'utf8'));
    expect(report.run.principal).toBe('ci');
    const email = report.datasets[0].checks.find((c: { id: string }) => c.id === 'orders.email.format');
    expect(email.samples.length).toBeGreaterThan(0);
    const raw = new Map(fixture('orders').map((o) => [Number(o.order_id) - 100000, o.email]));
    for (const sample of email.samples) expect(sample.values.email).toBe(hmac(raw.get(sample.row)!));
  });
});
