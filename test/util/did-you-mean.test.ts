import { closest, editDistance, suggest } from '../../src/util/did-you-mean.js';

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
