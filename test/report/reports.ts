/**
 * Reports for the format tests: the bundled examples run with a fixed now,
 * run id and timestamps (so renderings are byte-stable), and a hand-made
 * report whose every field holds something hostile to XML, HTML or Markdown.
 */
import { runChecks } from '../../src/pipeline.js';
import type { RunReport } from '../../src/report/model.js';

export const FIXED_NOW = '2026-01-05T10:00:00.000Z';

let examples: Promise<RunReport> | undefined;

/** `assay check rules/` on the bundled examples, normalized; computed once per test file. */
export function examplesReport(): Promise<RunReport> {
  examples ??= runChecks({ paths: ['rules'], now: new Date(FIXED_NOW), runId: 'golden-run' }).then(({ report }) => {
    report.run.started_at = '2026-01-05T10:00:00.000Z';
    report.run.finished_at = '2026-01-05T10:00:01.250Z';
    return report;
  });
  return examples;
}

/** Strings that break naive renderers: markup, entities, table pipes, control characters, mentions. */
export const HOSTILE = {
  markup: '<script>alert("x")</script><img src=x onerror=alert(1)>',
  entity: '&amp; &lt; ]]> --> <!--',
  pipes: 'a | b || c \\| d',
  markdown: '**bold** _em_ `code` [link](http://evil.example) ~~s~~ # h',
  lines: 'line one\nline two\r\nline three',
  control: 'nul\u0000bell\u0007esc\u001b end',
  quotes: `"double" 'single'`,
  mention: '@octocat please look',
  block: '- not a list',
};

export function hostileReport(): RunReport {
  const values = Object.fromEntries(Object.entries(HOSTILE).map(([k, v]) => [`col ${k}`, v]));
  return {
    assay_version: '0.1.0',
    run: { id: 'hostile', started_at: FIXED_NOW, finished_at: FIXED_NOW, now: FIXED_NOW, principal: HOSTILE.markup },
    status: 'error',
    summary: { checks: 5, pass: 1, warn: 1, fail: 1, error: 2 },
    datasets: [
      {
        name: `ds ${HOSTILE.markup}`,
        source: HOSTILE.entity,
        rows: 3,
        fingerprint: null,
        status: 'error',
        columns: {
          [HOSTILE.markup]: { missing: 1, missing_percent: 33.3333, failed_rows: 2, failed_percent: 66.6667 },
          [HOSTILE.pipes]: { missing: 0, missing_percent: 0, failed_rows: 0, failed_percent: 0 },
        },
        checks: [
          check('fail', `fail ${HOSTILE.pipes}`, HOSTILE.lines, values),
          check('error', `error ${HOSTILE.markdown}`, HOSTILE.control, {}),
          check('warn', `warn ${HOSTILE.quotes}`, HOSTILE.mention, values),
          check('pass', `pass ${HOSTILE.block}`, HOSTILE.block, {}),
        ],
      },
      {
        name: 'unreadable',
        source: 'missing.csv',
        rows: null,
        fingerprint: null,
        status: 'error',
        error: `cannot read ${HOSTILE.markup}`,
        checks: [{ ...check('error', 'not run', `not run: cannot read ${HOSTILE.markup}`, {}), id: 'unreadable.not run', observed: null }],
      },
    ],
  };
}

function check(status: 'pass' | 'warn' | 'fail' | 'error', name: string, message: string, values: Record<string, unknown>): RunReport['datasets'][0]['checks'][0] {
  return {
    id: `ds.${name}`,
    name,
    type: 'expression',
    severity: 'error',
    status,
    observed: status === 'error' ? null : 1,
    failed_rows: 1,
    evaluated_rows: 3,
    failed_percent: 33.3333,
    threshold: `failed_rows > 0 ${HOSTILE.entity}`,
    message,
    description: HOSTILE.markdown,
    samples: Object.keys(values).length > 0 ? [{ row: 2, values }] : [],
    controls: [HOSTILE.quotes],
  };
}
