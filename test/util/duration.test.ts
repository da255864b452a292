import { formatDuration, parseDuration } from '../../src/util/duration.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('parseDuration', () => {
  test.each([
    ['30s', 30 * S],
    ['15m', 15 * M],
    ['24h', 24 * H],
    ['7d', 7 * D],
    ['2w', 14 * D],
    ['250ms', 250],
    ['1.5h', 90 * M],
    [' 48h ', 48 * H],
    ['0s', 0],
    ['PT24H', 24 * H],
    ['PT36H', 36 * H],
    ['P1D', D],
    ['P1DT12H', 36 * H],
    ['PT15M', 15 * M],
    ['PT30S', 30 * S],
    ['PT1.5H', 90 * M],
    ['P2W', 14 * D],
    ['P1DT1H1M1S', D + H + M + S],
  ])('%s is %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  test.each(['', '24', 'h', '24 h', '-5m', '5y', '1M', 'P', 'PT', 'P1DT', 'P1M', 'pt24h', 'T24H', '24hours', '1h30m', 'P1.5.2D', 'PT24H junk'])(
    '%j is not a duration',
    (text) => {
      expect(parseDuration(text)).toBeUndefined();
    },
  );
});

describe('formatDuration', () => {
  test.each([
    [0, '0s'],
    [499, '0s'],
    [45 * S, '45s'],
    [90 * M, '1h 30m'],
    [D + H + M + S, '1d 1h 1m'],
    [3 * D, '3d'],
    [-2 * H, '-2h'],
  ])('%i ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
