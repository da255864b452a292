/**
 * The function table: every entry is documented, every arquero name users
 * may know is either in the table or refused with a reason, and nothing
 * outside the table (prototype names, globals) is callable.
 */
import { readFileSync } from 'node:fs';
import { op } from 'arquero';
import { FUNCTIONS, REFUSED_FUNCTIONS, renderFunctionTable } from '../../src/expr/functions.js';
import { ExpressionError, parseExpression } from '../../src/expr/parse.js';

function refusal(source: string, context: 'row' | 'aggregate' = 'row'): string {
  try {
    parseExpression(source, context);
  } catch (e) {
    expect(e).toBeInstanceOf(ExpressionError);
    return (e as Error).message;
  }
  throw new Error(`accepted: ${source}`);
}

test('docs/expressions.md holds the rendered function table', () => {
  expect(readFileSync('docs/expressions.md', 'utf8')).toContain(renderFunctionTable());
});

test('no name is both callable and refused', () => {
  expect([...REFUSED_FUNCTIONS.keys()].filter((n) => FUNCTIONS.has(n))).toEqual([]);
});

test('the table keeps no arquero function that takes or yields objects, property names, regexes or functions', () => {
  for (const name of ['pluck', 'object', 'row_object', 'to_json', 'parse_json', 'entries', 'keys', 'values', 'recode', 'match', 'has', 'equal', 'split', 'join', 'repeat', 'padstart', 'padend', 'sequence', 'object_agg', 'map_agg', 'entries_agg']) {
    expect([name, FUNCTIONS.has(name)]).toEqual([name, false]);
    expect(refusal(`op.${name}(d.x) == 1`)).toContain(`"op.${name}" is not allowed`);
  }
});

test('arquero names outside the table are refused with a reason or as unknown (deny by default)', () => {
  for (const name of Object.keys(op)) {
    if (FUNCTIONS.has(name)) continue;
    expect(refusal(`op.${name}(d.x) == 1`)).toMatch(new RegExp(`"op.${name}" is (not allowed|not a function of the expression language)`));
  }
});

test('names outside the table and prototype names are refused as calls', () => {
  for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'assay_regex', 'eval', 'Function', 'require']) {
    expect(() => parseExpression(`op.${name}(d.x)`, 'row')).toThrow(ExpressionError);
    expect(() => parseExpression(`op["${name}"](d.x)`, 'row')).toThrow(ExpressionError);
  }
});

test('wrong arity names the function and the expected count', () => {
  expect(refusal("op.lower(d.a, 'x') == 'a'")).toBe('"op.lower" takes 1 argument, not 2');
  expect(refusal('op.pow(d.a) > 1')).toBe('"op.pow" takes 2 arguments, not 1');
  expect(refusal("op.substring(d.a) == ''")).toBe('"op.substring" takes 2 to 3 arguments, not 1');
  expect(refusal('op.concat() == ""')).toBe('"op.concat" takes at least 1 argument, not 0');
  expect(refusal('op.count(d.a)', 'aggregate')).toBe('"op.count" takes 0 arguments, not 1');
  expect(refusal('op.quantile(d.a, d.b)', 'aggregate')).toBe('argument 2 of "op.quantile" must be a number literal');
});

test('argument kinds known before the run are checked', () => {
  expect(refusal('op.lower(5) == "a"')).toBe('argument 1 of "op.lower" must be a string, not a number');
  expect(refusal('op.abs("x") > 1')).toBe('argument 1 of "op.abs" must be a number, not a string');
  expect(refusal('op.sum("x")', 'aggregate')).toBe('argument 1 of "op.sum" must be a number, not a string');
  expect(refusal('op.year(1) > 2000')).toBe('argument 1 of "op.year" must be a date, not a number');
});

test('every function has a summary and consistent arity', () => {
  for (const f of FUNCTIONS.values()) {
    expect([f.name, f.summary.length > 0]).toEqual([f.name, true]);
    expect([f.name, (f.optional ?? 0) <= f.params.length]).toEqual([f.name, true]);
    if (f.kind === 'aggregate' && !f.mergeable) expect([f.name, typeof f.over]).toEqual([f.name, 'function']);
  }
});
