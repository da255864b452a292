/** Parsing of option values shared by commands; bad values are usage errors (exit 2). */
import { INVALID, parseTimestamp } from '../values/grammar.js';
import { AssayError } from '../util/diagnostics.js';
import { durationHint, durationOutOfRange, parseDuration } from '../util/duration.js';

/** `--now` or ASSAY_NOW: an ISO timestamp that fixes "now" for reproducible runs. */
export function resolveNow(flag: string | undefined, env: NodeJS.ProcessEnv): Date {
  if (flag === '') throw new AssayError('usage', '--now needs a value', 'use ISO 8601, e.g. 2026-01-05T10:00:00Z');
  const text = flag ?? env.ASSAY_NOW;
  if (text === undefined || text === '') return new Date();
  const source = flag !== undefined ? '--now' : 'ASSAY_NOW';
  // The same reading as data timestamps: without a zone the time is UTC, never the machine's zone.
  const now = parseTimestamp(text);
  if (now === INVALID) {
    throw new AssayError('usage', `${source}: invalid timestamp "${text}"`, 'use ISO 8601, e.g. 2026-01-05T10:00:00Z');
  }
  return now;
}

/** `--data orders=batches/new.csv` → { orders: 'batches/new.csv' } */
export function parseDataOverrides(values: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const value of values ?? []) {
    const eq = value.indexOf('=');
    if (eq <= 0 || eq === value.length - 1) {
      throw new AssayError('usage', `--data: expected NAME=PATH, got "${value}"`, 'e.g. --data orders=batches/2026-01-05.csv');
    }
    out[value.slice(0, eq)] = value.slice(eq + 1);
  }
  return out;
}

/** `--connection warehouse=postgres://…` → { warehouse: 'postgres://…' }; the URL is never echoed (it may hold a password). */
export function parseConnectionOverrides(values: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const value of values ?? []) {
    const eq = value.indexOf('=');
    if (eq <= 0 || eq === value.length - 1 || !/^[a-z0-9_.-]+$/.test(value.slice(0, eq))) {
      throw new AssayError('usage', '--connection: expected NAME=URL (a connection name, "=", then its URL)', 'e.g. --connection warehouse=postgres://assay@127.0.0.1:5432/shop');
    }
    out[value.slice(0, eq)] = value.slice(eq + 1);
  }
  return out;
}

/** yargs gives a string or an array for repeatable options; flatten and split commas. */
export function listOption(value: unknown): string[] {
  if (value === undefined) return [];
  const values = Array.isArray(value) ? value : [value];
  return values.flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);
}

/** `--batch-rows N`: a positive integer; undefined keeps the default. */
export function parseBatchRows(value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new AssayError('usage', `--batch-rows: expected a positive whole number, got "${value}"`, 'e.g. --batch-rows 100000');
  }
  return value;
}

/** `--since`: an ISO timestamp, or a duration back from now (`7d`, `PT12H`). */
export function resolveSince(text: string | undefined, now: Date, flag = '--since'): Date | undefined {
  if (text === undefined || text === '') return undefined;
  const ms = parseDuration(text);
  if (ms !== undefined) return new Date(now.getTime() - ms);
  if (durationOutOfRange(text)) throw new AssayError('usage', `${flag}: duration "${text}" is out of range`, durationHint(text));
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(Date.parse(text))) {
    throw new AssayError('usage', `${flag}: invalid time "${text}"`, 'use ISO 8601 (2026-01-05T00:00:00Z) or a duration back from now (7d, 24h)');
  }
  return new Date(text);
}
