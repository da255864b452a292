import { COLUMN_TYPES } from '../values/types.js';
import { COLUMN_PARAM, defineCheck } from './define.js';

/**
 * Loaders parse each declared column as its type; a value that does not
 * parse is kept aside (never coerced) and fails here. Evaluated rows are the
 * rows whose raw value is not null.
 */
export default defineCheck({
  type: 'type',
  kind: 'row',
  summary: 'The raw value parses as the declared type',
  details:
    'The loader parses each declared column as its type; a value that does not parse is kept aside (never coerced) and fails here. A column\'s `type:` property creates this check; an explicit `type` check (say, with `mostly` or `severity: warn`) takes its place. Integers: optional sign and digits; numbers: decimal or exponent notation with a dot; booleans: true/false, t/f, yes/no, y/n, 1/0; dates: `YYYY-MM-DD` that exist in the calendar; timestamps: ISO 8601 with `T` or a space, optional seconds and fraction, `Z` or an offset (UTC when none).',
  example: { column: 'amount', type: 'number', mostly: 99.9 },
  params: { column: COLUMN_PARAM, type: { enum: COLUMN_TYPES, description: "The column's declared type" } },
  required: ['column', 'type'],
  validate(params, ctx) {
    const declared = ctx.column(params.column)?.type;
    if (!declared) {
      // The loader parses only declared columns; the check reads what it recorded.
      return [{ key: 'column', code: 'undeclared-type', message: `column "${String(params.column)}" has no declared type`, expected: `declare it: columns: { ${String(params.column)}: { type: ${String(params.type)} } }` }];
    }
    if (declared !== params.type) {
      return [{ key: 'type', code: 'type-mismatch', message: `column "${params.column}" is declared as ${declared}` }];
    }
    return [];
  },
  columns: (spec) => [spec.params.column],
  predicate: (spec) => ({ op: 'invalid_type', column: spec.params.column }),
  failureText: (spec) => `do not parse as ${spec.params.type}`,
});
