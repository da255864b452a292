/**
 * The registry of check types: one import per file, in one sorted array.
 * test/checks/registry.test.ts fails when a check lacks a test, a docs entry
 * or an example, or when the published schema is stale.
 */
import type { CheckDefinition } from './define.js';
import { installCheckLookup } from './lookup.js';
import acceptedValues from './accepted-values.js';
import aggregate from './aggregate.js';
import anomaly from './anomaly.js';
import change from './change.js';
import distinctCount from './distinct-count.js';
import duplicateCount from './duplicate-count.js';
import expression from './expression.js';
import format from './format.js';
import freshness from './freshness.js';
import length from './length.js';
import metric from './metric.js';
import missingCount from './missing-count.js';
import missingPercent from './missing-percent.js';
import notNull from './not-null.js';
import pattern from './pattern.js';
import range from './range.js';
import reconcile from './reconcile.js';
import reference from './reference.js';
import rejectedValues from './rejected-values.js';
import rowCount from './row-count.js';
import schema from './schema.js';
import type from './type.js';
import unique from './unique.js';

export const CHECKS: readonly CheckDefinition[] = [
  acceptedValues,
  aggregate,
  anomaly,
  change,
  distinctCount,
  duplicateCount,
  expression,
  format,
  freshness,
  length,
  metric,
  missingCount,
  missingPercent,
  notNull,
  pattern,
  range,
  reconcile,
  reference,
  rejectedValues,
  rowCount,
  schema,
  type,
  unique,
];

const BY_TYPE = new Map(CHECKS.map((c) => [c.type, c]));

export function checkDefinition(type: string): CheckDefinition | undefined {
  return BY_TYPE.get(type);
}

installCheckLookup(checkDefinition);

export const CHECK_TYPES: string[] = CHECKS.map((c) => c.type);
