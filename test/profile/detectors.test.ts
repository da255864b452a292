import { detectPii, nameWords, VALUE_MATCHERS, type ColumnEvidence } from '../../src/profile/detectors.js';

const matcher = (name: string) => VALUE_MATCHERS.find((m) => m.name === name)!;
const accepts = (name: string, text: string) => matcher(name).maybe(text, text.charCodeAt(0)) && matcher(name).test(text);

/** A column of `values` named `name`, with matches counted as the profile counts them. */
function column(name: string, values: string[], type = 'string', typeShare = 1): ColumnEvidence {
  const matches = Object.fromEntries(VALUE_MATCHERS.map((m) => [m.name, values.filter((v) => accepts(m.name, v)).length]));
  return { name, nonNull: values.length, matches, type, typeShare };
}
const detectors = (c: ColumnEvidence) => detectPii(c).map((p) => p.detector);
const repeat = (f: (i: number) => string, n = 20) => Array.from({ length: n }, (_, i) => f(i));

describe('value matchers', () => {
  test.each([
    ['card_number', '4111 1111 1111 1111', true],
    ['card_number', '378282246310005', true], // Amex
    ['card_number', '4111111111111112', false], // Luhn fails
    ['card_number', '9111111111111111', false], // no issuer starts with 9... and Luhn aside
    ['phone_like', '(555) 201-3344', true],
    ['phone_like', '+44 20 7946 0958', true],
    ['phone_like', '12345', false],
    ['phone_like', '2024-01-05', true], // a date has a phone's shape: why national shapes need a name hint
    ['us_ssn', '123-45-6789', true],
    ['us_ssn', '000-45-6789', false],
    ['us_ssn', '666-45-6789', false],
    ['us_ssn', '923-45-6789', false],
    ['nine_digits', '123456789', true],
    ['uk_nino', 'QQ 12 34 56 C', false], // QQ is not issued (Q is not a valid first letter)
    ['uk_nino', 'AB 12 34 56 C', true],
    ['uk_nino', 'GB123456A', false],
    ['uk_nino', 'AB123456E', false],
    ['person_name', 'Maria Rossi', true],
    ['person_name', "Conan O'Brien", true],
    ['person_name', 'Rossi, Maria', true],
    ['person_name', 'maria rossi', false],
    ['person_name', 'ACME LTD', false],
    ['email', 'a.b@example.com', true],
    ['iban', 'GB82 WEST 1234 5698 7654 32', true],
    ['iban', 'GB83 WEST 1234 5698 7654 32', false],
    ['ipv4', '192.168.0.1', true],
    ['ipv4', '10.0.19041.1', false],
    ['ipv6', '2001:db8::1', true],
  ])('%s accepts %j: %s', (name, text, expected) => {
    expect(accepts(name, text)).toBe(expected);
  });
});

describe('nameWords', () => {
  test('splits snake, kebab, camel case and spaces', () => {
    expect(nameWords('customerEmail')).toEqual(['customer', 'email']);
    expect(nameWords('Date of Birth')).toEqual(['date', 'of', 'birth']);
    expect(nameWords('first-name')).toEqual(['first', 'name']);
  });
});

describe('column detectors', () => {
  const emails = repeat((i) => `user${i}@example.com`);
  test('email: by value, whatever the name; the hint is reported', () => {
    expect(detectPii(column('contact', emails))).toEqual([{ detector: 'email', classification: 'pii.email', share: 1, hint: null, confidence: 'high' }]);
    expect(detectPii(column('customer_email', emails))[0].hint).toBe('email');
  });
  test('email: the word in a column name is not enough (email_opt_in holds yes/no)', () => {
    expect(
      detectors(
        column(
          'email_opt_in',
          repeat((i) => (i % 2 ? 'yes' : 'no')),
        ),
      ),
    ).toEqual([]);
    expect(
      detectors(
        column(
          'emails_sent',
          repeat((i) => String(i)),
        ),
      ),
    ).toEqual([]);
  });
  test('email: a hint lowers the share needed to one half', () => {
    const mixed = repeat((i) => (i % 3 === 0 ? 'n/a' : `u${i}@example.com`));
    expect(detectors(column('email', mixed))).toEqual(['email']);
    expect(detectors(column('notes', mixed))).toEqual([]);
  });
  test('phone: E.164 by value; national shapes only with a name hint (not part numbers)', () => {
    expect(
      detectors(
        column(
          'msisdn_or_whatever',
          repeat((i) => `+4477009001${String(i).padStart(2, '0')}`),
        ),
      ),
    ).toEqual(['phone']);
    const national = repeat((i) => `(555) 201-33${String(i).padStart(2, '0')}`);
    expect(detectors(column('home_phone', national))).toEqual(['phone']);
    expect(detectors(column('part_number', national))).toEqual([]);
  });
  test('iban: by checksum', () => {
    expect(
      detectors(
        column(
          'account',
          repeat(() => 'GB82WEST12345698765432'),
        ),
      ),
    ).toEqual(['iban']);
    expect(
      detectors(
        column(
          'account',
          repeat(() => 'GB83WEST12345698765432'),
        ),
      ),
    ).toEqual([]);
  });
  test('card number: 90% must pass Luhn with an issuer prefix; ids that pass by chance do not', () => {
    const cards = repeat((i) => (i % 2 ? '4111111111111111' : '5555555555554444'));
    expect(detectors(column('pan', cards))).toEqual(['card_number']);
    // about one random 16-digit id in ten passes Luhn
    const ids = repeat((i) => (i % 10 === 0 ? '4111111111111111' : `41111111111111${String(i).padStart(2, '0')}`));
    expect(detectors(column('order_id', ids))).toEqual([]);
  });
  test('ip address: v4 and v6', () => {
    expect(
      detectors(
        column(
          'client',
          repeat((i) => `10.0.0.${i}`),
        ),
      ),
    ).toEqual(['ip_address']);
    expect(
      detectors(
        column(
          'client',
          repeat((i) => `2001:db8::${i + 1}`),
        ),
      ),
    ).toEqual(['ip_address']);
    expect(
      detectors(
        column(
          'build',
          repeat((i) => `10.0.19041.${i}`),
        ),
      ),
    ).toEqual([]);
  });
  test('US SSN: dashed by value; nine digits only with a hint', () => {
    expect(
      detectors(
        column(
          'tax',
          repeat((i) => `123-45-67${String(i).padStart(2, '0')}`),
        ),
      ),
    ).toEqual(['us_ssn']);
    const nine = repeat((i) => `1234567${String(i).padStart(2, '0')}`);
    expect(detectors(column('ssn', nine))).toEqual(['us_ssn']);
    expect(detectors(column('account_ref', nine))).toEqual([]);
  });
  test('UK NINO', () => {
    expect(
      detectors(
        column(
          'ni',
          repeat(() => 'AB 12 34 56 C'),
        ),
      ),
    ).toEqual(['uk_nino']);
  });
  test('date of birth: a date column with a birth hint; a birth_rate of numbers is not one', () => {
    expect(
      detectors(
        column(
          'date_of_birth',
          repeat(() => '1980-01-01'),
          'date',
        ),
      ),
    ).toEqual(['date_of_birth']);
    expect(
      detectors(
        column(
          'dob',
          repeat(() => '1980-01-01'),
          'date',
        ),
      ),
    ).toEqual(['date_of_birth']);
    expect(
      detectors(
        column(
          'created_at',
          repeat(() => '1980-01-01'),
          'date',
        ),
      ),
    ).toEqual([]);
    expect(
      detectors(
        column(
          'birth_rate',
          repeat((i) => `${i}.5`),
          'number',
        ),
      ),
    ).toEqual([]);
  });
  test('person name: a person hint and capitalised words, with low confidence', () => {
    const names = repeat((i) => (i % 2 ? 'Maria Rossi' : 'James Smith'));
    expect(detectPii(column('customer_name', names))).toEqual([
      { detector: 'person_name', classification: 'pii.name', share: 1, hint: 'customer name', confidence: 'low' },
    ]);
    expect(detectors(column('author', names))).toEqual(['person_name']);
    expect(
      detectors(
        column(
          'product_name',
          repeat(() => 'Widget Pro'),
        ),
      ),
    ).toEqual([]);
    expect(
      detectors(
        column(
          'city',
          repeat(() => 'New York'),
        ),
      ),
    ).toEqual([]);
  });
  test('too few values are not judged', () => {
    expect(detectors(column('email', emails.slice(0, 4)))).toEqual([]);
  });
});
