/**
 * `aggregate.expr` over batches: an aggregate expression such as
 * `op.sum(d.amount) / op.count()` is split, through its syntax tree, into
 * its aggregate calls (each computed as a mergeable state over row values)
 * and an outer expression over their results (`$.assay_a0 / $.assay_a1`),
 * evaluated once at the end. Calls without a mergeable state (`op.mode`,
 * `op.array_agg`, `op.corr`, …) make the whole expression fall back to
 * keeping the columns it reads in memory and running it once at the end.
 */
import { parseExpressionAt, type Node } from 'acorn';
import { isAggregateFunction } from '../expr/allow.js';

/** Aggregate functions computed from mergeable states. */
export const MERGEABLE_AGGREGATES = new Set([
  'count', 'valid', 'invalid', 'sum', 'mean', 'average', 'variance', 'variancep', 'stdev', 'stdevp', 'min', 'max',
  'median', 'quantile', 'distinct', 'any',
]);

export interface AggregateCall {
  fn: string;
  /** The row expression aggregated (source text), absent for `op.count()`. */
  arg?: string;
  /** `op.quantile(x, p)`: the probability. */
  p?: number;
}

export interface DecomposedAggregate {
  /** The expression with each call replaced by `$.assay_a<i>`. */
  outer: string;
  calls: AggregateCall[];
}

type AnyNode = Node & Record<string, any>;

/** Split an (allow-listed) aggregate expression; undefined when it needs the fallback. */
export function decomposeAggregate(source: string): DecomposedAggregate | undefined {
  const ast = parseExpressionAt(source, 0, { ecmaVersion: 2022 }) as AnyNode;
  const calls: AggregateCall[] = [];
  const replacements: { start: number; end: number; text: string }[] = [];
  let mergeable = true;
  const visit = (node: AnyNode, insideAggregate: boolean): void => {
    if (!node || typeof node !== 'object') return;
    if (node.type === 'CallExpression' && node.callee?.type === 'MemberExpression' && node.callee.object?.name === 'op') {
      const fn = node.callee.property.name as string;
      if (isAggregateFunction(fn)) {
        const call = toCall(fn, node.arguments as AnyNode[], source);
        if (insideAggregate || !call) {
          mergeable = false;
          return;
        }
        replacements.push({ start: node.start, end: node.end, text: `$.assay_a${calls.length}` });
        calls.push(call);
        for (const arg of node.arguments as AnyNode[]) visit(arg, true);
        return;
      }
    }
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) value.forEach((child) => visit(child as AnyNode, insideAggregate));
      else if (value && typeof value === 'object' && typeof (value as AnyNode).type === 'string') visit(value as AnyNode, insideAggregate);
    }
  };
  visit(ast, false);
  if (!mergeable) return undefined;
  let outer = source.slice(0, ast.end);
  for (const r of [...replacements].sort((a, b) => b.start - a.start)) outer = outer.slice(0, r.start) + r.text + outer.slice(r.end);
  return { outer, calls };
}

function toCall(fn: string, args: AnyNode[], source: string): AggregateCall | undefined {
  if (!MERGEABLE_AGGREGATES.has(fn)) return undefined;
  if (fn === 'count') return args.length === 0 ? { fn } : undefined;
  if (fn === 'quantile') {
    const p = args[1];
    if (args.length !== 2 || p.type !== 'Literal' || typeof p.value !== 'number') return undefined;
    return { fn, arg: source.slice(args[0].start, args[0].end), p: p.value };
  }
  return args.length === 1 ? { fn, arg: source.slice(args[0].start, args[0].end) } : undefined;
}

