/**
 * Protection that must not depend on the data: a classified column spelled
 * differently in the data (`EMAIL` for a declared `email`), and a row filter
 * whose column the data lacks. `export` and `check --as` decide alike and
 * fail closed (issue 12). Needs `npm run build`.
 */
import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/files.js';

const KEY = 'fail-closed-key-0123456789';
const hmac = (text: string) => createHmac('sha256', KEY).update(text).digest('hex');

const ACCESS = `kind: access
roles: { analyst: {}, guest: {}, support: {} }
principals:
  alan: { roles: [analyst] }
  gus: { roles: [guest] }
  sue: { roles: [support], attributes: { region: EU } }
policies:
  - { name: read, effect: allow, roles: [analyst, guest, support], datasets: "*" }
  - { name: hash-pii, effect: mask, roles: [analyst], columns: { classification: pii }, mask: hash }
  - { name: no-pii, effect: deny, roles: [guest], columns: { classification: pii } }
  - { name: own-region, effect: row_filter, roles: [support], datasets: { names: [people] }, filter: "d.region != principal.attributes.region" }
default: deny
`;

let tmp: TempDir;
beforeAll(() => {
  tmp = tempDir('assay-fail-closed-');
  tmp.write('access.yaml', ACCESS);
  // The data spells the classified column EMAIL; the policy declares email.
  tmp.write('people.csv', 'id,EMAIL\n1,secret.person@example.org\n2,other.person@example.org\n');
  tmp.write(
    'people.yaml',
    'kind: dataset\nname: people\nsource: { path: people.csv }\ncolumns:\n  id: { type: integer, max: 0 }\n  email: { type: string, classification: [pii] }\n  region: { type: string }\nschema: { extra_columns: warn, missing_columns: fail }\n',
  );
});
afterAll(() => {
  tmp.remove();
  rmSync(tmp.path + '-spelled', { recursive: true, force: true });
});

const assay = (args: string[]) => runCli(args, { NO_COLOR: '1', ASSAY_MASK_KEY: KEY });

describe('a data column that matches a classified declaration only by case', () => {
  test('export masks it as the declared column for a reader with a mask', () => {
    const out = join(tmp.path, 'alan.csv');
    const r = assay(['export', tmp.path, '--as', 'alan', '--dataset', 'people', '--out', out]);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).not.toContain('secret.person@example.org');
    expect(text).toContain(hmac('secret.person@example.org'));
  });
  test('export leaves it out for a reader denied the declared column', () => {
    const out = join(tmp.path, 'gus.csv');
    expect(assay(['export', tmp.path, '--as', 'gus', '--dataset', 'people', '--out', out]).code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).not.toMatch(/person@example\.org/);
    expect(text.split('\n')[0]).toBe('id');
  });
  test('the schema check reports the case-only match as a difference', () => {
    const out = join(tmp.path, 'out-schema');
    const r = assay(['check', tmp.path, '--format', 'json', '--out', out]);
    const report = JSON.parse(readFileSync(join(out, 'assay-report.json'), 'utf8'));
    const schema = report.datasets[0].checks.find((c: { type: string }) => c.type === 'schema');
    expect(schema.status).toBe('fail');
    expect(schema.observed).toContain('column "EMAIL" matches declared "email" only by case or Unicode form (names must match exactly)');
    expect(r.stdout + r.stderr).not.toContain('secret.person@example.org');
  });
});

describe('a data column that matches a classified declaration but for white space or invisible characters (second round of issue 12)', () => {
  test.each([
    ['a leading space', ' email'],
    ['a trailing tab', 'email\t'],
    ['a zero-width space', 'e\u200bmail'],
    ['a soft hyphen', 'em\u00adail'],
  ])('export leaves out a denied column spelled with %s, and check --as shows no cell', (_what, header) => {
    const dir = join(tmp.path + '-spelled', Buffer.from(header).toString('hex'));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'access.yaml'), ACCESS);
    writeFileSync(join(dir, 'people.csv'), `id,"${header}"\n1,secret.person@example.org\n`);
    writeFileSync(join(dir, 'people.yaml'), 'kind: dataset\nname: people\nsource: { path: people.csv }\ncolumns:\n  id: { type: integer, max: 0 }\n  email: { type: string, classification: [pii] }\n  region: { type: string }\n');
    const out = join(dir, 'gus.csv');
    const r = assay(['export', dir, '--as', 'gus', '--dataset', 'people', '--out', out]);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).not.toContain('secret.person');
    const checked = assay(['check', dir, '--as', 'gus', '--format', 'json', '--out', join(dir, 'out')]);
    expect(checked.stdout + checked.stderr + readFileSync(join(dir, 'out', 'assay-report.json'), 'utf8')).not.toContain('secret.person');
  });
});

describe('a row filter on a column the data does not have', () => {
  test('export refuses, naming the column', () => {
    const out = join(tmp.path, 'sue.csv');
    const r = assay(['export', tmp.path, '--as', 'sue', '--dataset', 'people', '--out', out]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/row filter "own-region" on dataset "people" cannot be applied: the data has no column "region"/);
    expect(existsSync(out)).toBe(false);
  });
  test('check --as shows no sample row (the filter would have kept every row: null != "EU")', () => {
    const out = join(tmp.path, 'out-sue');
    assay(['check', tmp.path, '--format', 'json', '--out', out, '--as', 'sue']);
    const report = JSON.parse(readFileSync(join(out, 'assay-report.json'), 'utf8'));
    const range = report.datasets[0].checks.find((c: { type: string }) => c.type === 'range');
    expect(range.failed_rows).toBe(2);
    expect(range.samples).toEqual([]);
  });
  test('without the filter (another reader) the same check does show samples', () => {
    const out = join(tmp.path, 'out-alan');
    assay(['check', tmp.path, '--format', 'json', '--out', out, '--as', 'alan']);
    const report = JSON.parse(readFileSync(join(out, 'assay-report.json'), 'utf8'));
    expect(report.datasets[0].checks.find((c: { type: string }) => c.type === 'range').samples.map((s: { row: number }) => s.row)).toEqual([1, 2]);
  });
});
