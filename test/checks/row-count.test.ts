import rowCount from '../../src/checks/row-count.js';
import { checkTester } from '../helpers/check-tester.js';

// SPEC §1.2: observed = rows (after `where`); bounds min, max, between
// (inclusive) and nested warn bounds; fail_when/warn_when on the count.
checkTester.run(rowCount, {
  types: { id: 'integer' },
  pass: [
    { name: 'exactly at min', data: { id: ['1', '2', '3'] }, params: { min: 3 }, expected: { observed: 3, threshold: 'row_count < 3', message: 'row_count is 3' } },
    { name: 'exactly at max', data: { id: ['1', '2'] }, params: { max: 2 }, expected: { observed: 2, threshold: 'row_count > 2' } },
    { name: 'between is inclusive at both ends', data: { id: ['1', '2'] }, params: { between: [2, 2] }, expected: { observed: 2, threshold: 'row_count outside [2, 2]' } },
    { name: 'empty table meets max 0', data: { id: [] }, params: { max: 0 }, expected: { observed: 0 } },
    { name: 'rows with nulls are rows', data: { id: [null, null] }, params: { min: 2 }, expected: { observed: 2 } },
    { name: 'fail_when "< 1" on one row', data: { id: ['1'] }, params: { fail_when: '< 1' }, expected: { observed: 1, threshold: 'row_count < 1' } },
    { name: 'warn bounds met exactly', data: { id: ['1', '2'] }, params: { min: 1, warn: { min: 2 } }, expected: { observed: 2 } },
  ],
  fail: [
    { name: 'empty table fails min 1', data: { id: [] }, params: { min: 1 }, expected: { status: 'fail', observed: 0, message: 'row_count is 0; expected >= 1' } },
    { name: 'one below min', data: { id: ['1', '2'] }, params: { min: 3 }, expected: { status: 'fail', observed: 2 } },
    { name: 'one above the between range', data: { id: ['1', '2', '3'] }, params: { between: [1, 2] }, expected: { status: 'fail', observed: 3, message: 'row_count is 3; expected between [1, 2]' } },
    { name: 'nested warn bound: passes min, below warn.min', data: { id: ['1'] }, params: { min: 1, warn: { min: 2 } }, expected: { status: 'warn', observed: 1, message: 'row_count is 1; warn unless >= 2' } },
    { name: 'nested warn between', data: { id: ['1', '2', '3'] }, params: { min: 1, warn: { between: [1, 2] } }, expected: { status: 'warn', observed: 3 } },
    { name: 'severity warn turns a failure into warn', data: { id: [] }, params: { min: 1, severity: 'warn' }, expected: { status: 'warn', observed: 0 } },
    { name: 'fail_when ">= 2" exactly at the boundary', data: { id: ['1', '2'] }, params: { fail_when: '>= 2' }, expected: { status: 'fail', observed: 2, message: 'row_count is 2; fails when >= 2' } },
    { name: 'warn_when "== 0"', data: { id: [] }, params: { warn_when: '== 0' }, expected: { status: 'warn', observed: 0, threshold: 'warn when row_count == 0', message: 'row_count is 0; warns when == 0' } },
    { name: 'where counts rows in scope, nulls out of scope', data: { id: ['1', '5', null] }, params: { min: 2, where: 'd.id > 2' }, expected: { status: 'fail', observed: 1 } },
  ],
  invalid: [
    { params: {}, errors: ['check.yaml:6:16: checks[0].row_count: row_count needs a threshold: "min", "max", "between", "warn" or "fail_when"'] },
    { params: { min: 1, between: [1, 2] }, errors: ['check.yaml:9:9: checks[0].row_count.between: use "between" or "min"/"max", not both'] },
    { params: { between: [5, 1] }, errors: ['check.yaml:8:9: checks[0].row_count.between: between [5, 1] is empty'] },
    { params: { min: 5, max: 1 }, errors: ['check.yaml:7:12: checks[0].row_count.min: min 5 is greater than max 1'] },
    { params: { min: 1, warn: { min: 9, max: 2 } }, errors: ['check.yaml:9:14: checks[0].row_count.warn.min: min 9 is greater than max 2'] },
    { params: { min: 1, warn: { between: [9, 2] } }, errors: ['check.yaml:10:11: checks[0].row_count.warn.between: between [9, 2] is empty'] },
    { params: { between: [1] }, errors: ['check.yaml:8:9: checks[0].row_count.between: must NOT have fewer than 2 items'] },
    {
      params: { fail_when: '> 5%' },
      errors: ['check.yaml:7:18: checks[0].row_count.fail_when: a percent condition applies to row checks (percent of evaluated rows); aggregate checks compare the observed value'],
    },
    {
      name: 'mostly is a row check option',
      params: { min: 1, mostly: 90 },
      errors: ['check.yaml:8:7: checks[0].row_count: unknown key "mostly" (expected one of "min", "max", "between", "warn", "name", "severity", "where", "fail_when", "warn_when", "controls", "description")'],
    },
    { params: { warn: {} }, errors: ['check.yaml:7:13: checks[0].row_count.warn: must NOT have fewer than 1 properties'] },
    { params: { warn: { mni: 1 } }, errors: ['check.yaml:8:9: checks[0].row_count.warn: unknown key "mni" (did you mean "min"?)'] },
  ],
});
