/**
 * Parse an expression with acorn and walk it against the allow-list: field
 * access on `d`, literals, operators, `op.*` calls, `$` parameters and, in
 * access row filters, `principal.attributes.*`. arquero's own parser is not a
 * sandbox (it accepts `d.x.constructor.constructor`), so this runs first.
 */
import { parseExpressionAt, type Node } from 'acorn';
import { FORBIDDEN_NAMES, functionRefusal, isAggregateFunction, type ExpressionContext } from './allow.js';

/** Longest expression accepted; policies hold rules, not programs. */
export const MAX_EXPRESSION_LENGTH = 4000;

export interface ParsedExpression {
  source: string;
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

/** Parse and check; throws ExpressionError naming the refused construct. */
export function parseExpression(source: string, context: ExpressionContext): ParsedExpression {
  if (typeof source !== 'string' || source.trim() === '') throw new ExpressionError('expression is empty', 0);
  if (source.length > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionError(`expression is longer than ${MAX_EXPRESSION_LENGTH} characters`, 0);
  }
  let ast: AnyNode;
  try {
    ast = parseExpressionAt(source, 0, { ecmaVersion: 2022, preserveParens: true }) as AnyNode;
  } catch (e) {
    const err = e as SyntaxError & { pos?: number };
    throw new ExpressionError(`syntax error: ${err.message.replace(/ \(\d+:\d+\)$/, '')}`, err.pos ?? 0);
  }
  if (ast.end < source.trimEnd().length) {
    throw new ExpressionError(`unexpected "${source.slice(ast.end).trim().slice(0, 20)}" after the expression`, ast.end);
  }
  const result: ParsedExpression = { source, columns: [], attributes: [], aggregates: false };
  refuseForbiddenNames(ast);
  walk(ast, context, result);
  if (context === 'aggregate' && !result.aggregates) {
    throw new ExpressionError('an aggregate expression needs an aggregate function such as op.sum(d.amount) or op.count()', 0);
  }
  return result;
}

function refuse(node: AnyNode, what: string): never {
  throw new ExpressionError(`${what} is not allowed (use d.<column>, op.<function>, literals and operators)`, node.start);
}

const UNARY = new Set(['!', '-', '+']);
const BINARY = new Set(['==', '!=', '===', '!==', '<', '<=', '>', '>=', '+', '-', '*', '/', '%', '**', 'in']);

function walk(node: AnyNode, context: ExpressionContext, out: ParsedExpression): void {
  switch (node.type) {
    case 'Literal':
      if (node.regex) refuse(node, 'a regular expression literal');
      if (typeof node.value === 'bigint') refuse(node, 'a bigint literal');
      return;
    case 'Identifier':
      refuse(node, `"${node.name}"`);
    // falls through (refuse never returns)
    case 'MemberExpression':
      return walkMember(node, context, out);
    case 'CallExpression': {
      const callee = node.callee as AnyNode;
      if (node.optional || callee.type !== 'MemberExpression' || callee.computed || callee.object.type !== 'Identifier' || callee.object.name !== 'op') {
        // Name the construct being called when it is refused on its own (a global, a function).
        if (callee.type !== 'MemberExpression') walk(callee, context, out);
        else {
          let root = callee;
          while (root.type === 'MemberExpression') root = root.object;
          if (root.type !== 'Identifier' || !['d', '$', 'op', 'principal'].includes(root.name)) walk(root, context, out);
        }
        refuse(callee, 'calling anything but op.<function>');
      }
      const name = callee.property.name as string;
      const refusal = functionRefusal(name, context);
      if (refusal) throw new ExpressionError(refusal, callee.property.start);
      if (isAggregateFunction(name)) out.aggregates = true;
      for (const arg of node.arguments as AnyNode[]) walk(arg, context, out);
      return;
    }
    case 'UnaryExpression':
      if (!UNARY.has(node.operator)) refuse(node, `the "${node.operator}" operator`);
      return walk(node.argument, context, out);
    case 'BinaryExpression':
      if (!BINARY.has(node.operator) || node.operator === 'in') refuse(node, `the "${node.operator}" operator`);
      walk(node.left, context, out);
      return walk(node.right, context, out);
    case 'ParenthesizedExpression':
      return walk(node.expression, context, out);
    case 'ChainExpression':
      return refuse(node, 'optional chaining');
    case 'LogicalExpression':
      walk(node.left, context, out);
      return walk(node.right, context, out);
    case 'ConditionalExpression':
      walk(node.test, context, out);
      walk(node.consequent, context, out);
      return walk(node.alternate, context, out);
    case 'ArrayExpression':
      for (const el of node.elements as (AnyNode | null)[]) {
        if (!el || el.type === 'SpreadElement') refuse(node, 'a sparse or spread array');
        walk(el, context, out);
      }
      return;
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
      return refuse(node, `${describe(node.type)}`);
  }
}

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

/** `d.col`, `d["col"]`, `$.param`, `principal.attributes.x`; nothing deeper. */
function walkMember(node: AnyNode, context: ExpressionContext, out: ParsedExpression): void {
  if (node.optional) refuse(node, 'optional chaining');
  const object = node.object as AnyNode;
  const key = propertyName(node);
  if (key !== undefined && FORBIDDEN_NAMES.has(key)) refuse(node.property, `"${key}"`);
  if (object.type === 'Identifier' && object.name === 'd') {
    if (key === undefined) refuse(node.property, 'a computed column name');
    if (!out.columns.includes(key)) out.columns.push(key);
    return;
  }
  if (object.type === 'Identifier' && object.name === '$') {
    if (key === undefined) refuse(node.property, 'a computed parameter name');
    return;
  }
  if (
    context === 'filter' &&
    object.type === 'MemberExpression' &&
    object.object.type === 'Identifier' &&
    object.object.name === 'principal' &&
    propertyName(object) === 'attributes'
  ) {
    if (key === undefined) refuse(node.property, 'a computed attribute name');
    if (!out.attributes.includes(key)) out.attributes.push(key);
    return;
  }
  if (object.type === 'Identifier' && object.name === 'op') refuse(node, `"op.${key}" without a call`);
  if (object.type === 'Identifier') refuse(object, `"${object.name}"`);
  walk(object, context, out); // a refused object (`this`, a global deeper down) is named first
  refuse(node, `property access on a value ("${key ?? '[…]'}")`);
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
