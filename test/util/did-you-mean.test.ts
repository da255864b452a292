import { closest, editDistance, suggest, suggestColumn } from '../../src/util/did-you-mean.js';

describe('editDistance', () => {
  test.each([
    ['', '', 0],
    ['max', 'max', 0],
    ['max', 'maxx', 1], // insertion
    ['max', 'ma', 1], // deletion
    ['max', 'mix', 1], // substitution
    ['emial', 'email', 1], // adjacent swap counts once
    ['colunm', 'column', 1],
    ['abc', 'cba', 2],
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
  ])('%j → %j is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('closest', () => {
  const keys = ['min', 'max', 'between', 'warn', 'column', 'columns'];
  test.each([
    ['maxx', 'max'],
    ['mni', 'min'],
    ['colum', 'column'],
    ['colmns', 'columns'],
    ['betwen', 'between'],
    ['MAX', 'max'], // case-insensitive
  ])('%j suggests %j', (word, near) => {
    expect(closest(word, keys)).toBe(near);
  });

  test.each(['x', 'threshold', 'wrn2x'])('%j is too far from every candidate', (word) => {
    expect(closest(word, keys)).toBeUndefined();
  });

  test('short words allow one edit, longer ones one per three letters', () => {
    expect(closest('ab', ['xy'])).toBeUndefined();
    expect(closest('ab', ['ac'])).toBe('ac');
    expect(closest('severity', ['sevreitx'])).toBe('sevreitx'); // a swap and a substitution: 2 edits in 8 letters
    expect(closest('severity', ['svrty'])).toBeUndefined(); // 3 edits
  });

  test('the nearest wins; on a tie, the first candidate', () => {
    expect(closest('columns', ['column', 'columns'])).toBe('columns');
    expect(closest('mon', ['man', 'min'])).toBe('man');
  });
});

describe('suggest', () => {
  test('names the near miss', () => {
    expect(suggest('emial', ['email', 'uuid'])).toBe('did you mean "email"?');
  });
  test('otherwise lists what is allowed, at most twelve', () => {
    expect(suggest('zzz', ['error', 'warn'])).toBe('expected one of "error", "warn"');
    const many = Array.from({ length: 14 }, (_, i) => `k${i}`);
    expect(suggest('zzzz', many)).toBe(`expected one of ${many.slice(0, 12).map((k) => `"${k}"`).join(', ')}, …`);
  });
});

describe('names other tools use', () => {
  test.each([
    ['float', 'number'], ['double', 'number'], ['int', 'integer'], ['bigint', 'integer'], ['str', 'string'], ['text', 'string'],
    ['bool', 'boolean'], ['datetime', 'timestamp'], ['DateTime', 'timestamp'], ['avg', 'mean'],
  ])('%s → %s, when it is allowed', (word, meant) => {
    expect(suggest(word, ['integer', 'number', 'string', 'boolean', 'date', 'timestamp', 'mean'])).toBe(`did you mean "${meant}"?`);
  });
  test('a synonym whose target is not allowed here suggests nothing it cannot accept', () => {
    expect(suggest('float', ['error', 'warn'])).toBe('expected one of "error", "warn"');
    expect(suggest('constructor', ['number'])).toBe('expected one of "number"');
  });
});

describe('suggestColumn', () => {
  test('a column whose name is not an identifier is written d[\'…\'] in an expression', () => {
    expect(suggestColumn('IMDB_Rating', ['Title', 'IMDB Rating'])).toBe('did you mean "IMDB Rating"? In an expression write it d[\'IMDB Rating\']');
    expect(suggestColumn("Directors_Cut", ["Director's Cut"])).toBe('did you mean "Director\'s Cut"? In an expression write it d[\'Director\\\'s Cut\']');
  });
  test('an identifier is suggested plainly; no near name lists the columns', () => {
    expect(suggestColumn('amonut', ['amount'])).toBe('did you mean "amount"?');
    expect(suggestColumn('zzz', ['a b'])).toBe('expected one of "a b"');
  });
});
