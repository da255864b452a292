import { oneLine, terminalText } from '../../src/util/one-line.js';

describe('terminalText: what may reach a terminal', () => {
  test('cursor movement, erase, carriage return and other controls are escaped; line breaks and tabs stay', () => {
    const forged = 'ci\r\u001b[2K\u001b[1A#9  2026-01-05  admin  check.run  orders  pass';
    expect(terminalText(`${forged}\n`, false)).toBe('ci\\r\\u001b[2K\\u001b[1A#9  2026-01-05  admin  check.run  orders  pass\n');
    expect(terminalText('a\tb\nc\u0007\u009b\u2028', false)).toBe('a\tb\nc\\u0007\\u009b\\u2028');
  });

  test('colour sequences stay only when colour is on; any other escape sequence is escaped', () => {
    expect(terminalText('\u001b[31mfail\u001b[39m', true)).toBe('\u001b[31mfail\u001b[39m');
    expect(terminalText('\u001b[31mfail\u001b[39m', false)).toBe('\\u001b[31mfail\\u001b[39m');
    expect(terminalText('\u001b[2J\u001b]0;title\u0007', true)).toBe('\\u001b[2J\\u001b]0;title\\u0007');
  });

  test('oneLine escapes line breaks too', () => {
    expect(oneLine('a\nb')).toBe('a\\nb');
  });
});
