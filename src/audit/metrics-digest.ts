/**
 * The digest that ties a run's history points to its audit event: SHA-256
 * over the RFC 8785 canonical JSON of the dataset's metric values
 * (`{"missing_count(email)": 3, "row_count": 1000}`). The `check.run` event
 * records it (`details.metrics_digest`); `assay history verify` recomputes
 * it from the stored points of that event.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './chain.js';
import type { MetricValues } from '../history/points.js';

export function metricsDigest(values: MetricValues): string {
  return `sha256:${createHash('sha256').update(canonicalJson(values)).digest('hex')}`;
}
