/**
 * One column's profile state: fed raw values batch by batch, merged with the
 * state of another part of the same column, and summarised at the end.
 *
 * Per-value statistics that depend only on the value's text (its shape and
 * which formats and PII shapes it matches) are deferred while distinct values
 * are still counted exactly: they are then computed once per distinct value,
 * weighted by its count, which makes a low-cardinality column cost one map
 * update per value. Past the exact limit they are computed per value.
 */
import type { ColumnType } from '../values/types.js';
import { INVALID, PARSERS } from '../values/grammar.js';
import { VALUE_MATCHERS } from './detectors.js';
import { codePointLength, valueShape } from './shape.js';
import { EXACT_DISTINCT_LIMIT, NumericSummary, ValueCounts } from './sketches.js';

/** What one value is: the narrowest column type it parses as, or `other` (a nested JSON value). */
export type ValueKind = ColumnType | 'other';
const KINDS: ValueKind[] = ['integer', 'number', 'boolean', 'date', 'timestamp', 'string', 'other'];
const KIND_INDEX = Object.fromEntries(KINDS.map((k, i) => [k, i])) as Record<ValueKind, number>;

/** Distinct shapes kept per column; the rest are counted together. */
export const SHAPE_LIMIT = 1_000;
export const OTHER_SHAPES = '(other shapes)';

const DAY_MS = 86_400_000;

export class ColumnState {
  rows = 0;
  nulls = 0;
  readonly kinds = new Float64Array(KINDS.length);
  /** Values that arrived as text (a declared `string` column accepts only those). */
  textValues = 0;
  readonly numeric = new NumericSummary();
  temporalMin = Infinity;
  temporalMax = -Infinity;
  minLength = Infinity;
  maxLength = -Infinity;
  /** Matches per VALUE_MATCHERS entry, for values folded so far (see the module comment). */
  readonly matches = new Float64Array(VALUE_MATCHERS.length);
  readonly shapes = new Map<string, number>();
  readonly values: ValueCounts;

  /** `distinctLimit`: distinct values counted exactly (tests make it small). */
  constructor(
    readonly name: string,
    distinctLimit = EXACT_DISTINCT_LIMIT,
  ) {
    this.values = new ValueCounts((entries) => {
      for (const [text, count] of entries) this.fold(text, count);
    }, distinctLimit);
  }

  add(raw: unknown): void {
    this.rows++;
    if (raw === null || raw === undefined) {
      this.nulls++;
      return;
    }
    let text: string;
    let kind: ValueKind;
    switch (typeof raw) {
      case 'string':
        text = raw;
        this.textValues++;
        kind = this.classifyText(raw);
        break;
      case 'number':
        text = String(raw);
        // NaN and ±Infinity are not values of a number column (a declared `number` refuses them).
        kind = !Number.isFinite(raw) ? 'other' : Number.isSafeInteger(raw) ? 'integer' : 'number';
        if (kind !== 'other') this.numeric.add(raw);
        break;
      case 'bigint':
        text = raw.toString();
        kind = 'integer';
        this.numeric.add(Number(raw));
        break;
      case 'boolean':
        text = String(raw);
        kind = 'boolean';
        break;
      default:
        if (raw instanceof Date) {
          const ms = raw.getTime();
          kind = ms % DAY_MS === 0 ? 'date' : 'timestamp';
          text = kind === 'date' ? raw.toISOString().slice(0, 10) : raw.toISOString();
          this.temporal(ms);
        } else {
          kind = 'other';
          text = nestedText(raw);
        }
    }
    this.kinds[KIND_INDEX[kind]]++;
    const length = codePointLength(text);
    if (length < this.minLength) this.minLength = length;
    if (length > this.maxLength) this.maxLength = length;
    // While counts are exact, folding waits (the value is in the map; an overflow folds the map, this value included).
    const folding = !this.values.isExact;
    this.values.add(text);
    if (folding) {
      // Only Date values: their text is assay's own ISO spelling (text read from a file keeps its own).
      if (raw instanceof Date && (text.length === 10 || text.length === 24)) this.foldTemporal(text, kind as 'date' | 'timestamp');
      else this.fold(text, 1);
    }
  }

  /** The narrowest type the text parses as (the same parsers as a declared column's), feeding numeric and temporal statistics. */
  private classifyText(text: string): ValueKind {
    const first = text.charCodeAt(0);
    // Only digits, signs, a dot or space can start a number, date or timestamp; letters may start a boolean.
    const numberish = (first >= 48 && first <= 57) || first === 43 || first === 45 || first === 46 || first === 32;
    if (numberish) {
      const integer = PARSERS.integer(text);
      if (integer !== INVALID) {
        this.numeric.add(Number(integer));
        return 'integer';
      }
      const number = PARSERS.number(text);
      if (number !== INVALID) {
        this.numeric.add(number as number);
        return 'number';
      }
    }
    if (text.length <= 7 && PARSERS.boolean(text) !== INVALID) return 'boolean';
    if (numberish) {
      const date = PARSERS.date(text);
      if (date !== INVALID) {
        this.temporal((date as Date).getTime());
        return 'date';
      }
      const timestamp = PARSERS.timestamp(text);
      if (timestamp !== INVALID) {
        this.temporal((timestamp as Date).getTime());
        return 'timestamp';
      }
    }
    return 'string';
  }

  private temporal(ms: number): void {
    if (ms < this.temporalMin) this.temporalMin = ms;
    if (ms > this.temporalMax) this.temporalMax = ms;
  }

  /** Shape and matchers of a value seen `count` times. */
  private fold(text: string, count: number): void {
    addShape(this.shapes, valueShape(text), count);
    const first = text.charCodeAt(0);
    for (let i = 0; i < VALUE_MATCHERS.length; i++) {
      const m = VALUE_MATCHERS[i];
      if (m.maybe(text, first) && m.test(text)) this.matches[i] += count;
    }
  }

  /**
   * A Date value's text is an ISO string whose shape and matches depend only
   * on its kind (`2001-01-05` or `2001-01-05T10:00:00.000Z`): computed once
   * per kind, then counted. Saves the per-value work on timestamp columns of
   * typed formats, whose values are nearly all distinct.
   */
  private foldTemporal(text: string, kind: 'date' | 'timestamp'): void {
    let known = this.temporalFolds.get(kind);
    if (!known) {
      const first = text.charCodeAt(0);
      known = { shape: valueShape(text), matched: VALUE_MATCHERS.flatMap((m, i) => (m.maybe(text, first) && m.test(text) ? [i] : [])) };
      this.temporalFolds.set(kind, known);
    }
    addShape(this.shapes, known.shape, 1);
    for (const i of known.matched) this.matches[i]++;
  }

  private readonly temporalFolds = new Map<string, { shape: string; matched: number[] }>();

  /** Add another part of the same column (rows read elsewhere). */
  merge(other: ColumnState): void {
    this.rows += other.rows;
    this.nulls += other.nulls;
    this.textValues += other.textValues;
    for (let i = 0; i < KINDS.length; i++) this.kinds[i] += other.kinds[i];
    this.numeric.merge(other.numeric);
    this.temporalMin = Math.min(this.temporalMin, other.temporalMin);
    this.temporalMax = Math.max(this.temporalMax, other.temporalMax);
    this.minLength = Math.min(this.minLength, other.minLength);
    this.maxLength = Math.max(this.maxLength, other.maxLength);
    if (!(this.values.isExact && other.values.isExact)) {
      // One side folds per value already: make both so before the counts are joined.
      this.values.overflow();
      if (other.values.exact) for (const [text, count] of other.values.exact) this.fold(text, count);
    }
    for (let i = 0; i < VALUE_MATCHERS.length; i++) this.matches[i] += other.matches[i];
    for (const [shape, count] of other.shapes) addShape(this.shapes, shape, count);
    this.values.merge(other.values);
  }

  /** Values of each kind. */
  kindCounts(): Record<ValueKind, number> {
    return Object.fromEntries(KINDS.map((k, i) => [k, this.kinds[i]])) as Record<ValueKind, number>;
  }

  /** Matcher counts and shapes over all values: the folded ones plus, while exact, those computed from the distinct values. */
  textStatistics(): { matches: Record<string, number>; shapes: Map<string, number> } {
    const matches = Float64Array.from(this.matches);
    const shapes = new Map(this.shapes);
    if (this.values.exact) {
      for (const [text, count] of this.values.exact) {
        addShape(shapes, valueShape(text), count);
        const first = text.charCodeAt(0);
        for (let i = 0; i < VALUE_MATCHERS.length; i++) {
          const m = VALUE_MATCHERS[i];
          if (m.maybe(text, first) && m.test(text)) matches[i] += count;
        }
      }
    }
    return { matches: Object.fromEntries(VALUE_MATCHERS.map((m, i) => [m.name, matches[i]])), shapes };
  }
}

function addShape(shapes: Map<string, number>, shape: string, count: number): void {
  const known = shapes.get(shape);
  if (known !== undefined) shapes.set(shape, known + count);
  else if (shapes.size < SHAPE_LIMIT) shapes.set(shape, count);
  else shapes.set(OTHER_SHAPES, (shapes.get(OTHER_SHAPES) ?? 0) + count);
}

/** A nested JSON value as text for counting, cut to 200 characters. */
function nestedText(raw: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(raw, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)) ?? String(raw);
  } catch {
    text = Object.prototype.toString.call(raw);
  }
  return text.length > 200 ? text.slice(0, 200) : text;
}
