/**
 * The executor: computes every measure of a dataset plan in one read of the
 * data. Batches arrive from the source one at a time; each measure task
 * folds the batch into its mergeable state with a tight loop over the
 * batch's columns, then the batch is dropped, so memory is bounded by the
 * batch size plus the exact sets the measures keep (see docs/performance.md).
 *
 * Failing rows for samples are captured while their batch is in memory; only
 * the first occurrences of duplicate keys, found to fail in a later batch,
 * need a second read (and only when such a check fails and wants samples),
 * which stops at the batch holding the last of them.
 */
import { closest, suggestColumn } from '../../util/did-you-mean.js';
import { measureColumns, measureKey, unhandledMeasure, type DatasetPlan, type Measure } from '../../plan/plan.js';
import { parseExpression } from '../../expr/parse.js';
import type { Batch, DataStream } from '../../sources/stream.js';
import { errorMessage } from '../../util/diagnostics.js';
import { BatchContext, type SampledRow } from './batch-context.js';
import { FailingAnyTask } from './column-task.js';
import type { DatasetResults, KeySets, MeasureResult } from '../executor.js';
import { AggregateTask, CountTask, KeySetTask, KeyTask, RowsTask, StatTask, type Task } from './tasks.js';

interface PlannedTask {
  task: Task;
  /** Measure keys the task answers. */
  keys: string[];
  error?: string;
}

/**
 * `sampleLimits`: per rows-measure key, how many failing rows to keep.
 * `keySets`: other datasets' key sets that reference checks read, by `keySetKey`.
 * `sampleWhere`: a row expression; samples are picked only among the rows
 * where it holds (the report reader's row filters), counts are unchanged.
 */
export async function executeStream(plan: DatasetPlan, stream: DataStream, sampleLimits: Map<string, number>, keySets: KeySets = new Map(), sampleWhere?: string): Promise<DatasetResults> {
  const measures = new Map<string, MeasureResult>();
  const referenced = new Set<string>(sampleWhere !== undefined ? parseExpression(sampleWhere, 'row').columns : []);
  for (const m of Object.values(plan.measures)) {
    try {
      for (const c of measureColumns(m)) referenced.add(c);
    } catch {
      // reported when the task is built
    }
  }
  const tasks = planTasks(plan, sampleLimits, measures, keySets, sampleWhere);
  const samples = new Map<number, SampledRow>();
  for await (const batch of stream.batches()) foldBatch(tasks, batch, referenced, samples);

  for (const planned of tasks) {
    if (planned.error === undefined) {
      try {
        for (const [key, result] of planned.task.results()) measures.set(key, result);
        continue;
      } catch (e) {
        planned.error = errorMessage(e);
      }
    }
    for (const key of planned.keys) measures.set(key, { kind: 'error', message: planned.error! });
  }
  // What the reader found, rather than a fold over rows.
  for (const [key, m] of Object.entries(plan.measures)) {
    if (m.kind === 'source_mtime') measures.set(key, { kind: 'value', value: stream.modifiedAt });
    if (m.kind === 'columns') measures.set(key, { kind: 'columns', columns: stream.columns.map((name) => ({ name, type: stream.observedTypes[name] ?? 'unknown' })) });
  }
  reportColumnErrors(plan, stream.columns, measures);

  let samplePasses = 0;
  const missing = new Set<number>();
  for (const result of measures.values()) if (result.kind === 'rows') for (const i of result.sampleIndexes) if (!samples.has(i)) missing.add(i);
  if (missing.size > 0) {
    samplePasses++;
    // The rows to capture are first occurrences, usually early: stop reading past the last one.
    const last = Math.max(...missing);
    for await (const batch of stream.batches()) {
      const ctx = new BatchContext(batch, referenced, samples);
      for (const i of missing) if (i >= batch.offset && i < batch.offset + batch.rows) ctx.capture(i - batch.offset);
      if (batch.offset + batch.rows > last) break;
    }
  }
  return { measures, stats: { passes: 1, samplePasses }, samples };
}

/** Fold one batch into every task; a task that throws ends in `error`, the others go on. */
export function foldBatch(tasks: PlannedTask[], batch: Batch, referenced: Set<string>, samples: Map<number, SampledRow>): void {
  const ctx = new BatchContext(batch, referenced, samples);
  for (const planned of tasks) {
    if (planned.error !== undefined) continue;
    try {
      planned.task.update(ctx);
    } catch (e) {
      planned.error = errorMessage(e);
    }
  }
}

/** One task per measure, except that key counts and per-column statistics are shared. */
function planTasks(plan: DatasetPlan, sampleLimits: Map<string, number>, measures: Map<string, MeasureResult>, keySets: KeySets, sampleWhere?: string): PlannedTask[] {
  const tasks: PlannedTask[] = [];
  const keyGroups = new Map<string, { columns: string[]; where?: string; rowsKeys: string[]; countKeys: string[]; limit: number }>();
  const keyGroup = (columns: string[], where: string | undefined) => {
    const signature = JSON.stringify([columns, where ?? null]);
    if (!keyGroups.has(signature)) keyGroups.set(signature, { columns, where, rowsKeys: [], countKeys: [], limit: 0 });
    return keyGroups.get(signature)!;
  };
  const statGroups = new Map<string, [string, Extract<Measure, { kind: 'stat' }>][]>();
  const unions: [string, Extract<Measure, { kind: 'rows_failing_any' }>][] = [];
  const rowsTasks = new Map<string, RowsTask>();
  for (const [key, m] of Object.entries(plan.measures)) {
    try {
      measureColumns(m); // expressions parse, or the measure is an error
      switch (m.kind) {
        case 'rows':
          if (m.predicate.op === 'duplicate_key') {
            const group = keyGroup(m.predicate.columns, m.where);
            group.rowsKeys.push(key);
            group.limit = Math.max(group.limit, sampleLimits.get(key) ?? 0);
          } else {
            const task = new RowsTask(key, m, sampleLimits.get(key) ?? 0, keySets, sampleWhere);
            rowsTasks.set(key, task);
            tasks.push({ task, keys: [key] });
          }
          break;
        case 'duplicate_count':
          keyGroup(m.columns, m.where).countKeys.push(key);
          break;
        case 'row_count':
        case 'null_count':
        case 'distinct_count':
          tasks.push({ task: new CountTask(key, m), keys: [key] });
          break;
        case 'stat': {
          const signature = JSON.stringify([m.column, m.where ?? null]);
          if (!statGroups.has(signature)) statGroups.set(signature, []);
          statGroups.get(signature)!.push([key, m]);
          break;
        }
        case 'aggregate':
          tasks.push({ task: new AggregateTask(key, m), keys: [key] });
          break;
        case 'rows_failing_any':
          unions.push([key, m]);
          break;
        case 'key_set':
          tasks.push({ task: new KeySetTask(key, m.column), keys: [key] });
          break;
        case 'source_mtime':
        case 'columns':
          break; // answered from the stream after reading
        default:
          unhandledMeasure(m);
      }
    } catch (e) {
      measures.set(key, { kind: 'error', message: errorMessage(e) });
    }
  }
  const keyTasks = new Map<string, KeyTask>();
  for (const [signature, g] of keyGroups) {
    const task = new KeyTask(g.columns, g.where, g.limit, g.rowsKeys, g.countKeys, sampleWhere);
    keyTasks.set(signature, task);
    tasks.push({ task, keys: [...g.rowsKeys, ...g.countKeys] });
  }
  // Per-column unions go last: in each batch they count what the row checks before them marked.
  for (const [key, m] of unions) {
    const keyed = m.measures.flatMap((r) => (r.predicate.op === 'duplicate_key' ? [keyTasks.get(JSON.stringify([r.predicate.columns, r.where ?? null]))] : [])).filter((t) => t !== undefined);
    const union = new FailingAnyTask(key, keyed);
    // A rows measure names one column, so it belongs to one union at most.
    for (const part of m.measures) {
      const rowsTask = part.predicate.op === 'duplicate_key' ? undefined : rowsTasks.get(measureKey(part));
      if (rowsTask) rowsTask.union = union;
    }
    tasks.push({ task: union, keys: [key] });
  }
  for (const group of statGroups.values()) {
    const [, first] = group[0];
    tasks.push({ task: new StatTask(first.column, first.where, group), keys: group.map(([k]) => k) });
  }
  return tasks;
}

/**
 * Measures on columns the data does not have, or `type` on an undeclared
 * column, end in `error` (every executor reports these the same way).
 * `replace`: which earlier errors this message takes the place of.
 */
export function reportColumnErrors(plan: DatasetPlan, columns: readonly string[], measures: Map<string, MeasureResult>, replace: (message: string) => boolean = () => false): void {
  for (const [key, m] of Object.entries(plan.measures)) {
    const earlier = measures.get(key);
    if (earlier?.kind === 'error' && !replace(earlier.message)) continue;
    let missing: string[];
    try {
      missing = measureColumns(m).filter((c) => !columns.includes(c));
    } catch {
      continue; // an expression that does not parse is reported by the measure itself
    }
    if (missing.length > 0) {
      const shown = columns.slice(0, 8).join(', ') + (columns.length > 8 ? ', …' : '');
      const near = missing.map((c) => closest(c, columns) && suggestColumn(c, columns)).filter(Boolean);
      measures.set(key, { kind: 'error', message: `unknown column ${missing.map((c) => `"${c}"`).join(', ')} (${near.length > 0 ? `${near.join('; ')}; ` : ''}the data has ${columns.length} columns: ${shown})`, inPolicy: true });
    } else if (m.kind === 'rows' && m.predicate.op === 'invalid_type' && !plan.columns[m.predicate.column]?.type) {
      measures.set(key, { kind: 'error', message: `column "${m.predicate.column}" has no declared type` });
    }
  }
}

