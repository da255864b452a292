/**
 * Data formats: names, extensions and read options. The readers themselves
 * stream batches (./raw-batches.ts). This module loads no reader, so that
 * policy validation (which names the formats) starts fast.
 */
import type { FileSource } from '../policy/types.js';

export type Format = NonNullable<FileSource['format']>;
export const FORMATS: Format[] = ['csv', 'tsv', 'json', 'ndjson', 'arrow', 'parquet'];

const EXTENSIONS: Record<string, Format> = {
  csv: 'csv',
  tsv: 'tsv',
  tab: 'tsv',
  json: 'json',
  ndjson: 'ndjson',
  jsonl: 'ndjson',
  arrow: 'arrow',
  feather: 'arrow',
  ipc: 'arrow',
  parquet: 'parquet',
  pq: 'parquet',
};

export function formatFromPath(path: string): Format | undefined {
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  return ext ? EXTENSIONS[ext] : undefined;
}

export interface ReadOptions {
  delimiter?: string;
  nullValues?: string[];
  header?: boolean;
  /** Longest NDJSON line, in characters (default MAX_LINE_CHARS); tests set a small one. */
  maxLineChars?: number;
}

/** Text formats are typed by assay; binary and JSON formats carry their own types. */
export const isTextFormat = (format: Format): boolean => format === 'csv' || format === 'tsv';
