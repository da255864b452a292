import { durationHint, durationOutOfRange, formatDuration, parseDuration } from '../util/duration.js';
import { defineCheck, type ParamProblem, type Verdict } from './define.js';
import { message, text } from './message.js';

const DURATION = { type: 'string', minLength: 2, description: '30s, 15m, 24h, 7d or ISO 8601 (PT36H)' } as const;

/**
 * How recent the data is: age = now − the newest timestamp of `column`, or
 * − the newest modification time of the source files (`source: mtime`).
 * Fails when age > `fail_after` (an age exactly equal passes), warns when
 * age > `warn_after`. `now` is the wall clock unless `--now`/`ASSAY_NOW` fix
 * it. Timestamps without a zone are UTC (src/values/grammar.ts). No rows, or
 * only nulls, fail with "no timestamps". Observed: the age in seconds.
 */
export default defineCheck({
  type: 'freshness',
  kind: 'aggregate',
  summary: 'The newest timestamp (or file modification time) is at most `fail_after` old',
  details:
    'Age = now − the newest non-null value of `column` (a date or timestamp column), or − the newest modification time of the source files with `source: mtime`. Fails when age > `fail_after` (an age exactly equal passes), warns when age > `warn_after`; durations are `30s`, `15m`, `24h`, `7d` or ISO 8601 (`PT36H`). `now` is the wall clock unless `--now` or `ASSAY_NOW` fixes it. Timestamps without a zone, and `--now` without one, are UTC; a date counts from midnight UTC. No rows, or only nulls, fail with "no timestamps". Observed: the age in seconds (negative for timestamps in the future, which pass). The dataset-level `freshness:` block is this check, named `<dataset>.freshness`.',
  example: { column: 'created_at', warn_after: '24h', fail_after: '48h' },
  params: {
    column: { type: 'string', minLength: 1, description: 'a date or timestamp column' },
    source: { enum: ['mtime'], description: "the files' modification time instead of a column" },
    warn_after: DURATION,
    fail_after: DURATION,
  },
  oneOf: [['column'], ['source']],
  ownThresholds: true,
  validate(params, ctx) {
    const problems: ParamProblem[] = [];
    for (const key of ['warn_after', 'fail_after'] as const) {
      if (params[key] !== undefined && parseDuration(params[key]) === undefined) {
        const text = params[key];
        const what = durationOutOfRange(text) ? 'duration out of range' : 'invalid duration';
        problems.push({ key, code: 'invalid-duration', message: `${what} ${JSON.stringify(text)}`, expected: durationHint(text) });
      }
    }
    if (params.warn_after === undefined && params.fail_after === undefined) {
      problems.push({ code: 'missing-threshold', message: 'freshness needs "fail_after", "warn_after" or both' });
    }
    const warn = params.warn_after !== undefined ? parseDuration(params.warn_after) : undefined;
    const fail = params.fail_after !== undefined ? parseDuration(params.fail_after) : undefined;
    if (warn !== undefined && fail !== undefined && warn > fail) {
      problems.push({ key: 'warn_after', code: 'invalid-bound', message: `warn_after ${String(params.warn_after)} is longer than fail_after ${String(params.fail_after)}; it would never warn` });
    }
    const column = params.column;
    const declared = column !== undefined ? ctx.column(column) : undefined;
    // A column declared without a type is typed by inference; the run reports it if it holds no timestamps.
    if (declared?.type && declared.type !== 'date' && declared.type !== 'timestamp') {
      problems.push({
        key: 'column',
        code: 'invalid-column-type',
        message: `freshness needs a date or timestamp column; "${column}" is declared as ${declared.type}`,
        expected: 'declare it with type: timestamp (or date)',
      });
    }
    return problems;
  },
  columns: (spec) => (spec.column ? [spec.column] : []),
  derivedName: () => 'freshness',
  measures: (spec) =>
    spec.column
      ? { newest: { kind: 'stat', stat: 'max', column: spec.column, where: spec.where }, rows: { kind: 'row_count', where: spec.where } }
      : { newest: { kind: 'source_mtime' }, rows: { kind: 'row_count', where: spec.where } },
  observedLabel: (spec) => (spec.column ? `age of newest ${spec.column}` : 'age of the source files'),
  judge(values, spec, { now }): Verdict {
    const warnAfter = spec.params.warn_after !== undefined ? parseDuration(spec.params.warn_after) : undefined;
    const failAfter = spec.params.fail_after !== undefined ? parseDuration(spec.params.fail_after) : undefined;
    const threshold = [
      failAfter !== undefined ? `age > ${String(spec.params.fail_after)}` : undefined,
      warnAfter !== undefined ? `warn when age > ${String(spec.params.warn_after)}` : undefined,
    ].filter(Boolean).join('; ');
    const subject = spec.column ? `newest ${spec.column}` : 'newest file modification';
    const newest = values.newest;
    if (values.rows === 0 || newest === null) {
      const why = values.rows === 0 ? 'the dataset has no rows' : `"${spec.column}" has only null values${spec.where ? ' in scope' : ''}`;
      return { outcome: 'fail', observed: null, threshold, message: message`no timestamps: ${text(why)}` };
    }
    if (!(newest instanceof Date)) {
      return { outcome: 'error', observed: null, threshold, message: message`"${text(spec.params.column ?? "")}" does not hold dates or timestamps (found ${newest}); declare it with type: timestamp` };
    }
    const age = now.getTime() - newest.getTime();
    const failing = failAfter !== undefined && age > failAfter;
    const warning = warnAfter !== undefined && age > warnAfter;
    const ago = age < 0 ? 'in the future' : 'old';
    const outcome = failing ? `; fails after ${String(spec.params.fail_after)}` : warning ? `; warns after ${String(spec.params.warn_after)}` : '';
    // The newest value and its age both come from the column: both are gated.
    return {
      outcome: failing ? 'fail' : warning ? 'warn' : 'pass',
      observed: age / 1000,
      threshold,
      message: message`${text(subject)} is ${newest}, ${formatDuration(Math.abs(age))} ${text(ago)} at ${text(now.toISOString())}${text(outcome)}`,
    };
  },
});
