/**
 * Regexes from policy files run on RE2JS, a linear-time engine: no
 * backtracking, so `^(a+)+$` over a long value cannot hang the process.
 * Constructs RE2 cannot run in linear time (backreferences, lookaround) are
 * rejected at validation time with the engine's reason.
 */
import { RE2JS } from 're2js';

/** Patterns longer than this are refused; they are unlikely to be intended. */
export const MAX_REGEX_LENGTH = 1000;

/** What a usable pattern looks like, shown after a refusal. */
export const REGEX_SYNTAX = 'RE2 syntax: no backreferences or lookaround';

/** A validation problem with the pattern, or undefined when it is usable. */
export function checkRegex(pattern: string): string | undefined {
  if (pattern.length > MAX_REGEX_LENGTH) return `regex is longer than ${MAX_REGEX_LENGTH} characters`;
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (e) {
    const reason = (e as Error).message.replace(/^error parsing regexp: /, '');
    return `"${pattern}" cannot run in linear time or is not valid: ${reason}`;
  }
}

/** A compiled matcher: true when the pattern finds a match anywhere in the text. */
export function compileRegex(pattern: string): (text: string) => boolean {
  const re = RE2JS.compile(pattern);
  return (text) => re.test(text);
}
