/** `assay validate` on access documents: references, effect keys, coverage warnings. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPolicies } from '../../src/policy/load.js';
import { validatePolicies } from '../../src/policy/validate.js';
import { formatDiagnostic, type Diagnostic } from '../../src/util/diagnostics.js';

const DATASETS = `kind: dataset
name: orders
tags: [sales]
source: { path: orders.csv }
columns:
  order_id: { type: integer }
  email:    { type: string, classification: [pii.email] }
  country:  { type: string }
---
kind: dataset
name: customers
tags: [crm]
source: { path: customers.csv }
columns:
  customer_id: { type: integer }
  phone:       { type: string, classification: pii.phone }
`;

const HEAD = `kind: access
roles: { analyst: {}, support: {}, dpo: {} }
principals:
  alice: { roles: [analyst], attributes: { region: EU } }
policies:
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'assay-access-'));
  writeFileSync(join(dir, 'datasets.yaml'), DATASETS);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function validate(policies: string, head = HEAD): Diagnostic[] {
  writeFileSync(join(dir, 'access.yaml'), head + policies);
  return validatePolicies(loadPolicies([dir])).diagnostics;
}
const lines = (ds: Diagnostic[]) => ds.map((d) => formatDiagnostic(d).replace(/^[^:]*\/([\w-]+\.yaml):/, '$1:'));
const codes = (ds: Diagnostic[]) => ds.map((d) => `${d.severity}:${d.code}`);

/** Covers every classified column for every role, so only the case's own diagnostics remain. */
const COVERED = `  - { name: allow-all, effect: allow, roles: ["*"] }
  - { name: hash-pii, effect: mask, roles: ["*"], except_roles: [dpo], columns: { classification: pii }, mask: hash }
`;

describe('access validation', () => {
  test('a clean policy file has no diagnostics', () => {
    expect(lines(validate(COVERED))).toEqual([]);
  });
  test('unknown role in a policy, with did-you-mean and position', () => {
    const ds = validate(`${COVERED}  - { name: p, effect: allow, roles: [analyts] }\n`);
    expect(lines(ds)).toEqual(['access.yaml:8:39: policies[2].roles[0]: unknown role "analyts" (did you mean "analyst"?)']);
  });
  test('unknown role in except_roles and in a principal', () => {
    const ds = validate(COVERED, HEAD.replace('roles: [analyst]', 'roles: [analist]').replace('policies:\n', 'policies:\n  - { name: d, effect: deny, roles: ["*"], except_roles: [dpoo], columns: { names: [email] } }\n'));
    expect(codes(ds)).toEqual(['error:unknown-role', 'error:unknown-role']);
    expect(lines(ds).join('\n')).toMatch(/principals\.alice\.roles\[0\]: unknown role "analist" \(did you mean "analyst"\?\)/);
    expect(lines(ds).join('\n')).toMatch(/except_roles\[0\]: unknown role "dpoo" \(did you mean "dpo"\?\)/);
  });
  test('unknown dataset name', () => {
    const ds = validate(`${COVERED}  - { name: p, effect: allow, roles: [dpo], datasets: { names: [order] } }\n`);
    expect(lines(ds)).toEqual([expect.stringMatching(/policies\[2\]\.datasets\.names\[0\]: unknown dataset "order" \(did you mean "orders"\?\)$/)]);
  });
  test('unknown column name', () => {
    const ds = validate(`${COVERED}  - { name: p, effect: deny, roles: [support], datasets: { names: [orders] }, columns: { names: [emal] } }\n`);
    expect(lines(ds)).toEqual([expect.stringMatching(/columns\.names\[0\]: no selected dataset has a column "emal" \(did you mean "email"\?\)$/)]);
  });
  test('a policy selecting a classification no column carries is an error with did-you-mean', () => {
    const ds = validate(`${COVERED}  - { name: p, effect: deny, roles: [support], columns: { classification: pii.emial } }\n`);
    expect(codes(ds)).toEqual(['error:unknown-classification']);
    expect(lines(ds)[0]).toMatch(/policies\[2\]\.columns\.classification: no column of the selected datasets is classified "pii.emial" .*did you mean "pii.email"\?/);
  });
  test('a classification listed under classifications: may be selected before any column carries it', () => {
    const ds = validate(`${COVERED}  - { name: p, effect: deny, roles: [support], columns: { classification: pci } }\n`, `classifications: [pci]\n${HEAD}`);
    expect(lines(ds)).toEqual([]);
  });
  describe('a column classification must be declared', () => {
    test('a typo on the column, which no policy selects, is an error naming the column with did-you-mean', () => {
      writeFileSync(join(dir, 'datasets.yaml'), DATASETS.replace('classification: [pii.email]', 'classification: [pi.email]'));
      const hashEmail = `  - { name: allow-all, effect: allow, roles: ["*"] }\n  - { name: hash, effect: mask, roles: ["*"], columns: { classification: [pii.email, pii.phone] }, mask: hash }\n`;
      const ds = validate(hashEmail).filter((d) => d.severity === 'error');
      expect(lines(ds)).toEqual([
        expect.stringMatching(/policies\[1\]\.columns\.classification\[0\]: no column of the selected datasets is classified "pii\.email"/),
        'datasets.yaml:7:46: columns.email.classification[0]: classification "pi.email" is not declared: no access policy selects it, so the column is in clear (did you mean "pii.email"? Or list it under classifications: in a kind: access document)',
      ]);
    });
    test('a parent selector declares its children (pii covers pii.email)', () => {
      expect(codes(validate(COVERED)).filter((c) => c.startsWith('error'))).toEqual([]);
    });
    test('a classification listed under classifications: is declared', () => {
      writeFileSync(join(dir, 'datasets.yaml'), DATASETS.replace('classification: [pii.email]', 'classification: [internal]'));
      expect(codes(validate(COVERED)).filter((c) => c.startsWith('error'))).toEqual(['error:unknown-classification']);
      expect(codes(validate(COVERED, `classifications: [internal]\n${HEAD}`)).filter((c) => c.startsWith('error'))).toEqual([]);
    });
    test('without access documents, classifications are not checked (samples redact every classified column)', () => {
      writeFileSync(join(dir, 'datasets.yaml'), DATASETS.replace('classification: [pii.email]', 'classification: [anything]'));
      expect(validatePolicies(loadPolicies([join(dir, 'datasets.yaml')])).diagnostics).toEqual([]);
    });
  });
  test('unknown tag is a warning', () => {
    const ds = validate(`${COVERED}  - { name: p, effect: allow, roles: [support], datasets: { tags: [sale] } }\n`);
    expect(codes(ds)).toEqual(['warning:unknown-tag']);
  });
  test('row filter on an unknown column', () => {
    const ds = validate(`${COVERED}  - { name: p, effect: row_filter, roles: [support], datasets: { names: [orders] }, filter: "d.contry == 'US'" }\n`);
    expect(lines(ds)).toEqual([expect.stringMatching(/policies\[2\]\.filter: unknown column "contry" in dataset "orders" \(did you mean "country"\?\)$/)]);
  });
  test('row filter reading an attribute a principal lacks is a warning', () => {
    const ds = validate(`${COVERED}  - { name: p, effect: row_filter, roles: [analyst], datasets: { names: [orders] }, filter: "d.country == principal.attributes.team" }\n`);
    expect(codes(ds)).toEqual(['warning:missing-attribute']);
  });
  test('unsafe row filter is an error', () => {
    const ds = validate(`${COVERED}  - { name: p, effect: row_filter, roles: [analyst], datasets: { names: [orders] }, filter: "d.country.constructor" }\n`);
    expect(codes(ds)).toEqual(['error:unsafe-expression']);
  });
  test.each([
    ['mask without mask', '{ name: p, effect: mask, roles: [support], columns: { names: [email] } }', 'a mask policy needs "mask"'],
    ['mask without columns', '{ name: p, effect: mask, roles: [support], mask: redact }', 'a mask policy needs "columns"'],
    ['row_filter without filter', '{ name: p, effect: row_filter, roles: [support] }', 'a row_filter policy needs "filter"'],
    ['filter on an allow', '{ name: p, effect: allow, roles: [support], filter: "d.x > 1" }', '"filter" has no meaning in a allow policy'],
    ['columns on a row_filter', '{ name: p, effect: row_filter, roles: [support], datasets: { names: [orders] }, filter: "d.country == \'US\'", columns: { names: [email] } }', '"columns" has no meaning in a row_filter policy'],
    ['keep_last on redact', '{ name: p, effect: mask, roles: [support], columns: { names: [email] }, mask: redact, keep_last: 2 }', '"keep_last" applies to the partial mask only'],
    ['"*" in except_roles', '{ name: p, effect: deny, roles: [support], except_roles: ["*"] }', '"*" in except_roles would exempt everyone'],
  ])('%s', (_title, policy, message) => {
    const ds = validate(`${COVERED}  - ${policy}\n`);
    expect(ds.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([expect.stringContaining(message)]);
  });
  test('duplicate policy names', () => {
    const ds = validate(`${COVERED}  - { name: allow-all, effect: allow, roles: [dpo] }\n`);
    expect(lines(ds)).toEqual([expect.stringMatching(/policies\[2\]\.name: policy "allow-all" is already declared at .*access\.yaml:6$/)]);
  });
  test('schema errors still come from the schema (unknown mask)', () => {
    const ds = validate(`${COVERED}  - { name: p, effect: mask, roles: [support], columns: { names: [email] }, mask: hsh }\n`);
    expect(ds.some((d) => d.severity === 'error' && /hsh/.test(formatDiagnostic(d)))).toBe(true);
  });
});

describe('coverage of classified columns', () => {
  test('a role reading a classified column in clear, not exempted, is warned about, at the column', () => {
    const ds = validate('  - { name: allow-all, effect: allow, roles: ["*"] }\n  - { name: hash-for-analysts, effect: mask, roles: [analyst], columns: { classification: pii }, mask: hash }\n');
    expect(codes(ds)).toEqual(Array(4).fill('warning:uncovered-classified-column'));
    const text = lines(ds).join('\n');
    expect(text).toMatch(/datasets\.yaml:7:3: columns\.email: warning: role "support" reads orders\.email \(pii\.email\) in clear/);
    expect(text).toMatch(/role "dpo" reads customers\.phone \(pii\.phone\) in clear/);
    expect(text).not.toMatch(/role "analyst"/);
  });
  test('roles that cannot read the dataset are not warned about', () => {
    const ds = validate('  - { name: analysts, effect: allow, roles: [analyst] }\n  - { name: hash-for-analysts, effect: mask, roles: [analyst], columns: { classification: pii }, mask: hash }\n');
    expect(ds).toEqual([]);
  });
  test('a deny covers, and except_roles makes an exemption explicit', () => {
    const ds = validate('  - { name: all, effect: allow, roles: ["*"] }\n  - { name: no-pii, effect: deny, roles: ["*"], except_roles: [dpo], columns: { classification: pii } }\n');
    expect(ds).toEqual([]);
  });
  test('no access documents: no coverage warnings', () => {
    writeFileSync(join(dir, 'access.yaml'), '');
    expect(validatePolicies(loadPolicies([dir])).diagnostics).toEqual([]);
  });
});
