/**
 * Text from policy and data files ends up in terminal lines: a carriage
 * return, a line break or an ANSI escape sequence in a key, a regex or a
 * cell must not split an error line or repaint the terminal. Control
 * characters are shown as escapes instead (`\r`, `\u001b`).
 */

// C0 controls, DEL, C1 controls, and the Unicode line/paragraph separators.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** The text with every control character escaped, so it prints as one inert line. */
export function oneLine(text: string): string {
  return text.replace(CONTROL, (ch) => NAMED[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
