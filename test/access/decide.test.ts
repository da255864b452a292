/**
 * The decision semantics of SPEC §1.3, one row per case: who, which dataset,
 * which policies, and the expected verdict for the dataset and its columns.
 */
import { checkColumns, decideAccess, type AccessDecision } from '../../src/access/decide.js';
import { toPolicy, type AccessModel, type Principal } from '../../src/access/model.js';
import type { ColumnSpec, DatasetSpec } from '../../src/policy/types.js';

function dataset(name: string, tags: string[], columns: Record<string, string[] | undefined>): DatasetSpec {
  const specs: Record<string, ColumnSpec> = {};
  for (const [column, classification] of Object.entries(columns)) specs[column] = classification ? { type: 'string', classification } : { type: 'string' };
  return { name, tags, upstream: [], key: [], source: { path: `${name}.csv` }, columns: specs, controls: [], checks: [], file: 'rules/x.yaml', docIndex: 0, location: { file: 'rules/x.yaml', line: 1, col: 1 } };
}

const ORDERS = dataset('orders', ['sales'], { order_id: undefined, email: ['pii.email'], card: ['pci.pan'], country: undefined, amount: undefined, created_at: undefined });
const CUSTOMERS = dataset('customers', ['sales', 'crm'], { customer_id: undefined, name: ['pii.name'], phone: ['pii.phone'], piix: ['piix'] });
const PENGUINS = dataset('penguins', ['research'], { species: undefined, mass: undefined });

const ROLES = ['analyst', 'support', 'dpo', 'intern'];
const who = (roles: string[], attributes: Record<string, string> = {}): Principal => ({ name: roles.join('+') || 'nobody', roles, attributes });

const allowSales = { name: 'allow-sales', effect: 'allow', roles: ['analyst', 'support', 'dpo'], datasets: { tags: ['sales'] } };
const allowAll = { name: 'allow-all', effect: 'allow', roles: ['*'], datasets: '*' };
const hashPii = { name: 'hash-pii', effect: 'mask', roles: ['analyst'], columns: { classification: 'pii' }, mask: 'hash' };
const redactPii = { name: 'redact-pii', effect: 'mask', roles: ['*'], columns: { classification: ['pii'] }, mask: 'redact' };
const nullEmail = { name: 'null-email', effect: 'mask', roles: ['*'], columns: { names: ['email'] }, mask: 'null' };
const partial2 = { name: 'partial-2', effect: 'mask', roles: ['*'], columns: { names: ['phone'] }, mask: 'partial', keep_last: 2 };
const partialDefault = { name: 'partial-default', effect: 'mask', roles: ['*'], columns: { names: ['phone'] }, mask: 'partial' };
const yearOnly = { name: 'year-only', effect: 'mask', roles: ['*'], columns: { names: ['created_at'] }, mask: 'year_only' };
const denyPci = { name: 'deny-pci', effect: 'deny', roles: ['*'], except_roles: ['dpo'], columns: { classification: 'pci' } };
const denyOrdersForInterns = { name: 'deny-orders-interns', effect: 'deny', roles: ['intern'], datasets: { names: ['orders'] } };
const regionFilter = { name: 'own-region', effect: 'row_filter', roles: ['support'], datasets: { names: ['orders'] }, filter: 'd.country == principal.attributes.region' };
const bigFilter = { name: 'big-orders', effect: 'row_filter', roles: ['support'], datasets: { names: ['orders'] }, filter: 'd.amount > 100' };

interface Case {
  title: string;
  principal: Principal;
  dataset: DatasetSpec;
  policies: Record<string, unknown>[];
  decision: 'allow' | 'deny';
  reason: AccessDecision['reason'];
  /** column → access[:mask] */
  columns?: Record<string, string>;
  /** expected column policies */
  columnPolicies?: Record<string, string[]>;
  rowFilters?: string[];
  policiesUsed?: string[];
}

const cases: Case[] = [
  // default deny
  { title: 'no policies at all: default deny', principal: who(['analyst']), dataset: ORDERS, policies: [], decision: 'deny', reason: 'no_allow', columns: { email: 'denied', order_id: 'denied' }, policiesUsed: [] },
  { title: 'allow for another role: default deny', principal: who(['intern']), dataset: ORDERS, policies: [allowSales], decision: 'deny', reason: 'no_allow' },
  { title: 'allow for another dataset tag: default deny', principal: who(['analyst']), dataset: PENGUINS, policies: [allowSales], decision: 'deny', reason: 'no_allow' },
  { title: 'principal without roles is denied', principal: who([]), dataset: ORDERS, policies: [allowSales], decision: 'deny', reason: 'no_allow' },
  { title: 'a mask alone grants nothing', principal: who(['analyst']), dataset: ORDERS, policies: [hashPii], decision: 'deny', reason: 'no_allow' },
  { title: 'a row filter alone grants nothing', principal: who(['support']), dataset: ORDERS, policies: [regionFilter], decision: 'deny', reason: 'no_allow' },
  // allow selectors
  { title: 'allow by tag', principal: who(['analyst']), dataset: ORDERS, policies: [allowSales], decision: 'allow', reason: 'allowed', columns: { order_id: 'clear', email: 'clear' }, columnPolicies: { order_id: ['allow-sales'] } },
  { title: 'allow by one of several tags', principal: who(['support']), dataset: CUSTOMERS, policies: [{ ...allowSales, datasets: { tags: ['nope', 'crm'] } }], decision: 'allow', reason: 'allowed' },
  { title: 'allow by name', principal: who(['analyst']), dataset: PENGUINS, policies: [{ name: 'p', effect: 'allow', roles: ['analyst'], datasets: { names: ['penguins'] } }], decision: 'allow', reason: 'allowed' },
  { title: 'allow by name misses other datasets', principal: who(['analyst']), dataset: ORDERS, policies: [{ name: 'p', effect: 'allow', roles: ['analyst'], datasets: { names: ['penguins'] } }], decision: 'deny', reason: 'no_allow' },
  { title: 'names or tags: either selects', principal: who(['analyst']), dataset: PENGUINS, policies: [{ name: 'p', effect: 'allow', roles: ['analyst'], datasets: { names: ['x'], tags: ['research'] } }], decision: 'allow', reason: 'allowed' },
  { title: 'allow "*" datasets and "*" roles', principal: who(['intern']), dataset: PENGUINS, policies: [allowAll], decision: 'allow', reason: 'allowed', columns: { species: 'clear', mass: 'clear' } },
  { title: 'allow with no datasets key selects every dataset', principal: who(['dpo']), dataset: PENGUINS, policies: [{ name: 'any', effect: 'allow', roles: ['dpo'] }], decision: 'allow', reason: 'allowed' },
  { title: 'column-limited allow: other columns are no_allow', principal: who(['analyst']), dataset: ORDERS, policies: [{ name: 'ids-only', effect: 'allow', roles: ['analyst'], columns: { names: ['order_id'] } }], decision: 'allow', reason: 'allowed', columns: { order_id: 'clear', email: 'denied', amount: 'denied' }, columnPolicies: { email: [] } },
  { title: 'principal with two roles gets the union of allows', principal: who(['intern', 'analyst']), dataset: ORDERS, policies: [{ name: 'interns-ids', effect: 'allow', roles: ['intern'], columns: { names: ['order_id'] } }, { name: 'analyst-amount', effect: 'allow', roles: ['analyst'], columns: { names: ['amount'] } }], decision: 'allow', reason: 'allowed', columns: { order_id: 'clear', amount: 'clear', email: 'denied' } },
  // deny wins
  { title: 'dataset deny wins over allow', principal: who(['intern']), dataset: ORDERS, policies: [allowAll, denyOrdersForInterns], decision: 'deny', reason: 'explicit_deny', columns: { order_id: 'denied' }, columnPolicies: { order_id: ['deny-orders-interns'] }, policiesUsed: ['deny-orders-interns'] },
  { title: 'dataset deny declared first still wins', principal: who(['intern']), dataset: ORDERS, policies: [denyOrdersForInterns, allowAll], decision: 'deny', reason: 'explicit_deny' },
  { title: 'dataset deny for one dataset leaves others', principal: who(['intern']), dataset: PENGUINS, policies: [allowAll, denyOrdersForInterns], decision: 'allow', reason: 'allowed' },
  { title: 'column deny by classification prefix wins over allow', principal: who(['analyst']), dataset: ORDERS, policies: [allowSales, denyPci], decision: 'allow', reason: 'allowed', columns: { card: 'denied', email: 'clear' }, columnPolicies: { card: ['deny-pci'] } },
  { title: 'column deny wins over a mask on the same column', principal: who(['analyst']), dataset: ORDERS, policies: [allowSales, { ...redactPii, columns: { names: ['card'] } }, denyPci], decision: 'allow', reason: 'allowed', columns: { card: 'denied' } },
  { title: 'deny by column name', principal: who(['support']), dataset: ORDERS, policies: [allowSales, { name: 'no-amount', effect: 'deny', roles: ['support'], columns: { names: ['amount'] } }], decision: 'allow', reason: 'allowed', columns: { amount: 'denied', order_id: 'clear' } },
  // except_roles
  { title: 'except_roles exempts from a deny', principal: who(['dpo']), dataset: ORDERS, policies: [allowSales, denyPci], decision: 'allow', reason: 'allowed', columns: { card: 'clear' } },
  { title: 'except_roles wins when the principal also holds a selected role', principal: who(['analyst', 'dpo']), dataset: ORDERS, policies: [allowSales, denyPci], decision: 'allow', reason: 'allowed', columns: { card: 'clear' } },
  { title: 'except_roles on an allow', principal: who(['intern']), dataset: ORDERS, policies: [{ ...allowAll, except_roles: ['intern'] }], decision: 'deny', reason: 'no_allow' },
  { title: 'except_roles on a mask', principal: who(['dpo']), dataset: CUSTOMERS, policies: [allowSales, { ...redactPii, except_roles: ['dpo'] }], decision: 'allow', reason: 'allowed', columns: { name: 'clear', phone: 'clear' } },
  { title: 'except_roles on a dataset deny', principal: who(['intern', 'dpo']), dataset: ORDERS, policies: [allowAll, { ...denyOrdersForInterns, except_roles: ['dpo'] }], decision: 'allow', reason: 'allowed' },
  { title: 'except_roles on a row filter', principal: who(['support', 'dpo']), dataset: ORDERS, policies: [allowSales, { ...regionFilter, except_roles: ['dpo'] }], decision: 'allow', reason: 'allowed', rowFilters: [] },
  // masks
  { title: 'classification prefix: pii matches pii.email', principal: who(['analyst']), dataset: ORDERS, policies: [allowSales, hashPii], decision: 'allow', reason: 'allowed', columns: { email: 'masked:hash', order_id: 'clear' }, columnPolicies: { email: ['hash-pii'] } },
  { title: 'classification prefix: pii does not match piix', principal: who(['analyst']), dataset: CUSTOMERS, policies: [allowSales, hashPii], decision: 'allow', reason: 'allowed', columns: { name: 'masked:hash', phone: 'masked:hash', piix: 'clear' } },
  { title: 'exact classification matches', principal: who(['analyst']), dataset: CUSTOMERS, policies: [allowSales, { ...hashPii, columns: { classification: 'pii.phone' } }], decision: 'allow', reason: 'allowed', columns: { phone: 'masked:hash', name: 'clear' } },
  { title: 'redact beats hash', principal: who(['analyst']), dataset: ORDERS, policies: [allowSales, hashPii, redactPii], decision: 'allow', reason: 'allowed', columns: { email: 'masked:redact' }, columnPolicies: { email: ['redact-pii'] } },
  { title: 'null beats redact and hash, declared last or not', principal: who(['analyst']), dataset: ORDERS, policies: [allowSales, nullEmail, hashPii, redactPii], decision: 'allow', reason: 'allowed', columns: { email: 'masked:null' }, columnPolicies: { email: ['null-email'] } },
  { title: 'hash beats partial', principal: who(['analyst']), dataset: CUSTOMERS, policies: [allowSales, partialDefault, hashPii], decision: 'allow', reason: 'allowed', columns: { phone: 'masked:hash' } },
  { title: 'partial beats year_only', principal: who(['analyst']), dataset: ORDERS, policies: [allowSales, yearOnly, { ...partialDefault, columns: { names: ['created_at'] } }], decision: 'allow', reason: 'allowed', columns: { created_at: 'masked:partial' } },
  { title: 'year_only alone', principal: who(['support']), dataset: ORDERS, policies: [allowSales, yearOnly], decision: 'allow', reason: 'allowed', columns: { created_at: 'masked:year_only', amount: 'clear' } },
  { title: 'smaller keep_last is the stricter partial', principal: who(['support']), dataset: CUSTOMERS, policies: [allowSales, partialDefault, partial2], decision: 'allow', reason: 'allowed', columns: { phone: 'masked:partial' }, columnPolicies: { phone: ['partial-2'] } },
  { title: 'mask for another role does not apply', principal: who(['support']), dataset: ORDERS, policies: [allowSales, hashPii], decision: 'allow', reason: 'allowed', columns: { email: 'clear' } },
  { title: 'mask limited to another dataset does not apply', principal: who(['analyst']), dataset: ORDERS, policies: [allowSales, { ...hashPii, datasets: { names: ['customers'] } }], decision: 'allow', reason: 'allowed', columns: { email: 'clear' } },
  // row filters
  { title: 'one row filter', principal: who(['support'], { region: 'EU' }), dataset: ORDERS, policies: [allowSales, regionFilter], decision: 'allow', reason: 'allowed', rowFilters: ['own-region'], policiesUsed: ['allow-sales', 'own-region'] },
  { title: 'two row filters are both kept (AND)', principal: who(['support'], { region: 'EU' }), dataset: ORDERS, policies: [allowSales, regionFilter, bigFilter], decision: 'allow', reason: 'allowed', rowFilters: ['own-region', 'big-orders'] },
  { title: 'row filter for another dataset does not apply', principal: who(['support']), dataset: CUSTOMERS, policies: [allowSales, regionFilter], decision: 'allow', reason: 'allowed', rowFilters: [] },
  { title: 'a denied dataset has no row filter', principal: who(['intern', 'support']), dataset: ORDERS, policies: [allowSales, regionFilter, denyOrdersForInterns], decision: 'deny', reason: 'explicit_deny', rowFilters: [] },
];

describe('access decisions', () => {
  test.each(cases.map((c) => [c.title, c] as const))('%s', (_title, c) => {
    const model: AccessModel = { roles: ROLES, principals: new Map(), policies: c.policies.map((p) => toPolicy(p)) };
    const decision = decideAccess(model, c.principal, c.dataset);
    expect(decision.decision).toBe(c.decision);
    expect(decision.reason).toBe(c.reason);
    expect(Object.keys(decision.columns)).toEqual(Object.keys(c.dataset.columns));
    for (const [column, expected] of Object.entries(c.columns ?? {})) {
      const verdict = decision.columns[column];
      expect(verdict.mask ? `${verdict.access}:${verdict.mask.name}` : verdict.access).toBe(expected);
    }
    for (const [column, policies] of Object.entries(c.columnPolicies ?? {})) expect(decision.columns[column].policies).toEqual(policies);
    if (c.rowFilters) expect(decision.rowFilters.map((f) => f.policy)).toEqual(c.rowFilters);
    if (c.policiesUsed) expect(decision.policies).toEqual(c.policiesUsed);
    if (c.decision === 'deny') {
      for (const verdict of Object.values(decision.columns)) expect(verdict.access).toBe('denied');
    }
  });

  test('the table has at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  test('partial keeps its keep_last in the decision', () => {
    const model: AccessModel = { roles: ROLES, principals: new Map(), policies: [allowSales, partialDefault, partial2].map((p) => toPolicy(p)) };
    const phone = decideAccess(model, who(['support']), CUSTOMERS).columns.phone;
    expect(phone.mask).toEqual({ name: 'partial', keepLast: 2 });
    expect(phone.overridden).toEqual(['partial-default']);
  });

  test('undeclared data columns are decided by name', () => {
    const model: AccessModel = { roles: ROLES, principals: new Map(), policies: [allowSales, { ...nullEmail, columns: { names: ['extra'] } }].map((p) => toPolicy(p)) };
    const decision = decideAccess(model, who(['analyst']), ORDERS, [...Object.keys(ORDERS.columns), 'extra']);
    expect(decision.columns.extra.access).toBe('masked');
  });
});

describe('access check verdicts', () => {
  const model: AccessModel = { roles: ROLES, principals: new Map(), policies: [allowSales, denyPci, hashPii].map((p) => toPolicy(p)) };
  const decision = decideAccess(model, who(['analyst']), ORDERS);
  test.each([
    [[], 'allow', 'allowed'],
    [['order_id', 'email'], 'allow', 'allowed'],
    [['order_id', 'card'], 'deny', 'explicit_deny'],
  ] as const)('columns %j → %s', (columns, expected, reason) => {
    expect(checkColumns(decision, [...columns])).toEqual({ decision: expected, reason });
  });
  test('a denied dataset denies any column', () => {
    const denied = decideAccess(model, who(['intern']), ORDERS);
    expect(checkColumns(denied, ['order_id'])).toEqual({ decision: 'deny', reason: 'no_allow' });
  });
});
