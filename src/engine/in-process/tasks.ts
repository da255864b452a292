/**
 * Measure tasks: each folds one batch at a time into a mergeable state
 * (./states.ts) with a plain loop over the batch's column arrays. Built-in
 * predicates are written out per op so each loop stays monomorphic; user
 * expressions run as closures compiled from their syntax tree (src/expr/compile.ts). Tasks that can share work do:
 * `unique` and `duplicate_count` on the same key share one key map, and all
 * statistics of one column share one NumericState.
 */
import { FORMATS } from '../../checks/formats.js';
import { compileRegex } from '../../expr/regex.js';
import { keySetKey, type Measure, type RowPredicate } from '../../plan/plan.js';
import type { Scalar } from '../../values/types.js';
import { RAW_INVALID, RAW_NULL } from '../../sources/stream.js';
import type { Scalar as ExprScalar } from '../../values/types.js';
import type { Value } from '../../expr/ast.js';
import { argument, columnList, compiledOf, EvaluationError, type Compiled } from '../../expr/compile.js';
import { parseExpression } from '../../expr/parse.js';
import { decomposeAggregate, type AggregateCall } from '../aggregate-expr.js';
import type { BatchContext } from './batch-context.js';
import type { FailingAnyTask } from './column-task.js';
import type { KeySets, MeasureResult } from '../executor.js';
import { DistinctState, KeyCountState, NumericState, RowsState } from './states.js';
import { comparableKey, compositeKey, toScalar } from '../../values/compare.js';
import { LargeSet } from '../../util/large-collections.js';

export interface Task {
  update(ctx: BatchContext): void;
  /** Results by measure key, after the last batch. */
  results(): [string, MeasureResult][];
}

type RowsMeasure = Extract<Measure, { kind: 'rows' }>;

/** A row check's failed/evaluated counts and first failing rows. */
export class RowsTask implements Task {
  private readonly state: RowsState;
  /** The per-column union this check's failing rows also count in (column-task.ts). */
  union?: FailingAnyTask;
  private readonly test: (ctx: BatchContext, mask: Uint8Array, state: RowsState) => number;

  constructor(
    private readonly key: string,
    private readonly measure: RowsMeasure,
    sampleLimit: number,
    /** Other datasets' key sets, for `not_in_key_set` (reference checks). */
    keySets: KeySets = new Map(),
    /** Samples only among rows where this expression holds (the reader's row filters). */
    private readonly sampleWhere?: string,
  ) {
    this.state = new RowsState(sampleLimit);
    this.test = predicateLoop(measure.predicate, keySets);
  }

  update(ctx: BatchContext): void {
    const p = this.measure.predicate;
    const scope = ctx.scope(this.measure.where, this.measure.evaluatedNonNull, p.op === 'invalid_type' ? p.column : undefined);
    this.state.marks = this.union?.marksFor(ctx);
    if (p.op === 'expression_false') {
      // SQL's rule: a row whose expression is null is neither passed nor failed, so it is not evaluated.
      const v = ctx.expression(p.expression);
      for (let i = 0; i < ctx.rows; i++) if (scope.mask[i] && v[i] !== null) this.state.evaluated++;
    } else {
      this.state.evaluated += scope.count;
    }
    this.state.sampleable = this.sampleWhere !== undefined && this.state.samples.length < this.state.sampleLimit ? ctx.sampleable(this.sampleWhere) : undefined;
    this.state.failed += this.test(ctx, scope.mask, this.state);
  }

  results(): [string, MeasureResult][] {
    const { failed, evaluated, samples } = this.state;
    return [[this.key, { kind: 'rows', failed, evaluated, sampleIndexes: [...samples] }]];
  }
}

/** Record a failing row; returns 1 so loops can `failed += fail(...)`. */
function fail(ctx: BatchContext, state: RowsState, i: number): number {
  if (state.marks) state.marks[i] = 1;
  if (state.samples.length < state.sampleLimit && (state.sampleable === undefined || state.sampleable[i] === 1)) {
    state.samples.push(ctx.batch.offset + i);
    ctx.capture(i);
  }
  return 1;
}

/** The loop counting failing rows among those in scope, one per predicate op. */
function predicateLoop(p: RowPredicate, keySets: KeySets): (ctx: BatchContext, mask: Uint8Array, state: RowsState) => number {
  switch (p.op) {
    case 'is_null':
      return (ctx, mask, state) => {
        const isNull = nullTest(ctx, p.column);
        let failed = 0;
        for (let i = 0; i < ctx.rows; i++) if (mask[i] && isNull(i)) failed += fail(ctx, state, i);
        return failed;
      };
    case 'in':
    case 'not_in': {
      const set = new Set(p.values.map(comparableKey));
      const failIfIn = p.op === 'in';
      // A date compares by its time value, so it can only be in a set that holds numbers.
      const keyed = p.values.some((x) => typeof x === 'number' || (x as unknown) instanceof Date);
      return (ctx, mask, state) => {
        const v = ctx.values(p.column);
        let failed = 0;
        for (let i = 0; i < ctx.rows; i++) if (mask[i] && set.has(keyed ? comparableKey(v[i]) : v[i]) === failIfIn) failed += fail(ctx, state, i);
        return failed;
      };
    }
    case 'out_of_range': {
      // A missing bound is ±Infinity, which every number and date satisfies;
      // comparisons are JavaScript's, as in an arquero expression.
      const min = (p.min ?? -Infinity) as number;
      const max = (p.max ?? Infinity) as number;
      const exclusive = p.exclusive;
      return (ctx, mask, state) => {
        const v = ctx.values(p.column) as ArrayLike<number>;
        let failed = 0;
        for (let i = 0; i < ctx.rows; i++) {
          if (!mask[i]) continue;
          const x = v[i];
          if (exclusive ? x <= min || x >= max : x < min || x > max) failed += fail(ctx, state, i);
        }
        return failed;
      };
    }
    case 'length_out_of_range':
      return (ctx, mask, state) => {
        const v = ctx.values(p.column);
        let failed = 0;
        for (let i = 0; i < ctx.rows; i++) {
          if (!mask[i]) continue;
          const length = characters(String(v[i]));
          if ((p.min !== undefined && length < p.min) || (p.max !== undefined && length > p.max)) failed += fail(ctx, state, i);
        }
        return failed;
      };
    case 'no_regex_match':
      return textLoop(p.column, compileRegex(p.regex));
    case 'invalid_format':
      return textLoop(p.column, FORMATS[p.format]);
    case 'invalid_type':
      return (ctx, mask, state) => {
        const status = ctx.status(p.column);
        let failed = 0;
        if (status) for (let i = 0; i < ctx.rows; i++) if (mask[i] && status[i] === RAW_INVALID) failed += fail(ctx, state, i);
        return failed;
      };
    case 'expression_false':
      return (ctx, mask, state) => {
        const v = ctx.expression(p.expression);
        let failed = 0;
        for (let i = 0; i < ctx.rows; i++) if (mask[i] && v[i] === false) failed += fail(ctx, state, i);
        return failed;
      };
    case 'duplicate_key':
      throw new Error('duplicate_key is measured by KeyTask');
    case 'not_in_key_set': {
      const keys = keySets.get(keySetKey(p.keys));
      if (!keys) throw new Error(`the key set of ${p.keys.dataset}.${p.keys.column} was not provided`);
      if (keys.kind === 'error') throw new Error(keys.message);
      const set = keys.values;
      return (ctx, mask, state) => {
        const v = ctx.values(p.column);
        let failed = 0;
        for (let i = 0; i < ctx.rows; i++) if (mask[i] && !set.has(comparableKey(v[i]))) failed += fail(ctx, state, i);
        return failed;
      };
    }
  }
}

/** The non-null values of a column, for other datasets' reference checks (an exact set, merged by union). */
export class KeySetTask implements Task {
  private readonly values = new LargeSet<unknown>();

  constructor(
    private readonly key: string,
    private readonly column: string,
  ) {}

  update(ctx: BatchContext): void {
    const v = ctx.values(this.column);
    for (let i = 0; i < ctx.rows; i++) if (v[i] != null) this.values.add(comparableKey(v[i]));
  }

  results(): [string, MeasureResult][] {
    return [[this.key, { kind: 'keys', values: this.values }]];
  }
}

/**
 * Null means the raw value was null. A declared column's value that did not
 * parse is held as null among the typed values, but it is not missing: it is
 * the `type` check's failure (SPEC §1.1: never silently turned into
 * something else), so `not_null` and `missing_*` read the raw status.
 */
function nullTest(ctx: BatchContext, column: string): (i: number) => boolean {
  const status = ctx.status(column);
  if (status) return (i) => status[i] === RAW_NULL;
  const v = ctx.values(column);
  return (i) => v[i] == null;
}

const SURROGATE = /[\uD800-\uDBFF]/;

/** Length in characters (code points), as SQL's LENGTH: "😀" is 1, not 2 UTF-16 units. */
function characters(text: string): number {
  if (!SURROGATE.test(text)) return text.length;
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Most text tests see few distinct values; memoise up to this many answers per check. */
const MEMO_LIMIT = 4096;

/**
 * A test on the value's text (regex, format), memoised while it pays: once
 * the memo is full, it is dropped if fewer than half of the lookups hit
 * (a column of mostly distinct values, such as emails).
 */
function textLoop(column: string, passes: (text: string) => boolean): (ctx: BatchContext, mask: Uint8Array, state: RowsState) => number {
  let memo: Map<string, boolean> | null = new Map<string, boolean>();
  let lookups = 0;
  let hits = 0;
  return (ctx, mask, state) => {
    const v = ctx.values(column);
    let failed = 0;
    for (let i = 0; i < ctx.rows; i++) {
      if (!mask[i]) continue;
      const text = String(v[i]);
      let ok: boolean | undefined;
      if (memo) {
        ok = memo.get(text);
        lookups++;
        if (ok === undefined) {
          ok = passes(text);
          if (memo.size < MEMO_LIMIT) memo.set(text, ok);
          else if (lookups > 2 * MEMO_LIMIT && hits * 2 < lookups) memo = null;
        } else {
          hits++;
        }
      } else {
        ok = passes(text);
      }
      if (!ok) failed += fail(ctx, state, i);
    }
    return failed;
  };
}

/** Key occurrence counts for `unique` (rows) and `duplicate_count` (value) on the same key and `where`. */
export class KeyTask implements Task {
  readonly state: KeyCountState;

  constructor(
    readonly columns: string[],
    readonly where: string | undefined,
    sampleLimit: number,
    /** Row-check measures (`unique`) answered from the key counts. */
    private readonly rowsKeys: string[],
    /** `duplicate_count` measures answered from the key counts. */
    private readonly countKeys: string[],
    /** Samples only among rows where this expression holds (the reader's row filters). */
    private readonly sampleWhere?: string,
  ) {
    this.state = new KeyCountState(sampleLimit);
  }

  update(ctx: BatchContext): void {
    const { mask } = ctx.scope(this.where, this.columns);
    const visible = this.sampleWhere !== undefined && this.state.sampleLimit > 0 ? ctx.sampleable(this.sampleWhere) : undefined;
    const hidden = (i: number): boolean => visible !== undefined && visible[i] !== 1;
    const arrays = this.columns.map((c) => ctx.values(c));
    const offset = ctx.batch.offset;
    const state = this.state;
    const before = state.laterRows.length;
    if (arrays.length === 1) {
      const v = arrays[0];
      for (let i = 0; i < ctx.rows; i++) if (mask[i]) state.add(comparableKey(v[i]), offset + i, hidden(i));
    } else {
      for (let i = 0; i < ctx.rows; i++) if (mask[i]) state.add(compositeKey(arrays.map((a) => a[i])), offset + i, hidden(i));
    }
    // Later occurrences are known in their own batch: capture them now; first occurrences may need a sample pass.
    for (const row of state.laterRows.slice(before)) ctx.capture(row - offset);
    for (const row of state.firstRows) if (row >= offset) ctx.capture(row - offset);
  }

  results(): [string, MeasureResult][] {
    const { failed, evaluated } = this.state;
    const samples = this.state.samples();
    return [
      ...this.rowsKeys.map((key): [string, MeasureResult] => [key, { kind: 'rows', failed, evaluated, sampleIndexes: samples }]),
      ...this.countKeys.map((key): [string, MeasureResult] => [key, { kind: 'value', value: failed }]),
    ];
  }
}

/** `row_count`, `null_count` and `distinct_count`. */
export class CountTask implements Task {
  private count = 0;
  private readonly distinct = new DistinctState();

  constructor(
    private readonly key: string,
    private readonly measure: Extract<Measure, { kind: 'row_count' | 'null_count' | 'distinct_count' }>,
  ) {}

  update(ctx: BatchContext): void {
    const m = this.measure;
    const { mask, count } = ctx.scope(m.where, []);
    if (m.kind === 'row_count') {
      this.count += count;
      return;
    }
    const v = ctx.values(m.column);
    if (m.kind === 'null_count') {
      const isNull = nullTest(ctx, m.column);
      for (let i = 0; i < ctx.rows; i++) if (mask[i] && isNull(i)) this.count++;
    } else {
      for (let i = 0; i < ctx.rows; i++) if (mask[i] && v[i] != null) this.distinct.add(v[i]);
    }
  }

  results(): [string, MeasureResult][] {
    const value = this.measure.kind === 'distinct_count' ? this.distinct.values.size : this.count;
    return [[this.key, { kind: 'value', value }]];
  }
}

/** Every `metric` statistic of one column and `where`, from one NumericState. */
export class StatTask implements Task {
  private readonly state: NumericState;

  constructor(
    private readonly column: string,
    private readonly where: string | undefined,
    private readonly measures: [string, Extract<Measure, { kind: 'stat' }>][],
  ) {
    this.state = new NumericState(
      measures.some(([, m]) => m.stat === 'median' || m.stat === 'quantile'),
      measures.some(([, m]) => m.stat === 'sum' || m.stat === 'mean' || m.stat === 'stddev'),
    );
  }

  update(ctx: BatchContext): void {
    const { mask } = ctx.scope(this.where, []);
    const v = ctx.values(this.column);
    for (let i = 0; i < ctx.rows; i++) if (mask[i]) this.state.add(v[i]);
  }

  results(): [string, MeasureResult][] {
    const s = this.state;
    return this.measures.map(([key, m]) => {
      if (s.valid === 0) return [key, { kind: 'value', value: null }];
      const value = { min: s.min, max: s.max, sum: s.total(), mean: s.mean, stddev: s.variance() === null ? null : Math.sqrt(s.variance()!), median: s.quantile(0.5), quantile: s.quantile(m.q ?? 0.5) }[m.stat];
      return [key, { kind: 'value', value: toScalar(value) }];
    });
  }
}

/**
 * `aggregate.expr`: each aggregate call folds its argument values into a
 * mergeable state, or keeps them when its function has none (op.mode,
 * op.corr, …); the outer expression runs once at the end over the calls'
 * results. Arguments are checked against the function table as they are
 * read, so `op.sum` over text is an error naming the function, not a number.
 */
export class AggregateTask implements Task {
  private readonly calls: AggregateCallState[];
  private readonly outer: Compiled;
  private rows = 0;

  constructor(
    private readonly key: string,
    private readonly measure: Extract<Measure, { kind: 'aggregate' }>,
  ) {
    const decomposed = decomposeAggregate(parseExpression(measure.expression, 'aggregate').ast);
    this.outer = compiledOf(decomposed.outer);
    this.calls = decomposed.calls.map((call) => new AggregateCallState(call));
  }

  update(ctx: BatchContext): void {
    const { mask, count } = ctx.scope(this.measure.where, []);
    this.rows += count;
    for (const call of this.calls) call.update(ctx, mask);
  }

  results(): [string, MeasureResult][] {
    const results = this.calls.map((c) => c.value(this.rows));
    const value = this.outer({ column: () => [], param: (i) => results[i] })(0);
    // array_agg's list of scalars is reported as it is (an observed value compared with bounds is then an error).
    return [[this.key, { kind: 'value', value: (Array.isArray(value) ? value.map(toScalar) : toScalar(value)) as Scalar }]];
  }
}

/** One aggregate call: its argument closures and its state (mergeable) or kept argument values. */
class AggregateCallState {
  private readonly args: Compiled[];
  private readonly numeric: NumericState;
  private readonly distinct = new DistinctState();
  private readonly kept: ExprScalar[][] | undefined;
  private readonly reads: string;

  constructor(readonly call: AggregateCall) {
    this.args = call.args.map(compiledOf);
    this.numeric = new NumericState(call.fn === 'median' || call.fn === 'quantile');
    this.kept = call.def.mergeable ? undefined : call.args.map(() => []);
    this.reads = columnList(call.call);
  }

  update(ctx: BatchContext, mask: Uint8Array): void {
    if (this.args.length === 0) return; // op.count(): the rows in scope
    const bindings = { column: (name: string) => ctx.values(name) };
    const at = this.args.map((a) => a(bindings));
    const params = this.call.def.params;
    const where = `op.${this.call.fn}`;
    const read = (k: number, i: number): ExprScalar => {
      const v = at[k](i);
      if (v === null) return null;
      return argument(v, params[Math.min(k, params.length - 1)], k, where, this.reads) as ExprScalar;
    };
    if (this.kept) {
      for (let i = 0; i < ctx.rows; i++) if (mask[i]) for (let k = 0; k < at.length; k++) this.kept[k].push(read(k, i));
    } else if (this.call.fn === 'distinct') {
      for (let i = 0; i < ctx.rows; i++) if (mask[i]) this.distinct.add(read(0, i));
    } else {
      // NumericState keeps integers beyond 2^53 exact, so a bigint reaches it as it is.
      const exact = (i: number): unknown => {
        const v = at[0](i);
        return typeof v === 'bigint' ? v : read(0, i);
      };
      for (let i = 0; i < ctx.rows; i++) if (mask[i]) this.numeric.add(exact(i));
    }
  }

  value(rows: number): Value {
    if (this.kept) {
      try {
        return this.call.def.over!(this.kept);
      } catch (e) {
        if (e instanceof EvaluationError) throw e;
        throw new EvaluationError(`op.${this.call.fn} failed${this.reads}`);
      }
    }
    return aggregateValue(this.call, this.numeric, this.distinct, rows);
  }
}

/** An aggregate call's value from its state; null over no valid values (SQL's rule). */
function aggregateValue(call: AggregateCall, s: NumericState, distinct: DistinctState, rows: number): Value {
  const orNone = (value: unknown): Value => (s.valid === 0 ? null : (value as Value));
  switch (call.fn) {
    case 'count':
      return rows;
    case 'valid':
      return s.valid;
    case 'invalid':
      return s.count - s.valid;
    case 'distinct':
      return distinct.values.size;
    case 'sum':
      return orNone(s.total());
    case 'mean':
    case 'average':
      return orNone(s.mean);
    case 'min':
      return orNone(s.min);
    case 'max':
      return orNone(s.max);
    case 'any':
      return orNone(s.any);
    case 'variance':
      return s.variance();
    case 'variancep':
      return s.variance(true);
    case 'stdev':
      return s.valid > 1 ? Math.sqrt(s.variance()!) : null;
    case 'stdevp':
      return s.valid > 1 ? Math.sqrt(s.variance(true)!) : null;
    case 'median':
      return s.quantile(0.5);
    case 'quantile':
      return s.quantile(call.p!);
    default:
      throw new EvaluationError(`op.${call.fn} has no mergeable state`);
  }
}
