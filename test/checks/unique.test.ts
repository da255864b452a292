import unique from '../../src/checks/unique.js';
import { checkTester } from '../helpers/check-tester.js';

// SPEC §1.2: a row fails when its non-null key occurs more than once; every
// occurrence fails; rows with a null in the key are not evaluated.
checkTester.run(unique, {
  types: { id: 'integer', region: 'string' },
  pass: [
    { name: 'distinct keys', data: { id: ['1', '2', '3'] }, params: { column: 'id' }, expected: { observed: 0, evaluated_rows: 3, message: '0 of 3 non-null values have a key that occurs more than once' } },
    { name: 'repeated nulls are not duplicates', data: { id: [null, '1', null] }, params: { column: 'id' }, expected: { failed_rows: 0, evaluated_rows: 1 } },
    { name: 'empty table', data: { id: [] }, params: { column: 'id' }, expected: { failed_rows: 0, evaluated_rows: 0 } },
    {
      name: 'composite key: same id in different regions',
      data: { id: ['1', '1', '2'], region: ['eu', 'us', 'eu'] },
      params: { columns: ['id', 'region'] },
      expected: { failed_rows: 0, evaluated_rows: 3 },
    },
    {
      name: 'composite key with a null part is not evaluated',
      data: { id: ['1', '1', '1'], region: [null, null, 'eu'] },
      params: { columns: ['id', 'region'] },
      expected: { failed_rows: 0, evaluated_rows: 1 },
    },
    {
      name: 'where: duplicates only among rows out of scope',
      data: { id: ['1', '1', '2', '3'], region: ['us', 'us', 'eu', 'eu'] },
      params: { column: 'id', where: "d.region == 'eu'" },
      expected: { failed_rows: 0, evaluated_rows: 2 },
    },
    { name: 'mostly: 2 duplicates of 4 rows is exactly 50%', data: { id: ['1', '1', '2', '3'] }, params: { column: 'id', mostly: 50 }, expected: { failed_rows: 2, evaluated_rows: 4 } },
  ],
  fail: [
    {
      name: 'every occurrence of a repeated key fails',
      data: { id: ['1', '2', '1', '3', '1'] },
      params: { column: 'id' },
      expected: { status: 'fail', observed: 3, failed_rows: 3, evaluated_rows: 5, samples: [1, 3, 5], message: '3 of 5 non-null values have a key that occurs more than once' },
    },
    {
      name: 'composite key repeated',
      data: { id: ['1', '1', '1'], region: ['eu', 'eu', 'us'] },
      params: { columns: ['id', 'region'] },
      expected: { status: 'fail', failed_rows: 2, evaluated_rows: 3, samples: [1, 2] },
    },
    {
      name: 'timestamps are equal when they are the same instant, whatever the offset',
      types: { at: 'timestamp' },
      data: { at: ['2026-01-05T10:00:00Z', '2026-01-05T11:00:00+01:00', '2026-01-05T10:00:01Z'] },
      params: { column: 'at' },
      expected: { status: 'fail', failed_rows: 2, evaluated_rows: 3, samples: [1, 2] },
    },
    {
      name: 'where: duplicates among rows in scope',
      data: { id: ['1', '1', '1', '2'], region: ['eu', 'us', 'eu', 'eu'] },
      params: { column: 'id', where: "d.region == 'eu'" },
      expected: { status: 'fail', failed_rows: 2, evaluated_rows: 3, samples: [1, 3] },
    },
    { name: 'mostly: just over 50% failing fails', data: { id: ['1', '1', '1', '3'] }, params: { column: 'id', mostly: 50 }, expected: { status: 'fail', failed_rows: 3, evaluated_rows: 4 } },
    { name: 'severity warn', data: { id: ['7', '7'] }, params: { column: 'id', severity: 'warn' }, expected: { status: 'warn', failed_rows: 2, evaluated_rows: 2 } },
  ],
  invalid: [
    { params: { column: 'id', columns: ['id', 'region'] }, errors: ['check.yaml:7:7: checks[0].unique: give exactly one of "column" or "columns"'] },
    { params: {}, errors: ['check.yaml:6:13: checks[0].unique: give exactly one of "column" or "columns"'] },
    { params: { columns: [] }, errors: ['check.yaml:7:16: checks[0].unique.columns: must NOT have fewer than 1 items'] },
    { params: { columns: ['id', 'idd'] }, errors: ['check.yaml:8:9: checks[0].unique.columns: unknown column "idd" in dataset "t" (did you mean "id"?)'] },
  ],
});
