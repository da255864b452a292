import { bindAttributes, bindRowFilters } from '../../src/access/filter.js';
import { ExpressionError } from '../../src/expr/parse.js';

const bob = { name: 'bob', roles: ['support'], attributes: { region: 'US', level: 3, vip: true } };

describe('row filters', () => {
  test('attributes become literals', () => {
    expect(bindAttributes('d.country == principal.attributes.region', bob.attributes)).toMatchObject({ expression: 'd.country == "US"', missing: [] });
    expect(bindAttributes('d.tier >= principal.attributes["level"] && principal.attributes.vip', bob.attributes).expression).toBe('d.tier >= 3 && true');
  });
  test('quotes in attribute values cannot break out of the literal', () => {
    const bound = bindAttributes('d.country == principal.attributes.region', { region: '" || true || "' });
    expect(bound.expression).toBe('d.country == "\\" || true || \\""');
  });
  test('several filters AND together', () => {
    const bound = bindRowFilters(
      [
        { policy: 'a', expression: 'd.country == principal.attributes.region' },
        { policy: 'b', expression: 'd.amount > 100' },
      ],
      bob,
    );
    expect(bound.expression).toBe('(d.country == "US") && (d.amount > 100)');
  });
  test('no filter: null', () => {
    expect(bindRowFilters([], bob)).toEqual({ expression: null, ast: null, missing: [] });
  });
  test('a missing attribute makes its filter match no row (fail closed)', () => {
    const bound = bindRowFilters(
      [
        { policy: 'a', expression: 'd.team == principal.attributes.team' },
        { policy: 'b', expression: 'd.amount > 100' },
      ],
      bob,
    );
    expect(bound.expression).toBe('(false) && (d.amount > 100)');
    expect(bound.missing).toEqual(['team']);
  });
  test('inherited properties are not attributes', () => {
    expect(bindAttributes('d.x == principal.attributes.toString', bob.attributes).missing).toEqual(['toString']);
  });
  test('filters outside the allow-list are refused', () => {
    expect(() => bindAttributes('principal.constructor', bob.attributes)).toThrow(ExpressionError);
    expect(() => bindAttributes('d.x.constructor.constructor("return 1")()', bob.attributes)).toThrow(ExpressionError);
  });
});
