/**
 * Backfill from earlier JSON reports (`assay history import`): each report's
 * datasets become points at that report's `run.now`. A report with a
 * `metrics` section gives exactly what the run measured; an older one gives
 * what it shows: `row_count`, each column's `missing_count`/`missing_percent`
 * and each row check's `failed_rows`. A report file is untrusted input: its
 * shape is checked and every problem names the file.
 */
import type { AuditEvent } from '../audit/event.js';
import { AssayError } from '../util/diagnostics.js';
import type { MetricValues } from './points.js';
import type { StoredPoint } from './store.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The points of one parsed report; `events`: check.run events of the audit log, to attach each dataset's audit hash. */
export function reportPoints(file: string, report: unknown, events: readonly AuditEvent[] = []): StoredPoint[] {
  const bad = (what: string) => new AssayError('usage', `${file}: not an assay JSON report: ${what}`, 'give assay-report.json files written by assay check');
  if (!isObject(report) || !isObject(report.run) || !Array.isArray(report.datasets)) throw bad('expected "run" and "datasets"');
  const { id, now } = report.run;
  if (typeof id !== 'string' || id === '') throw bad('"run.id" is not a string');
  if (typeof now !== 'string' || Number.isNaN(Date.parse(now))) throw bad('"run.now" is not a time');
  const time = new Date(now).toISOString();
  const points: StoredPoint[] = [];
  report.datasets.forEach((dataset, i) => {
    if (!isObject(dataset) || typeof dataset.name !== 'string') throw bad(`"datasets[${i}].name" is not a string`);
    if (!isNumber(dataset.rows)) return; // unread data: nothing was measured
    const values = isObject(dataset.metrics) ? given(dataset.metrics) : derived(dataset);
    const fingerprint = typeof dataset.fingerprint === 'string' ? dataset.fingerprint : null;
    const event = events.find((e) => e.action === 'check.run' && e.dataset === dataset.name && (e.details as Json).run_id === id);
    for (const [metric, value] of Object.entries(values)) {
      points.push({ dataset: dataset.name, metric, value, run_id: id, time, fingerprint, audit_hash: event?.hash ?? null });
    }
  });
  return points;
}

function given(metrics: Json): MetricValues {
  return Object.fromEntries(Object.entries(metrics).filter(([, v]) => isNumber(v))) as MetricValues;
}

/** What a report without a `metrics` section shows, under the same keys. */
function derived(dataset: Json): MetricValues {
  const out: MetricValues = { row_count: dataset.rows as number };
  if (isObject(dataset.columns)) {
    for (const [column, c] of Object.entries(dataset.columns)) {
      if (!isObject(c)) continue;
      if (isNumber(c.missing)) out[`missing_count(${column})`] = c.missing;
      if (isNumber(c.missing_percent)) out[`missing_percent(${column})`] = c.missing_percent;
    }
  }
  for (const check of Array.isArray(dataset.checks) ? dataset.checks : []) {
    if (isObject(check) && typeof check.id === 'string' && isNumber(check.failed_rows)) out[`failed_rows(${check.id})`] = check.failed_rows;
  }
  return out;
}
