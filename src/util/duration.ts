/**
 * Durations in policy files and options: `30s`, `15m`, `24h`, `7d`, `2w`, or
 * ISO 8601 (`PT24H`, `P1DT12H`). Returns milliseconds, or undefined when not
 * a duration or out of range (see durationOutOfRange for which).
 */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3 };

/**
 * The longest duration: 10,000 years. Any time a JavaScript Date can hold
 * (±273,790 years) minus or plus it is still a time; beyond it `now - 9999999999d`
 * is no date at all, and comparisons with it are silently false.
 */
export const MAX_DURATION_MS = 10_000 * 365.25 * 86400e3;

export function parseDuration(text: string): number | undefined {
  const ms = durationMs(text);
  return ms !== undefined && ms <= MAX_DURATION_MS ? ms : undefined;
}

/** True when the text is written as a duration but is longer than MAX_DURATION_MS: say so rather than "invalid". */
export function durationOutOfRange(text: string): boolean {
  const ms = durationMs(text);
  return ms !== undefined && !(ms <= MAX_DURATION_MS);
}

/** The hint for a duration that does not parse. */
export function durationHint(text: string): string {
  return durationOutOfRange(text) ? 'at most 10000 years (e.g. 3650d)' : 'e.g. 30s, 15m, 24h, 7d or PT24H';
}

function durationMs(text: string): number | undefined {
  const short = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/.exec(text.trim());
  if (short) return Number(short[1]) * UNIT_MS[short[2]];
  const iso = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(
    text.trim(),
  );
  if (!iso || text.trim() === 'P' || text.trim().endsWith('T')) return undefined;
  const [, w, d, h, m, s] = iso.map((x) => (x === undefined ? 0 : Number(x)));
  return w * UNIT_MS.w + d * UNIT_MS.d + h * UNIT_MS.h + m * UNIT_MS.m + s * UNIT_MS.s;
}

/** Human form of a duration in ms, e.g. `1d 2h 5m`. */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(Math.round(ms / 1000));
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return sign + (parts.length ? parts.slice(0, 3).join(' ') : '0s');
}
