import pattern from '../../src/checks/pattern.js';
import { checkTester } from '../helpers/check-tester.js';

// SPEC §1.2: a row fails when the regex finds no match in the value
// (unanchored); nulls are not evaluated. Regexes run on RE2 (linear time).
checkTester.run(pattern, {
  types: { email: 'string' },
  pass: [
    { name: 'unanchored: a match anywhere passes', data: { email: ['a@example.com', 'b@example.com.evil.org'] }, params: { column: 'email', regex: '@example\\.com' }, expected: { observed: 0, evaluated_rows: 2 } },
    { name: 'nulls are not evaluated', data: { email: [null, 'x@example.com'] }, params: { column: 'email', regex: '@' }, expected: { failed_rows: 0, evaluated_rows: 1 } },
    { name: 'empty table', data: { email: [] }, params: { column: 'email', regex: '@' }, expected: { failed_rows: 0, evaluated_rows: 0 } },
    { name: 'a pattern that backtracks exponentially elsewhere runs in linear time', data: { email: ['a'.repeat(5000) + '!'] }, params: { column: 'email', regex: '^(a+)+!$' }, expected: { failed_rows: 0, evaluated_rows: 1 } },
    { name: 'mostly 50 exactly', data: { email: ['x@example.com', 'nope'] }, params: { column: 'email', regex: '@', mostly: 50 }, expected: { failed_rows: 1 } },
  ],
  fail: [
    {
      name: 'anchored pattern',
      data: { email: ['a@example.com', 'b@example.com.evil.org', null, 'c@EXAMPLE.com'] },
      params: { column: 'email', regex: '@example\\.com$' },
      expected: { status: 'fail', observed: 2, failed_rows: 2, evaluated_rows: 3, samples: [2, 4], message: '2 of 3 non-null values do not match /@example\\.com$/' },
    },
    { name: 'case-insensitive flag is RE2 syntax', data: { email: ['c@EXAMPLE.com', 'c@example.org'] }, params: { column: 'email', regex: '(?i)@example\\.com$' }, expected: { status: 'fail', failed_rows: 1, evaluated_rows: 2, samples: [2] } },
    { name: 'numbers are matched as text', types: { zip: 'integer' }, data: { zip: ['12345', '123'] }, params: { column: 'zip', regex: '^\\d{5}$' }, expected: { status: 'fail', failed_rows: 1, evaluated_rows: 2, samples: [2] } },
    { name: 'severity warn', data: { email: ['nope'] }, params: { column: 'email', regex: '@', severity: 'warn' }, expected: { status: 'warn', failed_rows: 1, evaluated_rows: 1 } },
  ],
  invalid: [
    {
      params: { column: 'email', regex: '(a)\\1' },
      errors: ['check.yaml:8:14: checks[0].pattern.regex: "(a)\\1" cannot run in linear time or is not valid: invalid escape sequence: `\\1` (RE2 syntax: no backreferences or lookaround)'],
    },
    { params: { column: 'email', regex: '' }, errors: ['check.yaml:8:14: checks[0].pattern.regex: must NOT have fewer than 1 characters'] },
  ],
});
