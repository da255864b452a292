/**
 * The escaping layer of the text report formats. Every value that comes from
 * a policy file or from data (names, messages, sample values) goes through
 * one of these functions before it reaches XML, HTML or Markdown: report
 * readers must never be able to tell a crafted cell value from report markup.
 */

/**
 * Characters XML 1.0 forbids even as character references (C0 controls but
 * tab, LF and CR; lone surrogates; U+FFFE and U+FFFF). A data value may hold
 * them, so they are shown as `\uXXXX` text instead of breaking the file.
 */
// eslint-disable-next-line no-control-regex
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const MARKUP_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function showForbidden(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * Text safe in XML and HTML, in element content and in quoted attribute
 * values alike. Line breaks become character references so that attribute
 * values keep them (parsers turn a literal newline in an attribute into a space).
 */
export function escapeXml(value: unknown): string {
  return String(value)
    .replace(XML_FORBIDDEN, showForbidden)
    .replace(/[&<>"']/g, (ch) => MARKUP_ENTITIES[ch])
    .replace(/\r/g, '&#13;')
    .replace(/\n/g, '&#10;');
}

/** Element text in XML/HTML where line breaks should stay literal (<failure>, <pre>). */
export function escapeXmlText(value: unknown): string {
  return String(value)
    .replace(XML_FORBIDDEN, showForbidden)
    .replace(/[&<>"']/g, (ch) => MARKUP_ENTITIES[ch]);
}

/** HTML uses the same rules; the name says which document a call writes. */
export const escapeHtml = escapeXml;

/**
 * Text that renders literally in GitHub-flavoured Markdown, also inside a
 * table cell: the characters that open inline markup (emphasis, code, links,
 * strikethrough, cell borders) are backslash-escaped, `<`, `>` and `&` become
 * entities so no HTML can be injected, a leading block marker (`#`, `-`,
 * `1.`…) is escaped, leading blanks (an indented code block) are dropped,
 * control characters are shown as `\uXXXX`, and line breaks become spaces so a value cannot end a
 * table row; `@name` is escaped so a comment notifies no one. Other punctuation is left alone to keep the source readable.
 */
export function escapeMarkdown(value: unknown): string {
  return String(value)
    .replace(/\r\n?|\n/g, ' ')
    .replace(XML_FORBIDDEN, showForbidden)
    .replace(/^\s+/, '')
    .replace(/[\\`*_[\]|~]/g, (ch) => `\\${ch}`)
    .replace(/[&<>]/g, (ch) => MARKUP_ENTITIES[ch])
    // "@name" in a pull-request comment would notify that GitHub user.
    .replace(/(^|[^\w@])@(?=\w)/g, '$1\\@')
    .replace(/^([#+\-=]|\d+[.)])/, (marker: string) => `${marker.slice(0, -1)}\\${marker.slice(-1)}`);
}
