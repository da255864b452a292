import { XMLParser } from 'fast-xml-parser';
import MarkdownIt from 'markdown-it';
import { escapeMarkdown, escapeXml, escapeXmlText } from '../../src/report/formats/escape.js';
import { HOSTILE } from './reports.js';

const VALUES = [
  ...Object.values(HOSTILE),
  '# heading',
  '1. first',
  '2) second',
  '+ plus',
  '=== setext',
  '> quote',
  '    indented code',
  'a_b_c snake_case *x* ***',
  '\\ backslash \\* escaped',
  'emoji 🧪 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  '',
];

describe('escapeMarkdown', () => {
  const parser = new MarkdownIt({ html: true, linkify: false });

  /** What a reader sees: the text of the rendered paragraph (or of a table cell). */
  function rendered(source: string): string {
    const tokens = parser.parse(source, {});
    expect(tokens.map((t) => t.type).filter((t) => !t.startsWith('paragraph') && t !== 'inline')).toEqual([]);
    const inline = tokens.find((t) => t.type === 'inline');
    for (const child of inline?.children ?? []) expect(child.type).toBe('text');
    return (inline?.children ?? []).map((c) => c.content).join('');
  }

  test.each(VALUES.filter(Boolean))('%j renders as itself in a paragraph', (value) => {
    // eslint-disable-next-line no-control-regex -- the control characters are what is tested
    expect(rendered(escapeMarkdown(value))).toBe(value.replace(/\r\n?|\n/g, ' ').replace(/[\u0000-\u001f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).trim());
  });

  test.each(VALUES.filter(Boolean))('%j stays one cell in a table row', (value) => {
    const tokens = parser.parse(`| a | b |\n|---|---|\n| ${escapeMarkdown(value)} | end |\n`, {});
    const cells = tokens.filter((t) => t.type === 'td_open');
    expect(cells).toHaveLength(2);
  });

  test('mentions are escaped, e-mail addresses are left readable', () => {
    expect(escapeMarkdown('@octocat and (@hubot)')).toBe('\\@octocat and (\\@hubot)');
    expect(escapeMarkdown('ann@example.com')).toBe('ann@example.com');
  });
});

describe('escapeXml and escapeXmlText', () => {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', trimValues: false, htmlEntities: true });

  test.each(VALUES.filter((v) => !v.includes('\u0000')))('%j survives an attribute and element text', (value) => {
    const doc = parser.parse(`<r a="${escapeXml(value)}"><t>${escapeXmlText(value)}</t></r>`);
    expect(String(doc.r.a)).toBe(value);
    // XML parsers normalize CR LF to LF in element text; attributes keep it via &#13;.
    expect(String(doc.r.t ?? '')).toBe(value.replace(/\r\n/g, '\n'));
  });

  test('characters XML cannot carry are shown as \\uXXXX, never emitted', () => {
    expect(escapeXml('a\u0000b\u001fc\uFFFEd\uD800e')).toBe('a\\u0000b\\u001fc\\ufffed\\ud800e');
    expect(escapeXml('😀')).toBe('😀');
  });
});
