/**
 * The quality and metadata half of `assay diff`: datasets, columns, checks,
 * owners, classifications and freshness SLAs of two validated policy sets,
 * matched by dataset name, column name and check id. Access is compared by
 * access-diff.ts from decisions, not from text.
 *
 * Each check parameter has a direction: a lower `min`, a higher `max`, a
 * lower `mostly`, a longer `fail_after` lets more through. A parameter whose
 * direction assay cannot know (a regex, an expression, a `where`) counts as
 * loosened when it changes: a gate must not pass a change no one can prove
 * harmless.
 */
import type { CheckSpec, ColumnSpec, DatasetSpec, PolicySet } from '../policy/types.js';
import { parseCondition } from '../checks/thresholds.js';
import { INVALID, parseTimestamp } from '../values/grammar.js';
import { parseDuration } from '../util/duration.js';
import type { Change } from './model.js';

export function diffPolicies(before: PolicySet, after: PolicySet): Change[] {
  const changes: Change[] = [];
  const afterByName = new Map(after.datasets.map((d) => [d.name, d]));
  const beforeNames = new Set(before.datasets.map((d) => d.name));
  for (const old of before.datasets) {
    const next = afterByName.get(old.name);
    if (!next) changes.push({ class: 'breaking', kind: 'dataset-removed', dataset: old.name, message: `dataset "${old.name}" removed` });
    else changes.push(...diffDataset(old, next));
  }
  for (const added of after.datasets) {
    if (!beforeNames.has(added.name)) changes.push({ class: 'added', kind: 'dataset-added', dataset: added.name, message: `dataset "${added.name}" added` });
  }
  return changes;
}

function diffDataset(old: DatasetSpec, next: DatasetSpec): Change[] {
  const dataset = old.name;
  const changes: Change[] = [];
  const note = (change: Omit<Change, 'dataset'>) => changes.push({ dataset, ...change });

  if (old.owner && !next.owner) note({ class: 'weakened', kind: 'owner-removed', message: `owner "${old.owner}" removed`, before: old.owner });
  else if (old.owner !== next.owner)
    note({
      class: next.owner && !old.owner ? 'tightened' : 'other',
      kind: 'owner-changed',
      message: `owner changed from ${quote(old.owner)} to ${quote(next.owner)}`,
      before: old.owner,
      after: next.owner,
    });
  if (old.description !== next.description)
    note({ class: 'other', kind: 'description-changed', message: 'description changed', before: old.description, after: next.description });
  for (const tag of old.tags.filter((t) => !next.tags.includes(t)))
    note({ class: 'other', kind: 'tag-removed', message: `tag "${tag}" removed (access effects are listed as widened when any)`, before: tag });
  for (const tag of next.tags.filter((t) => !old.tags.includes(t))) note({ class: 'other', kind: 'tag-added', message: `tag "${tag}" added`, after: tag });
  for (const up of old.upstream.filter((u) => !next.upstream.includes(u)))
    note({ class: 'other', kind: 'upstream-removed', message: `upstream "${up}" removed`, before: up });
  for (const up of next.upstream.filter((u) => !old.upstream.includes(u)))
    note({ class: 'other', kind: 'upstream-added', message: `upstream "${up}" added`, after: up });
  for (const control of old.controls.filter((c) => !next.controls.includes(c)))
    note({ class: 'weakened', kind: 'control-removed', message: `no longer evidences control "${control}"`, before: control });
  if (JSON.stringify(old.source) !== JSON.stringify(next.source))
    note({ class: 'other', kind: 'source-changed', message: 'source changed', before: old.source, after: next.source });
  if (JSON.stringify(old.key) !== JSON.stringify(next.key))
    note({
      class: 'other',
      kind: 'key-changed',
      message: `key changed from [${old.key.join(', ')}] to [${next.key.join(', ')}]`,
      before: old.key,
      after: next.key,
    });

  const added = Object.keys(next.columns).filter((c) => !Object.hasOwn(old.columns, c));
  for (const [column, spec] of Object.entries(old.columns)) {
    if (!Object.hasOwn(next.columns, column)) {
      const renamed = added.filter((a) => next.columns[a].type === spec.type);
      const hint = renamed.length > 0 ? ` (renamed to ${renamed.map((r) => `"${r}"`).join(' or ')}?)` : '';
      note({ class: 'breaking', kind: 'column-removed', column, message: `column "${column}" removed${hint}` });
      continue;
    }
    changes.push(...diffColumn(dataset, column, spec, next.columns[column]));
  }
  for (const column of added) note({ class: 'added', kind: 'column-added', column, message: `column "${column}" added` });

  const nextChecks = new Map(next.checks.map((c) => [c.id, c]));
  const oldIds = new Set(old.checks.map((c) => c.id));
  for (const check of old.checks) {
    const after = nextChecks.get(check.id);
    // A column that is gone takes its checks with it: reported once, as breaking.
    if (check.column !== undefined && !Object.hasOwn(next.columns, check.column) && Object.hasOwn(old.columns, check.column) && !after) continue;
    if (!after || after.type !== check.type) changes.push(checkRemoved(check));
    else changes.push(...diffCheck(check, after));
  }
  for (const check of next.checks) {
    if (!oldIds.has(check.id))
      note({ class: 'added', kind: 'check-added', check: check.id, column: check.column, message: `check "${check.id}" (${check.type}) added` });
  }
  return changes;
}

function diffColumn(dataset: string, column: string, old: ColumnSpec, next: ColumnSpec): Change[] {
  const changes: Change[] = [];
  if (old.type !== next.type) {
    changes.push({
      class: 'breaking',
      kind: 'type-changed',
      dataset,
      column,
      message: `column "${column}" type changed from ${old.type ?? '(undeclared)'} to ${next.type ?? '(undeclared)'}`,
      before: old.type,
      after: next.type,
    });
  }
  const oldClasses = old.classification ?? [];
  const nextClasses = next.classification ?? [];
  for (const c of oldClasses.filter((c) => !nextClasses.includes(c))) {
    changes.push({ class: 'weakened', kind: 'classification-removed', dataset, column, message: `column "${column}" no longer classified "${c}"`, before: c });
  }
  for (const c of nextClasses.filter((c) => !oldClasses.includes(c))) {
    changes.push({ class: 'tightened', kind: 'classification-added', dataset, column, message: `column "${column}" classified "${c}"`, after: c });
  }
  if (old.description !== next.description)
    changes.push({ class: 'other', kind: 'description-changed', dataset, column, message: `column "${column}" description changed` });
  return changes;
}

function checkRemoved(check: CheckSpec): Change {
  const freshness = check.type === 'freshness';
  return {
    class: freshness ? 'weakened' : 'loosened',
    kind: freshness ? 'freshness-removed' : 'check-removed',
    dataset: check.dataset,
    column: check.column,
    check: check.id,
    message: freshness ? `freshness SLA "${check.id}" removed` : `check "${check.id}" (${check.type}) removed`,
  };
}

/** Parameters that are bounds: a lower `lower` or a higher `upper` lets more through. */
const LOWER_BOUNDS = new Set(['min', 'min_percent', 'min_delta']);
const UPPER_BOUNDS = new Set(['max', 'max_percent', 'max_delta', 'tolerance', 'sensitivity', 'min_history']);
/** Durations: longer lets more through. */
const DURATIONS = new Set(['warn_after', 'fail_after']);
/** fail > warn > allow for the schema check's settings. */
const SCHEMA_LEVELS = ['allow', 'warn', 'fail'];
/** Reported elsewhere, or not a rule: the column's type (column level), how many samples a report keeps. */
const IGNORED = new Set(['samples', 'description', 'name']);

type Direction = 'looser' | 'tighter' | 'unknown' | 'same';

function diffCheck(old: CheckSpec, next: CheckSpec): Change[] {
  const changes: Change[] = [];
  const base = { dataset: old.dataset, column: old.column, check: old.id };
  const freshness = old.type === 'freshness';
  const report = (key: string, direction: Direction, before: unknown, after: unknown) => {
    if (direction === 'same') return;
    const looser = direction !== 'tighter';
    const klass = !looser ? 'tightened' : freshness ? 'weakened' : 'loosened';
    const how =
      direction === 'unknown' ? 'changed; assay cannot tell it is not looser, so it counts as loosened' : direction === 'looser' ? 'loosened' : 'tightened';
    const kind =
      direction === 'unknown'
        ? 'rule-changed'
        : freshness
          ? looser
            ? 'freshness-widened'
            : 'freshness-tightened'
          : looser
            ? 'bound-widened'
            : 'bound-tightened';
    changes.push({ ...base, class: klass, kind, message: `check "${old.id}": ${key} ${show(before)} → ${show(after)} (${how})`, before, after });
  };
  const params = new Set([...Object.keys(old.params), ...Object.keys(next.params)]);
  for (const key of params) {
    if (IGNORED.has(key) || (old.type === 'type' && key === 'type')) continue;
    const a = old.params[key];
    const b = next.params[key];
    if (key === 'warn' && (isObject(a) || a === undefined) && (isObject(b) || b === undefined)) {
      for (const [k, dir, x, y] of boundDirections(a ?? {}, b ?? {})) report(`warn.${k}`, dir, x, y);
      continue;
    }
    if (key === 'between' || key === 'min' || key === 'max') continue; // compared together below
    report(key, paramDirection(old.type, key, a, b), a, b);
  }
  for (const [k, dir, x, y] of boundDirections(old.params, next.params)) report(k, dir, x, y);
  // Common options.
  if (old.severity !== next.severity)
    changes.push({
      ...base,
      class: next.severity === 'warn' ? 'loosened' : 'tightened',
      kind: next.severity === 'warn' ? 'severity-lowered' : 'severity-raised',
      message: `check "${old.id}": severity ${old.severity} → ${next.severity}`,
      before: old.severity,
      after: next.severity,
    });
  const mostly = compareNumbers(old.mostly ?? 100, next.mostly ?? 100);
  if (mostly !== 0)
    changes.push({
      ...base,
      class: mostly > 0 ? 'loosened' : 'tightened',
      kind: mostly > 0 ? 'mostly-lowered' : 'mostly-raised',
      message: `check "${old.id}": mostly ${old.mostly ?? 100} → ${next.mostly ?? 100}`,
      before: old.mostly,
      after: next.mostly,
    });
  if (old.where !== next.where) report('where', next.where === undefined ? 'tighter' : 'unknown', old.where, next.where);
  for (const key of ['fail_when', 'warn_when'] as const) if (old[key] !== next[key]) report(key, conditionDirection(old[key], next[key]), old[key], next[key]);
  for (const control of old.controls.filter((c) => !next.controls.includes(c))) {
    changes.push({
      ...base,
      class: 'weakened',
      kind: 'control-removed',
      message: `check "${old.id}" no longer evidences control "${control}"`,
      before: control,
    });
  }
  return changes;
}

function paramDirection(type: string, key: string, a: unknown, b: unknown): Direction {
  if (JSON.stringify(a) === JSON.stringify(b)) return 'same';
  if (UPPER_BOUNDS.has(key)) return boundDirection(a, b, 'upper', key === 'tolerance');
  if (LOWER_BOUNDS.has(key)) return boundDirection(a, b, 'lower');
  if (DURATIONS.has(key)) {
    if (b === undefined) return 'looser';
    if (a === undefined) return 'tighter';
    const [x, y] = [parseDuration(String(a)), parseDuration(String(b))];
    return x === undefined || y === undefined ? 'unknown' : x === y ? 'same' : y > x ? 'looser' : 'tighter';
  }
  if (key === 'values' && Array.isArray(a) && Array.isArray(b)) {
    const grows = b.some((v) => !a.some((w) => JSON.stringify(w) === JSON.stringify(v)));
    const shrinks = a.some((v) => !b.some((w) => JSON.stringify(w) === JSON.stringify(v)));
    // More accepted values, or fewer rejected ones, let more rows through.
    const looser = type === 'rejected_values' ? shrinks : grows;
    const tighter = type === 'rejected_values' ? grows : shrinks;
    return looser ? 'looser' : tighter ? 'tighter' : 'same';
  }
  if (key === 'exclusive') return b === true ? 'tighter' : 'looser';
  if (type === 'schema' && ['extra_columns', 'missing_columns', 'types'].includes(key)) {
    const level = (v: unknown) => SCHEMA_LEVELS.indexOf(String(v ?? 'fail'));
    return level(b) < level(a) ? 'looser' : level(b) > level(a) ? 'tighter' : 'same';
  }
  return 'unknown';
}

/** min/max/between (and warn's) as one lower and one upper bound. */
function boundDirections(a: Record<string, unknown>, b: Record<string, unknown>): [string, Direction, unknown, unknown][] {
  const lower = (p: Record<string, unknown>) => (Array.isArray(p.between) ? p.between[0] : p.min);
  const upper = (p: Record<string, unknown>) => (Array.isArray(p.between) ? p.between[1] : p.max);
  const out: [string, Direction, unknown, unknown][] = [];
  const lo = boundDirection(lower(a), lower(b), 'lower');
  if (lo !== 'same') out.push(['min', lo, lower(a), lower(b)]);
  const hi = boundDirection(upper(a), upper(b), 'upper');
  if (hi !== 'same') out.push(['max', hi, upper(a), upper(b)]);
  return out;
}

function boundDirection(a: unknown, b: unknown, side: 'lower' | 'upper', percentText = false): Direction {
  if (JSON.stringify(a) === JSON.stringify(b)) return 'same';
  if (b === undefined) return 'looser';
  if (a === undefined) return 'tighter';
  const cmp = compareValues(a, b, percentText);
  if (cmp === undefined) return 'unknown';
  if (cmp === 0) return 'same';
  // cmp > 0: b is smaller.
  return (side === 'lower') === cmp > 0 ? 'looser' : 'tighter';
}

/** a − b as a sign: numbers, ISO dates or timestamps, or (`tolerance`) `0.5%` texts of the same unit. */
function compareValues(a: unknown, b: unknown, percentText: boolean): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return compareNumbers(a, b);
  if (percentText) {
    const pa = /%$/.test(String(a));
    const pb = /%$/.test(String(b));
    if (pa !== pb) return undefined;
    const [x, y] = [Number(String(a).replace('%', '')), Number(String(b).replace('%', ''))];
    return Number.isFinite(x) && Number.isFinite(y) ? compareNumbers(x, y) : undefined;
  }
  if (typeof a === 'string' && typeof b === 'string') {
    const x = parseTimestamp(a);
    const y = parseTimestamp(b);
    if (x !== INVALID && y !== INVALID) return compareNumbers(x.getTime(), y.getTime());
  }
  return undefined;
}

function compareNumbers(a: number, b: number): number {
  return a === b ? 0 : a > b ? 1 : -1;
}

/**
 * `failed_rows > N` style conditions fail when the observed value exceeds N:
 * a larger N with the same comparator (`>`/`>=`) is looser, a smaller one
 * tighter. Anything else cannot be ordered.
 */
function conditionDirection(a: string | undefined, b: string | undefined): Direction {
  if (a === b) return 'same';
  if (b === undefined || a === undefined) return 'unknown';
  const [x, y] = [parseCondition(a), parseCondition(b)];
  if (!x || !y || x.comparator !== y.comparator || x.percent !== y.percent || !['>', '>='].includes(x.comparator)) return 'unknown';
  return y.value > x.value ? 'looser' : y.value < x.value ? 'tighter' : 'same';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function quote(v: string | undefined): string {
  return v === undefined ? '(none)' : `"${v}"`;
}

function show(v: unknown): string {
  return v === undefined ? '(none)' : JSON.stringify(v);
}
