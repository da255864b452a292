import { ColumnState } from '../../src/profile/column.js';
import type { ProfileReport } from '../../src/profile/profile.js';
import { renderProfileConsole } from '../../src/profile/render.js';
import { sketchDescription, summarise } from '../../src/profile/summary.js';
import { terminalText } from '../../src/util/one-line.js';

// A column name, a cell and a file name from a hostile data file: a line break to forge a line, colour and erase sequences.
const NAME = 'note\nFORGED: all clear\u001b[32m';
const CELL = 'ok\u001b[2J\u001b[31m\nforged\u2028';

function report(): ProfileReport {
  const s = new ColumnState(NAME);
  for (let i = 0; i < 5; i++) s.add(CELL);
  return {
    assay_version: 'test',
    dataset: 'd\nforged dataset line',
    files: ['data/x\u001b[31m.csv'],
    format: 'csv',
    rows: 5,
    columns: [summarise(s, false)],
    sketches: sketchDescription(),
  };
}

describe('the profile console output keeps names and values from the data inert', () => {
  for (const color of [false, true]) {
    test(`no line and no escape sequence comes from the data (color ${color})`, () => {
      // As the CLI writes it: terminalText keeps line breaks and, with colour, SGR sequences.
      const out = terminalText(renderProfileConsole(report(), color), color);
      const lines = out.split('\n');
      expect(lines.some((l) => l.startsWith('FORGED'))).toBe(false);
      expect(lines.some((l) => l.startsWith('forged'))).toBe(false);
      expect(out).not.toContain('\u001b[31m');
      expect(out).not.toContain('\u001b[32m');
      expect(out).not.toContain('\u2028');
      expect(out).toContain('note\\nFORGED: all clear\\u001b[32m');
    });
  }

  test('a shape keeps no control character', () => {
    const s = new ColumnState('c');
    s.add('a\nb\u001b');
    expect(summarise(s, false).shapes.map((x) => x.shape)).toEqual(['a?a?']);
  });
});
