import acceptedValues from '../../src/checks/accepted-values.js';
import { checkTester } from '../helpers/check-tester.js';

// SPEC §1.2: a row fails when the value is not in `values`; nulls are not evaluated.
checkTester.run(acceptedValues, {
  types: { country: 'string' },
  pass: [
    { name: 'every value listed', data: { country: ['US', 'GB', 'US'] }, params: { column: 'country', values: ['US', 'GB'] }, expected: { observed: 0, evaluated_rows: 3 } },
    { name: 'nulls are not evaluated', data: { country: [null, 'US', null] }, params: { column: 'country', values: ['US'] }, expected: { failed_rows: 0, evaluated_rows: 1 } },
    { name: 'empty table', data: { country: [] }, params: { column: 'country', values: ['US'] }, expected: { failed_rows: 0, evaluated_rows: 0 } },
    { name: 'integer column, values given as numbers', types: { n: 'integer' }, data: { n: ['1', '2', '02'] }, params: { column: 'n', values: [1, 2] }, expected: { failed_rows: 0, evaluated_rows: 3 } },
    { name: 'a string column matches numbers written in YAML as text', data: { country: ['1', '2'] }, params: { column: 'country', values: [1, 2] }, expected: { failed_rows: 0 } },
    { name: 'a date column matches ISO dates', types: { day: 'date' }, data: { day: ['2026-01-05', '2026-01-06'] }, params: { column: 'day', values: ['2026-01-05', '2026-01-06'] }, expected: { failed_rows: 0, evaluated_rows: 2 } },
    { name: 'a boolean column', types: { ok: 'boolean' }, data: { ok: ['true', 'yes', 'false'] }, params: { column: 'ok', values: [true, false] }, expected: { failed_rows: 0, evaluated_rows: 3 } },
    { name: 'fail_when "> 1": one unknown value passes', data: { country: ['US', 'UK'] }, params: { column: 'country', values: ['US'], fail_when: '> 1' }, expected: { failed_rows: 1 } },
  ],
  fail: [
    {
      name: 'comparison is case-sensitive',
      data: { country: ['US', 'UK', 'us', null] },
      params: { column: 'country', values: ['US', 'GB'] },
      expected: { status: 'fail', observed: 2, failed_rows: 2, evaluated_rows: 3, samples: [2, 3], message: '2 of 3 non-null values are not in [US, GB]' },
    },
    { name: 'a timestamp column matches by instant', types: { at: 'timestamp' }, data: { at: ['2026-01-05T10:00:00Z', '2026-01-05T10:00:00+01:00'] }, params: { column: 'at', values: ['2026-01-05T10:00:00Z'] }, expected: { status: 'fail', failed_rows: 1, evaluated_rows: 2, samples: [2] } },
    {
      name: 'where restricts the rows',
      types: { amount: 'number' },
      data: { country: ['XX', 'YY', 'US'], amount: ['0', '5', '5'] },
      params: { column: 'country', values: ['US'], where: 'd.amount > 0' },
      expected: { status: 'fail', failed_rows: 1, evaluated_rows: 2, samples: [2], message: '1 of 2 non-null values in scope are not in [US]' },
    },
    { name: 'warn_when "> 10%" warns', data: { country: ['US', 'US', 'US', 'US', 'UK'] }, params: { column: 'country', values: ['US'], fail_when: '> 50%', warn_when: '> 10%' }, expected: { status: 'warn', failed_rows: 1, evaluated_rows: 5 } },
  ],
  invalid: [
    { params: { column: 'country' }, errors: ['check.yaml:7:7: checks[0].accepted_values: missing required key "values"'] },
    { params: { column: 'country', values: [] }, errors: ['check.yaml:8:15: checks[0].accepted_values.values: must NOT have fewer than 1 items'] },
    { types: { n: 'integer' }, params: { column: 'n', values: [1, 'two'] }, errors: ['check.yaml:9:9: checks[0].accepted_values.values: "two" is not an integer; column "n" is declared as integer'] },
  ],
});
