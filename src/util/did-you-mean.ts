/**
 * Edit distance counting an insertion, deletion, substitution or swap of two
 * adjacent characters as one edit (optimal string alignment), so the most
 * common typo, a swap ("emial"), is as near as a missing letter.
 */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2][j - 2] + 1);
      rows[i][j] = d;
    }
  }
  return rows[a.length][b.length];
}

/** Words longer than this get no suggestion. */
const MAX_SUGGEST_LENGTH = 100;

/** The closest candidate within a typo's distance, or undefined. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  if (word.length > MAX_SUGGEST_LENGTH) return undefined; // a typo is short; distance is quadratic
  let best: string | undefined;
  let bestDistance = Infinity;
  const limit = Math.max(1, Math.floor(word.length / 3));
  for (const c of candidates) {
    const dist = editDistance(word.toLowerCase(), c.toLowerCase());
    if (dist < bestDistance && dist <= limit) {
      best = c;
      bestDistance = dist;
    }
  }
  return best;
}

/**
 * Names other tools use for what assay calls otherwise: a wrong type name
 * is seldom a typo (`float`, `int`, `datetime`), so edit distance misses it.
 * Used only when the synonym's target is among the allowed values.
 */
const SYNONYMS: Record<string, string> = {
  float: 'number', float32: 'number', float64: 'number', double: 'number', decimal: 'number', real: 'number', numeric: 'number',
  int: 'integer', int32: 'integer', int64: 'integer', bigint: 'integer', long: 'integer',
  str: 'string', text: 'string', varchar: 'string', char: 'string',
  bool: 'boolean',
  avg: 'mean', average: 'mean',
  datetime: 'timestamp', timestamptz: 'timestamp', instant: 'timestamp',
};

/** `did you mean "max"?` or a list of what is allowed. */
export function suggest(word: string, candidates: string[]): string {
  const synonym = Object.hasOwn(SYNONYMS, word.toLowerCase()) ? SYNONYMS[word.toLowerCase()] : undefined;
  const near = synonym !== undefined && candidates.includes(synonym) ? synonym : closest(word, candidates);
  if (near) return `did you mean "${near}"?`;
  if (candidates.length === 0) return 'nothing is allowed here';
  const list = candidates.slice(0, 12).map((c) => `"${c}"`).join(', ');
  return `expected one of ${list}${candidates.length > 12 ? ', …' : ''}`;
}

/**
 * Did-you-mean for a column: a name that is not an identifier
 * (`IMDB Rating`) is written `d['IMDB Rating']` in an expression, so say so.
 */
export function suggestColumn(column: string, columns: readonly string[]): string {
  const near = closest(column, columns);
  if (near === undefined || /^[A-Za-z_$][\w$]*$/.test(near)) return suggest(column, [...columns]);
  return `did you mean "${near}"? In an expression write it d['${near.replace(/[\\']/g, '\\$&')}']`;
}
