/**
 * Thresholds: `fail_when`/`warn_when` conditions, `mostly`, and aggregate
 * bounds (`min`, `max`, `between`, nested `warn`). Parsed once at compile
 * time, evaluated against observed values, and described for reports.
 */
import type { Scalar } from '../plan/plan.js';

export type Comparator = '>' | '>=' | '<' | '<=' | '==' | '!=';

/** `> 0`, `>= 5`, `> 1%` (percent of evaluated rows). */
export interface Condition {
  comparator: Comparator;
  value: number;
  percent: boolean;
}

export interface Bounds {
  min?: Scalar;
  max?: Scalar;
}

const CONDITION = /^\s*(>=|<=|==|!=|>|<)\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*(%?)\s*$/i;

/** Parse a condition, or return undefined when the text is not one. */
export function parseCondition(text: string): Condition | undefined {
  const m = CONDITION.exec(text);
  if (!m) return undefined;
  return { comparator: m[1] as Comparator, value: Number(m[2]), percent: m[3] === '%' };
}

export function holds(condition: Condition, observed: number, percentBase?: number): boolean {
  const value = condition.percent ? (percentBase ? (observed / percentBase) * 100 : 0) : observed;
  switch (condition.comparator) {
    case '>':
      return value > condition.value;
    case '>=':
      return value >= condition.value;
    case '<':
      return value < condition.value;
    case '<=':
      return value <= condition.value;
    case '==':
      return value === condition.value;
    case '!=':
      return value !== condition.value;
  }
}

/** `failed_rows > 1%` as written in the report's `threshold` field. */
export function describeCondition(subject: string, condition: Condition): string {
  return `${subject} ${condition.comparator} ${condition.value}${condition.percent ? '%' : ''}`;
}

/** Bounds from `{min, max, between}`; `between` wins when both are given (validation forbids it). */
export function boundsOf(params: { min?: unknown; max?: unknown; between?: unknown }): Bounds | undefined {
  if (Array.isArray(params.between)) return { min: params.between[0] as Scalar, max: params.between[1] as Scalar };
  if (params.min === undefined && params.max === undefined) return undefined;
  return { min: params.min as Scalar, max: params.max as Scalar };
}

/** Inclusive comparison that works for numbers, strings and dates. */
export function withinBounds(value: Scalar, bounds: Bounds): boolean {
  if (value === null || value === undefined) return false;
  const asDate = value instanceof Date;
  const v = comparable(value, asDate);
  if (bounds.min !== undefined && bounds.min !== null && v < comparable(bounds.min, asDate)) return false;
  if (bounds.max !== undefined && bounds.max !== null && v > comparable(bounds.max, asDate)) return false;
  return true;
}

/** Dates compare as instants; an ISO string bound is read as a date when the value is one. */
function comparable(value: Scalar, asDate: boolean): number | string {
  if (value instanceof Date) return value.getTime();
  if (asDate && typeof value === 'string') return Date.parse(value);
  if (typeof value === 'boolean') return Number(value);
  return value as number | string;
}

/** `row_count >= 1`, `mean(amount) between [10, 500]`. */
export function describeBounds(subject: string, bounds: Bounds): string {
  const hasMin = bounds.min !== undefined && bounds.min !== null;
  const hasMax = bounds.max !== undefined && bounds.max !== null;
  if (hasMin && hasMax) return `${subject} between [${show(bounds.min)}, ${show(bounds.max)}]`;
  if (hasMin) return `${subject} >= ${show(bounds.min)}`;
  return `${subject} <= ${show(bounds.max)}`;
}

function show(value: Scalar | undefined): string {
  return value instanceof Date ? value.toISOString() : String(value);
}
