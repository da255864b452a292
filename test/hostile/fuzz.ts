/**
 * Shared settings and generators for the property-based (fuzz) tests.
 * CI runs them with a FIXED seed and a bounded number of runs and time, so a
 * failure reproduces and the suite stays fast. To fuzz longer locally:
 *   ASSAY_FUZZ_RUNS=5000 ASSAY_FUZZ_SEED=$RANDOM npx jest test/hostile
 * (fast-check prints the seed and path of any counterexample).
 */
import fc from 'fast-check';

export const FUZZ_SEED = Number(process.env.ASSAY_FUZZ_SEED ?? 20261125);
const RUN_SCALE = Number(process.env.ASSAY_FUZZ_RUNS ?? 0);

/** fast-check parameters: fixed seed, `runs` runs (or ASSAY_FUZZ_RUNS), at most `seconds`. */
export function fuzzParams(runs: number, seconds = 20): fc.Parameters<unknown> {
  const numRuns = RUN_SCALE > 0 ? RUN_SCALE : runs;
  return {
    seed: FUZZ_SEED,
    numRuns,
    // Bounded time: stop early rather than slow CI down; what ran still counts.
    interruptAfterTimeLimit: RUN_SCALE > 0 ? undefined : seconds * 1000,
    markInterruptAsFailure: false,
    endOnFailure: true,
  };
}

/** Tokens that break YAML in interesting ways. */
const YAML_TOKENS = [
  '\n', ': ', '- ', '---\n', '...\n', '&a ', '*a', '<<: *a\n', '[', ']', '{', '}', ',', '"', "'", '#', '|\n', '>\n', '!!binary ', '!!js/function ',
  '!tag ', '? ', '\t', '  ', '%YAML 1.2\n', '\ufeff', '\r\n', '\r', '\u0000', '\u2028', 'kind: dataset\n', 'kind: access\n', 'kind: controls\n',
  'name: x\n', 'checks:\n', 'columns:\n', '__proto__: ', 'constructor: ', 'toString: ', '~', 'null', '.inf', '-.nan', '0x1F', '1e999', '"\\u0000"',
  'where: ', 'row: ', 'regex: ', 'd.constructor', 'op.match(d.x, "(a+)+")', '(a+)+$',
];

/** A mutation of `text`: insert tokens, delete or duplicate slices, flip characters. */
export function mutatedText(base: string, tokens: string[] = YAML_TOKENS): fc.Arbitrary<string> {
  const edit = fc.oneof(
    fc.record({ kind: fc.constant('insert' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), text: fc.constantFrom(...tokens) }),
    fc.record({ kind: fc.constant('insertRandom' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), text: fc.string({ maxLength: 8, unit: 'binary' }) }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), length: fc.integer({ min: 1, max: 40 }) }),
    fc.record({ kind: fc.constant('duplicate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), length: fc.integer({ min: 1, max: 80 }) }),
  );
  return fc.array(edit, { minLength: 1, maxLength: 6 }).map((edits) => {
    let text = base;
    for (const e of edits) {
      const at = Math.floor(e.at * text.length);
      if (e.kind === 'insert' || e.kind === 'insertRandom') text = text.slice(0, at) + e.text + text.slice(at);
      else if (e.kind === 'delete') text = text.slice(0, at) + text.slice(at + e.length);
      else text = text.slice(0, at + e.length) + text.slice(at, at + e.length) + text.slice(at + e.length);
    }
    return text;
  });
}

/** A mutation of binary data: overwrite, insert, delete or truncate bytes. */
export function mutatedBytes(base: Buffer): fc.Arbitrary<Buffer> {
  const edit = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ maxLength: 16 }) }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  );
  return fc.array(edit, { minLength: 1, maxLength: 8 }).map((edits) => {
    let bytes = Buffer.from(base);
    for (const e of edits) {
      const at = bytes.length === 0 ? 0 : e.at % bytes.length;
      if (e.kind === 'set' && bytes.length > 0) bytes[at] = e.byte;
      else if (e.kind === 'insert') bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(e.bytes), bytes.subarray(at)]);
      else if (e.kind === 'delete') bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + e.length)]);
      else if (e.kind === 'truncate') bytes = bytes.subarray(0, at);
    }
    return bytes;
  });
}

/**
 * A binary file with 32-bit little-endian integers overwritten by extreme
 * values: how a corrupted length, count or offset looks to a decoder (random
 * byte edits rarely make one large enough to hurt).
 */
export function overwrittenInts(base: Buffer): fc.Arbitrary<Buffer> {
  const edit = fc.record({ at: fc.nat(), value: fc.constantFrom(0x7fffffff, 0xffffffff, 0x80000000, 0x40000000, 0x01000000, 0x00010000, 0xfffffff8, 0) });
  return fc.array(edit, { minLength: 1, maxLength: 3 }).map((edits) => {
    const bytes = Buffer.from(base);
    for (const { at, value } of edits) bytes.writeUInt32LE(value, at % (bytes.length - 3));
    return bytes;
  });
}

/** Tokens of the expression language and of what it must refuse. */
export const EXPRESSION_TOKENS = [
  'd.a', 'd.b', 'd.s', 'd["a"]', "d['s']", 'd.missing', '$.p', 'op.lower(', 'op.upper(', 'op.length(', 'op.abs(', 'op.sum(', 'op.count()', 'op.mean(',
  'op.replace(', 'op.split(', 'op.join(', 'op.parse_json(', 'op.pluck(', 'op.recode(', 'op.match(', 'op.repeat(', 'op.sequence(', 'op.row_number()',
  'op.includes(', 'op.normalize(', 'op.parse_date(', 'op.now()', 'op.equal(', 'op.concat(', 'op.object(', 'op.entries(', 'op.has(',
  '(', ')', ',', '[', ']', '.', '?', ':', '!', '-', '+', '*', '/', '%', '**', '==', '!=', '===', '<', '<=', '>', '>=', '&&', '||', '??', '=', '=>', '...',
  '0', '1', '-1', '1e308', '0.5', 'NaN', 'Infinity', 'null', 'undefined', 'true', 'false', '"x"', "'y'", '"\\u0000"', '""', '`t`', '/(a+)+$/',
  'constructor', '__proto__', 'prototype', 'this', 'globalThis', 'process', 'require', 'import', 'eval', 'Function', 'new ', 'function(){}',
  'typeof ', 'void ', 'delete ', 'in ', 'instanceof ', 'principal.attributes.region', '// c', '/* c */', ';', '\n', ' ',
];

/** Token soup: mostly invalid, sometimes valid, always bounded. */
export const expressionSoup: fc.Arbitrary<string> = fc.array(fc.constantFrom(...EXPRESSION_TOKENS), { minLength: 1, maxLength: 14 }).map((t) => t.join(''));

/** Well-formed expressions over columns a, b, s (so some reach the compiler and run; kinds are not always right). */
export const wellFormedExpression: fc.Arbitrary<string> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('d.a', 'd.b', 'd.s', 'd["a"]', '0', '1', '-2.5', '"x"', "''", 'null', 'true', '1e308'),
    fc.tuple(fc.constantFrom('op.lower', 'op.upper', 'op.length', 'op.abs', 'op.trim', 'op.parse_float', 'op.is_nan', 'op.reverse', 'op.sqrt', 'op.parse_date', 'op.year'), tie('value')).map(([f, v]) => `${f}(${v})`),
    fc.tuple(fc.constantFrom('op.replace', 'op.includes', 'op.startswith', 'op.concat', 'op.pow', 'op.indexof', 'op.substring'), tie('value'), tie('value')).map(([f, a, b]) => `${f}(${a}, ${b})`),
    fc.tuple(tie('value'), fc.constantFrom('+', '-', '*', '/', '%', '**', '==', '!=', '<', '>=', '&&', '||', '??'), tie('value')).map(([a, o, b]) => `(${a} ${o} ${b})`),
    fc.tuple(tie('value'), tie('value'), tie('value')).map(([a, b, c]) => `(${a} ? ${b} : ${c})`),
    tie('value').map((v) => `!${v}`),
  ),
})).value as fc.Arbitrary<string>;
