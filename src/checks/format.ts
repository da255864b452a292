import { COLUMN_PARAM, defineCheck } from './define.js';
import { FORMAT_LABELS, FORMAT_NAMES } from './formats.js';

export default defineCheck({
  type: 'format',
  kind: 'row',
  summary: `The value is a valid ${FORMAT_NAMES.join(', ')}`,
  details:
    'Formats: `email`, `uuid`, `url` (with a scheme and host), `ipv4`, `ipv6`, `iso_date` (a real calendar date), `iso_timestamp`, `e164_phone` (`+` and up to 15 digits), `credit_card` (12–19 digits passing the Luhn checksum; spaces and dashes allowed), `iban` (ISO 13616 mod-97 checksum). Values are tested as text.',
  example: { column: 'email', format: 'email' },
  params: { column: COLUMN_PARAM, format: { enum: FORMAT_NAMES, description: 'Named format' } },
  required: ['column', 'format'],
  columns: (spec) => [spec.params.column],
  predicate: (spec) => ({ op: 'invalid_format', column: spec.params.column, format: spec.params.format }),
  failureText: (spec) => `are not valid ${FORMAT_LABELS[spec.params.format]}`,
});
