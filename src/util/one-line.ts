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

// Colour (SGR) sequences as chalk writes them, or any other control character but a line break or a tab.
// eslint-disable-next-line no-control-regex
const TERMINAL = /\u001b\[[0-9;]*m|[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * Text as it may reach a terminal: every control character escaped but line
 * breaks and tabs, so a value from outside (an actor name in the audit log,
 * a dataset name, a cell) cannot move the cursor, erase or repaint a line and
 * so forge output. With `keepColor`, the colour sequences assay's renderers
 * add stay (every renderer escapes outside text with oneLine first). Applied
 * once, where the CLI writes to stdout and stderr (src/cli/context.ts).
 */
export function terminalText(text: string, keepColor: boolean): string {
  return text.replace(TERMINAL, (match) => {
    if (match.length > 1) return keepColor ? match : oneLine(match);
    return oneLine(match);
  });
}
