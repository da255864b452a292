/**
 * Thresholds: `fail_when`/`warn_when` conditions, `mostly`, and aggregate
 * bounds (`min`, `max`, `between`, nested `warn`). Parsed once at compile
 * time, evaluated against observed values, and described for reports.
 */
import type { Scalar } from '../values/types.js';
import { INVALID, parseTimestamp } from '../values/grammar.js';

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


// Matched on trimmed text, with no two adjacent \s* (which would backtrack quadratically on long runs of spaces).
const CONDITION = /^(>=|<=|==|!=|>|<)\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)(?:\s*(%))?$/i;

/** Parse a condition, or return undefined when the text is not one. */
export function parseCondition(text: string): Condition | undefined {
  const m = CONDITION.exec(text.trim());
  if (!m) return undefined;
  return { comparator: m[1] as Comparator, value: Number(m[2]), percent: m[3] === '%' };
}

/**
 * Values within a relative 1e-9 of each other count as equal, so a boundary
 * written in a policy is not crossed by floating-point noise: 0.1 + 0.2 is
 * exactly at `max: 0.3`, and 29 of 100 rows at `> 29%` although
 * (29 / 100) * 100 is 28.999999999999996 in binary floating point.
 */
export function nearlyEqual(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

/**
 * Does the condition hold for the observed value? A percent condition is
 * taken of `percentBase` (evaluated rows; 0% of none).
 */
export function holds(condition: Condition, observed: number | bigint, percentBase?: number): boolean {
  if (typeof observed === 'bigint') return compareExactly(condition.comparator, observed, condition.value); // beyond 2^53: no float noise to forgive
  const value = condition.percent ? (percentBase ? (observed * 100) / percentBase : 0) : observed;
  const limit = condition.value;
  const equal = nearlyEqual(value, limit);
  switch (condition.comparator) {
    case '>':
      return value > limit && !equal;
    case '>=':
      return value > limit || equal;
    case '<':
      return value < limit && !equal;
    case '<=':
      return value < limit || equal;
    case '==':
      return equal;
    case '!=':
      return !equal;
  }
}

function compareExactly(comparator: Comparator, a: bigint, b: number): boolean {
  switch (comparator) {
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '==':
      return !(a < b) && !(a > b); // JavaScript compares a bigint with a number exactly
    case '!=':
      return a < b || a > b;
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

/**
 * What a value is, for comparisons: only like compares with like (SPEC §1.2).
 * A bound is a number, or an instant (a Date, or an ISO text that parses as
 * a timestamp); an observed value may also be text, a boolean, a list or an
 * object, which no bound of an aggregate check fits.
 */
export type ValueKind = 'number' | 'instant' | 'text' | 'boolean' | 'list' | 'object';

export function observedKind(value: unknown): ValueKind {
  if (typeof value === 'number' || typeof value === 'bigint') return 'number';
  if (value instanceof Date) return 'instant';
  if (typeof value === 'string') return 'text';
  if (typeof value === 'boolean') return 'boolean';
  return Array.isArray(value) ? 'list' : 'object';
}

/** A bound's kind: text counts as an instant when it parses as an ISO timestamp. */
export function boundKind(bound: Scalar): ValueKind {
  if (typeof bound === 'string' && parseTimestamp(bound) !== INVALID) return 'instant';
  return observedKind(bound);
}

const KIND_NAMES: Record<ValueKind, string> = { number: 'a number', instant: 'a date', text: 'text', boolean: 'a boolean', list: 'a list', object: 'an object' };

/** `text`, `a date`, `a list`: for messages that say what a value is without showing it. */
export function kindName(kind: ValueKind): string {
  return KIND_NAMES[kind];
}

/**
 * The kind the bounds and conditions need that a non-null observed value is
 * not, or undefined when every bound and condition is of the value's kind.
 * A check whose observed value is of another kind than its bounds is an
 * `error` (it is not known to pass or fail), never a comparison of unlikes.
 */
export function kindMismatch(observed: unknown, bounds: (Bounds | undefined)[], conditions: (Condition | undefined)[]): { observed: string; expected: string } | undefined {
  const kind = observedKind(observed);
  const expected = new Set<ValueKind>();
  for (const b of bounds) for (const bound of [b?.min, b?.max]) if (bound !== undefined && bound !== null) expected.add(boundKind(bound));
  if (conditions.some((c) => c !== undefined)) expected.add('number');
  for (const e of expected) if (e !== kind) return { observed: KIND_NAMES[kind], expected: e === 'number' ? 'numeric' : `${KIND_NAMES[e]}` };
  return undefined;
}

/**
 * Inclusive comparison of a value with bounds of its own kind (see
 * kindMismatch): numbers within a relative 1e-9 (see nearlyEqual), integers
 * beyond 2^53 (bigints) exactly, instants to the millisecond, text as text.
 */
export function withinBounds(value: Scalar, bounds: Bounds): boolean {
  if (value === null || value === undefined) return false;
  const asDate = value instanceof Date;
  const v = comparable(value, asDate);
  const beyond = (bound: Scalar | undefined, sign: 1 | -1): boolean => {
    if (bound === undefined || bound === null) return false;
    const b = comparable(bound, asDate);
    // Instants are exact milliseconds: no tolerance (1e-9 of an epoch time is seconds).
    if (!asDate && typeof v === 'number' && typeof b === 'number') return (v - b) * sign > 0 && !nearlyEqual(v, b);
    return sign > 0 ? v > b : v < b;
  };
  return !beyond(bounds.min, -1) && !beyond(bounds.max, 1);
}

/**
 * Dates compare as instants; an ISO string bound is read as a timestamp when
 * the value is one, in UTC when it names no zone (as the loader reads data).
 * A bigint stays one: JavaScript compares it with a number exactly.
 */
function comparable(value: Scalar, asDate: boolean): number | bigint | string {
  if (value instanceof Date) return value.getTime();
  if (asDate && typeof value === 'string') {
    const parsed = parseTimestamp(value);
    return parsed === INVALID ? NaN : parsed.getTime();
  }
  if (typeof value === 'boolean') return Number(value);
  return value as number | bigint | string;
}

/**
 * Bounds that no value can meet: min above max (`row_count: {min: 5, max: 1}`,
 * `between: [9, 1]`), compared as numbers, as instants when both are ISO
 * timestamps, as text when both are other text. One rule for every check's
 * bounds (aggregate bounds, nested `warn`, `range`, `length`); false when
 * the bounds can be met or are not of one kind (other rules report that).
 */
export function emptyBounds(min: unknown, max: unknown): boolean {
  if (min === undefined || min === null || max === undefined || max === null) return false;
  if (typeof min === 'number' && typeof max === 'number') return min > max;
  if (typeof min === 'string' && typeof max === 'string') {
    const a = parseTimestamp(min);
    const b = parseTimestamp(max);
    if (a !== INVALID && b !== INVALID) return a.getTime() > b.getTime();
    if (a === INVALID && b === INVALID) return min > max;
  }
  return false;
}

/** `row_count >= 1`, `mean(amount) between [10, 500]`. */
export function describeBounds(subject: string, bounds: Bounds): string {
  const hasMin = bounds.min !== undefined && bounds.min !== null;
  const hasMax = bounds.max !== undefined && bounds.max !== null;
  if (hasMin && hasMax) return `${subject} between [${show(bounds.min)}, ${show(bounds.max)}]`;
  if (hasMin) return `${subject} >= ${show(bounds.min)}`;
  return `${subject} <= ${show(bounds.max)}`;
}

/**
 * The fail condition bounds stand for, as the report's `threshold` field
 * writes every check's: `row_count < 1`, `mean(amount) outside [10, 500]`.
 * Row checks' thresholds (`failed_rows > 0`) say when they fail too.
 */
export function describeFailure(subject: string, bounds: Bounds): string {
  const hasMin = bounds.min !== undefined && bounds.min !== null;
  const hasMax = bounds.max !== undefined && bounds.max !== null;
  if (hasMin && hasMax) return `${subject} outside [${show(bounds.min)}, ${show(bounds.max)}]`;
  if (hasMin) return `${subject} < ${show(bounds.min)}`;
  return `${subject} > ${show(bounds.max)}`;
}

function show(value: Scalar | undefined): string {
  return value instanceof Date ? value.toISOString() : String(value);
}
