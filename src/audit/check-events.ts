/**
 * The `check.run` events of a run: one per dataset, with counts, check ids
 * and statuses, the data's fingerprint and the run id. No messages, observed
 * values or samples: those can contain cell values.
 */
import type { RunReport } from '../report/model.js';
import type { AuditEventInput } from './event.js';
import { metricsDigest } from './metrics-digest.js';
import type { MetricValues } from '../history/points.js';

/**
 * `metrics`: each dataset's measured values as history stores them; the
 * event records their count and digest (not the values), so every history
 * point can be verified against the event (`assay history verify`).
 */
export function checkRunEvents(report: RunReport, metrics?: ReadonlyMap<string, MetricValues>): AuditEventInput[] {
  return report.datasets.map((dataset) => {
    const count = (status: string) => dataset.checks.filter((c) => c.status === status).length;
    return {
      action: 'check.run',
      dataset: dataset.name,
      outcome: dataset.status,
      data_fingerprint: dataset.fingerprint,
      details: {
        run_id: report.run.id,
        now: report.run.now,
        principal: report.run.principal,
        source: dataset.source,
        rows: dataset.rows,
        data_readable: dataset.error === undefined,
        // Compliance evidence comes only from runs over the declared source (compliance/evidence.ts).
        data_override: dataset.data_override === true,
        summary: { checks: dataset.checks.length, pass: count('pass'), warn: count('warn'), fail: count('fail'), error: count('error') },
        results: Object.fromEntries(dataset.checks.map((c) => [c.id, c.status])),
        ...(metrics?.has(dataset.name) ? { metrics: Object.keys(metrics.get(dataset.name)!).length, metrics_digest: metricsDigest(metrics.get(dataset.name)!) } : {}),
      },
    };
  });
}
