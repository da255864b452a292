/**
 * The check tester: assay's RuleTester. Every check test calls
 * `checkTester.run(definition, { pass, fail, invalid })`; each case is a tiny
 * table (column arrays), declared column types and the check's YAML entry.
 *
 * A case runs through the real stages, nothing mocked: the entry is written
 * as a YAML policy document, loaded with a source map, validated against the
 * generated JSON Schema and the check's own rules, normalized, compiled to a
 * plan; the table is written to a data file (a JSON array of records, or a
 * header-only CSV for an empty table, since JSON cannot name the columns of
 * no rows), streamed and typed by the real loader, measured by the executor
 * and evaluated. `invalid` cases assert the exact diagnostic lines
 * (`check.yaml:7:12: checks[0].range.min: …`).
 *
 * The harness enforces the discipline, as ESLint's RuleTester does:
 * - every check has at least one pass and one fail case (no check that cannot fail);
 * - every check has an empty-table case, and a case with a null in a column it reads;
 * - fail cases of row checks state `failed_rows` and `evaluated_rows`, of
 *   aggregate checks `observed`;
 * - duplicate cases are refused;
 * - every case also runs on its rows in reverse order, and in batches of one
 *   row, and must give the same status, observed value and counts (results
 *   must depend neither on row order nor on batching).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { CheckDefinition } from '../../src/checks/define.js';
import { executeStream } from '../../src/engine/in-process/execute.js';
import type { ExecutionStats } from '../../src/engine/executor.js';
import { evaluateCheck, type EvaluateOptions, type Status } from '../../src/evaluate.js';
import { compileDataset } from '../../src/plan/compile.js';
import type { ColumnType } from '../../src/values/types.js';
import { parseFile, type LoadResult } from '../../src/policy/load.js';
import type { CheckSpec, ColumnSpec, DatasetSpec } from '../../src/policy/types.js';
import { validatePolicies } from '../../src/policy/validate.js';
import { DEFAULT_BATCH_ROWS, streamDataset, type DataStream } from '../../src/sources/stream.js';
import { formatDiagnostic } from '../../src/util/diagnostics.js';
import { runCaseInDuckDB } from './duckdb-case.js';
import { closePostgresCases, POSTGRES_SKIP_REASON, postgresUrl, runCaseInPostgres } from './postgres-case.js';
import { closeSparkCases, runCaseInSpark, SPARK_SKIP_REASON, sparkUrl } from './spark-case.js';

/**
 * Cases an SQL engine does not give the in-process result for, by engine and
 * `<check type>: <case title>`, with the reason (test/sql-engine-exceptions.json,
 * summarised in docs/engines.md). A listed case must still differ, so the list
 * cannot go stale.
 */
const SQL_EXCEPTIONS = JSON.parse(readFileSync(new URL('../sql-engine-exceptions.json', import.meta.url), 'utf8')) as Record<string, Record<string, string>>;

/** The tiny table of a case: column name → values, in row order. */
export type Columns = Record<string, unknown[]>;
/** Declared column types; every data column is declared, typed or not. */
export type Types = Record<string, ColumnType | null>;

/** What a case asserts; only the keys given are compared. */
export interface Expected {
  status: Status;
  observed?: unknown;
  failed_rows?: number;
  evaluated_rows?: number;
  /** 1-based rows of the failing-row samples, in the order reported. */
  samples?: number[];
  message?: string;
  threshold?: string;
}

interface CaseBase {
  /** Shown in the test title; defaults to the params as JSON. */
  name?: string;
  /** The check's YAML entry: its params plus common options (where, mostly, …). */
  params: Record<string, unknown>;
  /** Declared types, merged over the suite's `types`. */
  types?: Types;
  /** The run's now (ISO 8601); default the wall clock. */
  now?: string;
  /** Past points by metric key, as the history store would give them (change, anomaly): `[ISO time, value]`. */
  history?: Record<string, [string, number][]>;
}

/** What a case gives evaluation besides the measures: its now and its history. */
export type CaseEvaluation = Pick<EvaluateOptions, 'now' | 'history'>;

export function caseEvaluation(c: { now?: string; history?: Record<string, [string, number][]> }): CaseEvaluation {
  const series = new Map(Object.entries(c.history ?? {}).map(([metric, points]) => [metric, points.map(([time, value]) => ({ time: Date.parse(time), value }))]));
  return {
    ...(c.now !== undefined ? { now: new Date(c.now) } : {}),
    ...(c.history !== undefined ? { history: (metric: string) => series.get(metric) ?? [] } : {}),
  };
}

export interface PassCase extends CaseBase {
  data: Columns;
  /** Further assertions; `status` is always `pass`. */
  expected?: Omit<Partial<Expected>, 'status'>;
}

export interface FailCase extends CaseBase {
  data: Columns;
  /** Any status but `pass`: `fail`, `warn` (severity warn or warn bounds) or `error`. */
  expected: Expected;
}

export interface InvalidCase extends CaseBase {
  /** Every error diagnostic, exactly as printed. */
  errors: string[];
}

export interface CheckCases {
  /** Declared column types shared by every case. */
  types?: Types;
  pass: PassCase[];
  fail: FailCase[];
  invalid?: InvalidCase[];
}

/** The policy file name cases are written to; diagnostics start with it. */
export const CASE_FILE = 'check.yaml';

/** Outcome of running one case through every stage. */
export interface CaseOutcome {
  status: Status;
  observed: unknown;
  failed_rows?: number;
  evaluated_rows?: number;
  samples: number[];
  message: string;
  threshold: string;
  stats: ExecutionStats;
}

/** The YAML text of a one-check dataset document; `checks` comes first so positions are easy to read. */
export function caseDocument(type: string, params: Record<string, unknown>, types: Types, data: Columns = {}): string {
  const columns: Record<string, ColumnSpec> = {};
  for (const name of new Set([...Object.keys(types), ...Object.keys(data)])) {
    const declared = types[name];
    columns[name] = declared ? { type: declared } : {};
  }
  const doc = { kind: 'dataset', name: 't', source: { path: 't.csv' }, checks: [{ [type]: params }], columns };
  // Checks that read another dataset (reference, reconcile) need it declared.
  const others = [params.dataset, params.with].filter((n): n is string => typeof n === 'string' && n !== 't');
  return [doc, ...others.map((name) => ({ kind: 'dataset', name, source: { path: `${name}.csv` } }))].map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
}

/** Load + validate + normalize the case's document; returns error lines or the dataset. */
export function validateCase(type: string, params: Record<string, unknown>, types: Types, data: Columns = {}): { errors: string[]; dataset?: DatasetSpec } {
  const loaded: LoadResult = { documents: [], files: [], diagnostics: [] };
  parseFile(CASE_FILE, caseDocument(type, params, types, data), loaded);
  const { policy, diagnostics } = validatePolicies(loaded);
  const errors = diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
  return { errors, dataset: errors.length === 0 ? policy.datasets[0] : undefined };
}

let scratch: string | undefined;
let fileCount = 0;

/**
 * Write the case's table as a data file: a JSON array of records (values as
 * given: strings as a CSV would hold them, or JSON numbers and booleans), or a
 * CSV header when there are no rows.
 */
export function writeDataFile(data: Columns): string {
  const names = Object.keys(data);
  const lengths = new Set(Object.values(data).map((v) => v.length));
  if (lengths.size > 1) throw new Error(`case data columns differ in length: ${[...lengths].join(', ')}`);
  const rows = Object.values(data)[0]?.length ?? 0;
  scratch ??= mkdtempSync(join(tmpdir(), 'assay-check-tester-'));
  const file = join(scratch, `case-${fileCount++}.${rows === 0 ? 'csv' : 'json'}`);
  const text = rows === 0 ? `${names.map((n) => JSON.stringify(n)).join(',')}\n` : JSON.stringify(Array.from({ length: rows }, (_, i) => Object.fromEntries(names.map((n) => [n, data[n][i]]))));
  writeFileSync(file, text);
  return file;
}

/**
 * The case's table as a CSV file (every value as its text, a null as an
 * empty cell), for the DuckDB executor, which reads CSV: the in-process
 * engine is then compared with DuckDB over this same file.
 */
export function writeCsvFile(data: Columns): string {
  const names = Object.keys(data);
  const rows = Object.values(data)[0]?.length ?? 0;
  const cell = (v: unknown) => {
    if (v === null || v === undefined) return '';
    const text = String(v);
    return /[",\r\n]/.test(text) || text === '' ? `"${text.replace(/"/g, '""')}"` : text;
  };
  scratch ??= mkdtempSync(join(tmpdir(), 'assay-check-tester-'));
  const file = join(scratch, `case-${fileCount++}.csv`);
  const lines = [names.map(cell).join(','), ...Array.from({ length: rows }, (_, i) => names.map((n) => cell(data[n][i])).join(','))];
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** The case's table as the loader streams it (from `file` when given). */
export function caseStream(data: Columns, dataset: DatasetSpec, batchRows = DEFAULT_BATCH_ROWS, file = writeDataFile(data)): DataStream {
  return streamDataset({ dataset: dataset.name, source: { path: file }, policyFile: dataset.file, columns: dataset.columns, overridePath: file }, batchRows);
}

/** Run a check's YAML entry over a table through every stage; throws on validation errors. */
export async function runCase(definition: CheckDefinition, params: Record<string, unknown>, types: Types, data: Columns, batchRows?: number, file?: string, evaluation: CaseEvaluation = {}): Promise<CaseOutcome> {
  const { errors, dataset } = validateCase(definition.type, params, types, data);
  if (!dataset) throw new Error(`the case does not validate:\n${errors.join('\n')}`);
  const spec = dataset.checks.find((c) => c.path[0] === 'checks')!;
  // Only the check under test; declared types also add `type` shorthand checks.
  const plan = compileDataset({ ...dataset, checks: [spec] });
  const planned = plan.checks[0];
  const sampleLimits = new Map<string, number>();
  if (planned.measures.rows) sampleLimits.set(planned.measures.rows, spec.samples);
  const measured = await executeStream(plan, caseStream(data, dataset, batchRows, file), sampleLimits);
  const result = evaluateCheck(planned, measured.measures, { datasets: new Map([[dataset.name, dataset]]), ...evaluation });
  return {
    status: result.status,
    observed: result.observed,
    failed_rows: result.failedRows,
    evaluated_rows: result.evaluatedRows,
    samples: result.sampleIndexes.map((i) => measured.samples.get(i)!.row),
    message: result.message,
    threshold: result.threshold,
    stats: measured.stats,
  };
}

/** What every engine must report alike for a case. */
function sameOutcome(o: CaseOutcome): Partial<CaseOutcome> {
  return { status: o.status, observed: o.observed, failed_rows: o.failed_rows, evaluated_rows: o.evaluated_rows, samples: o.samples, message: o.message, threshold: o.threshold };
}

function reversed(data: Columns): Columns {
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, [...v].reverse()]));
}

function rowCount(data: Columns): number {
  return Object.values(data)[0]?.length ?? 0;
}

/** Columns the check reads, from its params as written. */
function readColumns(definition: CheckDefinition, params: Record<string, unknown>): string[] {
  const spec = { column: params.column, columns: params.columns, params } as unknown as CheckSpec;
  try {
    return definition.columns(spec);
  } catch {
    return [];
  }
}

function hasNullIn(data: Columns, columns: string[]): boolean {
  return columns.some((c) => (data[c] ?? []).some((v) => v === null || v === undefined));
}

function title(c: CaseBase): string {
  return c.name ?? JSON.stringify(c.params);
}

/** Problems with the case list itself (the discipline above), one line each. */
export function disciplineProblems(definition: CheckDefinition, cases: CheckCases): string[] {
  const problems: string[] = [];
  const runs = [...cases.pass, ...cases.fail];
  if (cases.pass.length === 0) problems.push('no pass case');
  if (cases.fail.length === 0) problems.push('no fail case: a check must be shown to fail');
  if (!runs.some((c) => rowCount(c.data) === 0)) problems.push('no empty-table case');
  const reads = runs.some((c) => readColumns(definition, c.params).length > 0);
  if (reads && !runs.some((c) => hasNullIn(c.data, readColumns(definition, c.params)))) {
    problems.push('no case with a null in a column the check reads');
  }
  for (const c of cases.fail) {
    if (c.expected.status === 'pass') problems.push(`fail case "${title(c)}" expects pass; put it under pass`);
    if (c.expected.status === 'error') continue;
    if (definition.kind === 'row' && (c.expected.failed_rows === undefined || c.expected.evaluated_rows === undefined)) {
      problems.push(`fail case "${title(c)}" must state failed_rows and evaluated_rows`);
    }
    if (definition.kind === 'aggregate' && !('observed' in c.expected)) problems.push(`fail case "${title(c)}" must state observed`);
  }
  const seen = new Set<string>();
  for (const c of [...runs, ...(cases.invalid ?? [])]) {
    const key = JSON.stringify([c.params, { ...cases.types, ...c.types }, 'data' in c ? c.data : null, c.now ?? null, c.history ?? null]);
    if (seen.has(key)) problems.push(`duplicate case "${title(c)}"`);
    seen.add(key);
  }
  return problems;
}

function pick(outcome: CaseOutcome, expected: Partial<Expected>): Partial<Expected> {
  return Object.fromEntries(Object.keys(expected).map((k) => [k, outcome[k as keyof CaseOutcome]]));
}

/** Order-independent part of an outcome. */
function counts(o: CaseOutcome): unknown[] {
  return [o.status, o.observed, o.failed_rows, o.evaluated_rows];
}

/** The same case on reversed rows, and in batches of one row, gives the same counts. */
async function expectSameCounts(definition: CheckDefinition, c: PassCase | FailCase, types: Types, outcome: CaseOutcome): Promise<void> {
  const onReversed = await runCase(definition, c.params, types, reversed(c.data), undefined, undefined, caseEvaluation(c));
  expect({ reversed: counts(onReversed) }).toEqual({ reversed: counts(outcome) });
  const inBatchesOfOne = await runCase(definition, c.params, types, c.data, 1, undefined, caseEvaluation(c));
  expect({ batchesOfOne: counts(inBatchesOfOne) }).toEqual({ batchesOfOne: counts(outcome) });
}

export const checkTester = {
  /** Define the jest tests of one check type. */
  run(definition: CheckDefinition, cases: CheckCases): void {
    const types = (c: CaseBase): Types => ({ ...cases.types, ...c.types });
    describe(`${definition.type} check`, () => {
      test('case list follows the tester discipline', () => {
        expect(disciplineProblems(definition, cases)).toEqual([]);
      });
      describe('pass', () => {
        test.each(cases.pass.map((c) => [title(c), c] as const))('%s', async (_t, c) => {
          const outcome = await runCase(definition, c.params, types(c), c.data, undefined, undefined, caseEvaluation(c));
          const expected = { status: 'pass' as const, ...c.expected };
          expect(pick(outcome, expected)).toEqual(expected);
          await expectSameCounts(definition, c, types(c), outcome);
        });
      });
      describe('fail', () => {
        test.each(cases.fail.map((c) => [title(c), c] as const))('%s', async (_t, c) => {
          const outcome = await runCase(definition, c.params, types(c), c.data, undefined, undefined, caseEvaluation(c));
          expect(pick(outcome, c.expected)).toEqual(c.expected);
          await expectSameCounts(definition, c, types(c), outcome);
        });
      });
      describe('duckdb: the same outcome as in-process over the same CSV', () => {
        const listed = SQL_EXCEPTIONS.duckdb ?? {};
        // A one-column CSV writes a null as an empty line, which the in-process CSV reader skips and DuckDB reads as a row.
        const blankLine = (c: PassCase | FailCase) => Object.keys(c.data).length === 1 && hasNullIn(c.data, Object.keys(c.data));
        const skipped = [...cases.pass, ...cases.fail].filter(blankLine).length;
        if (skipped > 0) test.skip(`${skipped} one-column case(s) with a null: an empty CSV line, read differently by the two CSV readers`, () => undefined);
        test.each([...cases.pass, ...cases.fail].filter((c) => !blankLine(c)).map((c) => [title(c), c] as const))('%s', async (name, c) => {
          const file = writeCsvFile(c.data);
          const inProcess = await runCase(definition, c.params, types(c), c.data, undefined, file, caseEvaluation(c));
          const inDuckDB = await runCaseInDuckDB(definition, c.params, types(c), c.data, file, caseEvaluation(c));
          const reason = listed[`${definition.type}: ${name}`];
          const outcome = 'declined' in inDuckDB ? { declined: inDuckDB.declined } : sameOutcome(inDuckDB);
          if (reason === undefined) expect(outcome).toEqual(sameOutcome(inProcess));
          else expect({ stillDiffers: outcomeText(outcome) !== outcomeText(sameOutcome(inProcess)), reason }).toEqual({ stillDiffers: true, reason });
        });
      });
      describe('postgres: the same outcome as in-process', () => {
        if (!postgresUrl()) {
          test.skip(POSTGRES_SKIP_REASON, () => undefined);
          return;
        }
        afterAll(closePostgresCases);
        const listed = SQL_EXCEPTIONS.postgres ?? {};
        test.each([...cases.pass, ...cases.fail].map((c) => [title(c), c] as const))('%s', async (name, c) => {
          const inProcess = await runCase(definition, c.params, types(c), c.data, undefined, undefined, caseEvaluation(c));
          const inPostgres = await runCaseInPostgres(definition, c.params, types(c), c.data, caseEvaluation(c));
          const reason = listed[`${definition.type}: ${name}`];
          if (reason === undefined) expect(sameOutcome(inPostgres)).toEqual(sameOutcome(inProcess));
          else expect({ stillDiffers: outcomeText(sameOutcome(inPostgres)) !== outcomeText(sameOutcome(inProcess)), reason }).toEqual({ stillDiffers: true, reason });
        });
      });
      describe('spark: the same outcome as in-process', () => {
        if (!sparkUrl()) {
          test.skip(SPARK_SKIP_REASON, () => undefined);
          return;
        }
        afterAll(closeSparkCases);
        const listed = SQL_EXCEPTIONS.spark ?? {};
        test.each([...cases.pass, ...cases.fail].map((c) => [title(c), c] as const))('%s', async (name, c) => {
          const inProcess = await runCase(definition, c.params, types(c), c.data);
          const inSpark = await runCaseInSpark(definition, c.params, types(c), c.data);
          const reason = listed[`${definition.type}: ${name}`];
          if (reason === undefined) expect(sameOutcome(inSpark)).toEqual(sameOutcome(inProcess));
          else expect({ stillDiffers: outcomeText(sameOutcome(inSpark)) !== outcomeText(sameOutcome(inProcess)), reason }).toEqual({ stillDiffers: true, reason });
        });
      });
      if (cases.invalid && cases.invalid.length > 0) {
        describe('invalid', () => {
          test.each(cases.invalid!.map((c) => [title(c), c] as const))('%s', (_t, c) => {
            expect(validateCase(definition.type, c.params, types(c)).errors).toEqual(c.errors);
          });
        });
      }
    });
  },
};

/** An outcome as comparable text; integers beyond 2^53 (bigints) included. */
function outcomeText(outcome: unknown): string {
  return JSON.stringify(outcome, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}
