/** Serialising a governed view: CSV, NDJSON, Arrow; dates, mixed types, hostile column names. */
import { fromArrow, fromCSV, table, type ColumnTable } from 'arquero';
import { renderExport, exportFormatFor } from '../../src/access/export.js';
import { governedView } from '../../src/access/view.js';
import type { AccessDecision, ColumnDecision } from '../../src/access/decide.js';
import type { LoadedData } from '../../src/sources/load.js';

const clear: ColumnDecision = { access: 'clear', reason: 'allowed', mask: null, policies: ['a'], overridden: [] };

function loaded(columns: Record<string, unknown[]>, types: LoadedData['types'], invalid: Record<string, Map<number, unknown>> = {}): LoadedData {
  const rows = Object.values(columns)[0].length;
  return {
    table: table(columns) as unknown as ColumnTable,
    columns: Object.keys(columns),
    types,
    rawStatus: new Map(),
    invalidRaw: new Map(Object.entries(invalid)),
    files: ['x.csv'],
    fingerprint: 'sha256:x',
    rows,
  };
}

function decision(columns: Record<string, ColumnDecision>, rowFilters: AccessDecision['rowFilters'] = []): AccessDecision {
  return { principal: { name: 'p', roles: ['r'], attributes: { region: 'EU' } }, dataset: 'd', decision: 'allow', reason: 'allowed', columns, rowFilters, policies: ['a'] };
}

const data = loaded(
  {
    id: [1, 2, 3],
    day: [new Date(Date.UTC(2024, 4, 6)), null, new Date(Date.UTC(2025, 0, 2))],
    at: [new Date(Date.UTC(2024, 4, 6, 10, 30)), null, null],
    amount: [1.5, null, 3],
    region: ['EU', 'US', 'EU'],
  },
  { id: 'integer', day: 'date', at: 'timestamp', amount: 'number', region: 'string' },
  { amount: new Map([[1, '12,50']]) },
);

describe('export rendering', () => {
  const all = decision({ id: clear, day: clear, at: clear, amount: clear, region: clear });
  test('CSV: dates as YYYY-MM-DD, timestamps ISO, unparsed values as their text', () => {
    expect(renderExport(governedView(all, data, undefined), data, 'csv')).toBe(
      'id,day,at,amount,region\n1,2024-05-06,2024-05-06T10:30:00.000Z,1.5,EU\n2,,,"12,50",US\n3,2025-01-02,,3,EU\n',
    );
  });
  test('NDJSON: one object per row, same text', () => {
    const lines = String(renderExport(governedView(all, data, undefined), data, 'ndjson')).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toEqual({ id: 1, day: '2024-05-06', at: '2024-05-06T10:30:00.000Z', amount: 1.5, region: 'EU' });
    expect(lines[1].amount).toBe('12,50');
  });
  test('Arrow: a column mixing numbers and unparsed text becomes text; others keep their type', () => {
    const t = fromArrow(renderExport(governedView(all, data, undefined), data, 'arrow') as Uint8Array);
    expect(t.array('amount')).toEqual(['1.5', '12,50', '3']);
    expect(Array.from(t.array('id') as ArrayLike<number>)).toEqual([1, 2, 3]);
  });
  test('denied columns are absent, masks applied, row filters applied', () => {
    const d = decision(
      { id: clear, day: { ...clear, access: 'masked', mask: { name: 'year_only' } }, at: { ...clear, access: 'denied', reason: 'explicit_deny' }, amount: { ...clear, access: 'masked', mask: { name: 'redact' } }, region: clear },
      [{ policy: 'f', expression: 'd.region == principal.attributes.region' }],
    );
    const csv = String(renderExport(governedView(d, data, undefined), data, 'csv'));
    expect(fromCSV(csv, { autoType: false }).objects()).toEqual([
      { id: '1', day: '2024-01-01', amount: '***', region: 'EU' },
      { id: '3', day: '2025-01-01', amount: '***', region: 'EU' },
    ]);
  });
  test('a column named __proto__ is written as a plain key and pollutes nothing', () => {
    const view = { columns: ['__proto__', 'ok'], rows: [0], rowFilter: null, value: (c: string) => (c === 'ok' ? 'b' : 'a') };
    const text = String(renderExport(view, loaded({ x: [1] }, {}), 'ndjson'));
    expect(text).toBe('{"__proto__":"a","ok":"b"}\n');
    expect(({} as Record<string, unknown>).ok).toBeUndefined();
  });
  test.each([
    ['x.csv', undefined, 'csv'],
    ['x.ndjson', undefined, 'ndjson'],
    ['x.jsonl', undefined, 'ndjson'],
    ['x.arrow', undefined, 'arrow'],
    ['x.txt', undefined, 'csv'],
    ['x.csv', 'arrow', 'arrow'],
    ['x.csv', 'xlsx', undefined],
  ])('format of %s with --format %s → %s', (out, flag, expected) => {
    expect(exportFormatFor(out, flag)).toBe(expected);
  });
});
