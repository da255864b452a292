import { durationHint, durationOutOfRange, formatDuration, MAX_DURATION_MS, parseDuration } from '../../src/util/duration.js';
import { resolveSince } from '../../src/cli/options.js';

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

describe('durations out of range', () => {
  test.each(['9999999999d', '3652501d', 'P9999999999D', `${'9'.repeat(400)}s`, '600000w'])('%s is refused as out of range', (text) => {
    expect(parseDuration(text)).toBeUndefined();
    expect(durationOutOfRange(text)).toBe(true);
    expect(durationHint(text)).toBe('at most 10000 years (e.g. 3650d)');
  });

  test('up to 10,000 years is a duration, and any Date minus it is still a Date', () => {
    expect(parseDuration('3652500d')).toBe(MAX_DURATION_MS);
    expect(Number.isNaN(new Date(Date.parse('2026-01-05T00:00:00Z') - MAX_DURATION_MS).getTime())).toBe(false);
    expect(durationOutOfRange('7x')).toBe(false);
  });

  test('--since refuses an out-of-range duration as usage (exit 2), not as "0 events"', () => {
    expect(() => resolveSince('9999999999d', new Date('2026-01-05T00:00:00Z'))).toThrow('--since: duration "9999999999d" is out of range');
    expect(resolveSince('3650d', new Date('2026-01-05T00:00:00Z'))?.toISOString()).toBe('2016-01-08T00:00:00.000Z');
  });
});
