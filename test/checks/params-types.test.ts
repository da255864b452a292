/**
 * Check parameters are declared once: the JSON Schema properties in each
 * definition are also the TypeScript type of `spec.params`. The
 * `@ts-expect-error` lines are checked by `npm run typecheck` (tsconfig.json
 * covers test/): each fails the typecheck if the type stops following the
 * schema. The runtime part checks the schema side of the same declarations.
 */
import { describe, expect, test } from '@jest/globals';
import freshness from '../../src/checks/freshness.js';
import metric from '../../src/checks/metric.js';
import range from '../../src/checks/range.js';
import { CHECKS } from '../../src/checks/index.js';
import { checkParamsSchema } from '../../src/policy/schema.js';

type RangeParams = Parameters<typeof range.failureText>[0]['params'];
type MetricParams = Parameters<typeof metric.observedLabel>[0]['params'];
type FreshnessParams = Parameters<typeof freshness.observedLabel>[0]['params'];

const rangeOk: RangeParams = { column: 'amount', min: 0, max: '2026-01-01', exclusive: true };
// @ts-expect-error `column` is required by range's schema
const rangeNoColumn: RangeParams = { min: 0 };
// @ts-expect-error `exclusive` is a boolean
const rangeBadExclusive: RangeParams = { column: 'amount', exclusive: 'yes' };
// @ts-expect-error range declares no `regex`
const rangeUnknown: RangeParams = { column: 'amount', regex: 'x' };
const metricOk: MetricParams = { column: 'amount', stat: 'quantile', q: 0.5 };
// @ts-expect-error `stat` is one of the enum's names
const metricBadStat: MetricParams = { column: 'amount', stat: 'average' };
const freshnessOk: FreshnessParams = { source: 'mtime', fail_after: '24h' };
// @ts-expect-error `source` is the const `mtime`
const freshnessBadSource: FreshnessParams = { source: 'ctime' };

describe('check parameters: one declaration, schema and type', () => {
  test('the typed examples are what the schema accepts', () => {
    expect([rangeOk, metricOk, freshnessOk]).toHaveLength(3);
    expect([rangeNoColumn, rangeBadExclusive, rangeUnknown, metricBadStat, freshnessBadSource]).toHaveLength(5);
  });

  test("every check's required keys are among its declared params, and reach its schema", () => {
    for (const check of CHECKS) {
      for (const key of check.required ?? []) expect(Object.keys(check.params)).toContain(key);
      const schema = checkParamsSchema(check) as { properties: Record<string, unknown>; required?: readonly string[] };
      for (const [key, param] of Object.entries(check.params)) expect(schema.properties[key]).toBe(param);
      expect(schema.required ?? []).toEqual(check.required ?? []);
    }
  });
});
