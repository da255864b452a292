/**
 * Property: for random datasets with classified columns, random checks that
 * observe values (metrics, aggregates, freshness) or sample rows, and random
 * access policies (clear, deny, each mask, row filters), no classified cell
 * appears in any report format or in the audit events, for any reader, unless
 * that reader may see it: the column in clear for them and the row visible
 * to them, or the cell's masked form equal to itself (SPEC §1.3).
 *
 * The oracle is written from the generated policy, not from assay's decision
 * code: which treatment each reader has for each classification.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { anonymousReader, principalReader, type Reader } from '../../src/access/reader.js';
import { applyMask } from '../../src/access/masks.js';
import { buildAccessModel } from '../../src/access/model.js';
import { checkRunEvents } from '../../src/audit/check-events.js';
import { loadValidatedPolicies, runChecks } from '../../src/pipeline.js';
import { REPORT_FORMATS } from '../../src/report/formats/index.js';
import { fuzzParams } from './fuzz.js';

const KEY = 'property-test-key-0123456789';
const KINDS = ['integer', 'number', 'string', 'date'] as const;
type Kind = (typeof KINDS)[number];
const CLASSES = ['pii', 'confidential', null] as const;
type Treatment = { kind: 'clear' | 'deny' | 'null' | 'redact' | 'hash' | 'year_only' } | { kind: 'partial'; keep: number };
const TREATMENTS: fc.Arbitrary<Treatment> = fc.oneof(
  fc.constantFrom<Treatment>({ kind: 'clear' }, { kind: 'deny' }, { kind: 'null' }, { kind: 'redact' }, { kind: 'hash' }, { kind: 'year_only' }),
  fc.integer({ min: 1, max: 4 }).map((keep): Treatment => ({ kind: 'partial', keep })),
);

interface Column {
  name: string;
  kind: Kind;
  declareType: boolean;
  classification: (typeof CLASSES)[number];
  checks: string[];
}

interface Case {
  columns: Column[];
  rows: number;
  /** Tokens for cells, unique across the table. */
  tokens: number[];
  /** Per principal (p0..p2): treatment per classification, and whether a row filter applies. */
  readers: { pii: Treatment; confidential: Treatment; filtered: boolean }[];
  /** Per row: the unclassified `k` column the row filters read. */
  keys: ('A' | 'B')[];
}

function cell(kind: Kind, token: number): string {
  if (kind === 'integer') return String(token);
  if (kind === 'number') return `${token}.25`;
  if (kind === 'string') return `q${token.toString(36)}z`;
  const year = 1950 + (token % 50);
  const month = 1 + (Math.floor(token / 50) % 12);
  const day = 2 + (Math.floor(token / 600) % 27); // never January 1st, which year_only keeps as is
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Checks that put values (or sample rows) of the column into a report, as YAML list items. */
const CHECKS: Record<Kind, string[]> = {
  integer: ['metric: { column: C, stat: max, max: 0 }', 'metric: { column: C, stat: min, max: 0 }', 'metric: { column: C, stat: median, max: 0 }', 'metric: { column: C, stat: quantile, q: 0.25, max: 0 }', 'metric: { column: C, stat: sum, max: 0 }', 'aggregate: { expr: "op.max(d.C)", max: 0 }', 'aggregate: { expr: "op.array_agg(d.C)", max: 0 }', 'range: { column: C, max: 0 }'],
  number: ['metric: { column: C, stat: max, max: 0 }', 'metric: { column: C, stat: min, max: 0 }', 'metric: { column: C, stat: median, max: 0 }', 'aggregate: { expr: "op.min(d.C)", max: 0 }', 'aggregate: { expr: "op.array_agg(d.C)", max: 0 }', 'range: { column: C, max: 0 }'],
  string: ['aggregate: { expr: "op.max(d.C)", max: 0 }', 'aggregate: { expr: "op.min(d.C)", max: 0 }', 'aggregate: { expr: "op.array_agg(d.C)", max: 0 }', 'freshness: { column: C, fail_after: 1s }', 'length: { column: C, max: 1 }'],
  date: ['metric: { column: C, stat: max, max: "1900-01-01" }', 'metric: { column: C, stat: min, max: "1900-01-01" }', 'aggregate: { expr: "op.max(d.C)", max: 0 }', 'freshness: { column: C, fail_after: 1s }', 'range: { column: C, max: "1900-01-01" }'],
};

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    specs: fc.array(
      fc.record({ kind: fc.constantFrom(...KINDS), declareType: fc.boolean(), classification: fc.constantFrom(...CLASSES), pick: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }) }),
      { minLength: 1, maxLength: 4 },
    ),
    rows: fc.integer({ min: 1, max: 6 }),
    readers: fc.array(fc.record({ pii: TREATMENTS, confidential: TREATMENTS, filtered: fc.boolean() }), { minLength: 3, maxLength: 3 }),
    seed: fc.nat(),
  })
  .chain(({ specs, rows, readers }) =>
    fc.record({
      tokens: fc.uniqueArray(fc.integer({ min: 1_000_000, max: 8_999_999 }), { minLength: specs.length * rows, maxLength: specs.length * rows }),
      keys: fc.array(fc.constantFrom<'A' | 'B'>('A', 'B'), { minLength: rows, maxLength: rows }),
    }).map(({ tokens, keys }) => ({
      rows,
      readers,
      keys,
      tokens,
      columns: specs.map((s, i) => {
        // Untyped columns are typed by inference; keep the checks that validate on them.
        // Freshness on a string column is valid only undeclared (it then ends `error`, quoting the newest value).
        const options = s.declareType
          ? CHECKS[s.kind].filter((c) => s.kind !== 'string' || !c.startsWith('freshness'))
          : CHECKS[s.kind].filter((c) => !c.startsWith('metric') && !c.startsWith('range') && !c.startsWith('length'));
        const checks = [...new Set(s.pick.map((p) => options[p % options.length]))].filter(Boolean).map((c) => c.replace(/\bC\b/g, `c${i}`));
        return { name: `c${i}`, kind: s.kind, declareType: s.declareType, classification: s.classification, checks };
      }),
    })),
  );

function writeCase(dir: string, c: Case): void {
  const header = ['k', ...c.columns.map((col) => col.name)].join(',');
  const lines = Array.from({ length: c.rows }, (_, r) => [c.keys[r], ...c.columns.map((col, i) => cell(col.kind, c.tokens[i * c.rows + r]))].join(','));
  writeFileSync(join(dir, 'data.csv'), `${header}\n${lines.join('\n')}\n`);
  const columns = c.columns.map((col) => {
    const parts = [col.declareType ? `type: ${col.kind}` : '', col.classification ? `classification: [${col.classification}]` : ''].filter(Boolean);
    return `  ${col.name}: { ${parts.join(', ')} }`;
  });
  const checks = c.columns.flatMap((col) => col.checks).map((check, j) => `  - ${check.replace('{ ', `{ name: check${j}, `)}`);
  writeFileSync(join(dir, 'data.yaml'), `kind: dataset\nname: data\nsource: { path: data.csv }\ncolumns:\n  k: { type: string }\n${columns.join('\n')}\nchecks:\n${checks.join('\n')}\n  - row_count: { min: 1 }\n`);
  const policies = ['  - { name: read, effect: allow, roles: [r0, r1, r2], datasets: "*" }'];
  c.readers.forEach((reader, i) => {
    for (const cls of ['pii', 'confidential'] as const) {
      const t = reader[cls];
      if (t.kind === 'clear') continue;
      if (t.kind === 'deny') policies.push(`  - { name: d${i}${cls}, effect: deny, roles: [r${i}], columns: { classification: [${cls}] } }`);
      else policies.push(`  - { name: m${i}${cls}, effect: mask, roles: [r${i}], columns: { classification: [${cls}] }, mask: "${t.kind}"${t.kind === 'partial' ? `, keep_last: ${t.keep}` : ''} }`);
    }
    if (reader.filtered) policies.push(`  - { name: f${i}, effect: row_filter, roles: [r${i}], datasets: "*", filter: 'd.k == "A"' }`);
  });
  writeFileSync(
    join(dir, 'access.yaml'),
    `kind: access\nclassifications: [pii, confidential]\nroles: { r0: {}, r1: {}, r2: {} }\nprincipals:\n  p0: { roles: [r0] }\n  p1: { roles: [r1] }\n  p2: { roles: [r2] }\npolicies:\n${policies.join('\n')}\ndefault: deny\n`,
  );
}

/** Cells of classified columns the reader may not see in clear, minus texts the reader may see elsewhere. */
function forbiddenCells(c: Case, reader: number | null): string[] {
  const forbidden = new Set<string>();
  const allowed = new Set<string>();
  c.columns.forEach((col, i) => {
    if (!col.classification) return;
    for (let r = 0; r < c.rows; r++) {
      const text = cell(col.kind, c.tokens[i * c.rows + r]);
      let visible = false;
      if (reader !== null) {
        const who = c.readers[reader];
        const t = who[col.classification];
        const rowVisible = !who.filtered || c.keys[r] === 'A';
        const shown = t.kind === 'clear' ? text : t.kind === 'deny' ? null : applyMask(t.kind === 'partial' ? { name: 'partial', keepLast: t.keep } : { name: t.kind }, text, col.declareType ? col.kind : undefined, KEY);
        visible = rowVisible && shown === text;
      }
      (visible ? allowed : forbidden).add(text);
    }
  });
  return [...forbidden].filter((t) => ![...allowed].some((a) => a.includes(t)));
}

test('no classified cell reaches a reader except as that reader may see it, in any format or audit event', async () => {
  let runs = 0;
  await fc.assert(
    fc.asyncProperty(caseArb, async (c) => {
      const dir = mkdtempSync(join(tmpdir(), 'assay-classified-prop-'));
      try {
        writeCase(dir, c);
        let validated;
        try {
          validated = loadValidatedPolicies([dir]);
        } catch (e) {
          throw new Error(`the generated policy does not validate: ${(e as { diagnostics?: unknown[] }).diagnostics?.map((d) => JSON.stringify(d)).join('\n')}`);
        }
        const model = buildAccessModel(validated.policy);
        for (const who of [null, 0, 1, 2]) {
          const reader: Reader = who === null ? anonymousReader : principalReader(model, model.principals.get(`p${who}`)!, KEY);
          const run = await runChecks({ paths: [dir], now: new Date('2026-01-05T12:00:00Z'), reader, principal: reader.principal, runId: 'prop' }, validated);
          const outputs = [...REPORT_FORMATS.map((f) => f.render(run.report, { color: false })), JSON.stringify(checkRunEvents(run.report))].join('\n');
          const leaked = forbiddenCells(c, who).filter((t) => outputs.includes(t));
          if (leaked.length > 0) throw new Error(`reader ${who === null ? 'none' : `p${who}`} sees ${leaked.join(', ')}\n${readable(c)}`);
        }
        runs++;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }),
    fuzzParams(40, 60),
  );
  expect(runs).toBeGreaterThan(5);
}, 120_000);

function readable(c: Case): string {
  return JSON.stringify({ columns: c.columns, readers: c.readers, keys: c.keys }, null, 1);
}
