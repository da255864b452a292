import { checkRegex, REGEX_SYNTAX } from '../expr/regex.js';
import { COLUMN_PARAM, defineCheck } from './define.js';

/** Unanchored like a SQL REGEXP or `re.search`: anchor with ^…$ to match the whole value. */
export default defineCheck({
  type: 'pattern',
  kind: 'row',
  summary: 'The regex (linear-time RE2 syntax, unanchored) finds a match in the value',
  details:
    'Regexes use RE2 syntax and run in linear time (no backreferences or lookaround; a pattern that cannot run in linear time is a validation error). The match is unanchored, like SQL `REGEXP` or Python\'s `re.search`: anchor with `^…$` to match the whole value. Values are tested as text.',
  example: { column: 'email', regex: '@example\\.com$', mostly: 99 },
  params: { column: COLUMN_PARAM, regex: { type: 'string', minLength: 1, description: 'RE2 regex, unanchored' } },
  required: ['column', 'regex'],
  validate(params) {
    const problem = checkRegex(params.regex);
    return problem ? [{ key: 'regex', code: 'unsafe-regex', message: problem, expected: REGEX_SYNTAX }] : [];
  },
  columns: (spec) => [spec.params.column],
  predicate: (spec) => ({ op: 'no_regex_match', column: spec.params.column, regex: spec.params.regex }),
  failureText: (spec) => `do not match /${spec.params.regex}/`,
});
