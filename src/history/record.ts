/**
 * The check's history step: the run's metric values become stored points,
 * each carrying the run's `now`, its id, the data's fingerprint and the hash
 * of its dataset's `check.run` audit event (SPEC §6).
 */
import type { AuditEvent } from '../audit/event.js';
import type { RunReport } from '../report/model.js';
import type { MetricValues } from './points.js';
import type { HistoryStore, StoredPoint } from './store.js';

export function runPoints(report: RunReport, metrics: ReadonlyMap<string, MetricValues>, events: readonly AuditEvent[]): StoredPoint[] {
  const points: StoredPoint[] = [];
  for (const dataset of report.datasets) {
    const values = metrics.get(dataset.name);
    if (!values) continue;
    const event = events.find((e) => e.action === 'check.run' && e.dataset === dataset.name && (e.details as { run_id?: unknown }).run_id === report.run.id);
    for (const [metric, value] of Object.entries(values)) {
      points.push({ dataset: dataset.name, metric, value, run_id: report.run.id, time: report.run.now, fingerprint: dataset.fingerprint, audit_hash: event?.hash ?? null });
    }
  }
  return points;
}

/** Append the run's points to the store; returns how many were added. */
export function recordHistory(store: HistoryStore, run: { report: RunReport; metrics: ReadonlyMap<string, MetricValues> }, events: readonly AuditEvent[]): Promise<number> {
  return store.append(runPoints(run.report, run.metrics, events));
}
