/**
 * The direction of each check parameter in `assay diff` (src/diff/policy-diff.ts):
 * one dataset document before and after, the changes it yields.
 */
import { describe, expect, it } from '@jest/globals';
import { diffPolicies } from '../../src/diff/policy-diff.js';
import { loadValidatedPolicies } from '../../src/policy/validated.js';
import type { PolicySet } from '../../src/policy/types.js';
import { tempDir } from '../helpers/files.js';

function policy(body: string): PolicySet {
  const dir = tempDir('assay-diff-unit-');
  try {
    dir.write('controls.yaml', 'kind: controls\nframeworks:\n  soc2:\n    CC7.1: Detect changes\n');
    dir.write(
      'd.yaml',
      `kind: dataset\nname: d\nsource: { path: d.csv }\ncolumns:\n  a: { type: number }\n  s: { type: string }\n  t: { type: date }\n${body}`,
    );
    return loadValidatedPolicies([dir.path]).policy;
  } finally {
    dir.remove();
  }
}

const changes = (before: string, after: string) => diffPolicies(policy(before), policy(after)).map((c) => `${c.class}:${c.kind}`);

describe('assay diff: which way a parameter moved', () => {
  const cases: [string, string, string, string[]][] = [
    [
      'between lowered at the bottom',
      'checks:\n  - metric: { column: a, stat: mean, between: [10, 500] }\n',
      'checks:\n  - metric: { column: a, stat: mean, between: [5, 500] }\n',
      ['loosened:bound-widened'],
    ],
    [
      'between narrowed at the top',
      'checks:\n  - metric: { column: a, stat: mean, between: [10, 500] }\n',
      'checks:\n  - metric: { column: a, stat: mean, between: [10, 400] }\n',
      ['tightened:bound-tightened'],
    ],
    [
      'between rewritten as the same min and max',
      'checks:\n  - metric: { column: a, stat: mean, between: [10, 500] }\n',
      'checks:\n  - metric: { column: a, stat: mean, min: 10, max: 500 }\n',
      [],
    ],
    [
      'a nested warn bound removed',
      'checks:\n  - row_count: { min: 1, warn: { min: 500 } }\n',
      'checks:\n  - row_count: { min: 1 }\n',
      ['loosened:bound-widened'],
    ],
    [
      'a date bound moved earlier',
      'checks:\n  - range: { column: t, min: "2020-01-01" }\n',
      'checks:\n  - range: { column: t, min: "2019-01-01" }\n',
      ['loosened:bound-widened'],
    ],
    [
      'exclusive dropped',
      'checks:\n  - range: { column: a, min: 0, max: 1, exclusive: true }\n',
      'checks:\n  - range: { column: a, min: 0, max: 1 }\n',
      ['loosened:bound-widened'],
    ],
    [
      'rejected values fewer',
      'checks:\n  - rejected_values: { column: s, values: [x, y] }\n',
      'checks:\n  - rejected_values: { column: s, values: [x] }\n',
      ['loosened:bound-widened'],
    ],
    [
      'rejected values more',
      'checks:\n  - rejected_values: { column: s, values: [x] }\n',
      'checks:\n  - rejected_values: { column: s, values: [x, y] }\n',
      ['tightened:bound-tightened'],
    ],
    [
      'accepted values more',
      'checks:\n  - accepted_values: { column: s, values: [x] }\n',
      'checks:\n  - accepted_values: { column: s, values: [x, y] }\n',
      ['loosened:bound-widened'],
    ],
    [
      'fail_when raised',
      'checks:\n  - not_null: { column: s, fail_when: "> 0" }\n',
      'checks:\n  - not_null: { column: s, fail_when: "> 5" }\n',
      ['loosened:bound-widened'],
    ],
    [
      'fail_when lowered',
      'checks:\n  - not_null: { column: s, fail_when: "> 5" }\n',
      'checks:\n  - not_null: { column: s, fail_when: "> 0" }\n',
      ['tightened:bound-tightened'],
    ],
    [
      'fail_when with another comparator',
      'checks:\n  - not_null: { column: s, fail_when: "> 0" }\n',
      'checks:\n  - not_null: { column: s, fail_when: ">= 3%" }\n',
      ['loosened:rule-changed'],
    ],
    ['a where added', 'checks:\n  - not_null: { column: s }\n', 'checks:\n  - not_null: { column: s, where: "d.a > 0" }\n', ['loosened:rule-changed']],
    ['a where removed', 'checks:\n  - not_null: { column: s, where: "d.a > 0" }\n', 'checks:\n  - not_null: { column: s }\n', ['tightened:bound-tightened']],
    [
      'a regex rewritten',
      'checks:\n  - pattern: { column: s, regex: "^a" }\n',
      'checks:\n  - pattern: { column: s, regex: "^b" }\n',
      ['loosened:rule-changed'],
    ],
    ['schema fail → warn', 'schema: { extra_columns: fail }\n', 'schema: { extra_columns: warn }\n', ['loosened:bound-widened']],
    [
      "a check's control removed",
      'checks:\n  - row_count: { min: 1, controls: [soc2.CC7.1] }\n',
      'checks:\n  - row_count: { min: 1 }\n',
      ['weakened:control-removed'],
    ],
    ['freshness shortened', 'freshness: { column: t, fail_after: 48h }\n', 'freshness: { column: t, fail_after: 24h }\n', ['tightened:freshness-tightened']],
    [
      'freshness as ISO 8601, longer',
      'freshness: { column: t, fail_after: PT24H }\n',
      'freshness: { column: t, fail_after: 2d }\n',
      ['weakened:freshness-widened'],
    ],
    [
      'samples and description are not rules',
      'checks:\n  - not_null: { column: s }\n',
      'checks:\n  - not_null: { column: s, samples: 0, description: why }\n',
      [],
    ],
  ];
  it.each(cases)('%s', (_name, before, after, expected) => {
    expect(changes(before, after)).toEqual(expected);
  });
});
