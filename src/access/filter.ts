/**
 * Row filters: bind a principal's attributes into the filter expressions that
 * apply to it, and AND them into one row expression tree (literals in place
 * of `principal.attributes.*`), which runs through the same compiler as any
 * check (src/expr/compile.ts). The bound text is for display only
 * (`access explain`, export metadata); nothing compiles it.
 *
 * A filter that reads an attribute the principal does not have fails closed:
 * it becomes `false` (no rows), never "attribute is null" (which would match
 * every row whose column is null).
 */
import { mapExpr, printExpr, type Expr } from '../expr/ast.js';
import { parseExpression } from '../expr/parse.js';
import type { RowFilter } from './decide.js';
import type { AttributeValue, Principal } from './model.js';

export interface BoundFilter {
  /** One row expression for every filter (AND), as text for display, or null when no filter applies. */
  expression: string | null;
  /** The same as a tree: what engines evaluate. */
  ast: Expr | null;
  /** Attributes the filters read that the principal lacks (their filters match no row). */
  missing: string[];
}

/** Bind and combine; filters were allow-listed at validation and are checked again here. */
export function bindRowFilters(filters: RowFilter[], principal: Principal): BoundFilter {
  if (filters.length === 0) return { expression: null, ast: null, missing: [] };
  const missing: string[] = [];
  const parts = filters.map((f) => {
    const bound = bindAttributes(f.expression, principal.attributes);
    missing.push(...bound.missing.filter((m) => !missing.includes(m)));
    return bound.missing.length > 0 ? { text: 'false', ast: { type: 'literal', value: false } as Expr } : { text: bound.expression, ast: bound.ast };
  });
  const expression = parts.length === 1 ? parts[0].text : parts.map((p) => `(${p.text})`).join(' && ');
  const ast = parts.map((p) => p.ast).reduce((left, right): Expr => ({ type: 'logical', op: '&&', left, right }));
  return { expression, ast, missing };
}

/** Replace each `principal.attributes.x` (or `["x"]`) with the attribute's value as a literal. */
export function bindAttributes(source: string, attributes: Record<string, AttributeValue>): { expression: string; ast: Expr; missing: string[] } {
  const parsed = parseExpression(source, 'filter');
  const missing = parsed.attributes.filter((name) => !Object.hasOwn(attributes, name));
  const ast = mapExpr(parsed.ast, (node) => (node.type === 'attribute' && Object.hasOwn(attributes, node.name) ? { type: 'literal', value: attributes[node.name] } : undefined));
  return { expression: printExpr(ast), ast, missing };
}
