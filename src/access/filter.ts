/**
 * Row filters: bind a principal's attributes into the filter expressions that
 * apply to it, and AND them into one row expression. The result is plain
 * expression language (literals in place of `principal.attributes.*`), so it
 * passes the same allow-list and runs on the same engine as any check.
 *
 * A filter that reads an attribute the principal does not have fails closed:
 * it becomes `false` (no rows), never "attribute is null" (which would match
 * every row whose column is null).
 */
import { parseExpressionAt, type Node } from 'acorn';
import { parseExpression } from '../expr/parse.js';
import type { RowFilter } from './decide.js';
import type { AttributeValue, Principal } from './model.js';

export interface BoundFilter {
  /** One row expression for every filter (AND), or null when no filter applies. */
  expression: string | null;
  /** Attributes the filters read that the principal lacks (their filters match no row). */
  missing: string[];
}

/** Bind and combine; filters were allow-listed at validation and are checked again here. */
export function bindRowFilters(filters: RowFilter[], principal: Principal): BoundFilter {
  if (filters.length === 0) return { expression: null, missing: [] };
  const missing: string[] = [];
  const parts = filters.map((f) => {
    const bound = bindAttributes(f.expression, principal.attributes);
    missing.push(...bound.missing.filter((m) => !missing.includes(m)));
    return bound.missing.length > 0 ? 'false' : bound.expression;
  });
  const expression = parts.length === 1 ? parts[0] : parts.map((p) => `(${p})`).join(' && ');
  parseExpression(expression, 'row'); // defence in depth: the bound text is a plain row expression
  return { expression, missing };
}

type AnyNode = Node & Record<string, any>;

/** Replace each `principal.attributes.x` (or `["x"]`) with the attribute's value as a literal. */
export function bindAttributes(source: string, attributes: Record<string, AttributeValue>): { expression: string; missing: string[] } {
  parseExpression(source, 'filter');
  const ast = parseExpressionAt(source, 0, { ecmaVersion: 2022 }) as AnyNode;
  const replacements: { start: number; end: number; text: string }[] = [];
  const missing: string[] = [];
  visit(ast, (node) => {
    const name = attributeName(node);
    if (name === undefined) return false;
    if (Object.hasOwn(attributes, name)) {
      replacements.push({ start: node.start, end: node.end, text: JSON.stringify(attributes[name]) });
    } else if (!missing.includes(name)) {
      missing.push(name);
    }
    return true;
  });
  let expression = source;
  for (const r of replacements.sort((a, b) => b.start - a.start)) {
    expression = expression.slice(0, r.start) + r.text + expression.slice(r.end);
  }
  return { expression, missing };
}

function attributeName(node: AnyNode): string | undefined {
  if (node.type !== 'MemberExpression') return undefined;
  const object = node.object as AnyNode;
  if (object.type !== 'MemberExpression' || object.object.type !== 'Identifier' || object.object.name !== 'principal') return undefined;
  if (propertyName(object) !== 'attributes') return undefined;
  return propertyName(node);
}

function propertyName(node: AnyNode): string | undefined {
  const prop = node.property as AnyNode;
  if (!node.computed && prop.type === 'Identifier') return prop.name;
  if (node.computed && prop.type === 'Literal' && typeof prop.value === 'string') return prop.value;
  return undefined;
}

/** Depth-first over child nodes; `enter` returns true to skip a node's children. */
function visit(node: AnyNode, enter: (node: AnyNode) => boolean): void {
  if (enter(node)) return;
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) {
      for (const child of value) if (child && typeof child.type === 'string') visit(child, enter);
    } else if (value && typeof value === 'object' && typeof (value as AnyNode).type === 'string') {
      visit(value as AnyNode, enter);
    }
  }
}
