/**
 * A column's state → its report (the JSON contract of `assay profile
 * --format json`, read by the console and HTML renderers and by `suggest`).
 * Values of PII-candidate columns, and of columns a policy classifies, leave
 * here only masked: top values through the partial mask, and no min, max or
 * quantile (each of those is a value of the column).
 */
import { partialMask } from '../access/masks.js';
import type { ColumnType } from '../values/types.js';
import type { ColumnState, ValueKind } from './column.js';
import { detectPii, REPORTED_FORMATS, type PiiCandidate } from './detectors.js';
import { EXACT_DISTINCT_LIMIT, EXACT_QUANTILE_LIMIT, QUANTILE_RELATIVE_ACCURACY, type DistinctEstimate } from './sketches.js';

export const QUANTILES = { p1: 0.01, p5: 0.05, p25: 0.25, p50: 0.5, p75: 0.75, p95: 0.95, p99: 0.99 } as const;
export const TOP_VALUES = 10;
export const TOP_SHAPES = 5;
/** Characters of a masked value left in clear (its end). */
export const MASK_KEEP_LAST = 2;

export interface ColumnProfile {
  name: string;
  /** The narrowest type every non-null value fits, else the one most fit; null for an all-null column. */
  type: ColumnType | null;
  /** Share (0–1) of non-null values that fit `type`. */
  type_share: number;
  /** Non-null values by the narrowest type each one parses as (`other`: nested JSON). */
  kinds: Record<ValueKind, number>;
  /** Non-null values that arrived as text (a declared `string` column reads only those). */
  text_values: number;
  rows: number;
  nulls: number;
  null_percent: number;
  distinct: DistinctEstimate;
  /** Numeric statistics over the values that are numbers; null when there are none or the column is masked. */
  numeric: {
    count: number;
    min: number;
    max: number;
    mean: number;
    stddev: number | null;
    quantiles: Record<keyof typeof QUANTILES, number>;
    quantiles_exact: boolean;
    histogram: number[];
  } | null;
  /** Earliest and latest date or timestamp values (ISO 8601); null when none or masked. */
  temporal: { min: string; max: string } | null;
  /** Length range of the values as text, in code points. */
  length: { min: number; max: number } | null;
  top_values: { value: string; count: number }[];
  /** Counts of top values may be low by at most this much (0 when exact). */
  top_values_max_error: number;
  shapes: { shape: string; count: number }[];
  distinct_shapes: number;
  /** Formats of the `format` check that some value matches, with their share of non-null values. */
  formats: { format: string; share: number }[];
  pii: PiiCandidate[];
  /** True when values of this column are shown only masked (a PII candidate, or classified by a policy). */
  masked: boolean;
  /** Matches per value test, for suggest and the PII measurements. */
  matches: Record<string, number>;
}

const TYPE_ORDER: ColumnType[] = ['integer', 'number', 'boolean', 'date', 'timestamp', 'string'];

export function fitsOf(kinds: Record<ValueKind, number>, textValues: number): Record<ColumnType, number> {
  return {
    integer: kinds.integer,
    number: kinds.integer + kinds.number,
    boolean: kinds.boolean,
    date: kinds.date,
    timestamp: kinds.date + kinds.timestamp,
    string: textValues,
  };
}

export function summarise(state: ColumnState, classified: boolean): ColumnProfile {
  const nonNull = state.rows - state.nulls;
  const kinds = state.kindCounts();
  const fits = fitsOf(kinds, state.textValues);
  let type: ColumnType | null = null;
  if (nonNull > 0) {
    type = TYPE_ORDER.find((t) => fits[t] === nonNull) ?? TYPE_ORDER.reduce((best, t) => (fits[t] > fits[best] ? t : best), 'string' as ColumnType);
  }
  const typeShare = type && nonNull > 0 ? fits[type] / nonNull : 0;
  const { matches, shapes } = state.textStatistics();
  const pii = detectPii({ name: state.name, nonNull, matches, type: type ?? 'string', typeShare });
  const masked = classified || pii.length > 0;
  const top = state.values.top(TOP_VALUES);
  // A masked column's shape is shown only when it hides a letter or digit: a value of punctuation alone would be its own shape.
  const sortedShapes = [...shapes]
    .filter(([shape]) => !masked || /[Aa9]/.test(shape))
    .map(([shape, count]) => ({ shape, count }))
    .sort((a, b) => b.count - a.count || (a.shape < b.shape ? -1 : 1));
  const n = state.numeric;
  let numeric: ColumnProfile['numeric'] = null;
  if (n.count > 0 && !masked) {
    const qs = n.quantiles(Object.values(QUANTILES));
    numeric = {
      count: n.count,
      min: n.min,
      max: n.max,
      mean: n.mean,
      stddev: n.stddev,
      quantiles: Object.fromEntries(Object.keys(QUANTILES).map((k, i) => [k, qs[i]])) as Record<keyof typeof QUANTILES, number>,
      quantiles_exact: n.quantilesExact,
      histogram: histogram(n.min, n.max, n.quantiles(PERCENT_POINTS), n.count),
    };
  }
  return {
    name: state.name,
    type,
    type_share: typeShare,
    kinds,
    text_values: state.textValues,
    rows: state.rows,
    nulls: state.nulls,
    null_percent: state.rows > 0 ? (state.nulls / state.rows) * 100 : 0,
    distinct: state.values.distinct(),
    numeric,
    temporal: state.temporalMax >= state.temporalMin && !masked ? { min: isoOf(state.temporalMin, kinds), max: isoOf(state.temporalMax, kinds) } : null,
    length: nonNull > 0 ? { min: state.minLength, max: state.maxLength } : null,
    top_values: top.values.map((v) => ({ value: masked ? partialMask(v.value, MASK_KEEP_LAST) : v.value, count: v.count })),
    top_values_max_error: top.maxError,
    shapes: sortedShapes.slice(0, TOP_SHAPES),
    distinct_shapes: shapes.size,
    formats: REPORTED_FORMATS.filter((f) => matches[f] > 0)
      .map((format) => ({ format, share: matches[format] / nonNull }))
      .sort((a, b) => b.share - a.share),
    pii,
    masked,
    matches,
  };
}

/** Dates print as days when every temporal value was one. */
function isoOf(ms: number, kinds: Record<ValueKind, number>): string {
  const iso = new Date(ms).toISOString();
  return kinds.timestamp === 0 ? iso.slice(0, 10) : iso;
}

/** 0.5%, 1.5%, … 99.5%: each point stands for 1% of the values. */
const PERCENT_POINTS = Array.from({ length: 100 }, (_, i) => (i + 0.5) / 100);
export const HISTOGRAM_BINS = 20;

/**
 * Values per equal-width bin over [min, max], estimated from the percentiles
 * (each one stands for 1% of the values), so the same code serves exact and
 * sketched quantiles; counts are scaled to the number of values.
 */
function histogram(min: number, max: number, percentiles: number[], count: number): number[] {
  const bins = new Array<number>(HISTOGRAM_BINS).fill(0);
  const width = (max - min) / HISTOGRAM_BINS;
  for (const p of percentiles) {
    const bin = width > 0 ? Math.min(HISTOGRAM_BINS - 1, Math.floor((p - min) / width)) : 0;
    bins[bin] += count / percentiles.length;
  }
  return bins.map((b) => Math.round(b));
}

export function sketchDescription(): { distinct: string; quantiles: string; top_values: string } {
  return {
    distinct: `exact up to ${EXACT_DISTINCT_LIMIT.toLocaleString('en-US')} distinct values per column, then HyperLogLog (2^14 registers, standard error 0.81%)`,
    quantiles: `exact up to ${EXACT_QUANTILE_LIMIT.toLocaleString('en-US')} numbers per column, then DDSketch (relative accuracy ${QUANTILE_RELATIVE_ACCURACY * 100}%)`,
    top_values: `exact while distinct values are counted exactly, then Misra-Gries (1,000 counters; counts may be low by at most top_values_max_error)`,
  };
}
