import { createHmac } from 'node:crypto';
import { applyMask, hashValue, maskKeyFromEnv, partialMask, REDACTED, valueText, yearOnly } from '../../src/access/masks.js';
import { AssayError } from '../../src/util/diagnostics.js';

const KEY = 'test-key-0123456789abcdef';
/** Computed here, independently of masks.ts, with node:crypto. */
const hmac = (text: string) => createHmac('sha256', Buffer.from(KEY, 'utf8')).update(Buffer.from(text, 'utf8')).digest('hex');

describe('hash', () => {
  test('known answer: HMAC-SHA256 over the text, 64 lowercase hex characters', () => {
    const hashed = applyMask({ name: 'hash' }, 'ada@example.com', 'string', KEY);
    expect(hashed).toBe(hmac('ada@example.com'));
    expect(hashed).toMatch(/^[0-9a-f]{64}$/);
  });
  test('RFC 4231 test case 2 (key "Jefe")', () => {
    expect(hashValue('what do ya want for nothing?', 'Jefe')).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });
  test('equal values hash equally (joinable), different values differently', () => {
    expect(applyMask({ name: 'hash' }, 'x', 'string', KEY)).toBe(applyMask({ name: 'hash' }, 'x', 'string', KEY));
    expect(applyMask({ name: 'hash' }, 'x', 'string', KEY)).not.toBe(applyMask({ name: 'hash' }, 'y', 'string', KEY));
  });
  test('another key gives another hash', () => {
    expect(applyMask({ name: 'hash' }, 'x', 'string', `${KEY}!`)).not.toBe(hmac('x'));
  });
  test('numbers and dates hash their text', () => {
    expect(applyMask({ name: 'hash' }, 42.5, 'number', KEY)).toBe(hmac('42.5'));
    expect(applyMask({ name: 'hash' }, new Date(Date.UTC(2024, 2, 6)), 'date', KEY)).toBe(hmac('2024-03-06'));
    expect(applyMask({ name: 'hash' }, new Date(Date.UTC(2024, 2, 6, 10, 0, 0)), 'timestamp', KEY)).toBe(hmac('2024-03-06T10:00:00.000Z'));
  });
  test('without a key the value is hidden, never in clear', () => {
    expect(applyMask({ name: 'hash' }, 'secret', 'string', undefined)).toBeNull();
  });
});

describe('maskKeyFromEnv', () => {
  test('returns the key', () => {
    expect(maskKeyFromEnv({ ASSAY_MASK_KEY: KEY }, 'x')).toBe(KEY);
  });
  test.each([[{}], [{ ASSAY_MASK_KEY: '' }], [{ ASSAY_MASK_KEY: 'short' }]])('refuses %j with a usage error', (env) => {
    expect(() => maskKeyFromEnv(env, 'exporting "orders"')).toThrow(AssayError);
    try {
      maskKeyFromEnv(env, 'exporting "orders"');
    } catch (e) {
      expect((e as AssayError).kind).toBe('usage');
      expect((e as AssayError).message).toMatch(/ASSAY_MASK_KEY/);
    }
  });
});

describe('partial', () => {
  test.each([
    ['+16963272705', 4, '********2705'],
    ['4111111111111111', 4, '************1111'],
    ['abcdef', 2, '****ef'],
    ['abcd', 4, '****'],
    ['ab', 4, '**'],
    ['', 4, ''],
    ['abc', 0, '***'],
    ['héllo wörld', 3, '********rld'],
    ['👍👍👍👍👍', 1, '****👍'],
  ])('%j keep_last %d → %j', (text, keep, expected) => {
    expect(partialMask(text, keep)).toBe(expected);
  });
  test('default keep_last is 4', () => {
    expect(applyMask({ name: 'partial' }, '123456789', 'string', undefined)).toBe('*****6789');
  });
  test('numbers are masked as text', () => {
    expect(applyMask({ name: 'partial', keepLast: 2 }, 12345, 'integer', undefined)).toBe('***45');
  });
});

describe('year_only', () => {
  test('Date → January 1st of its year (UTC)', () => {
    expect(yearOnly(new Date(Date.UTC(2024, 7, 6, 23, 59)), 'timestamp')).toEqual(new Date(Date.UTC(2024, 0, 1)));
  });
  test.each([
    ['2024-08-06', 'date', '2024-01-01'],
    ['2024-08-06T10:11:12Z', 'timestamp', '2024-01-01T00:00:00.000Z'],
    ['2024-12-31T23:30:00-02:00', 'timestamp', '2025-01-01T00:00:00.000Z'],
    ['2024-08-06', undefined, '2024-01-01'],
  ] as const)('%j (%s) → %j', (text, type, expected) => {
    expect(yearOnly(text, type)).toBe(expected);
  });
  test.each([['2025-02-30'], ['not a date'], [42], [true]])('fails closed on %j', (value) => {
    expect(applyMask({ name: 'year_only' }, value, 'date', undefined)).toBeNull();
  });
});

describe('other masks', () => {
  test('null → null, redact → ***', () => {
    expect(applyMask({ name: 'null' }, 'x', 'string', undefined)).toBeNull();
    expect(applyMask({ name: 'redact' }, 'x', 'string', undefined)).toBe(REDACTED);
    expect(REDACTED).toBe('***');
  });
  test('null stays null under every mask', () => {
    for (const name of ['null', 'redact', 'hash', 'partial', 'year_only'] as const) {
      expect(applyMask({ name }, null, 'string', KEY)).toBeNull();
    }
  });
  test('an unknown mask hides the value (fail closed)', () => {
    expect(applyMask({ name: 'bogus' as never }, 'x', 'string', KEY)).toBeNull();
  });
  test('valueText of dates follows the column type', () => {
    const d = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
    expect(valueText(d, 'date')).toBe('2024-01-02');
    expect(valueText(d, 'timestamp')).toBe('2024-01-02T03:04:05.000Z');
  });
});
