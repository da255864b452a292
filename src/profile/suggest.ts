/**
 * `assay suggest`: a draft `kind: dataset` document from a profile. Each rule
 * is one a data engineer would write first (type, required, unique, values,
 * min/max, length, format, classification, freshness, row_count), holds on
 * every row read, and carries its evidence as a comment.
 *
 * With a holdout the rules are learned on one part of the rows and kept only
 * if they also hold on the other (profile.ts splits the rows by a seeded
 * hash). A rule learned on one part that holds on the other holds on the
 * whole, so the draft still passes on its data.
 */
import { stringify } from 'yaml';
import type { ColumnType } from '../values/types.js';
import type { FileSource } from '../policy/types.js';
import type { ProfileReport, ProfileResult } from './profile.js';
import { oneLine } from '../util/one-line.js';
import { number, percent } from './render.js';
import type { ColumnProfile } from './summary.js';

/** At most this many distinct values make a `values:` list. */
export const MAX_SUGGESTED_VALUES = 10;
/** A `values:` list needs each value seen this many times on average (so ids are not listed). */
const MIN_ROWS_PER_VALUE = 3;
/** Formats a column may be given, most specific first. */
const FORMAT_PRIORITY = ['email', 'uuid', 'iban', 'credit_card', 'e164_phone', 'ipv4', 'ipv6', 'url', 'iso_timestamp', 'iso_date'];
/** Words of a column name that say it records when something happened. */
const EVENT_TIME_WORDS = new Set([
  'created',
  'updated',
  'modified',
  'event',
  'time',
  'timestamp',
  'ts',
  'at',
  'occurred',
  'loaded',
  'ingested',
  'inserted',
  'received',
  'sent',
  'logged',
  'date',
  'datetime',
]);
/** Freshness is suggested when the newest event is at most this old. */
const FRESH_ENOUGH_MS = 30 * 86_400_000;

export interface Rule {
  /** The column property (`type`, `min`…), or `freshness` / `row_count` for the dataset. */
  key: string;
  value: unknown;
  evidence: string;
}

export interface Suggestion {
  name: string;
  columns: { name: string; rules: Rule[] }[];
  freshness: { rule: Rule | null; note: string | null };
  rowCount: Rule;
  /** Rules learned, and those kept (equal without a holdout). */
  learned: number;
  kept: number;
  holdout: { fraction: number; seed: number; rows: number } | null;
}

export interface SuggestOptions {
  name: string;
  now: Date;
}

export function suggestPolicy(result: ProfileResult, options: SuggestOptions): Suggestion {
  const whole = result.report;
  const learn = result.split?.learn ?? whole;
  const holdout = result.split?.holdout ?? null;
  let learned = 0;
  let kept = 0;
  const columns = learn.columns.map((column) => {
    const all = whole.columns.find((c) => c.name === column.name)!;
    const check = holdout?.columns.find((c) => c.name === column.name) ?? null;
    const candidates = columnRules(column, all);
    learned += candidates.length;
    const rules = candidates
      .filter((r) => !check || holdsOn(r, check, column))
      .map((r) => (check ? { ...r, evidence: `${r.evidence}; held on the holdout` } : r));
    kept += rules.length;
    return { name: column.name, rules };
  });
  const freshness = freshnessRule(whole, options.now);
  return {
    name: options.name,
    columns,
    freshness,
    rowCount: rowCountRule(whole.rows),
    learned: learned + 1,
    kept: kept + 1,
    holdout: result.split ? { fraction: result.split.fraction, seed: result.split.seed, rows: result.split.holdout.rows } : null,
  };
}

function columnRules(c: ColumnProfile, whole: ColumnProfile): Rule[] {
  const rules: Rule[] = [];
  const nonNull = c.rows - c.nulls;
  if (c.rows > 0 && c.nulls === 0 && whole.nulls === 0) rules.push({ key: 'required', value: true, evidence: `no nulls in ${number(c.rows)} rows` });
  // Everything below relies on a declared type that every value fits.
  if (c.type === null || c.type_share < 1 || nonNull === 0 || whole.type !== c.type || whole.type_share < 1) return rules;
  const type = c.type;
  rules.unshift({
    key: 'type',
    value: type,
    evidence: `${number(nonNull)} of ${number(nonNull)} non-null values ${type === 'string' ? 'are text' : `parse as ${type}`}`,
  });
  const wholeNonNull = whole.rows - whole.nulls;
  if ((type === 'integer' || type === 'string') && c.distinct.exact && whole.distinct.exact && whole.distinct.count === wholeNonNull && wholeNonNull >= 10) {
    rules.push({ key: 'unique', value: true, evidence: `${number(c.distinct.count)} distinct values in ${number(nonNull)} non-null values` });
  }
  if (type === 'string' && !c.masked && c.distinct.exact && c.distinct.count <= MAX_SUGGESTED_VALUES && nonNull >= MIN_ROWS_PER_VALUE * c.distinct.count) {
    const values = c.top_values.map((v) => v.value).sort();
    rules.push({ key: 'values', value: values, evidence: `${c.distinct.count} distinct values in ${number(nonNull)} non-null values` });
  }
  if ((type === 'integer' || type === 'number') && c.numeric) {
    const integer = type === 'integer';
    rules.push({ key: 'min', value: roundDown(c.numeric.min, integer), evidence: `smallest value ${number(c.numeric.min)}, rounded down` });
    rules.push({ key: 'max', value: roundUp(c.numeric.max, integer), evidence: `largest value ${number(c.numeric.max)}, rounded up` });
  }
  if ((type === 'date' || type === 'timestamp') && c.temporal) {
    const year = c.temporal.min.slice(0, 4);
    rules.push({ key: 'min', value: `${year}-01-01`, evidence: `earliest ${c.temporal.min}, rounded down to the year (no max: new data is later)` });
  }
  if (type === 'string' && c.length) {
    rules.push({
      key: 'length',
      value: { min: c.length.min, max: c.length.max },
      evidence: c.length.min === c.length.max ? `every value has ${c.length.min} characters` : `lengths seen: ${c.length.min} to ${c.length.max} characters`,
    });
  }
  if (type === 'string') {
    const format = FORMAT_PRIORITY.find((f) => c.matches[f] === nonNull && whole.matches[f] === wholeNonNull);
    if (format) rules.push({ key: 'format', value: format, evidence: `all ${number(nonNull)} non-null values are valid ${format}` });
  }
  const classifications = [...new Set(whole.pii.map((p) => p.classification))];
  if (classifications.length > 0) {
    const why = whole.pii
      .map((p) => `${p.detector}: ${percent(p.share)} of values match${p.hint ? `, name hint "${p.hint}"` : ''}, confidence ${p.confidence}`)
      .join('; ');
    rules.push({ key: 'classification', value: classifications, evidence: `PII candidate (${why})` });
  }
  return rules;
}

/** Whether a rule learned on one part holds on the other part `c`. */
function holdsOn(rule: Rule, c: ColumnProfile, learnedFrom: ColumnProfile): boolean {
  const nonNull = c.rows - c.nulls;
  switch (rule.key) {
    case 'required':
      return c.nulls === 0;
    case 'type':
      return (
        nonNull === 0 ||
        (c.type === rule.value && c.type_share === 1) ||
        (rule.value === 'number' && c.type === 'integer') ||
        (rule.value === 'timestamp' && c.type === 'date')
      );
    case 'unique':
      return c.distinct.exact && c.distinct.count === nonNull;
    case 'values':
      return c.distinct.exact && c.top_values.every((v) => (rule.value as string[]).includes(v.value)) && c.distinct.count <= c.top_values.length;
    case 'min':
      if (c.numeric) return c.numeric.min >= (rule.value as number);
      return !c.temporal || c.temporal.min >= String(rule.value);
    case 'max':
      return !c.numeric || c.numeric.max <= (rule.value as number);
    case 'length': {
      const { min, max } = rule.value as { min: number; max: number };
      return !c.length || (c.length.min >= min && c.length.max <= max);
    }
    case 'format':
      return c.matches[rule.value as string] === nonNull;
    case 'classification':
      return learnedFrom.pii.length > 0; // a classification protects the whole column: kept when the learning part found it
    default:
      return true;
  }
}

/** Two significant digits, away from the data: 3.27 → 3.2, 1234 → 1200 (min); 97.4 → 98, 1234 → 1300 (max). */
export function roundDown(x: number, integer: boolean): number {
  return nice(x, Math.floor, integer);
}
export function roundUp(x: number, integer: boolean): number {
  return nice(x, Math.ceil, integer);
}
function nice(x: number, round: (n: number) => number, integer: boolean): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  const magnitude = 10 ** (Math.floor(Math.log10(Math.abs(x))) - 1);
  let bound = round(x / magnitude) * magnitude;
  bound = Number(bound.toPrecision(12)); // drop binary noise (0.30000000000000004)
  // Rounding noise must never make the bound tighter than the data.
  if (round === Math.floor && bound > x) bound = x;
  if (round === Math.ceil && bound < x) bound = x;
  return integer ? round(bound) : bound;
}

function freshnessRule(report: ProfileReport, now: Date): Suggestion['freshness'] {
  const candidates = report.columns.filter(
    (c) =>
      (c.type === 'timestamp' || c.type === 'date') &&
      c.type_share === 1 &&
      c.temporal &&
      !c.masked &&
      c.name
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .some((w) => EVENT_TIME_WORDS.has(w)),
  );
  const column = candidates.sort((a, b) => (b.temporal!.max < a.temporal!.max ? -1 : 1))[0];
  if (!column) return { rule: null, note: null };
  const newest = Date.parse(column.temporal!.max);
  const age = now.getTime() - newest;
  if (age > FRESH_ENOUGH_MS || age < 0) {
    return {
      rule: null,
      note: `${column.name} looks like an event time, but its newest value (${column.temporal!.max}) is ${Math.round(age / 86_400_000)} days from now: a freshness rule would fail today. When new data arrives daily, add: freshness: { column: ${JSON.stringify(column.name)}, warn_after: 24h, fail_after: 48h }`,
    };
  }
  const days = Math.max(2, Math.ceil((2 * age) / 86_400_000));
  return {
    rule: {
      key: 'freshness',
      value: { column: column.name, warn_after: `${Math.max(1, Math.ceil(days / 2))}d`, fail_after: `${days}d` },
      evidence: `${column.name} looks like an event time; its newest value ${column.temporal!.max} is ${(age / 3_600_000).toFixed(1)}h old`,
    },
    note: null,
  };
}

function rowCountRule(rows: number): Rule {
  const min = Math.max(rows > 0 ? 1 : 0, Math.floor(rows / 2));
  return { key: 'row_count', value: { min, max: Math.max(1, rows * 2) }, evidence: `${number(rows)} rows read; bounds at half and twice that` };
}

/** YAML for a value: a flow collection or a scalar, quoted when it must be. */
function yamlValue(value: unknown): string {
  return stringify(value, { collectionStyle: 'flow', lineWidth: 0 }).trimEnd();
}

function yamlKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key) && !['true', 'false', 'null', 'yes', 'no', 'on', 'off', 'y', 'n'].includes(key.toLowerCase())
    ? key
    : JSON.stringify(key);
}

/**
 * Text inside a YAML comment: one inert line. File and column names come
 * from the data (a file named `x\nchecks: …` in a pull request): a line
 * break would end the comment and add keys to the draft, and YAML 1.1
 * readers also break lines at U+0085, U+2028 and U+2029.
 */
function commentText(text: string): string {
  return oneLine(text.replace(/[\r\n]+/g, ' '));
}

/** The comment of a rule: its evidence. */
function comment(text: string): string {
  return `  # ${commentText(text)}`;
}

export function renderSuggestion(s: Suggestion, header: { source: FileSource; data: string; rows: number; now: Date }): string {
  const lines: string[] = [
    `# Draft written by assay suggest from ${commentText(header.data)} (${number(header.rows)} rows) at ${header.now.toISOString()}.`,
    '# Every rule holds on that data; review each one (the comments give the evidence) before relying on it.',
  ];
  if (s.holdout)
    lines.push(
      `# Rules were learned on ${percent(1 - s.holdout.fraction)} of the rows and kept only if they held on the other ${number(s.holdout.rows)} (seed ${s.holdout.seed}): ${s.kept} of ${s.learned} kept.`,
    );
  lines.push('kind: dataset', `name: ${yamlValue(s.name)}`, 'source:', `  path: ${yamlValue(header.source.path)}`);
  if (header.source.format) lines.push(`  format: ${header.source.format}`);
  if (header.source.options && Object.keys(header.source.options).length > 0) lines.push(`  options: ${yamlValue(header.source.options)}`);
  lines.push('columns:');
  for (const column of s.columns) {
    if (column.rules.length === 0) {
      lines.push(`  ${yamlKey(column.name)}: {}  # no rule holds on every value`);
      continue;
    }
    lines.push(`  ${yamlKey(column.name)}:`);
    for (const rule of column.rules) lines.push(`    ${rule.key}: ${yamlValue(rule.value)}${comment(rule.evidence)}`);
  }
  if (s.freshness.rule) lines.push(`freshness: ${yamlValue(s.freshness.rule.value)}${comment(s.freshness.rule.evidence)}`);
  else if (s.freshness.note) lines.push(`# ${commentText(s.freshness.note)}`);
  lines.push('checks:', `  - row_count: ${yamlValue(s.rowCount.value)}${comment(s.rowCount.evidence)}`);
  return `${lines.join('\n')}\n`;
}

export type { ColumnType };
