import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inHoldout, profileDataset } from '../../src/profile/profile.js';
import { roundDown, roundUp, suggestPolicy } from '../../src/profile/suggest.js';

describe('bounds are rounded outward, never tighter than the data', () => {
  test.each([
    [3.27, 3.2, 3.3],
    [97.4, 97, 98],
    [1234, 1200, 1300],
    [-0.123, -0.13, -0.12],
    [0.3, 0.3, 0.3],
    [0, 0, 0],
  ])('%d → [%d, %d]', (x, low, high) => {
    expect(roundDown(x, false)).toBe(low);
    expect(roundUp(x, false)).toBe(high);
    expect(roundDown(x, false)).toBeLessThanOrEqual(x);
    expect(roundUp(x, false)).toBeGreaterThanOrEqual(x);
  });
  test('integer columns get integer bounds', () => {
    expect(roundDown(7, true)).toBe(7);
    expect(roundUp(1234, true)).toBe(1300);
  });
});

describe('holdout', () => {
  test('the split is deterministic for a seed, near the asked share, and another seed splits otherwise', () => {
    const a = Array.from({ length: 10_000 }, (_, i) => inHoldout(i, 0.2, 42));
    expect(Array.from({ length: 10_000 }, (_, i) => inHoldout(i, 0.2, 42))).toEqual(a);
    const share = a.filter(Boolean).length / a.length;
    expect(share).toBeGreaterThan(0.18);
    expect(share).toBeLessThan(0.22);
    expect(Array.from({ length: 10_000 }, (_, i) => inHoldout(i, 0.2, 7))).not.toEqual(a);
  });

  test('a rule that does not hold on the holdout is dropped; the parts add up to the whole', async () => {
    const file = 'fixtures/data/customers.csv';
    const result = await profileDataset({ name: 'c', source: { path: file }, policyFile: 'x', overridePath: file, holdout: 0.2, seed: 42 });
    expect(result.split!.learn.rows + result.split!.holdout.rows).toBe(result.report.rows);
    const now = new Date('2026-01-01T00:00:00Z');
    const plain = suggestPolicy(await profileDataset({ name: 'c', source: { path: file }, policyFile: 'x', overridePath: file }), { name: 'c', now });
    const held = suggestPolicy(result, { name: 'c', now });
    expect(plain.learned).toBe(plain.kept);
    expect(held.kept).toBeLessThanOrEqual(held.learned);
    // customer_id's max learned on 80% of rows is checked against the rest; what is kept holds on the whole.
    const max = held.columns.find((c) => c.name === 'customer_id')!.rules.find((r) => r.key === 'max');
    if (max) expect(max.value).toBeGreaterThanOrEqual(200);
  });
});

test('a value seen only in the holdout drops the values rule learned without it; elsewhere the rule is kept', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'assay-holdout-'));
  try {
    const rows = Array.from({ length: 200 }, (_, i) => ({ id: i, status: i % 2 ? 'paid' : 'placed' }));
    const holdoutRow = rows.findIndex((_, i) => inHoldout(i, 0.2, 42));
    const learnRow = rows.findIndex((_, i) => !inHoldout(i, 0.2, 42));
    const suggest = async (row: number) => {
      const file = join(dir, `d${row}.ndjson`);
      writeFileSync(file, rows.map((r, i) => JSON.stringify(i === row ? { ...r, status: 'refunded' } : r)).join('\n'));
      const result = await profileDataset({ name: 'd', source: { path: file }, policyFile: 'x', overridePath: file, holdout: 0.2, seed: 42 });
      return suggestPolicy(result, { name: 'd', now: new Date() })
        .columns.find((c) => c.name === 'status')!
        .rules.map((r) => r.key);
    };
    expect(await suggest(learnRow)).toContain('values');
    expect(await suggest(holdoutRow)).not.toContain('values');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('column names and values from the data cannot add keys to the draft', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'assay-hostile-'));
  try {
    const file = join(dir, 'h.ndjson');
    const name = 'x"\nkind: access\n# y: ';
    writeFileSync(
      file,
      Array.from({ length: 12 }, (_, i) => JSON.stringify({ [name]: i % 2 ? 'a\n  required: false' : 'b: c', created_at: '2020-01-01T00:00:00Z' })).join('\n'),
    );
    const { renderSuggestion } = await import('../../src/profile/suggest.js');
    const { parse } = await import('yaml');
    const result = await profileDataset({ name: 'h', source: { path: file }, policyFile: 'x', overridePath: file });
    const text = renderSuggestion(suggestPolicy(result, { name: 'h', now: new Date('2026-01-01T00:00:00Z') }), {
      source: { path: 'h.ndjson' },
      data: file,
      rows: 12,
      now: new Date(),
    });
    const doc = parse(text);
    expect(doc.kind).toBe('dataset');
    expect(Object.keys(doc.columns)).toEqual([name, 'created_at']);
    expect(doc.columns[name].values).toEqual(['a\n  required: false', 'b: c']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a data file name with a line break cannot add keys to the draft: header comments stay one line', async () => {
  const { renderSuggestion } = await import('../../src/profile/suggest.js');
  const { parse } = await import('yaml');
  const dir = mkdtempSync(join(tmpdir(), 'assay-suggest-name-'));
  try {
    const file = join(dir, 'h.csv');
    writeFileSync(file, 'id\n1\n2\n3\n');
    const result = await profileDataset({ name: 'h', source: { path: file }, policyFile: 'x', overridePath: file });
    // As `assay suggest --dataset` names the glob's files: a committed file named with a line break (and YAML 1.1's U+2028).
    const data = `data/a.csv, data/x\naccess:\n  - deny: all\u2028owner: attacker\u0085.csv`;
    const text = renderSuggestion(suggestPolicy(result, { name: 'h', now: new Date('2026-01-01T00:00:00Z') }), { source: { path: 'data/*.csv' }, data, rows: 3, now: new Date() });
    const doc = parse(text);
    expect(Object.keys(doc)).toEqual(['kind', 'name', 'source', 'columns', 'checks']);
    expect(text.split('\n')[0]).toContain('data/x access:');
    expect(text).not.toMatch(/[\u0085\u2028\u2029]/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
