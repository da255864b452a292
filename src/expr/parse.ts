/**
 * Parse an expression with acorn and build assay's own syntax tree from it
 * (./ast.ts), refusing everything that is not the expression language: field
 * access on `d`, literals, operators, calls of the functions in ./functions.ts
 * and, in access row filters, `principal.attributes.*`. acorn's tree never
 * leaves this module; engines compile the tree this returns.
 *
 * Kinds are checked where they are known before the data is read (a literal,
 * a function's result): `op.lower(5)`, `d.x > 'a' + 1` or a row expression
 * that gives a number are validation errors. Column values are checked as
 * they are read (./compile.ts).
 */
import { parseExpressionAt, type Node } from 'acorn';
import { closest } from '../util/did-you-mean.js';
import { columnsOf, type ArithmeticOp, type CompareOp, type Expr, type Kind } from './ast.js';
import { FUNCTIONS, REFUSED_FUNCTIONS, type ArgKind, type FunctionDef } from './functions.js';

/** Where an expression is used decides what it may contain. */
export type ExpressionContext =
  /** `where`, `expression.row`: per row, true or false; no aggregates. */
  | 'row'
  /** `aggregate.expr`, `reconcile.metric`: aggregate functions, one value. */
  | 'aggregate'
  /** access `row_filter.filter`: per row, plus `principal.attributes.*`. */
  | 'filter';

/** Longest expression accepted; policies hold rules, not programs. */
export const MAX_EXPRESSION_LENGTH = 4000;

/** Property names that reach JavaScript internals, refused wherever they appear. */
export const FORBIDDEN_NAMES = new Set(['constructor', '__proto__', 'prototype', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);

export interface ParsedExpression {
  source: string;
  /** The validated tree: what every engine compiles. */
  ast: Expr;
  /** What the expression gives, as far as known before the data is read. */
  kind: Kind;
  /** Columns read through `d.<name>` or `d["name"]`, in first-use order. */
  columns: string[];
  /** `principal.attributes.<name>` references (filters only). */
  attributes: string[];
  /** True when the expression calls an aggregate function. */
  aggregates: boolean;
}

export class ExpressionError extends Error {
  constructor(
    message: string,
    /** 0-based offset in the expression text. */
    readonly offset: number,
  ) {
    super(message);
  }
}

type AnyNode = Node & Record<string, any>;
interface Typed {
  expr: Expr;
  kind: Kind;
}
interface State {
  context: ExpressionContext;
  attributes: string[];
  aggregates: boolean;
  /** Inside an aggregate call's argument. */
  inAggregate: boolean;
}

const cache = new Map<string, ParsedExpression>();
const CACHE_LIMIT = 1000;

/** Parse and check; throws ExpressionError naming the refused construct. Results are memoised (they are immutable). */
export function parseExpression(source: string, context: ExpressionContext): ParsedExpression {
  const key = `${context}\0${source}`;
  let parsed = cache.get(key);
  if (!parsed) {
    parsed = parseUncached(source, context);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, parsed);
  }
  return parsed;
}

function parseUncached(source: string, context: ExpressionContext): ParsedExpression {
  if (typeof source !== 'string' || source.trim() === '') throw new ExpressionError('expression is empty', 0);
  if (source.length > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionError(`expression is longer than ${MAX_EXPRESSION_LENGTH} characters`, 0);
  }
  let tree: AnyNode;
  try {
    tree = parseExpressionAt(source, 0, { ecmaVersion: 2022, preserveParens: true }) as AnyNode;
  } catch (e) {
    const err = e as SyntaxError & { pos?: number };
    throw new ExpressionError(`syntax error: ${err.message.replace(/ \(\d+:\d+\)$/, '')}`, err.pos ?? 0);
  }
  if (tree.end < source.trimEnd().length) {
    throw new ExpressionError(`unexpected "${source.slice(tree.end).trim().slice(0, 20)}" after the expression`, tree.end);
  }
  refuseForbiddenNames(tree);
  const state: State = { context, attributes: [], aggregates: false, inAggregate: false };
  const { expr, kind } = build(tree, state);
  if (context === 'aggregate' && !state.aggregates) {
    throw new ExpressionError('an aggregate expression needs an aggregate function such as op.sum(d.amount) or op.count()', 0);
  }
  if (context !== 'aggregate' && !['boolean', 'any', 'null'].includes(kind)) {
    throw new ExpressionError(`a row expression must be true or false; this one gives ${article(kind)}`, 0);
  }
  if (kind === 'list' && !(expr.type === 'call' && FUNCTIONS.get(expr.fn)?.kind === 'aggregate')) {
    throw new ExpressionError('a list is allowed only as an argument of op.includes', 0);
  }
  return Object.freeze({ source, ast: expr, kind, columns: columnsOf(expr), attributes: state.attributes, aggregates: state.aggregates });
}

function refuse(node: AnyNode, what: string): never {
  throw new ExpressionError(`${what} is not allowed (use d.<column>, op.<function>, literals and operators)`, node.start);
}

const COMPARE = new Set(['==', '!=', '===', '!==', '<', '<=', '>', '>=']);
const ARITHMETIC = new Set(['+', '-', '*', '/', '%', '**']);

/** False for an integer literal that a double rounds (9007199254740993 would compare as ...992). */
function exactLiteral(value: number, raw: string): boolean {
  if (Number.isSafeInteger(value) || !Number.isInteger(value)) return true;
  const text = raw.replace(/_/g, '');
  const integer = /^(0[xob][0-9a-f]+|\d+)(\.0*)?$/i.exec(text);
  return !integer || BigInt(integer[1]) === BigInt(value);
}

function build(node: AnyNode, state: State): Typed {
  switch (node.type) {
    case 'Literal': {
      if (node.regex) refuse(node, 'a regular expression literal');
      if (typeof node.value === 'bigint') refuse(node, 'a bigint literal');
      const value = node.value as null | number | string | boolean;
      if (typeof value === 'number' && !exactLiteral(value, node.raw ?? '')) refuse(node, `the integer ${node.raw} (beyond 2^53, a number cannot hold it exactly)`);
      return { expr: { type: 'literal', value }, kind: value === null ? 'null' : (typeof value as Kind) };
    }
    case 'Identifier':
      return refuse(node, `"${node.name}"`);
    case 'MemberExpression':
      return buildMember(node, state);
    case 'CallExpression':
      return buildCall(node, state);
    case 'UnaryExpression': {
      if (!['!', '-', '+'].includes(node.operator)) refuse(node, `the "${node.operator}" operator`);
      const arg = build(node.argument, state);
      if (node.operator === '!') {
        expectKind(arg, ['boolean'], node.argument, '"!" needs true or false');
        return { expr: { type: 'unary', op: '!', arg: arg.expr }, kind: 'boolean' };
      }
      expectKind(arg, ['number'], node.argument, `unary "${node.operator}" needs a number`);
      return { expr: { type: 'unary', op: node.operator, arg: arg.expr }, kind: 'number' };
    }
    case 'BinaryExpression': {
      const op = node.operator as string;
      if (!COMPARE.has(op) && !ARITHMETIC.has(op)) refuse(node, `the "${op}" operator`);
      const left = build(node.left, state);
      const right = build(node.right, state);
      if (COMPARE.has(op)) return compare(node, op.length === 3 ? (op.slice(0, 2) as CompareOp) : (op as CompareOp), left, right);
      expectKind(left, ['number', 'date'], node.left, `"${op}" needs numbers`);
      expectKind(right, ['number', 'date'], node.right, `"${op}" needs numbers`);
      return { expr: { type: 'arithmetic', op: op as ArithmeticOp, left: left.expr, right: right.expr }, kind: 'number' };
    }
    case 'LogicalExpression': {
      const op = node.operator as '&&' | '||' | '??';
      const left = build(node.left, state);
      const right = build(node.right, state);
      if (op === '??') {
        refuseList(left, node.left);
        refuseList(right, node.right);
        return { expr: { type: 'logical', op, left: left.expr, right: right.expr }, kind: joinKinds(left.kind, right.kind) };
      }
      expectKind(left, ['boolean'], node.left, `"${op}" needs true or false`);
      expectKind(right, ['boolean'], node.right, `"${op}" needs true or false`);
      return { expr: { type: 'logical', op, left: left.expr, right: right.expr }, kind: 'boolean' };
    }
    case 'ConditionalExpression': {
      const test = build(node.test, state);
      expectKind(test, ['boolean'], node.test, 'the condition of "?:" needs true or false');
      const then = build(node.consequent, state);
      const otherwise = build(node.alternate, state);
      refuseList(then, node.consequent);
      refuseList(otherwise, node.alternate);
      return { expr: { type: 'conditional', test: test.expr, then: then.expr, otherwise: otherwise.expr }, kind: joinKinds(then.kind, otherwise.kind) };
    }
    case 'ParenthesizedExpression':
      return build(node.expression, state);
    case 'ArrayExpression':
      for (const el of node.elements as (AnyNode | null)[]) if (!el || el.type === 'SpreadElement') refuse(node, 'a sparse or spread array');
      return refuse(node, 'a list outside op.includes');
    case 'ChainExpression':
      return refuse(node, 'optional chaining');
    case 'AssignmentExpression':
    case 'UpdateExpression':
      return refuse(node, 'assignment');
    case 'ArrowFunctionExpression':
    case 'FunctionExpression':
      return refuse(node, 'a function');
    case 'ThisExpression':
      return refuse(node, '"this"');
    case 'NewExpression':
      return refuse(node, '"new"');
    case 'TemplateLiteral':
    case 'TaggedTemplateExpression':
      return refuse(node, 'a template string');
    default:
      return refuse(node, describe(node.type));
  }
}

/** `==`/`!=` with the literal null test for null; otherwise SQL comparison of values of one kind. */
function compare(node: AnyNode, op: CompareOp, left: Typed, right: Typed): Typed {
  refuseList(left, node.left);
  refuseList(right, node.right);
  if ((op === '==' || op === '!=') && (left.kind === 'null' || right.kind === 'null')) {
    const other = left.kind === 'null' ? right : left;
    if (other.kind === 'null') return { expr: { type: 'literal', value: op === '==' }, kind: 'boolean' };
    return { expr: { type: 'is_null', arg: other.expr, negate: op === '!=' }, kind: 'boolean' };
  }
  if (isKnown(left.kind) && isKnown(right.kind) && left.kind !== right.kind) {
    throw new ExpressionError(`"${node.operator}" compares ${article(left.kind)} with ${article(right.kind)}; compare values of one kind`, node.start);
  }
  return { expr: { type: 'compare', op, left: left.expr, right: right.expr }, kind: 'boolean' };
}

/** `d.col`, `d["col"]`, `principal.attributes.x`; nothing deeper. */
function buildMember(node: AnyNode, state: State): Typed {
  if (node.optional) refuse(node, 'optional chaining');
  const object = node.object as AnyNode;
  const key = propertyName(node);
  if (object.type === 'Identifier' && object.name === 'd') {
    if (key === undefined) refuse(node.property, 'a computed column name');
    if (state.context === 'aggregate' && !state.inAggregate) {
      throw new ExpressionError(`d.${key} is read outside an aggregate function; in an aggregate expression, read columns inside one, such as op.max(d.${key})`, node.start);
    }
    return { expr: { type: 'column', name: key }, kind: 'any' };
  }
  if (object.type === 'Identifier' && object.name === '$') {
    throw new ExpressionError(`parameters ($.${key ?? '…'}) are not part of the expression language: no policy key defines them`, node.start);
  }
  if (
    state.context === 'filter' &&
    object.type === 'MemberExpression' &&
    object.object.type === 'Identifier' &&
    object.object.name === 'principal' &&
    propertyName(object) === 'attributes'
  ) {
    if (key === undefined) refuse(node.property, 'a computed attribute name');
    if (!state.attributes.includes(key)) state.attributes.push(key);
    return { expr: { type: 'attribute', name: key }, kind: 'any' };
  }
  if (object.type === 'Identifier' && object.name === 'op') refuse(node, `"op.${key}" without a call`);
  if (object.type === 'Identifier') refuse(object, `"${object.name}"`);
  build(object, state); // a refused object (`this`, a global deeper down) is named first
  return refuse(node, `property access on a value ("${key ?? '[…]'}")`);
}

function buildCall(node: AnyNode, state: State): Typed {
  const callee = node.callee as AnyNode;
  if (node.optional || callee.type !== 'MemberExpression' || callee.computed || callee.object.type !== 'Identifier' || callee.object.name !== 'op') {
    // Name the construct being called when it is refused on its own (a global, a function).
    if (callee.type !== 'MemberExpression') build(callee, state);
    else {
      let root = callee;
      while (root.type === 'MemberExpression') root = root.object;
      if (root.type !== 'Identifier' || !['d', '$', 'op', 'principal'].includes(root.name)) build(root, state);
    }
    refuse(callee, 'calling anything but op.<function>');
  }
  const name = callee.property.name as string;
  const at = callee.property.start as number;
  const fn = FUNCTIONS.get(name);
  if (!fn) {
    const refused = REFUSED_FUNCTIONS.get(name);
    if (refused) throw new ExpressionError(`"op.${name}" is not allowed: ${refused}`, at);
    const near = closest(name, FUNCTIONS.keys());
    throw new ExpressionError(`"op.${name}" is not a function of the expression language${near ? ` (did you mean "op.${near}"?)` : ''}`, at);
  }
  if (fn.kind === 'aggregate') {
    if (state.context !== 'aggregate') throw new ExpressionError(`"op.${name}" is an aggregate function; use it in an aggregate check, not a row expression`, at);
    if (state.inAggregate) throw new ExpressionError(`"op.${name}" is inside another aggregate function`, at);
    state.aggregates = true;
  }
  const args = node.arguments as AnyNode[];
  const inAggregate = state.inAggregate;
  if (fn.kind === 'aggregate') state.inAggregate = true;
  // Arguments first, so a refused construct in one is named before a wrong count.
  const built = args.map((arg, i) => (i < fn.params.length || fn.variadic ? buildArgument(fn, i, arg, state) : build(arg, state).expr));
  state.inAggregate = inAggregate;
  checkArity(fn, args.length, at);
  return { expr: { type: 'call', fn: name, args: built }, kind: fn.result };
}

function checkArity(fn: FunctionDef, count: number, at: number): void {
  const max = fn.variadic ? Infinity : fn.params.length;
  const min = fn.params.length - (fn.optional ?? 0);
  if (count >= min && count <= max) return;
  const expected = fn.variadic ? `at least ${min}` : min === max ? String(min) : `${min} to ${max}`;
  const one = min === 1 && (max === 1 || fn.variadic);
  throw new ExpressionError(`"op.${fn.name}" takes ${expected} argument${one ? '' : 's'}, not ${count}`, at);
}

function buildArgument(fn: FunctionDef, i: number, arg: AnyNode, state: State): Expr {
  if (arg.type === 'SpreadElement') refuse(arg, 'a spread argument');
  const param: ArgKind = fn.params[Math.min(i, fn.params.length - 1)];
  const what = `argument ${i + 1} of "op.${fn.name}"`;
  if (fn.kind === 'aggregate' && fn.literal?.includes(i)) {
    const value = arg.type === 'Literal' ? arg.value : undefined;
    if (typeof value !== 'number') throw new ExpressionError(`${what} must be a number literal`, arg.start);
    return { type: 'literal', value };
  }
  const inner = arg.type === 'ParenthesizedExpression' ? arg.expression : arg;
  if (inner.type === 'ArrayExpression' && (param === 'list' || param === 'string_or_list')) {
    const items = (inner.elements as (AnyNode | null)[]).map((el) => {
      if (!el || el.type === 'SpreadElement') refuse(inner, 'a sparse or spread array');
      if (el.type !== 'Literal' || el.regex || typeof el.value === 'bigint') throw new ExpressionError(`a list in ${what} holds literals only`, el.start);
      return el.value as null | number | string | boolean;
    });
    return { type: 'list', items };
  }
  const typed = build(arg, state);
  refuseList(typed, arg);
  const allowed: Kind[] = param === 'scalar' ? ['number', 'string', 'boolean', 'date'] : param === 'string_or_list' ? ['string'] : param === 'number_or_date' ? ['number', 'date'] : param === 'list' ? [] : [param];
  expectKind(typed, allowed, arg, `${what} must be ${param === 'scalar' ? 'a value' : param === 'number_or_date' ? 'a number or a date' : article(param === 'string_or_list' ? 'string' : param)}`);
  return typed.expr;
}

/** A value of a known kind outside `allowed` is a validation error; null and unknown (a column) pass. */
function expectKind(typed: Typed, allowed: Kind[], node: AnyNode, message: string): void {
  if (!isKnown(typed.kind) || allowed.includes(typed.kind)) return;
  throw new ExpressionError(`${message}, not ${article(typed.kind)}`, node.start);
}

function refuseList(typed: Typed, node: AnyNode): void {
  if (typed.kind === 'list') throw new ExpressionError('a list is allowed only as an argument of op.includes', node.start);
}

const isKnown = (kind: Kind): boolean => kind !== 'any' && kind !== 'null';
const joinKinds = (a: Kind, b: Kind): Kind => (a === b ? a : a === 'null' ? b : b === 'null' ? a : 'any');
const article = (kind: Kind | ArgKind): string => ({ number: 'a number', string: 'a string', boolean: 'true or false', date: 'a date', list: 'a list', null: 'null', any: 'a value' })[kind as Kind] ?? kind;

/**
 * Before anything else, refuse property names that reach JavaScript internals
 * anywhere in the tree (`d.x.constructor`, `op['__proto__']`), so the error
 * names the real problem rather than the construct around it.
 */
function refuseForbiddenNames(node: AnyNode): void {
  if (node.type === 'MemberExpression') {
    const key = propertyName(node);
    if (key !== undefined && FORBIDDEN_NAMES.has(key)) refuse(node.property, `"${key}"`);
  }
  for (const value of Object.values(node)) {
    const children = Array.isArray(value) ? value : [value];
    for (const child of children) {
      if (child && typeof child === 'object' && typeof (child as AnyNode).type === 'string') refuseForbiddenNames(child as AnyNode);
    }
  }
}

/** The static property name of a member expression, if it has one. */
function propertyName(node: AnyNode): string | undefined {
  const prop = node.property as AnyNode;
  if (!node.computed && prop.type === 'Identifier') return prop.name;
  if (node.computed && prop.type === 'Literal' && typeof prop.value === 'string') return prop.value;
  return undefined;
}

function describe(type: string): string {
  const words = type.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return `${/^[aeiou]/.test(words) ? 'an' : 'a'} ${words}`;
}
