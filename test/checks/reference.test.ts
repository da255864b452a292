import { compilePlan } from '../../src/plan/compile.js';
import { DatasetStore, executionOrder } from '../../src/dataset-store.js';
import { loadPolicies } from '../../src/policy/load.js';
import { validatePolicies } from '../../src/policy/validate.js';
import { checkById, workspace, type Workspace } from '../helpers/policy-run.js';

const CUSTOMERS = `kind: dataset
name: customers
source: { path: customers.csv }
columns:
  customer_id: { type: integer, required: true }
  region: { type: string }
`;

const ORDERS = `kind: dataset
name: orders
source: { path: orders.csv }
columns:
  order_id: { type: integer }
  customer_id: { type: integer, references: customers.customer_id }
  region: { type: string }
checks:
  - reference: { column: region, dataset: customers, key: region, name: region_known, samples: 10 }
`;

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
  ws.write('customers.csv', 'customer_id,region\n1,EU\n2,US\n3,\n');
  ws.write('orders.csv', 'order_id,customer_id,region\n10,1,EU\n11,2,US\n12,,EU\n13,7,APAC\n14,1,\n15,8,US\n16,x,EU\n');
});
afterEach(() => ws.cleanup());

describe('reference', () => {
  test('values absent from the key column fail; nulls and unparsable values are not evaluated', async () => {
    ws.write('customers.yaml', CUSTOMERS);
    ws.write('orders.yaml', ORDERS);
    const run = await ws.check();
    const check = checkById(run, 'orders.customer_id.reference');
    expect(check).toMatchObject({ status: 'fail', observed: 2, failed_rows: 2, evaluated_rows: 5, message: '2 of 5 non-null values are not in customers.customer_id' });
    expect(check.samples.map((s) => s.row)).toEqual([4, 6]);
    // region: APAC is not a customer region; the null in customers.region is not a key
    expect(checkById(run, 'orders.region_known')).toMatchObject({ status: 'fail', failed_rows: 1, evaluated_rows: 6 });
  });

  test('passes when every value exists', async () => {
    ws.write('orders.csv', 'order_id,customer_id,region\n10,1,EU\n11,2,US\n12,,EU\n');
    ws.write('customers.yaml', CUSTOMERS);
    ws.write('orders.yaml', ORDERS);
    const run = await ws.check();
    expect(checkById(run, 'orders.customer_id.reference')).toMatchObject({ status: 'pass', failed_rows: 0, evaluated_rows: 2 });
    expect(run.unreadable).toEqual([]);
  });

  test('the referenced dataset is read even when only orders is checked, and not reported', async () => {
    ws.write('customers.yaml', CUSTOMERS);
    ws.write('orders.yaml', ORDERS);
    const run = await ws.check({ datasets: ['orders'] });
    expect(run.report.datasets.map((d) => d.name)).toEqual(['orders']);
    expect(checkById(run, 'orders.customer_id.reference').failed_rows).toBe(2);
    expect(run.plan.referenced.map((p) => ({ name: p.name, measures: Object.values(p.measures), checks: p.checks.length }))).toEqual([
      { name: 'customers', measures: [{ kind: 'key_set', column: 'customer_id' }, { kind: 'key_set', column: 'region' }], checks: 0 },
    ]);
  });

  test('an unreadable referenced dataset makes only the checks that need it error, and the run exit 3', async () => {
    ws.write('customers.yaml', CUSTOMERS.replace('customers.csv', 'missing.csv'));
    ws.write('orders.yaml', ORDERS);
    const run = await ws.check({ datasets: ['orders'] });
    const check = checkById(run, 'orders.customer_id.reference');
    expect(check.status).toBe('error');
    expect(check.message).toMatch(/^check could not run: cannot read data for dataset "customers": .*missing\.csv: no such file$/);
    expect(checkById(run, 'orders.region_known').status).toBe('error');
    expect(checkById(run, 'orders.order_id.type').status).toBe('pass');
    expect(run.unreadable).toEqual(['customers']);
  });

  test('a key column absent from the referenced data is an error naming it', async () => {
    ws.write('customers.csv', 'id,region\n1,EU\n');
    ws.write('customers.yaml', CUSTOMERS);
    ws.write('orders.yaml', ORDERS);
    const run = await ws.check();
    expect(checkById(run, 'orders.customer_id.reference').message).toBe('check could not run: referenced dataset "customers": unknown column "customer_id" (the data has 2 columns: id, region)');
    expect(checkById(run, 'customers.customer_id.type').status).toBe('error');
  });

  test('--data replaces the referenced dataset too (a new batch of customers)', async () => {
    ws.write('customers.yaml', CUSTOMERS);
    ws.write('orders.yaml', ORDERS);
    const batch = ws.write('customers-new.csv', 'customer_id,region\n1,EU\n2,US\n7,APAC\n8,US\n');
    const run = await ws.check({ data: { customers: batch } });
    expect(checkById(run, 'orders.customer_id.reference')).toMatchObject({ status: 'pass', evaluated_rows: 5 });
    expect(checkById(run, 'orders.region_known')).toMatchObject({ status: 'pass' });
  });

  test('a self-reference (parent ids): the key set needs a read of its own before the check can run', async () => {
    ws.write('tree.csv', 'id,parent\n1,\n2,1\n3,9\n');
    ws.write('tree.yaml', 'kind: dataset\nname: tree\nsource: { path: tree.csv }\ncolumns:\n  id: { type: integer }\n  parent: { type: integer, references: tree.id }\n');
    const run = await ws.check();
    expect(checkById(run, 'tree.parent.reference')).toMatchObject({ status: 'fail', failed_rows: 1, evaluated_rows: 2 });
    expect(run.passes.tree).toBe(2);
  });

  test('the store loads a dataset once however many checks and datasets read it', async () => {
    ws.write('customers.yaml', CUSTOMERS + 'checks:\n  - row_count: { min: 1 }\n');
    ws.write('orders.yaml', ORDERS);
    ws.write('returns.csv', 'customer_id\n1\n5\n');
    ws.write('returns.yaml', 'kind: dataset\nname: returns\nsource: { path: returns.csv }\ncolumns:\n  customer_id: { type: integer, references: customers.customer_id }\n');
    const { policy } = validatePolicies(loadPolicies([ws.dir]));
    const plan = compilePlan(policy);
    // customers is read by others, so it is checked first
    expect(executionOrder(plan.datasets).map((d) => d.name)).toEqual(['customers', 'orders', 'returns']);
    const store = new DatasetStore(plan, policy.datasets);
    for (const d of executionOrder(plan.datasets)) {
      expect((await store.execute(d.name)).kind).toBe('executed');
      await store.foreignFor(d);
    }
    expect(Object.fromEntries(store.reads)).toEqual({ customers: 1, orders: 1, returns: 1 });
    // customers' own row_count and both key sets came from its one read
    const customers = plan.datasets.find((d) => d.name === 'customers')!;
    expect(Object.values(customers.measures).map((m) => m.kind)).toEqual(expect.arrayContaining(['row_count', 'key_set']));
  });
});

describe('reference validation', () => {
  test('unknown dataset, unknown key column and incompatible types are diagnostics with positions', () => {
    ws.write('customers.yaml', CUSTOMERS);
    ws.write(
      'orders.yaml',
      `kind: dataset
name: orders
source: { path: orders.csv }
columns:
  customer_id: { type: integer, references: custmers.customer_id }
  region: { type: integer, references: customers.region }
checks:
  - reference: { column: customer_id, dataset: customers, key: customer_idd, name: typo }
`,
    );
    expect(ws.diagnostics()).toEqual([
      'orders.yaml:5:45: columns.customer_id.references: unknown dataset "custmers" (did you mean "customers"?)',
      'orders.yaml:6:40: columns.region.references: "region" is integer but customers.region is string; their values can never match',
      'orders.yaml:8:64: checks[0].reference.key: unknown column "customer_idd" in dataset "customers" (did you mean "customer_id"?)',
    ]);
  });
});
