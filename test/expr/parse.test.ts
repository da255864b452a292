/**
 * The expression allow-list: hostile expressions that must be refused before
 * arquero sees them, and legitimate ones that must pass. arquero's own parser
 * is not a sandbox; several of these (d.x.constructor.constructor) it accepts.
 */
import { ExpressionError, MAX_EXPRESSION_LENGTH, parseExpression, type ExpressionContext } from '../../src/expr/parse.js';

function refusal(source: string, context: ExpressionContext = 'row'): string {
  try {
    parseExpression(source, context);
  } catch (e) {
    expect(e).toBeInstanceOf(ExpressionError);
    return (e as Error).message;
  }
  throw new Error(`accepted: ${source}`);
}

describe('hostile expressions are refused, naming the construct', () => {
  test.each([
    // prototype chain and constructors
    ['d.x.constructor', '"constructor" is not allowed'],
    ['d.x.constructor.constructor', '"constructor" is not allowed'],
    ["d.x.constructor.constructor('return process')()", '"constructor" is not allowed'],
    ['d.constructor', '"constructor" is not allowed'],
    ['d.x.__proto__', '"__proto__" is not allowed'],
    ["d['__proto__']", '"__proto__" is not allowed'],
    ["d['constructor']", '"constructor" is not allowed'],
    ['d.x.prototype', '"prototype" is not allowed'],
    ['op.constructor', '"constructor" is not allowed'],
    ["op['constructor']('return 1')", '"constructor" is not allowed'],
    ['op.abs.constructor', '"constructor" is not allowed'],
    ['d.__defineGetter__', '"__defineGetter__" is not allowed'],
    ['$.__proto__', '"__proto__" is not allowed'],
    // globals
    ['process', '"process" is not allowed'],
    ['process.exit(1)', '"process" is not allowed'],
    ['globalThis', '"globalThis" is not allowed'],
    ['globalThis.process.exit(1)', '"globalThis" is not allowed'],
    ["require('fs')", '"require" is not allowed'],
    ["import('fs')", 'an import expression is not allowed'],
    ['window', '"window" is not allowed'],
    ['eval("1")', '"eval" is not allowed'],
    ['Function("return 1")()', '"Function" is not allowed'],
    ['Math.random()', '"Math" is not allowed'],
    ['JSON.stringify(d)', '"JSON" is not allowed'],
    ['d.x > undefined', '"undefined" is not allowed'],
    ['this', '"this" is not allowed'],
    ['this.x', '"this" is not allowed'],
    // functions
    ['() => 1', 'a function is not allowed'],
    ['(() => 1)()', 'a function is not allowed'],
    ['function () { return 1 }', 'a function is not allowed'],
    ['op.abs(d.x, () => process)', 'a function is not allowed'],
    // assignments and updates
    ['d.x = 1', 'assignment is not allowed'],
    ['d.x += 1', 'assignment is not allowed'],
    ['d.x++', 'assignment is not allowed'],
    ['--d.x', 'assignment is not allowed'],
    // calls on anything but op.*
    ['d.x.toString()', 'calling anything but op.<function> is not allowed'],
    ["d.email.replace('a', 'b')", 'calling anything but op.<function> is not allowed'],
    ['$.f()', 'calling anything but op.<function> is not allowed'],
    ['op?.abs(d.x)', 'optional chaining is not allowed'],
    ['op.abs?.(d.x)', 'optional chaining is not allowed'],
    ['d.x?.y', 'optional chaining is not allowed'],
    ["op['abs'](d.x)", 'calling anything but op.<function> is not allowed'],
    ['(0, op.abs)(d.x)', 'a sequence expression is not allowed'],
    ['(op.abs)(d.x)', '"op.abs" without a call is not allowed'],
    ['op.nope(d.x)', '"op.nope" is not a function of the expression language'],
    ['op.lowr(d.x) == "a"', '"op.lowr" is not a function of the expression language (did you mean "op.lower"?)'],
    ['op.abs', '"op.abs" without a call is not allowed'],
    // regexes: arquero's op.match compiles a backtracking RegExp
    ["op.match(d.email, '^(a+)+$')", '"op.match" is not allowed'],
    ['/(a+)+$/.test(d.email)', 'a regular expression literal is not allowed'],
    ["op.abs(/(a+)+$/)", 'a regular expression literal is not allowed'],
    // unbounded allocation
    ["op.repeat('x', 1e9)", '"op.repeat" is not allowed'],
    ["op.padstart('x', 1e9)", '"op.padstart" is not allowed'],
    // template strings
    ['`${d.x}`', 'a template string is not allowed'],
    ['String.raw`x`', 'a template string is not allowed'],
    // computed member access
    ['d[d.key]', 'a computed column name is not allowed'],
    ["d['a' + 'b']", 'a computed column name is not allowed'],
    ['d.x[0]', 'property access on a value'],
    ['d.x.length', 'property access on a value ("length") is not allowed'],
    ['[d.x][0]', 'a list outside op.includes is not allowed'],
    // new, sequences, and other statements in disguise
    ['new Date()', '"new" is not allowed'],
    ['new d.x()', '"new" is not allowed'],
    ['d.x, process', 'a sequence expression is not allowed'],
    ['(d.x, 1)', 'a sequence expression is not allowed'],
    ['d.x > 1; process.exit()', 'unexpected ";'],
    ['({ a: 1 })', 'an object expression is not allowed'],
    ['[...d.x]', 'a sparse or spread array is not allowed'],
    ["'x' in d", 'the "in" operator is not allowed'],
    ['d.x instanceof Object', 'the "instanceof" operator is not allowed'],
    ['typeof d.x', 'the "typeof" operator is not allowed'],
    ['void 0', 'the "void" operator is not allowed'],
    ['delete d.x', 'the "delete" operator is not allowed'],
    ['10n', 'a bigint literal is not allowed'],
    // second round of issue 12: a literal a double rounds would compare as another number
    ['d.x == 9007199254740993', 'the integer 9007199254740993 (beyond 2^53, a number cannot hold it exactly) is not allowed'],
    ['d.x == 0x20000000000001', 'the integer 0x20000000000001 (beyond 2^53, a number cannot hold it exactly) is not allowed'],
    ['await d.x', 'unexpected "d.x" after the expression'],
    // aggregates and windows outside aggregate checks
    ['op.sum(d.x) > 0', '"op.sum" is an aggregate function'],
    ['op.row_number() > 1', '"op.row_number" is not allowed: it is a window function'],
    // malformed and oversized
    ['', 'expression is empty'],
    ['   ', 'expression is empty'],
    ['d.x >', 'syntax error'],
    ['d.x > 1 )', 'unexpected ")" after the expression'],
    ['d.x > 1 // comment', 'unexpected "// comment" after the expression'],
  ])('%s', (source, expected) => {
    const message = refusal(source);
    if (expected) expect(message).toContain(expected);
  });

  test('very long input is refused before it is parsed', () => {
    const source = `d.x > ${'1 + '.repeat(MAX_EXPRESSION_LENGTH)}1`;
    expect(refusal(source)).toBe(`expression is longer than ${MAX_EXPRESSION_LENGTH} characters`);
  });

  test('deep nesting within the length limit is refused or parsed without crashing', () => {
    const source = `${'('.repeat(1900)}d.x${')'.repeat(1900)} > 1`;
    expect(() => parseExpression(source, 'row')).not.toThrow(RangeError);
  });

  test('principal.attributes is only available in access row filters', () => {
    expect(refusal('d.region == principal.attributes.region')).toContain('"principal" is not allowed');
    expect(refusal('principal.roles', 'filter')).toContain('"principal" is not allowed');
    expect(refusal('principal.attributes.__proto__', 'filter')).toContain('"__proto__" is not allowed');
    expect(refusal('principal.attributes[d.x]', 'filter')).toContain('a computed attribute name is not allowed');
  });

  test('an aggregate expression needs an aggregate function', () => {
    expect(refusal('1 + 2', 'aggregate')).toContain('needs an aggregate function');
    expect(refusal('d.amount * 2', 'aggregate')).toContain('d.amount is read outside an aggregate function');
  });

  test('errors carry the offset of the refused construct', () => {
    try {
      parseExpression('d.a > 0 && d.b.constructor', 'row');
    } catch (e) {
      expect((e as ExpressionError).offset).toBe('d.a > 0 && d.b.'.length);
    }
    expect.assertions(1);
  });
});

describe('legitimate expressions pass', () => {
  test.each([
    ['d.amount > 0', ['amount']],
    ["d.amount > 0 && op.lower(d.status) != 'void'", ['amount', 'status']],
    ['d.updated_at >= d.created_at', ['updated_at', 'created_at']],
    ["d['Body Mass (g)'] > 3900", ['Body Mass (g)']],
    ['d["first name"] != null', ['first name']],
    ['d.a == null || d.a === 0 || d.a !== 1', ['a']],
    ['!(d.a < 1) && -d.b <= +d.c', ['a', 'b', 'c']],
    ['d.a % 2 == 0 ? d.b : d.c', ['a', 'b', 'c']],
    ['d.a ** 2 + d.b * 3 - d.c / 4 >= 10', ['a', 'b', 'c']],
    ['d.x ?? 1', ['x']],
    ["op.includes(['US', 'GB'], d.country)", ['country']],
    ["op.length(d.email) > 3 && op.startswith(d.email, 'a')", ['email']],
    ['op.year(d.created_at) >= 2020', ['created_at']],
    ["op.parse_date('2026-01-01') < d.created_at", ['created_at']],
    ['op.is_nan(d.amount) == false', ['amount']],
    ['true', []],
    ['(d.x > 1)', ['x']],
    ['((d.a + d.b) * 2) > (d.c)', ['a', 'b', 'c']],
    ["'constructor' == d.name", ['name']],
  ])('%s', (source, columns) => {
    expect(parseExpression(source, 'row').columns).toEqual(columns);
  });

  test.each([
    ['op.sum(d.amount) / op.count()'],
    ["op.sum(d.status == 'refunded' ? 1 : 0) / op.count()"],
    ['op.max(d.updated_at) - op.min(d.created_at)'],
    ['op.mean(d.amount) > 0 ? op.median(d.amount) : op.quantile(d.amount, 0.9)'],
    ['op.distinct(d.customer_id) / op.valid(d.customer_id)'],
  ])('aggregate: %s', (source) => {
    expect(parseExpression(source, 'aggregate').aggregates).toBe(true);
  });

  test('filters may read principal attributes', () => {
    const parsed = parseExpression("d.country == principal.attributes.region && principal.attributes['team'] != 'x'", 'filter');
    expect(parsed.attributes).toEqual(['region', 'team']);
    expect(parsed.columns).toEqual(['country']);
  });
});
