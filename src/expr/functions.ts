/**
 * The function table of the expression language: every `op.<name>` an
 * expression may call, with its arity, the kinds of its arguments and of its
 * result, and its implementation. It is assay's own, not arquero's registry:
 * only scalar functions on column values, plus aggregates. Nothing here takes
 * or yields a function, an object or a property name, nothing compiles a
 * regex, and nothing makes output longer than its inputs together (so
 * evaluation is linear in the data and in the expression).
 *
 * docs/expressions.md lists this table (rendered by `renderFunctionTable`,
 * checked by test/expr/functions.test.ts).
 */
import type { Kind, Value } from './ast.js';
import type { Scalar } from '../values/types.js';

/** What an argument must be; a null argument is always accepted (and gives null). */
export type ArgKind = 'number' | 'string' | 'boolean' | 'date' | 'number_or_date' | 'scalar' | 'list' | 'string_or_list';

interface Common {
  name: string;
  /** One line for docs/expressions.md. */
  summary: string;
  params: ArgKind[];
  /** How many of the trailing params may be left out. */
  optional?: number;
  /** The last param repeats (at least once). */
  variadic?: boolean;
  result: Kind;
}

export interface ScalarFunction extends Common {
  kind: 'scalar';
  /** Called with non-null arguments of the declared kinds; any null argument gives null without a call. */
  js: (...args: never[]) => Value;
}

export interface AggregateFunction extends Common {
  kind: 'aggregate';
  /** Params (by index) that must be number literals, such as quantile's probability. */
  literal?: number[];
  /**
   * Computed from a mergeable state over the batches (../engine/in-process/tasks.ts);
   * otherwise `over` runs once on the argument values of the rows in scope.
   */
  mergeable: boolean;
  /** The value over the argument values of the rows in scope (nulls included; the function decides). */
  over?: (args: Scalar[][]) => Value;
}

export type FunctionDef = ScalarFunction | AggregateFunction;

const num = (name: string, summary: string, js: (x: number) => number): ScalarFunction => ({ name, kind: 'scalar', summary, params: ['number'], result: 'number', js: js as ScalarFunction['js'] });
const str = (name: string, summary: string, result: Kind, js: (s: string) => Value): ScalarFunction => ({ name, kind: 'scalar', summary, params: ['string'], result, js: js as ScalarFunction['js'] });
const datePart = (name: string, summary: string, js: (d: Date) => number): ScalarFunction => ({ name, kind: 'scalar', summary, params: ['date'], result: 'number', js: js as ScalarFunction['js'] });

/** Length in characters (code points), as SQL's LENGTH and the `length` check. */
export function characters(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff || i + 1 === text.length) n++;
    else {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      n++;
    }
  }
  return n;
}

const SCALARS: ScalarFunction[] = [
  // text
  str('lower', 'the text in lower case', 'string', (s) => s.toLowerCase()),
  str('upper', 'the text in upper case', 'string', (s) => s.toUpperCase()),
  str('trim', 'the text without leading and trailing white space', 'string', (s) => s.trim()),
  str('length', 'the number of characters (code points)', 'number', characters),
  str('reverse', 'the text reversed (by code point)', 'string', (s) => Array.from(s).reverse().join('')),
  { name: 'normalize', kind: 'scalar', summary: 'the text in Unicode normal form `form` (NFC, NFD, NFKC, NFKD; default NFC)', params: ['string', 'string'], optional: 1, result: 'string', js: ((s: string, form = 'NFC') => (['NFC', 'NFD', 'NFKC', 'NFKD'].includes(form) ? s.normalize(form) : null)) as ScalarFunction['js'] },
  { name: 'substring', kind: 'scalar', summary: 'the text from index `start` up to, not including, `end` (0-based, UTF-16 units, as JavaScript)', params: ['string', 'number', 'number'], optional: 1, result: 'string', js: ((s: string, start: number, end?: number) => s.substring(start, end)) as ScalarFunction['js'] },
  { name: 'startswith', kind: 'scalar', summary: 'whether the text starts with `prefix`', params: ['string', 'string'], result: 'boolean', js: ((s: string, p: string) => s.startsWith(p)) as ScalarFunction['js'] },
  { name: 'endswith', kind: 'scalar', summary: 'whether the text ends with `suffix`', params: ['string', 'string'], result: 'boolean', js: ((s: string, p: string) => s.endsWith(p)) as ScalarFunction['js'] },
  { name: 'includes', kind: 'scalar', summary: 'whether the text contains `value`, or the list (`[...]` of literals) holds it', params: ['string_or_list', 'scalar'], result: 'boolean', js: ((seq: string | readonly Scalar[], v: Scalar) => (typeof seq === 'string' ? typeof v === 'string' && seq.includes(v) : seq.some((x) => x === v || (typeof x === 'number' && typeof v === 'bigint' && Number.isInteger(x) && BigInt(x) === v)))) as ScalarFunction['js'] },
  { name: 'indexof', kind: 'scalar', summary: 'the first index of `value` in the text, or -1', params: ['string', 'string'], result: 'number', js: ((s: string, v: string) => s.indexOf(v)) as ScalarFunction['js'] },
  { name: 'lastindexof', kind: 'scalar', summary: 'the last index of `value` in the text, or -1', params: ['string', 'string'], result: 'number', js: ((s: string, v: string) => s.lastIndexOf(v)) as ScalarFunction['js'] },
  // A function replacer: `$&` and friends in the replacement stay literal text.
  { name: 'replace', kind: 'scalar', summary: 'the text with the first occurrence of `search` (plain text, not a regex) replaced', params: ['string', 'string', 'string'], result: 'string', js: ((s: string, search: string, by: string) => s.replace(search, () => by)) as ScalarFunction['js'] },
  { name: 'concat', kind: 'scalar', summary: 'the texts joined', params: ['string'], variadic: true, result: 'string', js: ((...parts: string[]) => parts.join('')) as ScalarFunction['js'] },
  { name: 'parse_float', kind: 'scalar', summary: 'the text as a number, or null', params: ['string'], result: 'number', js: ((s: string) => Number.parseFloat(s)) as ScalarFunction['js'] },
  { name: 'parse_int', kind: 'scalar', summary: 'the text as an integer in base `radix` (default 10), or null', params: ['string', 'number'], optional: 1, result: 'number', js: ((s: string, radix = 10) => Number.parseInt(s, radix)) as ScalarFunction['js'] },
  { name: 'parse_date', kind: 'scalar', summary: 'the text (ISO 8601) as a date, or null', params: ['string'], result: 'date', js: ((s: string) => { const d = new Date(s); return Number.isNaN(d.getTime()) ? null : d; }) as ScalarFunction['js'] },
  // numbers
  num('abs', 'the absolute value', Math.abs),
  num('sign', '-1, 0 or 1', Math.sign),
  num('round', 'rounded to the nearest integer (halves up, as JavaScript Math.round)', Math.round),
  num('floor', 'rounded down', Math.floor),
  num('ceil', 'rounded up', Math.ceil),
  num('trunc', 'the integer part', Math.trunc),
  num('sqrt', 'the square root (null for a negative number)', Math.sqrt),
  num('cbrt', 'the cube root', Math.cbrt),
  num('exp', 'e to the power of the number', Math.exp),
  num('expm1', 'exp(x) - 1', Math.expm1),
  num('log', 'the natural logarithm (null for a negative number)', Math.log),
  num('log10', 'the base-10 logarithm', Math.log10),
  num('log2', 'the base-2 logarithm', Math.log2),
  num('log1p', 'log(1 + x)', Math.log1p),
  num('sin', 'sine (radians)', Math.sin),
  num('cos', 'cosine (radians)', Math.cos),
  num('tan', 'tangent (radians)', Math.tan),
  num('asin', 'arcsine', Math.asin),
  num('acos', 'arccosine', Math.acos),
  num('atan', 'arctangent', Math.atan),
  num('degrees', 'radians to degrees', (x) => (x * 180) / Math.PI),
  num('radians', 'degrees to radians', (x) => (x * Math.PI) / 180),
  { name: 'atan2', kind: 'scalar', summary: 'the angle of the point (x, y): atan2(y, x)', params: ['number', 'number'], result: 'number', js: Math.atan2 as ScalarFunction['js'] },
  { name: 'pow', kind: 'scalar', summary: 'x to the power of y', params: ['number', 'number'], result: 'number', js: Math.pow as ScalarFunction['js'] },
  { name: 'greatest', kind: 'scalar', summary: 'the largest of the numbers (null if any is null)', params: ['number'], variadic: true, result: 'number', js: Math.max as ScalarFunction['js'] },
  { name: 'least', kind: 'scalar', summary: 'the smallest of the numbers (null if any is null)', params: ['number'], variadic: true, result: 'number', js: Math.min as ScalarFunction['js'] },
  { name: 'is_finite', kind: 'scalar', summary: 'whether the number is finite (not ±Infinity)', params: ['number'], result: 'boolean', js: Number.isFinite as ScalarFunction['js'] },
  // NaN never reaches an expression (it reads as null), so this is false for every number.
  { name: 'is_nan', kind: 'scalar', summary: 'false for every number (a NaN in the data reads as null; kept for old policies)', params: ['number'], result: 'boolean', js: Number.isNaN as ScalarFunction['js'] },
  { name: 'random', kind: 'scalar', summary: 'a random number in [0, 1) (results then vary between runs)', params: [], result: 'number', js: Math.random as ScalarFunction['js'] },
  { name: 'now', kind: 'scalar', summary: 'the wall clock, in milliseconds since 1970 (not `--now`)', params: [], result: 'number', js: Date.now as ScalarFunction['js'] },
  // dates (local time, as the process's TZ; utc* in UTC)
  datePart('year', 'the year (local time)', (d) => d.getFullYear()),
  datePart('quarter', 'the quarter, 0–3 (local time)', (d) => Math.floor(d.getMonth() / 3)),
  datePart('month', 'the month, 0–11 as in JavaScript (local time)', (d) => d.getMonth()),
  datePart('date', 'the day of the month, 1–31 (local time)', (d) => d.getDate()),
  datePart('dayofweek', 'the day of the week, 0 = Sunday (local time)', (d) => d.getDay()),
  datePart('hours', 'the hour, 0–23 (local time)', (d) => d.getHours()),
  datePart('minutes', 'the minutes (local time)', (d) => d.getMinutes()),
  datePart('seconds', 'the seconds (local time)', (d) => d.getSeconds()),
  datePart('milliseconds', 'the milliseconds (local time)', (d) => d.getMilliseconds()),
  datePart('utcyear', 'the year (UTC)', (d) => d.getUTCFullYear()),
  datePart('utcquarter', 'the quarter, 0–3 (UTC)', (d) => Math.floor(d.getUTCMonth() / 3)),
  datePart('utcmonth', 'the month, 0–11 (UTC)', (d) => d.getUTCMonth()),
  datePart('utcdate', 'the day of the month (UTC)', (d) => d.getUTCDate()),
  datePart('utcdayofweek', 'the day of the week, 0 = Sunday (UTC)', (d) => d.getUTCDay()),
  datePart('utchours', 'the hour (UTC)', (d) => d.getUTCHours()),
  datePart('utcminutes', 'the minutes (UTC)', (d) => d.getUTCMinutes()),
  datePart('utcseconds', 'the seconds (UTC)', (d) => d.getUTCSeconds()),
  datePart('utcmilliseconds', 'the milliseconds (UTC)', (d) => d.getUTCMilliseconds()),
  datePart('timestamp', 'milliseconds since 1970-01-01T00:00:00Z', (d) => d.getTime()),
];

const numbers = (values: Scalar[]): number[] => values.filter((v): v is number | bigint => typeof v === 'number' || typeof v === 'bigint').map(Number).filter((v) => !Number.isNaN(v));

/** Pairs of numbers present in both arguments, for corr and covariance. */
function pairs([xs, ys]: Scalar[][]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    const y = ys[i];
    if ((typeof x === 'number' || typeof x === 'bigint') && (typeof y === 'number' || typeof y === 'bigint') && x === x && y === y) out.push([Number(x), Number(y)]);
  }
  return out;
}

function covariance(ps: [number, number][], population: boolean): number | null {
  const n = ps.length;
  if (n < (population ? 1 : 2)) return null;
  let mx = 0;
  let my = 0;
  for (const [x, y] of ps) {
    mx += x / n;
    my += y / n;
  }
  let s = 0;
  for (const [x, y] of ps) s += (x - mx) * (y - my);
  return s / (population ? n : n - 1);
}

const key = (v: Scalar): unknown => (v instanceof Date ? v.getTime() : typeof v === 'bigint' ? `${v}n` : v);

const agg = (name: string, summary: string, params: ArgKind[], result: Kind, mergeable: boolean, over?: AggregateFunction['over'], literal?: number[]): AggregateFunction => ({ name, kind: 'aggregate', summary, params, result, mergeable, over, literal });

const AGGREGATES: AggregateFunction[] = [
  agg('count', 'rows in scope', [], 'number', true),
  agg('valid', 'non-null values', ['scalar'], 'number', true),
  agg('invalid', 'null values', ['scalar'], 'number', true),
  agg('distinct', 'distinct non-null values', ['scalar'], 'number', true),
  agg('sum', 'sum of the numbers', ['number'], 'number', true),
  agg('mean', 'mean of the numbers', ['number'], 'number', true),
  agg('average', 'mean of the numbers (same as mean)', ['number'], 'number', true),
  agg('min', 'smallest number or date', ['number_or_date'], 'any', true),
  agg('max', 'largest number or date', ['number_or_date'], 'any', true),
  agg('median', 'median (linear interpolation)', ['number'], 'number', true),
  agg('quantile', 'the `p` quantile (linear interpolation); `p` is a number literal', ['number', 'number'], 'number', true, undefined, [1]),
  agg('stdev', 'sample standard deviation', ['number'], 'number', true),
  agg('stdevp', 'population standard deviation', ['number'], 'number', true),
  agg('variance', 'sample variance', ['number'], 'number', true),
  agg('variancep', 'population variance', ['number'], 'number', true),
  agg('any', 'one non-null value (the first)', ['scalar'], 'any', true),
  agg('product', 'product of the numbers', ['number'], 'number', false, ([xs]) => {
    const ns = numbers(xs);
    return ns.length === 0 ? null : ns.reduce((a, b) => a * b, 1);
  }),
  agg('mode', 'most frequent non-null value (the first seen among ties)', ['scalar'], 'any', false, ([xs]) => {
    const counts = new Map<unknown, { value: Scalar; n: number }>();
    let best: { value: Scalar; n: number } | undefined;
    for (const v of xs) {
      if (v === null || v !== v) continue;
      const k = key(v);
      const entry = counts.get(k) ?? { value: v, n: 0 };
      entry.n++;
      counts.set(k, entry);
      if (!best || entry.n > best.n) best = entry;
    }
    return best ? best.value : null;
  }),
  agg('corr', 'Pearson correlation of two numeric arguments', ['number', 'number'], 'number', false, (args) => {
    const ps = pairs(args);
    const c = covariance(ps, false);
    const sx = covariance(ps.map(([x]) => [x, x]), false);
    const sy = covariance(ps.map(([, y]) => [y, y]), false);
    return c === null || !sx || !sy ? null : c / Math.sqrt(sx * sy);
  }),
  agg('covariance', 'sample covariance of two numeric arguments', ['number', 'number'], 'number', false, (args) => covariance(pairs(args), false)),
  agg('covariancep', 'population covariance of two numeric arguments', ['number', 'number'], 'number', false, (args) => covariance(pairs(args), true)),
  agg('array_agg', 'the non-null values, as a list', ['scalar'], 'list', false, ([xs]) => xs.filter((v) => v !== null)),
  agg('array_agg_distinct', 'the distinct non-null values, as a list', ['scalar'], 'list', false, ([xs]) => {
    const seen = new Set<unknown>();
    return xs.filter((v) => v !== null && !seen.has(key(v)) && seen.add(key(v)));
  }),
];

/** Every callable function, by name. A plain Map: no prototype lookup can find anything else. */
export const FUNCTIONS: ReadonlyMap<string, FunctionDef> = new Map<string, FunctionDef>([...SCALARS, ...AGGREGATES].map((f) => [f.name, f]));

/**
 * Names users may know from arquero that are refused on purpose, with why
 * (the message of the validation error).
 */
export const REFUSED_FUNCTIONS: ReadonlyMap<string, string> = new Map([
  ...['pluck', 'object', 'row_object', 'entries', 'keys', 'values', 'has', 'recode', 'to_json', 'parse_json', 'equal', 'object_agg', 'map_agg', 'entries_agg'].map(
    (n): [string, string] => [n, 'expressions work on scalar values, not objects or property names'],
  ),
  ['match', 'regexes in expressions are not allowed; use a pattern check'],
  ['split', 'it makes lists from text; use a pattern check or op.includes'],
  ['join', 'it builds text from lists; use op.concat'],
  ...['repeat', 'padstart', 'padend', 'sequence', 'bins'].map((n): [string, string] => [n, 'its output is not bounded by its input']),
  ...['row_number', 'rank', 'avg_rank', 'dense_rank', 'percent_rank', 'cume_dist', 'ntile', 'lag', 'lead', 'first_value', 'last_value', 'nth_value', 'fill_down', 'fill_up'].map(
    (n): [string, string] => [n, 'it is a window function; checks see rows, not ordered windows'],
  ),
]);

/** The function table as the markdown table in docs/expressions.md. */
export function renderFunctionTable(): string {
  const signature = (f: FunctionDef): string => {
    const names = f.params.map((p, i) => {
      const optional = f.optional !== undefined && i >= f.params.length - f.optional;
      const text = p === 'string_or_list' ? 'string|list' : p === 'number_or_date' ? 'number|date' : p;
      return `${text}${f.variadic && i === f.params.length - 1 ? ', …' : ''}${optional ? '?' : ''}`;
    });
    return `\`op.${f.name}(${names.join(', ')})\``;
  };
  const rows = (fs: FunctionDef[]) => fs.map((f) => `| ${signature(f)} | ${f.result} | ${f.summary}${f.kind === 'aggregate' && !f.mergeable ? ' (keeps its argument values in memory)' : ''} |`).join('\n');
  return [
    '| function | result | |',
    '|---|---|---|',
    rows(SCALARS),
    '',
    'Aggregate functions (only in `aggregate.expr` and `reconcile.metric`; they ignore null values):',
    '',
    '| function | result | |',
    '|---|---|---|',
    rows(AGGREGATES),
  ].join('\n');
}
