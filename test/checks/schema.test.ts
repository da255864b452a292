import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableToIPC } from '@uwdata/flechette';
import { satisfies } from '../../src/checks/schema.js';
import { mergeObservedTypes, observeType, physicalType } from '../../src/sources/observed-types.js';
import { checkById, workspace, type Workspace } from '../helpers/policy-run.js';

describe('observed types', () => {
  test('typed formats: the JavaScript type of the values', () => {
    expect(physicalType([1, 2, null])).toBe('integer');
    expect(physicalType([1, 2.5])).toBe('number');
    expect(physicalType([10n])).toBe('integer');
    expect(physicalType(['a', null])).toBe('string');
    expect(physicalType([true])).toBe('boolean');
    expect(physicalType([new Date('2026-01-05T00:00:00Z')])).toBe('date');
    expect(physicalType([new Date('2026-01-05T00:00:00Z'), new Date('2026-01-05T10:00:00Z')])).toBe('timestamp');
    expect(physicalType([1, 'a'])).toBe('mixed');
    expect(physicalType([{ a: 1 }])).toBe('mixed');
    expect(physicalType([null, undefined])).toBe('unknown');
  });
  test('text formats: declared when every value parses, else inferred from the text', () => {
    const ok = new Uint8Array([1, 1, 0]);
    const bad = new Uint8Array([1, 2, 0]);
    expect(observeType({ raw: ['1', '2', null], declared: 'number', status: ok, textFormat: true })).toBe('number');
    expect(observeType({ raw: ['1', '12,50', null], declared: 'number', status: bad, textFormat: true })).toBe('string');
    expect(observeType({ raw: [null], declared: 'number', status: new Uint8Array([0]), textFormat: true })).toBe('unknown');
    expect(observeType({ raw: ['2026-01-05'], inferred: 'date', textFormat: true })).toBe('date');
  });
  test('JSON strings declared as dates are observed as dates when all parse (JSON has no date type)', () => {
    expect(observeType({ raw: ['2026-01-05T10:00:00Z'], declared: 'timestamp', status: new Uint8Array([1]), textFormat: false })).toBe('timestamp');
    expect(observeType({ raw: ['5'], declared: 'integer', status: new Uint8Array([1]), textFormat: false })).toBe('string');
  });
  test('parts merge: integer+number → number, date+timestamp → timestamp, unknown yields', () => {
    expect(mergeObservedTypes('integer', 'number')).toBe('number');
    expect(mergeObservedTypes('date', 'timestamp')).toBe('timestamp');
    expect(mergeObservedTypes('unknown', 'string')).toBe('string');
    expect(mergeObservedTypes('string', 'integer')).toBe('mixed');
  });
  test('an observed type satisfies the declared one when it is the same or narrower', () => {
    expect(satisfies('integer', 'number')).toBe(true);
    expect(satisfies('date', 'timestamp')).toBe(true);
    expect(satisfies('unknown', 'boolean')).toBe(true);
    expect(satisfies('number', 'integer')).toBe(false);
    expect(satisfies('timestamp', 'date')).toBe(false);
    expect(satisfies('string', 'timestamp')).toBe(false);
  });
});

let ws: Workspace;
beforeEach(() => (ws = workspace()));
afterEach(() => ws.cleanup());

const POLICY = (schema: string, source = 'items.csv') => `kind: dataset
name: items
source: { path: ${source} }
columns:
  id: { type: integer }
  price: { type: number }
  added: { type: date }
  label: { type: string }
${schema}
`;

describe('schema over data', () => {
  test('lists every difference: extra, missing, types; the worst level decides', async () => {
    ws.write('items.csv', 'id,price,added,note\n1,9.5,2026-01-05,x\n2,12,5 Jan,y\n');
    ws.write('items.yaml', POLICY('schema: { extra_columns: warn, missing_columns: fail, types: fail }'));
    const run = await ws.check();
    expect(checkById(run, 'items.schema')).toMatchObject({
      status: 'fail',
      observed: ['missing column "label"', 'column "added" is declared date but holds string', 'extra column "note"'],
      threshold: 'missing_columns: fail, extra_columns: warn, types: fail',
      message: '3 differences: missing column "label" (fail); column "added" is declared date but holds string (fail); extra column "note" (warn)',
    });
  });

  test('warn and allow levels; allowed differences are counted, not listed', async () => {
    ws.write('items.csv', 'id,price,added,label,note\n1,9.5,2026-01-05,a,x\n');
    ws.write('items.yaml', POLICY('schema: { extra_columns: allow }'));
    let run = await ws.check();
    expect(checkById(run, 'items.schema')).toMatchObject({ status: 'pass', observed: [], message: 'the 5 columns match the declared ones (1 allowed difference not listed)' });
    ws.write('items.yaml', POLICY('schema: {}'));
    run = await ws.check();
    // defaults: extra_columns warn, missing_columns fail, types fail
    expect(checkById(run, 'items.schema')).toMatchObject({ status: 'warn', observed: ['extra column "note"'] });
  });

  test('a check in the list, with severity warn, downgrades fail to warn', async () => {
    ws.write('items.csv', 'id,price\n1,9.5\n');
    ws.write('items.yaml', POLICY('checks:\n  - schema: { missing_columns: fail, severity: warn }'));
    const run = await ws.check();
    expect(checkById(run, 'items.schema')).toMatchObject({ status: 'warn', observed: ['missing column "added"', 'missing column "label"'] });
  });

  test('JSON carries physical types: a string where a number is declared is a difference', async () => {
    ws.write('items.json', JSON.stringify([{ id: 1, price: '9.50', added: '2026-01-05', label: 'a' }, { id: 2.5, price: '3', added: null, label: 'b' }, { id: 3, price: null, added: '2026-01-06', label: 'c' }]));
    ws.write('items.yaml', POLICY('schema: { types: fail }', 'items.json'));
    const run = await ws.check();
    expect(checkById(run, 'items.schema').observed).toEqual(['column "id" is declared integer but holds number', 'column "price" is declared number but holds string']);
  });

  test('Arrow carries physical types', async () => {
    const { tableFromArrays } = await import('@uwdata/flechette');
    const table = tableFromArrays({ id: [1, 2], price: [1.5, 2], added: [new Date('2026-01-05T00:00:00Z'), new Date('2026-01-05T10:30:00Z')], label: [true, false] });
    writeFileSync(join(ws.dir, 'items.arrow'), tableToIPC(table, { format: 'file' })!);
    ws.write('items.yaml', POLICY('schema: { types: warn }', 'items.arrow'));
    const run = await ws.check();
    expect(checkById(run, 'items.schema')).toMatchObject({ status: 'warn', observed: ['column "added" is declared date but holds timestamp', 'column "label" is declared string but holds boolean'] });
  });
});

describe('schema validation', () => {
  test('where is refused', () => {
    ws.write('items.yaml', POLICY('checks:\n  - schema: { where: "d.id > 0" }'));
    expect(ws.diagnostics()).toEqual([expect.stringMatching(/^items\.yaml:10:15: checks\[0\]\.schema: unknown key "where"/)]);
  });

  test('a dataset that declares no columns: every column in the data is extra', async () => {
    ws.write('items.csv', 'id,price\n1,2\n');
    ws.write('items.yaml', 'kind: dataset\nname: items\nsource: { path: items.csv }\nschema: { extra_columns: fail }\n');
    const run = await ws.check();
    expect(checkById(run, 'items.schema')).toMatchObject({ status: 'fail', observed: ['extra column "id"', 'extra column "price"'] });
  });
});
