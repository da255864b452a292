/**
 * Row expressions (`where`, `expression.row`) as DuckDB SQL with
 * JavaScript's semantics, which is what they mean in assay (they run as
 * arquero expressions): a null is 0 in arithmetic and ordering, `==` is true
 * for two nulls, a row fails when the value is falsy. Only the constructs
 * whose JavaScript meaning SQL can reproduce exactly are translated; any
 * other expression throws Unsupported and its dataset runs on arquero.
 *
 * Typed columns arrive as in ./typing.ts: numbers and date/timestamp
 * milliseconds as DOUBLE, booleans as BOOLEAN, text as VARCHAR.
 */
import { parseExpressionAt, type Node } from 'acorn';
import type { ColumnType } from '../../plan/plan.js';
import { parseExpression } from '../../expr/parse.js';
import { sqlNumber, sqlString, Unsupported } from './sql.js';

type AnyNode = Node & Record<string, any>;

/**
 * What a translated node holds. `date` is a JS Date (milliseconds in SQL):
 * it orders as a number but is not one for arithmetic or `==`. `truth` is the
 * result of `&&`, `||` and `!`: usable only where truthiness is asked.
 */
type Kind = 'number' | 'date' | 'string' | 'boolean' | 'null' | 'truth';

interface Translated {
  sql: string;
  kind: Kind;
  /** May be NULL in SQL. */
  nullable: boolean;
  /** May be NaN (from arithmetic), which SQL orders and compares unlike JavaScript. */
  nan: boolean;
}

/** How the typed value of a column is named in SQL, and its type. */
export type ColumnLookup = (column: string) => { sql: string; type: ColumnType } | undefined;

/** SQL that is true exactly for the rows where the row expression is truthy in JavaScript. */
export function truthySql(source: string, column: ColumnLookup): string {
  parseExpression(source, 'row'); // the allow-list first: nothing else is translated
  const ast = parseExpressionAt(source, 0, { ecmaVersion: 2022 }) as AnyNode;
  return truthy(translate(ast, column));
}

/** A row expression's value, for aggregate calls: its SQL and kind (what JavaScript would hold). */
export function valueSql(source: string, column: ColumnLookup): { sql: string; kind: 'number' | 'date' | 'string' | 'boolean' | 'null'; nan: boolean } {
  parseExpression(source, 'row');
  const ast = parseExpressionAt(source, 0, { ecmaVersion: 2022 }) as AnyNode;
  const t = asValue(translate(ast, column), ast);
  return { sql: t.sql, kind: t.kind as 'number' | 'date' | 'string' | 'boolean' | 'null', nan: t.nan };
}

function truthy(t: Translated): string {
  switch (t.kind) {
    case 'truth':
      return t.sql;
    case 'boolean':
      return `coalesce(${t.sql}, false)`;
    case 'number':
      return `coalesce(${t.sql} <> 0${t.nan ? ` AND NOT isnan(${t.sql})` : ''}, false)`;
    case 'date':
      return `(${t.sql} IS NOT NULL)`; // a Date is truthy, even at the epoch
    case 'string':
      return `coalesce(length(${t.sql}) > 0, false)`;
    case 'null':
      return 'false';
  }
}

/** As a number for ordering and arithmetic: null → 0, boolean → 0/1, a date → its milliseconds. */
function numeric(t: Translated, forArithmetic: boolean, node: AnyNode): Translated {
  if (t.kind === 'null') return { sql: '0::DOUBLE', kind: 'number', nullable: false, nan: false };
  // A Date in + is string concatenation in JavaScript; booleans are left out to keep the translation small.
  if (t.kind === 'string' || t.kind === 'truth' || t.kind === 'boolean' || (forArithmetic && t.kind === 'date')) unsupported(node, `${t.kind} operand`);
  return { sql: t.nullable ? `coalesce(${t.sql}, 0::DOUBLE)` : t.sql, kind: 'number', nullable: false, nan: t.nan };
}

const ORDER = new Set(['<', '<=', '>', '>=']);
const ARITHMETIC = new Set(['+', '-', '*', '/']);
const EQUALITY = new Set(['==', '===', '!=', '!==']);

function translate(node: AnyNode, column: ColumnLookup): Translated {
  switch (node.type) {
    case 'Literal':
      if (node.value === null) return { sql: 'NULL', kind: 'null', nullable: true, nan: false };
      if (typeof node.value === 'number') return { sql: sqlNumber(node.value), kind: 'number', nullable: false, nan: false };
      if (typeof node.value === 'string') return { sql: sqlString(node.value), kind: 'string', nullable: false, nan: false };
      if (typeof node.value === 'boolean') return { sql: String(node.value), kind: 'boolean', nullable: false, nan: false };
      return unsupported(node, 'literal');
    case 'MemberExpression': {
      const name = node.computed ? node.property.value : node.property.name;
      if (node.object.type !== 'Identifier' || node.object.name !== 'd') unsupported(node, 'parameter');
      const found = column(name);
      if (!found) unsupported(node, `column "${name}" without a declared type`);
      const kind: Kind = found.type === 'integer' || found.type === 'number' ? 'number' : found.type === 'date' || found.type === 'timestamp' ? 'date' : found.type;
      return { sql: found.sql, kind, nullable: true, nan: false };
    }
    case 'UnaryExpression': {
      const arg = translate(node.argument, column);
      if (node.operator === '!') return { sql: `(NOT ${truthy(arg)})`, kind: 'truth', nullable: false, nan: false };
      const n = numeric(arg, true, node);
      return { sql: node.operator === '-' ? `(-${n.sql})` : n.sql, kind: 'number', nullable: false, nan: n.nan };
    }
    case 'LogicalExpression': {
      const left = truthy(translate(node.left, column));
      const right = truthy(translate(node.right, column));
      if (node.operator === '??') unsupported(node, '??');
      return { sql: `(${left} ${node.operator === '&&' ? 'AND' : 'OR'} ${right})`, kind: 'truth', nullable: false, nan: false };
    }
    case 'BinaryExpression':
      return binary(node, translate(node.left, column), translate(node.right, column));
    case 'ConditionalExpression': {
      const test = truthy(translate(node.test, column));
      const a = asValue(translate(node.consequent, column), node.consequent);
      const b = asValue(translate(node.alternate, column), node.alternate);
      // Both branches must hold one kind of value (or null), so the result is one SQL type.
      const kind = a.kind === 'null' ? b.kind : a.kind;
      if (b.kind !== 'null' && b.kind !== kind) unsupported(node, `a conditional mixing ${a.kind} and ${b.kind}`);
      return { sql: `(CASE WHEN ${test} THEN ${a.sql} ELSE ${b.sql} END)`, kind, nullable: a.nullable || b.nullable, nan: a.nan || b.nan };
    }
    default:
      return unsupported(node, node.type === 'CallExpression' ? `op.${node.callee.property?.name}` : node.type);
  }
}

/** An expression used as a value (a `?:` branch, an aggregate's argument): a comparison or `!` is a boolean. */
function asValue(t: Translated, node: AnyNode): Translated {
  if (t.kind !== 'truth') return t;
  // `&&`/`||` yield one of their operands in JavaScript, which SQL cannot mirror.
  if (node.type === 'LogicalExpression') unsupported(node, 'a logical expression used as a value');
  return { ...t, kind: 'boolean' };
}

function binary(node: AnyNode, left: Translated, right: Translated): Translated {
  const op = node.operator as string;
  if (ORDER.has(op)) {
    const a = numeric(left, false, node);
    const b = numeric(right, false, node);
    const compare = `(${a.sql} ${op} ${b.sql})`;
    // NaN orders below nothing in JavaScript; DuckDB sorts it above everything.
    return { sql: a.nan || b.nan ? `(NOT isnan(${a.sql}) AND NOT isnan(${b.sql}) AND ${compare})` : compare, kind: 'truth', nullable: false, nan: false };
  }
  if (ARITHMETIC.has(op)) {
    const a = numeric(left, true, node);
    const b = numeric(right, true, node);
    // JavaScript's IEEE arithmetic: x / 0 is ±Infinity, 0 / 0 and Infinity - Infinity are NaN, as in DuckDB DOUBLE.
    return { sql: `(${a.sql} ${op} ${b.sql})`, kind: 'number', nullable: false, nan: true };
  }
  if (EQUALITY.has(op)) {
    const equal = equality(node, left, right);
    return { sql: op.startsWith('!') ? `(NOT ${equal})` : equal, kind: 'truth', nullable: false, nan: false };
  }
  return unsupported(node, `the ${op} operator`);
}

/** `==` (and `===`: for these kinds they agree): two nulls are equal, a null equals nothing else. */
function equality(node: AnyNode, left: Translated, right: Translated): string {
  if (left.kind === 'null' || right.kind === 'null') {
    const other = left.kind === 'null' ? right : left;
    return other.kind === 'null' ? 'true' : other.nullable ? `(${other.sql} IS NULL)` : 'false';
  }
  // A Date equals only itself (object identity); other mixes convert in ways left to arquero.
  if (left.kind !== right.kind || left.kind === 'date' || left.kind === 'truth') unsupported(node, `== between ${left.kind} and ${right.kind}`);
  const nan = left.nan || right.nan ? ` AND NOT isnan(${left.sql}) AND NOT isnan(${right.sql})` : '';
  if (!left.nullable && !right.nullable) return `(${left.sql} = ${right.sql}${nan})`;
  return `(CASE WHEN ${left.sql} IS NULL OR ${right.sql} IS NULL THEN (${left.sql} IS NULL AND ${right.sql} IS NULL) ELSE (${left.sql} = ${right.sql}${nan}) END)`;
}

function unsupported(node: AnyNode, what: string): never {
  void node;
  throw new Unsupported(`the expression uses ${what}, which only the arquero engine evaluates`);
}
