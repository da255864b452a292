/**
 * The expression tree (./ast.ts) compiled to JavaScript closures built here:
 * no `Function`, no `eval`, no expression text handed to another library.
 * A closure only reads column arrays by the names in the tree and calls the
 * implementations in ./functions.ts, so an expression can do nothing but
 * compute a value from the row.
 *
 * Null logic is SQL's (SPEC §1.2): a comparison, arithmetic or function call
 * with a null operand gives null; `&&`/`||` are three-valued; `!null` is
 * null; `x == null` tests for null; a null `?:` condition takes the `:`
 * branch; `??` is COALESCE. A NaN (in the data, or from 0 / 0) reads as null.
 *
 * A value of the wrong kind for an operator or function (text where a number
 * is needed) throws an EvaluationError whose message names the operator or
 * function and the columns it reads, never the value: messages reach reports,
 * and the value may be classified.
 */
import { columnsOf, printExpr, type Expr, type Value } from './ast.js';
import type { Scalar } from '../values/types.js';
import { FUNCTIONS, type ArgKind } from './functions.js';

/** A value the expression cannot use, or a function that failed; the message never holds data. */
export class EvaluationError extends Error {}

/** Where a compiled expression reads from: one batch's columns and, for the outer part of an aggregate, the aggregate results. */
export interface Bindings {
  column(name: string): ArrayLike<unknown>;
  param?(index: number): Value;
}

/** A compiled expression: bind it to a batch, then call it per row index. */
export type Compiled = (bindings: Bindings) => (row: number) => Value;

const MAX_STRING = 1 << 24;

/** Compile a validated tree. */
export function compileExpr(expr: Expr): Compiled {
  switch (expr.type) {
    case 'literal': {
      const value = expr.value;
      return () => () => value;
    }
    case 'list': {
      const items = Object.freeze([...expr.items]);
      return () => () => items;
    }
    case 'column': {
      const name = expr.name;
      return (b) => {
        const values = b.column(name);
        return (i) => cell(values[i], name);
      };
    }
    case 'param': {
      const index = expr.index;
      return (b) => {
        if (!b.param) throw new EvaluationError('an aggregate result is read outside an aggregate expression');
        const value = b.param(index);
        return () => value;
      };
    }
    case 'attribute':
      // Bound to a literal before evaluation (access/filter.ts); unbound means the principal lacks it.
      throw new EvaluationError(`principal.attributes.${expr.name} is not bound`);
    case 'unary':
      return unary(expr.op, compileExpr(expr.arg), expr);
    case 'is_null': {
      const arg = compileExpr(expr.arg);
      const negate = expr.negate;
      return (b) => {
        const a = arg(b);
        return (i) => (a(i) === null) !== negate;
      };
    }
    case 'compare':
      return comparison(expr);
    case 'arithmetic':
      return arithmetic(expr);
    case 'logical':
      return logical(expr);
    case 'conditional': {
      const test = compileExpr(expr.test);
      const then = compileExpr(expr.then);
      const otherwise = compileExpr(expr.otherwise);
      const where = `the condition of ${describe(expr)}`;
      return (b) => {
        const t = test(b);
        const x = then(b);
        const y = otherwise(b);
        return (i) => (asBoolean(t(i), where) === true ? x(i) : y(i));
      };
    }
    case 'call':
      return call(expr);
  }
}

/**
 * A cell as an expression value: undefined and NaN are null; an object or
 * array in the data (nested JSON) is refused, so no expression ever holds one.
 */
export function cell(v: unknown, column: string): Scalar {
  if (v === undefined || v === null) return null;
  switch (typeof v) {
    case 'number':
      return v === v ? v : null;
    case 'string':
    case 'boolean':
    case 'bigint':
      return v;
    default:
      if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v;
      throw new EvaluationError(`column "${column}" holds a nested value (object or list), which expressions cannot read`);
  }
}

type ValueKind = 'number' | 'string' | 'boolean' | 'date' | 'list';

function kindOf(v: Exclude<Value, null>): ValueKind {
  switch (typeof v) {
    case 'number':
    case 'bigint':
      return 'number';
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    default:
      return v instanceof Date ? 'date' : 'list';
  }
}

const ARTICLE: Record<ValueKind, string> = { number: 'a number', string: 'a string', boolean: 'true or false', date: 'a date', list: 'a list' };

/** Short text naming a node in messages: operators and function names, column names; no data. */
function describe(expr: Expr): string {
  const text = printExpr(expr);
  return text.length <= 80 ? text : `${text.slice(0, 77)}…`;
}

function asBoolean(v: Value, where: string): boolean | null {
  if (v === null || typeof v === 'boolean') return v;
  throw new EvaluationError(`${where} gives ${ARTICLE[kindOf(v)]}, not true or false`);
}

function asNumber(v: Exclude<Value, null>, where: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.getTime();
  throw new EvaluationError(`${where} needs numbers, not ${ARTICLE[kindOf(v)]}`);
}

function unary(op: '!' | '-' | '+', arg: Compiled, expr: Expr): Compiled {
  const where = describe(expr);
  if (op === '!') {
    return (b) => {
      const a = arg(b);
      return (i) => {
        const v = asBoolean(a(i), where);
        return v === null ? null : !v;
      };
    };
  }
  return (b) => {
    const a = arg(b);
    return (i) => {
      const v = a(i);
      if (v === null) return null;
      if (typeof v !== 'number' && typeof v !== 'bigint') throw new EvaluationError(`${where} needs a number, not ${ARTICLE[kindOf(v)]}`);
      return op === '-' ? -v : v;
    };
  };
}

/** Equality and order of two non-null values of one kind; different kinds are never equal and cannot be ordered. */
function comparison(expr: Extract<Expr, { type: 'compare' }>): Compiled {
  const left = compileExpr(expr.left);
  const right = compileExpr(expr.right);
  const op = expr.op;
  const where = describe(expr);
  return (b) => {
    const l = left(b);
    const r = right(b);
    return (i) => {
      const x = l(i);
      const y = r(i);
      if (x === null || y === null) return null;
      const kx = kindOf(x);
      const ky = kindOf(y);
      if (kx !== ky || kx === 'list') {
        if (op === '==' || op === '!=') return op === '!=';
        throw new EvaluationError(`${where} compares ${ARTICLE[kx]} with ${ARTICLE[ky]}`);
      }
      const a = kx === 'date' ? (x as Date).getTime() : (x as number | string | boolean | bigint);
      const c = kx === 'date' ? (y as Date).getTime() : (y as number | string | boolean | bigint);
      switch (op) {
        case '==':
          return a == c; // number == bigint compares values exactly
        case '!=':
          return a != c;
        case '<':
          return a < c;
        case '<=':
          return a <= c;
        case '>':
          return a > c;
        case '>=':
          return a >= c;
      }
    };
  };
}

/** Numbers only (a date counts as its milliseconds); a result that is not a number (0 / 0) is null. */
function arithmetic(expr: Extract<Expr, { type: 'arithmetic' }>): Compiled {
  const left = compileExpr(expr.left);
  const right = compileExpr(expr.right);
  const where = describe(expr);
  const f = {
    '+': (a: number, c: number) => a + c,
    '-': (a: number, c: number) => a - c,
    '*': (a: number, c: number) => a * c,
    '/': (a: number, c: number) => a / c,
    '%': (a: number, c: number) => a % c,
    '**': (a: number, c: number) => a ** c,
  }[expr.op];
  const exact = expr.op === '+' || expr.op === '-' || expr.op === '*';
  return (b) => {
    const l = left(b);
    const r = right(b);
    return (i) => {
      const x = l(i);
      const y = r(i);
      if (x === null || y === null) return null;
      if (exact && (typeof x === 'bigint' || typeof y === 'bigint')) {
        const v = exactArithmetic(expr.op, x, y);
        if (v !== undefined) return v;
      }
      const v = f(asNumber(x, where), asNumber(y, where));
      // Integers whose sum, difference or product leaves the safe range stay exact too (2^53 + 1 is not 2^53).
      if (exact && Number.isInteger(v) && !Number.isSafeInteger(v)) return exactArithmetic(expr.op, x, y) ?? v;
      return v === v ? v : null;
    };
  };
}

/**
 * `+`, `-` and `*` on integers where one is beyond 2^53 (a bigint) stay exact,
 * as integer arithmetic does in SQL; undefined when an operand is not an integer.
 */
function exactArithmetic(op: '+' | '-' | '*' | '/' | '%' | '**', x: Value, y: Value): Value | undefined {
  // An integer up to 2^53 itself (a literal 9007199254740992 is one) joins exact arithmetic; larger doubles stay doubles, as in SQL.
  const integer = (v: Value) => typeof v === 'number' && (Number.isSafeInteger(v) || Math.abs(v) === 2 ** 53);
  const a = typeof x === 'bigint' ? x : integer(x) ? BigInt(x as number) : undefined;
  const c = typeof y === 'bigint' ? y : integer(y) ? BigInt(y as number) : undefined;
  if (a === undefined || c === undefined) return undefined;
  const v = op === '+' ? a + c : op === '-' ? a - c : a * c;
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** Kleene logic: false && null is false, true || null is true, otherwise null; `??` is COALESCE. */
function logical(expr: Extract<Expr, { type: 'logical' }>): Compiled {
  const left = compileExpr(expr.left);
  const right = compileExpr(expr.right);
  const where = describe(expr);
  if (expr.op === '??') {
    return (b) => {
      const l = left(b);
      const r = right(b);
      return (i) => {
        const x = l(i);
        return x !== null ? x : r(i);
      };
    };
  }
  const and = expr.op === '&&';
  return (b) => {
    const l = left(b);
    const r = right(b);
    return (i) => {
      const x = asBoolean(l(i), where);
      if (x === !and) return x; // false && …, true || …
      const y = asBoolean(r(i), where);
      if (y === !and) return y;
      return x === null || y === null ? null : and;
    };
  };
}

function call(expr: Extract<Expr, { type: 'call' }>): Compiled {
  const fn = FUNCTIONS.get(expr.fn);
  if (!fn || fn.kind !== 'scalar') throw new EvaluationError(`"op.${expr.fn}" is not a row function`); // aggregates are split off (engine/aggregate-expr.ts)
  const args = expr.args.map(compileExpr);
  const where = `op.${fn.name}`;
  const reads = columnList(expr);
  const kinds = expr.args.map((_, i) => fn.params[Math.min(i, fn.params.length - 1)]);
  const impl = fn.js as (...args: unknown[]) => Value;
  return (b) => {
    const bound = args.map((a) => a(b));
    const values = new Array<unknown>(bound.length);
    return (i) => {
      for (let k = 0; k < bound.length; k++) {
        const v = bound[k](i);
        if (v === null) return null;
        values[k] = argument(v, kinds[k], k, where, reads);
      }
      let result: Value;
      try {
        result = impl(...values);
      } catch {
        throw new EvaluationError(`${where} failed on a value${reads}`);
      }
      return checked(result, where, reads);
    };
  };
}

/** ` (reading d.a, d.b)`: the columns under a node, for messages. */
export function columnList(expr: Expr): string {
  const columns = columnsOf(expr).map((name) => printExpr({ type: 'column', name }));
  return columns.length ? ` (reading ${columns.join(', ')})` : '';
}

/** Check an argument's kind at run time (a column's value); a number param gets a bigint as a number. */
export function argument(v: Exclude<Value, null>, kind: ArgKind, k: number, where: string, reads: string): unknown {
  const actual = kindOf(v);
  const ok =
    kind === 'scalar'
      ? actual !== 'list'
      : kind === 'string_or_list'
        ? actual === 'string' || actual === 'list'
        : kind === 'number_or_date'
          ? actual === 'number' || actual === 'date'
          : kind === actual;
  if (!ok) {
    const expected = kind === 'scalar' ? 'a value' : kind === 'string_or_list' ? 'a string' : kind === 'number_or_date' ? 'a number or a date' : ARTICLE[kind];
    throw new EvaluationError(`argument ${k + 1} of ${where} must be ${expected}, not ${ARTICLE[actual]}${reads}`);
  }
  return (kind === 'number' || kind === 'number_or_date') && typeof v === 'bigint' ? Number(v) : v;
}

/** A function result as an expression value: NaN and invalid dates are null; text is bounded. */
function checked(result: Value, where: string, reads: string): Value {
  if (typeof result === 'number') return result === result ? result : null;
  if (typeof result === 'string' && result.length > MAX_STRING) throw new EvaluationError(`${where} made a text longer than ${MAX_STRING} characters${reads}`);
  if (result instanceof Date && Number.isNaN(result.getTime())) return null;
  return result;
}

/** Evaluate a row expression over a batch's columns: one value per row. */
export function evaluateRows(compiled: Compiled, bindings: Bindings, rows: number): Value[] {
  const at = compiled(bindings);
  const out = new Array<Value>(rows);
  for (let i = 0; i < rows; i++) out[i] = at(i);
  return out;
}

/** A row condition (`where`, a row filter) as a 0/1 mask: null and false exclude the row. */
export function conditionMask(compiled: Compiled, bindings: Bindings, rows: number, what: string): Uint8Array {
  const at = compiled(bindings);
  const mask = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) mask[i] = asBoolean(at(i), what) === true ? 1 : 0;
  return mask;
}

/** Is a value a row condition's value (true, false or null)? Throws the fixed message otherwise. */
export function conditionValue(v: Value, what: string): boolean | null {
  return asBoolean(v, what);
}


const compiledTrees = new WeakMap<Expr, Compiled>();

/** Compile once per tree (parsed trees are memoised by ./parse.ts, so each expression compiles once). */
export function compiledOf(expr: Expr): Compiled {
  let compiled = compiledTrees.get(expr);
  if (!compiled) compiledTrees.set(expr, (compiled = compileExpr(expr)));
  return compiled;
}
