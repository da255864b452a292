/**
 * The Spark SQL dialect of the SQL compiler (../sql/dialect.ts), for Spark
 * 4 in ANSI mode (the session sets it).
 *
 * Text: identifiers are quoted with backticks; string literals escape the
 * backslash and the quote (Spark reads backslash escapes in literals).
 *
 * Regular expressions run in Java's java.util.regex (RLIKE, regexp_extract),
 * not in RE2 or JavaScript. `jsRegexToJava` takes the subset that RE2 and
 * JavaScript share and spells it so that Java matches the same strings: `\d`
 * is [0-9], `\w` [A-Za-z0-9_], `\s` JavaScript's whitespace, `.` excludes
 * exactly JavaScript's line terminators (Java also excludes U+0085), `$` is
 * the end of the text (Java's `$` also matches before a final line break),
 * `[` and `&` inside a class are literal (Java reads nested classes and
 * `&&` intersections). It refuses with Unsupported what Java would read
 * differently or RE2 does not have: `\b`, back-references, look-around,
 * named groups, `\p{…}`, flags other than `i`, and text outside the Basic
 * Multilingual Plane (Java matches code points where JavaScript matches
 * UTF-16 units).
 *
 * Typing: text is typed with assay's value grammar (src/values/grammar.ts):
 * trimmed of JavaScript's whitespace, matched against the grammar's regular
 * expressions, converted with exact integer arithmetic (dates by the
 * proleptic Gregorian day count, computed here rather than by Spark's date
 * functions) and `try_cast` (never an ANSI error). Values keep JavaScript's
 * representation: numbers as DOUBLE, dates and timestamps as DOUBLE
 * milliseconds since the epoch.
 */
import type { ColumnType } from '../../values/types.js';
import { DATE_PATTERN, FALSE_WORDS, INTEGER_PATTERN, NUMBER_PATTERN, timestampPattern, TRIM_WHITESPACE, TRUE_WORDS } from '../../values/grammar.js';
import type { Dialect } from '../sql/dialect.js';
import { Unsupported } from '../sql/sql.js';

/** JavaScript's whitespace (String.prototype.trim, \s), as code points. */
const JS_WHITESPACE = TRIM_WHITESPACE;

/** A code point as a Java regex escape. */
const hex = (c: number) => `\\u${c.toString(16).padStart(4, '0').toUpperCase()}`;
/** The whitespace as the inside of a Java bracket expression. */
const WS_CLASS = JS_WHITESPACE.map(hex).join('');
/** JavaScript's line terminators: what `.` does not match. */
const NOT_LINE_TERMINATOR = `[^${[0x0a, 0x0d, 0x2028, 0x2029].map(hex).join('')}]`;

/** A Spark SQL string literal: backslash and quote escaped (Spark unescapes literals). */
export function sparkString(text: string): string {
  if (text.includes('\0')) throw new Unsupported('a NUL character in a value');
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A Spark SQL identifier in backticks, used exactly as written. */
export function sparkIdentifier(name: string): string {
  if (name.includes('\0')) throw new Unsupported('a NUL character in a name');
  return `\`${name.replace(/`/g, '``')}\``;
}

/**
 * A JavaScript regular expression (source text, no flags but `i`) as a Java
 * regex with the same matches, or Unsupported naming the first construct
 * without an exact equivalent.
 */
export function jsRegexToJava(source: string, flags = ''): string {
  // RE2's leading `(?i)` (assay's pattern syntax allows it) is Java's too.
  if (source.startsWith('(?i)')) return jsRegexToJava(source.slice(4), flags.includes('i') ? flags : `${flags}i`);
  for (const f of flags) if (f !== 'i') throw new Unsupported(`the regex flag "${f}"`);
  // Java's (?i) folds ASCII only; JavaScript's folds Unicode: a non-ASCII letter would differ.
  if (flags.includes('i') && [...source].some((ch) => ch.charCodeAt(0) > 0x7f)) throw new Unsupported('a case-insensitive regex with non-ASCII text');
  let out = flags.includes('i') ? '(?i)' : '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    const code = c.charCodeAt(0);
    if (code >= 0xd800 && code <= 0xdfff) throw new Unsupported('a regex with a character outside the Basic Multilingual Plane');
    if (c === '\\') {
      const next = source[i + 1];
      if (next === undefined) throw new Unsupported('a regex ending in "\\"');
      i++;
      const shorthand: Record<string, string> = { d: '0-9', w: 'A-Za-z0-9_', s: WS_CLASS };
      if (next in shorthand) {
        out += inClass ? shorthand[next] : `[${shorthand[next]}]`;
      } else if ('DWS'.includes(next)) {
        if (inClass) throw new Unsupported(`\\${next} inside a regex character class`);
        out += `[^${shorthand[next.toLowerCase()]}]`;
      } else if ('tnrf'.includes(next)) {
        out += `\\${next}`;
      } else if (next === 'v') {
        out += '\\u000B'; // Java's \v is any vertical whitespace
      } else if (next === 'u' && /^[0-9A-Fa-f]{4}$/.test(source.slice(i + 1, i + 5))) {
        const unit = parseInt(source.slice(i + 1, i + 5), 16);
        if (unit >= 0xd800 && unit <= 0xdfff) throw new Unsupported('a regex with a surrogate escape');
        out += `\\u${source.slice(i + 1, i + 5)}`;
        i += 4;
      } else if (next === 'x' && /^[0-9A-Fa-f]{2}$/.test(source.slice(i + 1, i + 3))) {
        out += `\\x${source.slice(i + 1, i + 3)}`;
        i += 2;
      } else if (/[A-Za-z0-9]/.test(next)) {
        throw new Unsupported(`the regex escape \\${next}`);
      } else {
        out += `\\${next}`; // an escaped punctuation character is itself in both
      }
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      // Java reads `[` inside a class as a nested class and `&&` as an intersection; JavaScript reads them as characters.
      out += c === '[' || c === '&' ? `\\${c}` : c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (source[i + 1] === '^') out += source[++i];
      if (source[i + 1] === ']') throw new Unsupported('"]" first in a regex character class');
      continue;
    }
    if (c === '(' && source[i + 1] === '?' && source[i + 2] !== ':') throw new Unsupported(`the regex group "(?${source[i + 2] ?? ''}"`);
    if (c === '.') {
      out += NOT_LINE_TERMINATOR;
      continue;
    }
    if (c === '$') {
      out += '\\z';
      continue;
    }
    // JavaScript reads a `{` that starts no quantifier as a character; Java refuses it.
    if (c === '{' && !/^\{\d+(,\d*)?\}/.test(source.slice(i))) {
      out += '\\{';
      continue;
    }
    if (c === '}' && !/\{\d+(,\d*)?$/.test(source.slice(0, i))) {
      out += '\\}';
      continue;
    }
    out += c;
  }
  if (inClass) throw new Unsupported('an unclosed regex character class');
  return out;
}

/**
 * Java's regex engine backtracks: a quantified group that itself holds a
 * quantifier or an alternation (`(a+)+`, `(a|aa)*`) can take exponential
 * time on a short text, where RE2 and the in-process engine take linear
 * time. A policy's regex (the `pattern` check) with such a group is
 * refused; the format checks' own patterns are assay's code, not a policy's.
 */
export function refuseNestedQuantifiers(source: string): void {
  const groups: boolean[] = []; // per open group: does it hold a quantifier or an alternation?
  let closed: boolean | undefined; // the group that just closed, if the previous token was ')'
  let inClass = false;
  const mark = () => {
    if (groups.length > 0) groups[groups.length - 1] = true;
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    const after = closed;
    closed = undefined;
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      if (source[i + 1] === '^') i++;
      if (source[i + 1] === ']') i++;
    } else if (c === '(') {
      groups.push(false);
      if (source[i + 1] === '?') i += source[i + 2] === ':' ? 2 : 1;
    } else if (c === ')') {
      const holds = groups.pop() ?? false;
      if (holds) mark();
      closed = holds;
    } else if (c === '|') {
      mark();
    } else if (c === '*' || c === '+' || c === '?' || (c === '{' && /^\{\d+(,\d*)?\}/.test(source.slice(i)))) {
      if (after) throw new Unsupported('a repeated group holding a repetition or an alternation (Java\'s regex engine would backtrack exponentially on it)');
      mark();
    }
  }
}

/** The longest policy regex the Spark dialect translates. */
export const MAX_SPARK_REGEX = 1000;

/** A regex atom and how often it repeats: `min` and `max` (Infinity: unbounded). */
interface Repeated {
  source: string;
  /** A group: its characters are not worked out (it may match anything). */
  group: boolean;
  min: number;
  max: number;
}

/**
 * Java's regex engine also backtracks polynomially on a sequence of
 * repetitions that can share characters: `\d*\d*\d*x` tries every way to
 * split a run of digits, O(n^k) for k of them (and RLIKE tries every start).
 * Repetitions are safe when each one is fenced: before the next repetition
 * that may match its characters comes a required atom it cannot match
 * (`[a-z]+@[a-z]+`, `\d+\.\d+`), so where it stops is decided. A policy's
 * regex with an unfenced pair is refused. A group may match any character
 * of the atoms inside it; a group that is not repeated and has no
 * alternation is read as its contents.
 */
export function refuseAmbiguousRepetition(source: string): void {
  // Each atom's characters are worked out over the whole BMP: the work is bounded by bounding the regex.
  if (source.length > MAX_SPARK_REGEX) throw new Unsupported(`a regex longer than ${MAX_SPARK_REGEX} characters`);
  let flags = '';
  if (source.startsWith('(?i)')) {
    source = source.slice(4);
    flags = 'i';
  }
  for (const branch of topLevelBranches(source)) {
    const atoms = repeatedAtoms(branch);
    const memo = new Map<string, Uint32Array>();
    const sets = atoms.map((a) => atomSet(a, flags, memo));
    const cache = new Map<number, boolean>();
    const overlap = (i: number, j: number): boolean => {
      const key = i * atoms.length + j;
      let known = cache.get(key);
      if (known === undefined) cache.set(key, (known = sets[i].some((word, w) => (word & sets[j][w]) !== 0)));
      return known;
    };
    const variable = (a: Repeated) => a.max !== a.min;
    for (let i = 0; i < atoms.length; i++) {
      if (!variable(atoms[i])) continue;
      for (let j = i + 1; j < atoms.length; j++) {
        if (atoms[j].min >= 1 && !overlap(i, j)) break; // fenced: where atom i stops is decided
        if (!variable(atoms[j]) || !overlap(i, j)) continue;
        // Fenced for atom j: a required atom between them that j cannot match bounds j's run after each of i's choices.
        let fenced = false;
        for (let k = i + 1; k < j && !fenced; k++) fenced = atoms[k].min >= 1 && !overlap(k, j);
        if (!fenced)
          throw new Unsupported(
            `a regex whose repetitions ${atoms[i].source} and ${atoms[j].source} can match the same text in several ways (Java's regex engine would backtrack for a very long time on it); put a character neither can match between them`,
          );
      }
    }
  }
}

/** The alternatives of a regex at its top level. */
function topLevelBranches(source: string): string[] {
  const branches: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') {
      inClass = true;
      if (source[i + 1] === '^') i++;
    } else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      branches.push(source.slice(start, i));
      start = i + 1;
    }
  }
  branches.push(source.slice(start));
  return branches;
}

/** The atoms of one alternative in order, each with its repetition; anchors are left out. */
function repeatedAtoms(branch: string): Repeated[] {
  const atoms: Repeated[] = [];
  for (let i = 0; i < branch.length; ) {
    const c = branch[i];
    let end = i + 1;
    let group = false;
    if (c === '^' || c === '$') {
      i++;
      continue;
    }
    if (c === '\\') {
      end = i + 2;
      if (branch[i + 1] === 'u' && /^[0-9A-Fa-f]{4}$/.test(branch.slice(i + 2, i + 6))) end = i + 6;
      else if (branch[i + 1] === 'x' && /^[0-9A-Fa-f]{2}$/.test(branch.slice(i + 2, i + 4))) end = i + 4;
    } else if (c === '[') {
      end = i + 1;
      if (branch[end] === '^') end++;
      while (end < branch.length && branch[end] !== ']') end += branch[end] === '\\' ? 2 : 1;
      end++;
    } else if (c === '(') {
      group = true;
      let depth = 0;
      let inClass = false;
      for (end = i; end < branch.length; end++) {
        const d = branch[end];
        if (d === '\\') end++;
        else if (inClass) inClass = d !== ']';
        else if (d === '[') inClass = true;
        else if (d === '(') depth++;
        else if (d === ')' && --depth === 0) break;
      }
      end++;
    }
    const atom = branch.slice(i, end);
    const q = /^(?:([*+?])|\{(\d+)(?:(,)(\d*))?\})\??/.exec(branch.slice(end));
    let [min, max] = [1, 1];
    if (q?.[1]) [min, max] = q[1] === '*' ? [0, Infinity] : q[1] === '+' ? [1, Infinity] : [0, 1];
    else if (q?.[2]) [min, max] = [Number(q[2]), q[3] ? (q[4] ? Number(q[4]) : Infinity) : Number(q[2])];
    i = end + (q ? q[0].length : 0);
    if (group && !q) {
      const inner = atom.replace(/^\((?:\?:)?/, '').slice(0, -1);
      const branches = topLevelBranches(inner);
      if (branches.length === 1) {
        atoms.push(...repeatedAtoms(inner));
        continue;
      }
      // Alternatives without repetitions are one required atom; with one, the group may repeat anything.
      const repeats = branches.some((b) => repeatedAtoms(b).some((x) => x.max !== x.min));
      atoms.push({ source: atom, group: true, min: repeats ? 0 : 1, max: repeats ? Infinity : 1 });
      continue;
    }
    atoms.push({ source: atom, group, min, max });
  }
  return atoms;
}

/** The characters an atom may match (a bit per BMP code point); for a group, those of every atom inside it. */
function atomSet(atom: Repeated, flags: string, memo: Map<string, Uint32Array>): Uint32Array {
  const known = memo.get(atom.source);
  if (known) return known;
  let set: Uint32Array;
  if (atom.group) {
    set = new Uint32Array(0x10000 / 32);
    const inner = atom.source.replace(/^\((?:\?:)?/, '').slice(0, -1);
    for (const branch of topLevelBranches(inner))
      for (const a of repeatedAtoms(branch)) atomSet(a, flags, memo).forEach((word, w) => (set[w] |= word));
  } else set = charSet(atom.source, flags);
  memo.set(atom.source, set);
  return set;
}

/** Which code points of the Basic Multilingual Plane one atom matches (a bit each). */
function charSet(atom: string, flags: string): Uint32Array {
  const set = new Uint32Array(0x10000 / 32);
  let test: RegExp;
  try {
    test = new RegExp(`^(?:${atom})$`, flags);
  } catch {
    return set.fill(0xffffffff);
  }
  for (let c = 0; c < 0x10000; c++) if (test.test(String.fromCharCode(c))) set[c >>> 5] |= 1 << (c & 31);
  return set;
}

function sparkNumber(n: number): string {
  if (Number.isNaN(n)) return "CAST('NaN' AS DOUBLE)";
  if (!Number.isFinite(n)) return n > 0 ? "CAST('Infinity' AS DOUBLE)" : "CAST('-Infinity' AS DOUBLE)";
  if (Object.is(n, -0)) return "CAST('-0.0' AS DOUBLE)";
  const text = String(Math.abs(n)).toUpperCase(); // 1.5, 1E+21, 5E-7: Spark's double literal with a D suffix
  return n < 0 ? `(-${text}D)` : `${text}D`;
}

const re = (pattern: RegExp): string => sparkString(jsRegexToJava(pattern.source, pattern.flags));

/** Text trimmed of JavaScript's whitespace, as `trim()` does. */
const trimmed = (raw: string) => `trim(BOTH ${sparkString(String.fromCodePoint(...JS_WHITESPACE))} FROM ${raw})`;

function calendar(y: string, m: string, d: string): string {
  return `(${m} BETWEEN 1 AND 12 AND ${d} >= 1 AND ${d} <= CASE WHEN ${m} = 2 THEN CASE WHEN ${y} % 4 = 0 AND (${y} % 100 <> 0 OR ${y} % 400 = 0) THEN 29 ELSE 28 END WHEN ${m} IN (4, 6, 9, 11) THEN 30 ELSE 31 END)`;
}

/**
 * Milliseconds since the epoch at midnight of a valid calendar date, years
 * 0–9999 proleptic Gregorian, by the civil-to-days algorithm in integer
 * arithmetic (the year moved 400 years later, exactly 146,097 days, so no
 * operand is negative).
 */
function dayMs(y: string, m: string, d: string): string {
  const year = `(${y} + 400 - CASE WHEN ${m} <= 2 THEN 1 ELSE 0 END)`;
  const era = `(${year} div 400)`;
  const yoe = `(${year} - ${era} * 400)`;
  const doy = `((153 * (${m} + CASE WHEN ${m} > 2 THEN -3 ELSE 9 END) + 2) div 5 + ${d} - 1)`;
  const doe = `(${yoe} * 365 + ${yoe} div 4 - ${yoe} div 100 + ${doy})`;
  return `CAST((${era} * 146097 + ${doe} - 719468 - 146097) * 86400000 AS DOUBLE)`;
}

// The grammar's own patterns (src/values/grammar.ts), anchored for Java: `\z` is the end of the text.
const INTEGER = sparkString(`^${INTEGER_PATTERN}\\z`);
const NUMBER = sparkString(`^${NUMBER_PATTERN}\\z`);
const DATE = sparkString(`^${DATE_PATTERN}\\z`);
const TIMESTAMP = sparkString(`^${timestampPattern(`[${WS_CLASS}]*`)}\\z`);
const TRUE = `(${TRUE_WORDS.map(sparkString).join(', ')})`;
const FALSE = `(${FALSE_WORDS.map(sparkString).join(', ')})`;
const int = (text: string) => `try_cast(${text} AS INT)`;

/** The value grammar over text: the typed value, NULL when missing or invalid. */
function typed(raw: string, type: ColumnType): string {
  const t = trimmed(raw);
  switch (type) {
    case 'string':
      return raw;
    case 'integer':
      // Digits of any length: DECIMAL(38, 0) holds up to 38 exactly (beyond, try_cast is NULL); beyond 2^53 - 1 they are not a safe integer.
      return `(CASE WHEN ${t} RLIKE ${INTEGER} AND abs(try_cast(${t} AS DECIMAL(38, 0))) <= 9007199254740991 THEN try_cast(${t} AS DOUBLE) END)`;
    case 'number':
      // Spark casts text to DOUBLE with Java's parseDouble, which rounds as JavaScript's Number does; beyond double precision is not a number (1e999), below it is ±0.
      return `(CASE WHEN ${t} RLIKE ${NUMBER} AND abs(try_cast(${t} AS DOUBLE)) < CAST('Infinity' AS DOUBLE) THEN try_cast(${t} AS DOUBLE) END)`;
    case 'boolean':
      return `(CASE WHEN lower(${t}) IN ${TRUE} THEN true WHEN lower(${t}) IN ${FALSE} THEN false END)`;
    case 'date': {
      const [y, m, d] = [int(`substr(${t}, 1, 4)`), int(`substr(${t}, 6, 2)`), int(`substr(${t}, 9, 2)`)];
      return `(CASE WHEN ${t} RLIKE ${DATE} AND ${calendar(y, m, d)} THEN ${dayMs(y, m, d)} END)`;
    }
    case 'timestamp': {
      const g = (i: number) => `regexp_extract(${t}, ${TIMESTAMP}, ${i})`;
      const part = (i: number) => `coalesce(${int(g(i))}, 0)`;
      const [y, m, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map(part);
      const ms = `coalesce(${int(`substr(substr(${g(7)}, 2) || '00', 1, 3)`)}, 0)`; // digits past milliseconds are dropped, as in JavaScript
      const zone = g(8);
      const offset = `(CASE WHEN ${zone} = '' OR upper(${zone}) = 'Z' THEN 0 ELSE
        (CASE WHEN ${zone} LIKE '-%' THEN -1 ELSE 1 END) * (${int(`substr(${zone}, 2, 2)`)} * 60 + coalesce(${int(`substr(replace(${zone}, ':', ''), 4, 2)`)}, 0)) END)`;
      return `(CASE WHEN ${t} RLIKE ${TIMESTAMP} AND ${calendar(y, m, d)} AND ${h} <= 23 AND ${mi} <= 59 AND ${s} <= 59 AND abs(${offset}) <= 1080
        THEN ${dayMs(y, m, d)} + ${h} * 3600000 + ${mi} * 60000 + ${s} * 1000 + ${ms} - ${offset} * 60000 END)`;
    }
  }
}

export const spark: Dialect = {
  name: 'spark',
  identifier: sparkIdentifier,
  string: sparkString,
  number: sparkNumber,
  double: 'DOUBLE',
  // ANSI mode raises an error on division by zero; JavaScript gives ±Infinity or NaN.
  divide: (a, b) =>
    `(CASE WHEN ${a} IS NULL OR ${b} IS NULL THEN CAST(NULL AS DOUBLE) WHEN ${b} = 0 THEN (CASE WHEN isnan(${a}) OR ${a} = 0 THEN ${sparkNumber(NaN)} WHEN (${a} > 0) = (CAST(${b} AS STRING) NOT LIKE '-%') THEN ${sparkNumber(Infinity)} ELSE ${sparkNumber(-Infinity)} END) ELSE ${a} / ${b} END)`,
  countIf: (condition) => `count(*) FILTER (WHERE ${condition})`,
  isNaN: (x) => `isnan(${x})`,
  regexFind: (x, regex) => {
    refuseNestedQuantifiers(regex); // a policy's regex
    refuseAmbiguousRepetition(regex);
    return `(${x} RLIKE ${sparkString(jsRegexToJava(regex))})`;
  },
  regexFull: (x, pattern) => `(${x} RLIKE ${re(pattern)})`,
  regexGroupInt: (x, pattern, group) => int(`nullif(regexp_extract(${x}, ${re(pattern)}, ${group}), '')`),
  contains: (a, b) => `(instr(${a}, ${b}) > 0)`,
  startsWith: (a, b) => `startswith(${a}, ${b})`,
  endsWith: (a, b) => `endswith(${a}, ${b})`,
  calendar,
  // percentile is exact, with linear interpolation between the closest ranks (as percentile_cont).
  quantile: (x, q, filter) => `percentile(${x}, ${sparkNumber(q)}) FILTER (WHERE ${filter})`,
  statistic: (fn, x) => `${fn}(${x})`,
  // The failing rows' ids, sorted, inside the one aggregate query: no second scan per sampled check.
  firstRows: (row, limit, condition) => `slice(array_sort(collect_list(${row}) FILTER (WHERE ${condition})), 1, ${limit})`,
  firstValue: (x, row, condition) => `min_by(${x}, ${row}) FILTER (WHERE ${condition})`,
  typed,
  blank: (raw) => `(${raw} RLIKE ${sparkString(`^[${WS_CLASS}]+\\z`)})`,
};
