import { FORMAT_LABELS, FORMAT_NAMES, FORMATS } from '../../src/checks/formats.js';
import { isCalendarDate } from '../../src/values/grammar.js';

/** Valid and invalid values for every named format (SPEC §1.2 `format`). */
const CASES: Record<string, { valid: string[]; invalid: string[] }> = {
  email: {
    valid: ['a@example.com', 'first.last+tag@sub.example.co.uk', "o'neil@example.org", 'x_y-z@a-b.io', 'UPPER@EXAMPLE.COM'],
    invalid: ['', 'jane.doe@', '@example.com', 'bob at example.com', 'x@y', 'two@@example.com', 'sp ace@example.com', 'a..b@example.com', 'a@-example.com', 'a@example..com', `${'a'.repeat(250)}@example.com`],
  },
  uuid: {
    valid: ['123e4567-e89b-12d3-a456-426614174000', '123E4567-E89B-12D3-A456-426614174000', '00000000-0000-0000-0000-000000000000'],
    invalid: ['', '123e4567e89b12d3a456426614174000', '123e4567-e89b-12d3-a456-42661417400', '123e4567-e89b-12d3-a456-4266141740000', 'g23e4567-e89b-12d3-a456-426614174000', '{123e4567-e89b-12d3-a456-426614174000}'],
  },
  url: {
    valid: ['https://example.com', 'http://example.com/path?q=1#frag', 'https://sub.example.co.uk:8443/x', 'ftp://files.example.com/a.txt', 'https://127.0.0.1/'],
    invalid: ['', 'example.com', 'www.example.com', 'https://', 'mailto:a@example.com', 'http//example.com', 'https:/example.com', 'not a url'],
  },
  ipv4: {
    valid: ['0.0.0.0', '127.0.0.1', '192.168.1.255', '255.255.255.255'],
    invalid: ['', '256.0.0.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', 'a.b.c.d', '1.2.3.4 '],
  },
  ipv6: {
    valid: ['::1', '::', '2001:db8::1', '2001:0db8:0000:0000:0000:ff00:0042:8329', 'fe80::1ff:fe23:4567:890a', '::ffff:192.0.2.1'],
    invalid: ['', '2001:db8::1::2', '12345::', 'gggg::1', '1:2:3:4:5:6:7:8:9', '192.168.1.1'],
  },
  iso_date: {
    valid: ['2026-01-05', '2024-02-29', '2000-02-29', '1999-12-31'],
    invalid: ['', '2025-02-29', '1900-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '2026-1-5', '20260105', '2026-01-05T00:00:00Z', '05/01/2026'],
  },
  iso_timestamp: {
    valid: ['2026-01-05T10:00:00Z', '2026-01-05T10:00Z', '2026-01-05 10:00:00', '2026-01-05T10:00:00.123456+02:00', '2026-01-05T23:59:59-0530', '2024-02-29T00:00:00Z'],
    invalid: ['', '2026-01-05', '2026-01-05T24:00:00Z', '2026-01-05T10:60:00Z', '2026-01-05T10:00:60Z', '2025-02-29T10:00:00Z', '2026-01-05T10', 'yesterday'],
  },
  e164_phone: {
    valid: ['+442079460958', '+14155552671', '+49301234567', '+123'],
    invalid: ['', '442079460958', '+0442079460958', '+44 20 7946 0958', '+44-20-7946-0958', '+1234567890123456', '+', '0044 20 7946 0958'],
  },
  credit_card: {
    valid: ['4111111111111111', '4111 1111 1111 1111', '4111-1111-1111-1111', '5500005555555559', '378282246310005', '6011111111111117', '4222222222222'],
    invalid: ['', '4111111111111112', '1234567812345678', '41111111111', '41111111111111111111', '4111x111111111111', '4111 1111 1111 111a'],
  },
  iban: {
    valid: ['GB82WEST12345698765432', 'GB82 WEST 1234 5698 7654 32', 'DE89370400440532013000', 'FR1420041010050500013M02606', 'NL91ABNA0417164300', 'gb82west12345698765432'],
    invalid: ['', 'GB83WEST12345698765432', 'DE89370400440532013001', 'GB82WEST1234', 'XX', '82GBWEST12345698765432', 'GB82-WEST-1234-5698-7654-32', 'GB82WEST12345698765432!'],
  },
};

describe('every named format has cases and a label', () => {
  test('the case table covers exactly the formats assay knows', () => {
    expect(Object.keys(CASES).sort()).toEqual([...FORMAT_NAMES].sort());
    expect(Object.keys(FORMAT_LABELS).sort()).toEqual([...FORMAT_NAMES].sort());
  });
});

describe.each(Object.entries(CASES))('%s', (format, { valid, invalid }) => {
  test.each(valid)('valid: %j', (value) => {
    expect(FORMATS[format](value)).toBe(true);
  });
  test.each(invalid)('invalid: %j', (value) => {
    expect(FORMATS[format](value)).toBe(false);
  });
});

describe('isCalendarDate', () => {
  test.each([
    [2024, 2, 29, true],
    [2023, 2, 29, false],
    [1900, 2, 29, false],
    [2000, 2, 29, true],
    [2026, 4, 30, true],
    [2026, 4, 31, false],
    [2026, 12, 31, true],
    [2026, 0, 1, false],
    [2026, 13, 1, false],
    [2026, 1, 0, false],
  ])('%i-%i-%i is %s', (y, m, d, expected) => {
    expect(isCalendarDate(y, m, d)).toBe(expected);
  });
});
