/**
 * The per-column failing-row count of the report (`columns.<name>.failed_rows`):
 * rows failing at least one row check on the column, counted once however
 * many checks they fail. It folds into the same read as the checks.
 *
 * Per-row predicates are not run twice: the row checks' own RowsTasks mark
 * their failing rows in this task's mask for the batch (`marksFor`), and this
 * task, updated after them, counts the marked rows (a row check that cannot
 * run is an `error` and marks nothing). `unique`
 * is different: whether a row's key repeats is known only after the last
 * batch. So the keys of the union's rows are kept (failing rows only, not the
 * whole column) and compared at the end with the key counts of the `unique`
 * check's own KeyTask: union = |U| + |duplicates| − |U ∩ duplicates|. A
 * column in several `unique` key sets takes the largest such union (a lower
 * bound of the exact one; docs/reports.md).
 */
import type { BatchContext } from './batch-context.js';
import type { MeasureResult } from '../executor.js';
import type { KeyTask, Task } from './tasks.js';
import { comparableKey, compositeKey } from '../../values/compare.js';

interface KeyGroup {
  task: KeyTask;
  /** Keys of union rows in this group's scope → how many union rows have them. */
  unionKeys: Map<unknown, number>;
}

export class FailingAnyTask implements Task {
  private readonly groups: KeyGroup[];
  private union = 0;
  private batch: BatchContext | undefined;
  private marks = new Uint8Array(0);

  constructor(
    private readonly key: string,
    /** The KeyTasks of the `unique` checks among the measure's parts. */
    keyTasks: KeyTask[],
  ) {
    this.groups = keyTasks.map((task) => ({ task, unionKeys: new Map() }));
  }

  /** The mask RowsTasks mark failing rows of `ctx`'s batch in; a new batch starts a new mask. */
  marksFor(ctx: BatchContext): Uint8Array {
    if (this.batch !== ctx) {
      this.batch = ctx;
      this.marks = new Uint8Array(ctx.rows);
    }
    return this.marks;
  }

  update(ctx: BatchContext): void {
    const marks = this.marksFor(ctx);
    for (let i = 0; i < ctx.rows; i++) this.union += marks[i];
    for (const group of this.groups) {
      const { mask } = ctx.scope(group.task.where, group.task.columns);
      const arrays = group.task.columns.map((c) => ctx.values(c));
      for (let i = 0; i < ctx.rows; i++) {
        if (!marks[i] || !mask[i]) continue;
        // The same key as KeyTask.update builds.
        const key = arrays.length === 1 ? comparableKey(arrays[0][i]) : compositeKey(arrays.map((a) => a[i]));
        group.unionKeys.set(key, (group.unionKeys.get(key) ?? 0) + 1);
      }
    }
    this.batch = undefined;
  }

  results(): [string, MeasureResult][] {
    let failed = this.union;
    for (const { task, unionKeys } of this.groups) {
      // KeyCountState keeps a negative count for keys seen more than once.
      let overlap = 0;
      for (const [key, rows] of unionKeys) if ((task.state.counts.get(key) ?? 0) < 0) overlap += rows;
      failed = Math.max(failed, this.union + task.state.failed - overlap);
    }
    return [[this.key, { kind: 'value', value: failed }]];
  }
}
