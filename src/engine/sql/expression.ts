/**
 * Expression trees (src/expr/ast.ts) as SQL in the scope's dialect
 * (./dialect.ts), with the same meaning as the closures of
 * src/expr/compile.ts: SQL's null logic, which SQL engines have natively
 * (NULL through comparisons, arithmetic and functions; AND/OR three-valued;
 * CASE WHEN NULL takes ELSE). Only constructs whose result SQL reproduces
 * exactly are translated; any other throws Unsupported naming the construct
 * (a file's dataset then runs on the default engine; a table's check ends
 * `error`).
 *
 * Typed columns arrive as the executors type them: numbers and
 * date/timestamp milliseconds as double precision, booleans as BOOLEAN, text
 * as text. A NaN reads as NULL, as in the closures.
 */
import type { Expr } from '../../expr/ast.js';
import type { ColumnType } from '../../values/types.js';
import type { Dialect } from './dialect.js';
import { MissingColumn, Unsupported } from './sql.js';

/** What a translated node holds; `date` is milliseconds (DOUBLE) that only compare with dates. */
type Kind = 'number' | 'date' | 'string' | 'boolean' | 'null';

interface Translated {
  sql: string;
  kind: Kind;
}

/** How the typed value of a column is named in SQL, and its type. */
export type ColumnLookup = (column: string) => { sql: string; type: ColumnType } | undefined;

/** What a translation needs: the columns, and the engine's dialect. */
export interface SqlScope {
  column: ColumnLookup;
  sql: Dialect;
}

/** A row condition as SQL: TRUE, FALSE or NULL exactly where the closures give true, false or null. */
export function conditionSql(expr: Expr, column: SqlScope): string {
  const t = translate(expr, column);
  if (t.kind === 'null') return 'CAST(NULL AS BOOLEAN)';
  if (t.kind !== 'boolean') unsupported(`a row expression that gives a ${t.kind}`); // the default engine reports it
  return t.sql;
}

/** A row expression's value, for aggregate calls. */
export function valueSql(expr: Expr, column: SqlScope): Translated {
  return translate(expr, column);
}

const NULL: Translated = { sql: 'NULL', kind: 'null' };

function translate(expr: Expr, column: SqlScope): Translated {
  const sql = column.sql;
  const NAN_AS_NULL = (x: string) => `nullif(${x}, ${sql.number(NaN)})`;
  switch (expr.type) {
    case 'literal': {
      const v = expr.value;
      if (v === null) return NULL;
      if (typeof v === 'number') return { sql: sql.number(v), kind: 'number' };
      if (typeof v === 'string') return { sql: sql.string(v), kind: 'string' };
      return { sql: String(v), kind: 'boolean' };
    }
    case 'column': {
      const found = column.column(expr.name);
      if (!found) throw new MissingColumn(`column "${expr.name}" is not in the data`);
      const kind: Kind = found.type === 'integer' || found.type === 'number' ? 'number' : found.type === 'date' || found.type === 'timestamp' ? 'date' : found.type;
      return { sql: kind === 'number' || kind === 'date' ? NAN_AS_NULL(found.sql) : found.sql, kind };
    }
    case 'unary': {
      const arg = translate(expr.arg, column);
      if (arg.kind === 'null') return NULL;
      if (expr.op === '!') return arg.kind === 'boolean' ? { sql: `(NOT ${arg.sql})`, kind: 'boolean' } : unsupported(`! on a ${arg.kind}`);
      if (arg.kind !== 'number') return unsupported(`unary ${expr.op} on a ${arg.kind}`);
      return expr.op === '-' ? { sql: `(-${arg.sql})`, kind: 'number' } : arg;
    }
    case 'is_null': {
      const arg = translate(expr.arg, column);
      return { sql: `(${arg.sql} IS ${expr.negate ? 'NOT ' : ''}NULL)`, kind: 'boolean' };
    }
    case 'compare':
      return compare(expr, translate(expr.left, column), translate(expr.right, column));
    case 'arithmetic': {
      const a = translate(expr.left, column);
      const b = translate(expr.right, column);
      if (!['+', '-', '*', '/'].includes(expr.op)) return unsupported(`the ${expr.op} operator`);
      const numeric = (t: Translated) => t.kind === 'number' || t.kind === 'date' || t.kind === 'null';
      if (!numeric(a) || !numeric(b)) return unsupported(`${expr.op} on a ${a.kind} and a ${b.kind}`);
      if (a.kind === 'null' || b.kind === 'null') return { sql: `CAST(NULL AS ${sql.double})`, kind: 'number' };
      // IEEE arithmetic as in JavaScript (x / 0 is ±Infinity, the dialect's division); a NaN result (0 / 0) is null.
      return { sql: NAN_AS_NULL(expr.op === '/' ? sql.divide(a.sql, b.sql) : `(${a.sql} ${expr.op} ${b.sql})`), kind: 'number' };
    }
    case 'logical': {
      const a = translate(expr.left, column);
      const b = translate(expr.right, column);
      if (expr.op === '??') {
        if (a.kind !== b.kind && a.kind !== 'null' && b.kind !== 'null') return unsupported(`?? mixing a ${a.kind} and a ${b.kind}`);
        return { sql: `coalesce(${a.sql}, ${b.sql})`, kind: a.kind === 'null' ? b.kind : a.kind };
      }
      for (const t of [a, b]) if (t.kind !== 'boolean' && t.kind !== 'null') unsupported(`${expr.op} on a ${t.kind}`);
      return { sql: `(${boolean(a)} ${expr.op === '&&' ? 'AND' : 'OR'} ${boolean(b)})`, kind: 'boolean' };
    }
    case 'conditional': {
      const test = translate(expr.test, column);
      if (test.kind !== 'boolean' && test.kind !== 'null') return unsupported(`a ${test.kind} as a condition`);
      const a = translate(expr.then, column);
      const b = translate(expr.otherwise, column);
      const kind = a.kind === 'null' ? b.kind : a.kind;
      if (b.kind !== 'null' && b.kind !== kind) return unsupported(`a conditional mixing a ${a.kind} and a ${b.kind}`);
      return { sql: `(CASE WHEN ${boolean(test)} THEN ${a.sql} ELSE ${b.sql} END)`, kind };
    }
    case 'call':
      return call(expr, column);
    case 'param':
    case 'attribute':
    case 'list':
      return unsupported(`a ${expr.type} node`);
  }
}

/** A boolean operand; a NULL literal needs a type in SQL. */
const boolean = (t: Translated): string => (t.kind === 'null' ? 'CAST(NULL AS BOOLEAN)' : t.sql);

const SQL_COMPARE = { '==': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' } as const;

function compare(expr: Extract<Expr, { type: 'compare' }>, a: Translated, b: Translated): Translated {
  if (a.kind === 'null' || b.kind === 'null') return { sql: 'CAST(NULL AS BOOLEAN)', kind: 'boolean' };
  const equality = expr.op === '==' || expr.op === '!=';
  if (a.kind !== b.kind) {
    // Values of different kinds are never equal; ordering them is an error in the default engine.
    if (!equality) return unsupported(`${expr.op} between a ${a.kind} and a ${b.kind}`);
    return { sql: `(CASE WHEN ${a.sql} IS NULL OR ${b.sql} IS NULL THEN NULL ELSE ${expr.op === '!='} END)`, kind: 'boolean' };
  }
  // JavaScript orders text by UTF-16 units, DuckDB by bytes: only equality is the same.
  if (a.kind === 'string' && !equality) return unsupported('ordering of text');
  return { sql: `(${a.sql} ${SQL_COMPARE[expr.op]} ${b.sql})`, kind: 'boolean' };
}

function call(expr: Extract<Expr, { type: 'call' }>, column: SqlScope): Translated {
  if (expr.fn === 'includes' && expr.args[0].type === 'list') {
    const x = translate(expr.args[1], column);
    if (x.kind === 'null') return { sql: 'CAST(NULL AS BOOLEAN)', kind: 'boolean' };
    // As the closures: only non-null items of the value's own kind can match (a date matches no literal).
    const items = expr.args[0].items.filter((v) => v !== null && x.kind !== 'date' && typeof v === x.kind);
    const dialect = column.sql;
    const sql = items.length === 0 ? `(CASE WHEN ${x.sql} IS NULL THEN NULL ELSE false END)` : `(${x.sql} IN (${items.map((v) => (typeof v === 'number' ? dialect.number(v) : typeof v === 'string' ? dialect.string(v) : String(v))).join(', ')}))`;
    return { sql, kind: 'boolean' };
  }
  const args = expr.args.map((a) => translate(a, column));
  if (args.some((a) => a.kind === 'null')) return { sql: 'NULL', kind: 'null' };
  const want = (kind: Kind) => {
    for (const a of args) if (a.kind !== kind) unsupported(`op.${expr.fn} of a ${a.kind}`);
  };
  const [a, b] = args.map((t) => t.sql);
  switch (expr.fn) {
    case 'lower':
    case 'upper':
      want('string');
      return { sql: `${expr.fn}(${a})`, kind: 'string' };
    case 'length':
      want('string');
      return { sql: `CAST(length(${a}) AS ${column.sql.double})`, kind: 'number' };
    case 'startswith':
      want('string');
      return { sql: column.sql.startsWith(a, b), kind: 'boolean' };
    case 'endswith':
      want('string');
      return { sql: column.sql.endsWith(a, b), kind: 'boolean' };
    case 'includes':
      want('string');
      return { sql: column.sql.contains(a, b), kind: 'boolean' };
    case 'concat':
      want('string');
      return { sql: `(${args.map((t) => t.sql).join(' || ')})`, kind: 'string' };
    case 'abs':
    case 'floor':
    case 'ceil':
      want('number');
      return { sql: `${expr.fn}(${a})`, kind: 'number' };
    default:
      return unsupported(`op.${expr.fn}`);
  }
}

function unsupported(what: string): never {
  throw new Unsupported(`the expression uses ${what}, which the SQL engines do not translate`);
}
