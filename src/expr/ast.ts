/**
 * The expression language as assay's own syntax tree. The parser
 * (./parse.ts) builds it from acorn's tree after the allow-list; everything
 * downstream (the JavaScript closures in ./compile.ts, the DuckDB SQL in
 * src/engine/sql/expression.ts, aggregate splitting, row filters) works
 * on this tree and nothing else: no engine ever sees acorn nodes or receives
 * policy text to compile.
 *
 * A node holds only plain data: scalars, names and child nodes. Function
 * names are keys of the function table (./functions.ts), checked when the
 * tree is built.
 */

import type { Scalar } from '../values/types.js';

/** A value an expression can hold. Lists hold scalars only. */
export type Value = Scalar | readonly Scalar[];

/** What the value of a node is, as far as it is known before the data is read. */
export type Kind = 'number' | 'string' | 'boolean' | 'date' | 'list' | 'null' | 'any';

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type ArithmeticOp = '+' | '-' | '*' | '/' | '%' | '**';

export type Expr =
  | { type: 'literal'; value: null | number | string | boolean }
  /** `d.<name>`: the row's value of a column. */
  | { type: 'column'; name: string }
  /** An aggregate call's result in the outer part of an aggregate expression (../engine/aggregate-expr.ts). */
  | { type: 'param'; index: number }
  /** `principal.attributes.<name>` in an access row filter, until it is bound (../access/filter.ts). */
  | { type: 'attribute'; name: string }
  | { type: 'unary'; op: '!' | '-' | '+'; arg: Expr }
  | { type: 'compare'; op: CompareOp; left: Expr; right: Expr }
  | { type: 'arithmetic'; op: ArithmeticOp; left: Expr; right: Expr }
  | { type: 'logical'; op: '&&' | '||' | '??'; left: Expr; right: Expr }
  /** `x == null` (IS NULL) and `x != null` (IS NOT NULL, `negate`). */
  | { type: 'is_null'; arg: Expr; negate: boolean }
  | { type: 'conditional'; test: Expr; then: Expr; otherwise: Expr }
  | { type: 'call'; fn: string; args: Expr[] }
  /** An array literal of scalar literals, where a function takes a list (`op.includes(['US', 'GB'], d.country)`). */
  | { type: 'list'; items: (null | number | string | boolean)[] };

/** Every node of a tree, depth first. */
export function* nodes(expr: Expr): Generator<Expr> {
  yield expr;
  for (const child of children(expr)) yield* nodes(child);
}

export function children(expr: Expr): Expr[] {
  switch (expr.type) {
    case 'unary':
    case 'is_null':
      return [expr.arg];
    case 'compare':
    case 'arithmetic':
    case 'logical':
      return [expr.left, expr.right];
    case 'conditional':
      return [expr.test, expr.then, expr.otherwise];
    case 'call':
      return expr.args;
    default:
      return [];
  }
}

/** The tree with each node replaced where `replace` returns a node (children of a replaced node are not visited). */
export function mapExpr(expr: Expr, replace: (e: Expr) => Expr | undefined): Expr {
  const r = replace(expr);
  if (r) return r;
  const m = (e: Expr) => mapExpr(e, replace);
  switch (expr.type) {
    case 'unary':
      return { ...expr, arg: m(expr.arg) };
    case 'is_null':
      return { ...expr, arg: m(expr.arg) };
    case 'compare':
    case 'arithmetic':
    case 'logical':
      return { ...expr, left: m(expr.left), right: m(expr.right) } as Expr;
    case 'conditional':
      return { ...expr, test: m(expr.test), then: m(expr.then), otherwise: m(expr.otherwise) };
    case 'call':
      return { ...expr, args: expr.args.map(m) };
    default:
      return expr;
  }
}

/** The columns a tree reads, in first-use order. */
export function columnsOf(expr: Expr): string[] {
  const out: string[] = [];
  for (const n of nodes(expr)) if (n.type === 'column' && !out.includes(n.name)) out.push(n.name);
  return out;
}

/**
 * The tree as expression text, for display (`access explain`, bound row
 * filters, messages), with parentheses only where precedence needs them. It
 * is never compiled: engines take the tree.
 */
export function printExpr(expr: Expr): string {
  return print(expr);
}

const PRECEDENCE: Record<string, number> = { '??': 2, '||': 3, '&&': 4, '==': 8, '!=': 8, '<': 9, '<=': 9, '>': 9, '>=': 9, '+': 11, '-': 11, '*': 12, '/': 12, '%': 12, '**': 13 };

function precedence(expr: Expr): number {
  switch (expr.type) {
    case 'conditional':
      return 1;
    case 'compare':
    case 'arithmetic':
    case 'logical':
      return PRECEDENCE[expr.op];
    case 'is_null':
      return 8;
    case 'unary':
      return 14;
    case 'literal':
      return typeof expr.value === 'number' && (expr.value < 0 || Object.is(expr.value, -0)) ? 14 : 20;
    default:
      return 20;
  }
}

function print(expr: Expr): string {
  const wrap = (child: Expr, min: number) => (precedence(child) < min ? `(${print(child)})` : print(child));
  switch (expr.type) {
    case 'literal':
      return literalText(expr.value);
    case 'column':
      return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(expr.name) ? `d.${expr.name}` : `d[${JSON.stringify(expr.name)}]`;
    case 'param':
      return `$${expr.index}`;
    case 'attribute':
      return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(expr.name) ? `principal.attributes.${expr.name}` : `principal.attributes[${JSON.stringify(expr.name)}]`;
    case 'unary':
      return `${expr.op}${wrap(expr.arg, 14)}`;
    case 'compare':
    case 'arithmetic':
    case 'logical': {
      const p = PRECEDENCE[expr.op];
      // `**` is right-associative and takes no unary operand on its left; `??` does not mix with && and || unparenthesised.
      const left = expr.op === '**' ? wrap(expr.left, p + 2) : expr.op === '??' && expr.left.type === 'logical' ? `(${print(expr.left)})` : wrap(expr.left, p);
      const right = expr.op === '**' ? wrap(expr.right, p) : expr.op === '??' && expr.right.type === 'logical' ? `(${print(expr.right)})` : wrap(expr.right, p + 1);
      return `${left} ${expr.op} ${right}`;
    }
    case 'is_null':
      return `${wrap(expr.arg, 9)} ${expr.negate ? '!=' : '=='} null`;
    case 'conditional':
      return `${wrap(expr.test, 2)} ? ${wrap(expr.then, 1)} : ${wrap(expr.otherwise, 1)}`;
    case 'call':
      return `op.${expr.fn}(${expr.args.map((a) => wrap(a, 1)).join(', ')})`;
    case 'list':
      return `[${expr.items.map(literalText).join(', ')}]`;
  }
}

function literalText(value: null | number | string | boolean): string {
  return typeof value === 'string' ? JSON.stringify(value) : Object.is(value, -0) ? '-0' : String(value);
}
