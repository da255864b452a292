/**
 * `assay contract export|import` end to end: exported documents validate
 * against ODCS's published JSON Schema (from the open-data-contract-standard
 * package) and pass `datacontract lint`; export → import keeps every check of
 * the bundled datasets; a hand-written contract maps what maps and lists the rest.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, test } from '@jest/globals';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { parseAllDocuments, stringify } from 'yaml';
import { boundsOf } from '../../src/checks/thresholds.js';
import { loadValidatedPolicies } from '../../src/policy/validated.js';
import type { CheckSpec } from '../../src/policy/types.js';
import { runCli } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/files.js';
import { PY_TOOLS_SKIP_REASON, pyTools } from '../helpers/py-tools.js';

const BUNDLED = ['orders', 'customers', 'penguins'];
let dir: TempDir | undefined;
afterEach(() => dir?.remove());

function exported(dataset: string, extra: string[] = []): string {
  const r = runCli(['contract', 'export', '--dataset', dataset, ...extra]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

/** What a check is, for comparing: bounds compared as bounds (between [a, b] = min a, max b). */
function comparable(check: CheckSpec): unknown {
  const { min, max, between, ...rest } = check.params as Record<string, unknown>;
  const bounds = boundsOf({ min, max, between });
  return {
    id: check.id,
    type: check.type,
    params: rest,
    bounds: bounds ?? null,
    severity: check.severity,
    where: check.where,
    mostly: check.mostly,
    fail_when: check.fail_when,
    warn_when: check.warn_when,
    samples: check.samples,
    controls: [...check.controls].sort(),
    description: check.description,
  };
}

describe('assay contract export → import round trip', () => {
  const CASES: [string, string, string][] = [
    ...BUNDLED.map((name): [string, string, string] => ['rules', `${name}.yaml`, name]),
    ['examples/warehouse', 'orders.yaml', 'orders'],
  ];
  it.each(CASES)('keeps every check, column and governance field of %s/%s (%s)', (folder, file, name) => {
    dir = tempDir('assay-odcs-');
    const copy = join(dir.path, 'policies');
    cpSync(folder, copy, { recursive: true });
    const contract = join(dir.path, `${name}.odcs.yaml`);
    writeFileSync(contract, exported(name, [folder]));
    const imported = runCli(['contract', 'import', contract]);
    expect(imported.code).toBe(0);
    expect(imported.stderr).toBe(''); // an assay export maps back completely
    // The imported dataset document takes the place of the original one; the draft access document is checked below.
    const datasetDoc = imported.stdout.split(/^---$/m)[0];
    const others = parseAllDocuments(readFileSync(join(folder, file), 'utf8'))
      .map((d) => d.toJS())
      .filter((d) => d?.name !== name)
      .map((d) => stringify(d));
    writeFileSync(join(copy, file), [datasetDoc, ...others].join('---\n'));
    const before = loadValidatedPolicies([folder]).policy.datasets.find((d) => d.name === name)!;
    const after = loadValidatedPolicies([copy]).policy.datasets.find((d) => d.name === name)!;
    expect(after.checks.map(comparable)).toEqual(expect.arrayContaining(before.checks.map(comparable)));
    expect(after.checks).toHaveLength(before.checks.length);
    expect(after.columns).toEqual(before.columns);
    expect({
      owner: after.owner,
      tags: after.tags,
      upstream: after.upstream,
      controls: after.controls,
      description: after.description,
      key: after.key,
      source: after.source,
    }).toEqual({
      owner: before.owner,
      tags: before.tags,
      upstream: before.upstream,
      controls: before.controls,
      description: before.description,
      key: before.key,
      source: before.source,
    });
  });

  it('the draft access document gives each role what it saw: same decisions from the access decision function', () => {
    dir = tempDir('assay-odcs-');
    const contract = join(dir.path, 'customers.odcs.yaml');
    writeFileSync(contract, exported('customers'));
    const out = join(dir.path, 'imported', 'customers.yaml');
    const r = runCli(['contract', 'import', contract, '--out', out]);
    expect(r.code).toBe(0);
    writeFileSync(out, readFileSync(out, 'utf8').replace('path: ../fixtures/data/customers.csv', 'path: customers.csv'));
    for (const role of ['analyst', 'support', 'dpo']) {
      const explain = (paths: string[]) =>
        JSON.parse(runCli(['access', 'explain', ...paths, '--as', 'x', '--role', role, '--dataset', 'customers', '--json', '--no-audit']).stdout);
      const original = explain(['rules']);
      const draft = explain([out]);
      const view = (d: { columns: Record<string, { access: string; mask: string | null }> }) =>
        Object.fromEntries(Object.entries(d.columns).map(([c, v]) => [c, `${v.access}:${v.mask}`]));
      expect(view(draft)).toEqual(view(original));
      expect(draft.row_filter).toEqual(original.row_filter);
    }
  });
});

describe('assay contract import of a contract written by hand', () => {
  it('maps columns, library rules and the latency SLA, and lists everything else on stderr and as comments', () => {
    dir = tempDir('assay-odcs-');
    const out = join(dir.path, 'shipments.yaml');
    const r = runCli(['contract', 'import', 'fixtures/odcs/shipments.odcs.yaml', '--out', out]);
    expect(r.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    const [dataset, access] = parseAllDocuments(text).map((d) => d.toJS());
    expect(dataset).toMatchObject({
      kind: 'dataset',
      name: 'shipments',
      description: 'Parcels and their carriers.',
      owner: 'ops-lead@example.com',
      key: ['shipment_id'],
      columns: {
        shipment_id: { type: 'string', required: true, unique: true, format: 'uuid' },
        order_id: { type: 'integer', required: true, references: 'orders.order_id' },
        carrier: { type: 'string', values: ['DHL', 'UPS', 'FedEx'] },
        recipient_email: { type: 'string', classification: ['pii.email', 'confidential'] },
        weight_kg: { type: 'number', min: 0 },
        shipped_at: { type: 'timestamp', required: true },
        dimensions: {},
      },
    });
    expect(dataset.checks).toEqual([
      { freshness: { column: 'shipped_at', fail_after: '6h' } },
      { missing_count: { column: 'carrier', max: 9, severity: 'warn' } },
      { missing_percent: { column: 'recipient_email', max: 5 } },
      { row_count: { min: 101 } },
      { row_count: { between: [100, 100000], name: 'plausible-volume' } },
    ]);
    expect(access).toMatchObject({
      kind: 'access',
      roles: { logistics_reader: { description: 'Reads shipments for dashboards' } },
      policies: [
        { name: 'logistics_reader-reads', effect: 'allow', roles: ['logistics_reader'], datasets: { names: ['shipments'] } },
        { name: 'draft-classified-redacted', effect: 'mask', mask: 'redact' },
      ],
    });
    const notMapped = r.stderr
      .split('\n')
      .filter((l) => l.startsWith('assay: not mapped: '))
      .map((l) => l.slice('assay: not mapped: '.length).split(':')[0]);
    expect(notMapped).toEqual(
      expect.arrayContaining([
        'domain',
        'dataProduct',
        'description.usage',
        'description.limitations',
        'servers[0]',
        'customProperties[0]',
        'schema[0].physicalName',
        'schema[0].physicalType',
        'schema[0].businessName',
        'schema[0].name',
        'schema[0].properties[0].physicalType',
        'schema[0].properties[3].criticalDataElement',
        'schema[0].properties[3].quality[1].arguments',
        'schema[0].properties[4].logicalTypeOptions.exclusiveMaximum',
        'schema[0].properties[6].logicalType',
        'schema[0].quality[2]',
        'schema[0].quality[3]',
        'schema[0].quality[4]',
        'team',
        'roles[1]',
        'slaProperties[1]',
        'slaProperties[2]',
      ]),
    );
    // The same list is in the file, as comments.
    for (const line of r.stderr.split('\n').filter((l) => l.startsWith('assay: not mapped: ')))
      expect(text).toContain(`#   - ${line.slice('assay: not mapped: '.length)}`);
    // What it wrote is a valid policy (with the orders it references beside it).
    dir.write('orders.yaml', 'kind: dataset\nname: orders\nsource: { path: orders.csv }\ncolumns: { order_id: { type: integer } }\n');
    const valid = runCli(['validate', out, join(dir.path, 'orders.yaml')]);
    expect(valid.stderr).toBe('');
    expect(valid.code).toBe(0);
    // ODCS roles say nothing per column: the draft redacts classified columns for them until someone decides.
    const view = JSON.parse(
      runCli([
        'access',
        'explain',
        out,
        join(dir.path, 'orders.yaml'),
        '--as',
        'x',
        '--role',
        'logistics_reader',
        '--dataset',
        'shipments',
        '--json',
        '--no-audit',
      ]).stdout,
    );
    expect(view.columns.recipient_email).toMatchObject({ access: 'masked', mask: 'redact' });
    expect(view.columns.carrier).toMatchObject({ access: 'clear' });
  });

  it('refuses what is not an ODCS document with one line and exit 2', () => {
    dir = tempDir('assay-odcs-');
    const file = dir.write('x.yaml', 'kind: dataset\nname: x\n');
    const r = runCli(['contract', 'import', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}: not an ODCS document: kind is "dataset", expected "DataContract"`);
    const missing = runCli(['contract', 'import', join(dir.path, 'nope.yaml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*nope\.yaml: /);
  });
});

const tools = pyTools();
const withTools = tools ? describe : describe.skip;
if (!tools) test.skip(PY_TOOLS_SKIP_REASON, () => undefined);

withTools("exported contracts against ODCS's own schema and tools", () => {
  const EXPORTS: [string, string[]][] = [...BUNDLED.map((name): [string, string[]] => [name, []]), ['orders', ['examples/warehouse']]];
  it.each(EXPORTS)('%s %j validates against the JSON Schema shipped by open-data-contract-standard', (name, paths) => {
    const schema = JSON.parse(readFileSync(join(tools!.sitePackages, 'open_data_contract_standard', 'schema.json'), 'utf8'));
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    ajv
      .addFormat('date', /^\d{4}-\d{2}-\d{2}$/)
      .addFormat('date-time', /^\d{4}-\d{2}-\d{2}T/)
      .addFormat('uri', /^[a-z][a-z0-9+.-]*:/i);
    const validate = ajv.compile(schema);
    const contract = JSON.parse(exported(name, ['--json', ...paths]));
    validate(contract);
    expect(validate.errors ?? []).toEqual([]);
    // The schema is strict enough to fail: a wrong logical type is refused.
    const broken = structuredClone(contract);
    broken.schema[0].properties[0].logicalType = 'int';
    expect(validate(broken)).toBe(false);
  });

  it.each(EXPORTS)('%s %j passes datacontract lint (datacontract-cli, an independent consumer)', (name, paths) => {
    dir = tempDir('assay-odcs-');
    const file = dir.write(`${name}.odcs.yaml`, exported(name, paths));
    const r = spawnSync(tools!.datacontract, ['lint', file], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/invalid|error/i);
    expect(r.status).toBe(0);
  });
});

describe('assay contract import of a hostile contract', () => {
  it('keeps names such as __proto__ as names, never as prototypes', () => {
    dir = tempDir('assay-odcs-');
    const file = dir.write(
      'hostile.odcs.yaml',
      'apiVersion: v3.2.0\nkind: DataContract\nid: h\nversion: 1.0.0\nstatus: active\nschema:\n  - name: h\n    properties:\n      - { name: __proto__, logicalType: string }\n      - { name: constructor, logicalType: integer }\nroles:\n  - { role: __proto__, access: read }\n',
    );
    const r = runCli(['contract', 'import', file]);
    expect(r.code).toBe(0);
    const [dataset, access] = parseAllDocuments(r.stdout).map((d) => d.toJS());
    expect(Object.keys(dataset.columns)).toEqual(['__proto__', 'constructor']);
    expect(Object.keys(access.roles)).toEqual(['__proto__']);
  });
});
