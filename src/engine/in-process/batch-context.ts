/**
 * What measure tasks see of one batch: column arrays (absent columns read as
 * null), raw-value status for declared columns, row masks for `where`
 * clauses and evaluated rows (computed once per batch and shared by every
 * measure that needs the same one), user expression values, and the capture
 * of failing rows for samples.
 */
import type { Value } from '../../expr/ast.js';
import { compiledOf, conditionValue, evaluateRows, type Bindings } from '../../expr/compile.js';
import { parseExpression } from '../../expr/parse.js';
import { RAW_NULL, type Batch } from '../../sources/stream.js';
import type { SampledRow } from '../executor.js';

export type { SampledRow };

/** Rows in scope for a measure, as a 0/1 mask, and how many there are. */
export interface Scope {
  mask: Uint8Array;
  count: number;
}

export class BatchContext {
  readonly rows: number;
  private readonly nulls: unknown[];
  private readonly expressions = new Map<string, Value[]>();
  private readonly bindings: Bindings = { column: (name) => this.values(name) };
  private readonly scopes = new Map<string, Scope>();

  constructor(
    readonly batch: Batch,
    /** Columns any expression may read, so absent ones exist as nulls. */
    private readonly referenced: Set<string>,
    private readonly samples: Map<number, SampledRow>,
  ) {
    this.rows = batch.rows;
    this.nulls = new Array(batch.rows).fill(null);
  }

  values(column: string): ArrayLike<unknown> {
    return this.batch.columns.get(column) ?? this.nulls;
  }

  status(column: string): Uint8Array | undefined {
    return this.batch.rawStatus.get(column);
  }

  /** Values of a user row expression (true, false or null), evaluated once per batch. */
  expression(source: string): Value[] {
    let values = this.expressions.get(source);
    if (!values) {
      values = evaluateRows(compiledOf(parseExpression(source, 'row').ast), this.bindings, this.rows);
      for (const v of values) conditionValue(v, 'the row expression');
      this.expressions.set(source, values);
    }
    return values;
  }

  /**
   * Rows where `where` is true (not false, not null) and every column in `nonNull` has a
   * value; for `typeColumn` "has a value" means a raw value, parsed or not.
   */
  scope(where: string | undefined, nonNull: string[], typeColumn?: string): Scope {
    const key = JSON.stringify([where ?? null, nonNull, typeColumn ?? null]);
    let scope = this.scopes.get(key);
    if (scope) return scope;
    const n = this.rows;
    const mask = new Uint8Array(n);
    if (where) {
      const w = this.expression(where);
      for (let i = 0; i < n; i++) mask[i] = w[i] === true ? 1 : 0;
    } else {
      mask.fill(1);
    }
    for (const column of nonNull) {
      const status = column === typeColumn ? this.status(column) : undefined;
      if (status) {
        for (let i = 0; i < n; i++) if (status[i] === RAW_NULL) mask[i] = 0;
      } else {
        const v = this.values(column);
        for (let i = 0; i < n; i++) if (v[i] == null) mask[i] = 0;
      }
    }
    let count = 0;
    for (let i = 0; i < n; i++) count += mask[i];
    scope = { mask, count };
    this.scopes.set(key, scope);
    return scope;
  }

  /**
   * Rows a report reader may see as samples (their row filters, bound): 1
   * where `filter` holds. A filter that cannot be evaluated shows no row
   * (fail closed), and never turns the check itself into an error.
   */
  sampleable(filter: string): Uint8Array {
    try {
      return this.scope(filter, []).mask;
    } catch {
      return new Uint8Array(this.rows);
    }
  }

  /** Keep row `i` of this batch for samples (once, whatever number of checks it fails). */
  capture(i: number): void {
    const index = this.batch.offset + i;
    if (this.samples.has(index)) return;
    const values: Record<string, unknown> = {};
    for (const [name, column] of this.batch.columns) {
      const invalid = this.batch.invalidRaw.get(name)?.get(i);
      values[name] = invalid !== undefined ? invalid : column[i];
    }
    this.samples.set(index, { row: this.batch.firstRow + i, file: this.batch.file, values });
  }
}
