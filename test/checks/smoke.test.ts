import { parseExpression } from '../../src/expr/parse.js';

test('esm setup loads arquero-backed modules', () => {
  expect(parseExpression('d.a > 1', 'row').columns).toEqual(['a']);
});
