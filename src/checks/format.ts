import { COLUMN_PARAM, defineCheck } from './define.js';
import { FORMAT_LABELS, FORMAT_NAMES } from './formats.js';

export default defineCheck({
  type: 'format',
  kind: 'row',
  summary: `The value is a valid ${FORMAT_NAMES.join(', ')}`,
  params: { column: COLUMN_PARAM, format: { enum: FORMAT_NAMES } },
  required: ['column', 'format'],
  columns: (spec) => [spec.column!],
  predicate: (spec) => ({ op: 'invalid_format', column: spec.column!, format: spec.params.format as string }),
  failureText: (spec) => `are not valid ${FORMAT_LABELS[spec.params.format as string]}`,
});
