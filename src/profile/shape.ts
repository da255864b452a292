/**
 * Value shapes: a value with letters (any script) as `A`/`a`, digits (any
 * script: `٣` too) as `9`, printable ASCII punctuation and spaces kept, and
 * every other character (control characters too) as `?`, so `Main St 12` is
 * `Aaaa Aa 99`. Shapes longer than SHAPE_CHARS are cut and end in `…`, so
 * free text does not make a shape per value. Shapes of masked columns are
 * shown, so a shape keeps no character of a value but ASCII punctuation (see
 * summary.ts for values made of punctuation alone).
 */
export const SHAPE_CHARS = 24;

export function valueShape(text: string): string {
  let out = '';
  const n = Math.min(text.length, SHAPE_CHARS);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) out += '9';
    else if (c >= 65 && c <= 90) out += 'A';
    else if (c >= 97 && c <= 122) out += 'a';
    else if (c >= 32 && c < 127) out += text[i];
    else if (/\p{L}/u.test(text[i])) out += text[i] === text[i].toUpperCase() ? 'A' : 'a';
    else if (/\p{N}/u.test(text[i])) out += '9';
    else out += '?';
  }
  return text.length > SHAPE_CHARS ? `${out}…` : out;
}

/** Length in Unicode code points, as the `length` check counts. */
export function codePointLength(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}
