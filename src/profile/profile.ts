/**
 * `assay profile`: read a dataset once, batch by batch, into one ColumnState
 * per column, and summarise. With a holdout, rows are split by a seeded hash
 * of their position into a learning part and a holdout part, each with its
 * own states; the whole is their merge (so `suggest` reads the data once).
 *
 *   files ──readRawBatches──▶ raw batches ──ColumnState.add──▶ states ──summarise──▶ ProfileReport
 */
import type { Hash } from 'node:crypto';
import { statSync } from 'node:fs';
import murmur from 'imurmurhash';
import type { DatasetSource, FileSource } from '../policy/types.js';
import { checkDataFile } from '../sources/guard.js';
import { readRawBatches } from '../sources/raw-batches.js';
import { formatFromPath, type Format } from '../sources/readers.js';
import { resolveFiles } from '../sources/resolve.js';
import { DEFAULT_BATCH_ROWS } from '../sources/stream.js';
import { DataError } from '../util/diagnostics.js';
import { ASSAY_VERSION } from '../version.js';
import { ColumnState } from './column.js';
import { sketchDescription, summarise, type ColumnProfile } from './summary.js';

export interface ProfileRequest {
  /** The dataset's name (for `--dataset`) or the file's name. */
  name: string;
  source: FileSource;
  /** The policy file declaring the dataset; for a file named on the command line, a path in the working directory. */
  policyFile: string;
  /** A file named on the command line (trusted; not confined to the project). */
  overridePath?: string;
  /** Columns whose values are shown only masked (classified by a policy). */
  classified?: Set<string>;
  /** Split off this fraction (0–1) of rows as a holdout. */
  holdout?: number;
  seed?: number;
  batchRows?: number;
  /** Called after each batch: rows read so far, and bytes read of `totalBytes` (text formats; else 0). */
  onProgress?: (rows: number, bytes: number, totalBytes: number) => void;
}

export interface ProfileReport {
  assay_version: string;
  dataset: string;
  files: string[];
  format: string;
  rows: number;
  columns: ColumnProfile[];
  /** How distinct counts, quantiles and top values were obtained. */
  sketches: ReturnType<typeof sketchDescription>;
}

export interface ProfileResult {
  report: ProfileReport;
  /** With a holdout: the reports of the learning part and of the holdout part. */
  split?: { learn: ProfileReport; holdout: ProfileReport; fraction: number; seed: number };
}

/** Whether row `index` (0-based, over the whole dataset) is in the holdout. */
export function inHoldout(index: number, fraction: number, seed: number): boolean {
  return murmur(String(index), seed).result() / 0x1_0000_0000 < fraction;
}

class States {
  readonly columns = new Map<string, ColumnState>();
  rows = 0;

  state(name: string): ColumnState {
    let s = this.columns.get(name);
    if (!s) {
      s = new ColumnState(name);
      // A column first seen after other rows: those rows had it missing (null).
      for (let i = 0; i < this.rows; i++) s.add(null);
      this.columns.set(name, s);
    }
    return s;
  }
}

export async function profileDataset(request: ProfileRequest): Promise<ProfileResult> {
  const files = resolveFiles({ dataset: request.name, source: request.source, policyFile: request.policyFile, overridePath: request.overridePath });
  const whole = new States();
  const parts = request.holdout !== undefined ? { learn: new States(), holdout: new States() } : undefined;
  const seed = request.seed ?? 42;
  let bytes = 0;
  const formats = new Set<Format>();
  const totalBytes = files.reduce((sum, f) => sum + sizeOf(f), 0);
  for (const file of files) {
    const format = (request.overridePath ? (formatFromPath(file) ?? request.source.format) : (request.source.format ?? formatFromPath(file))) as
      Format | undefined;
    if (!format)
      throw new DataError(
        `${file}: cannot tell the format from the extension`,
        'name a .csv, .tsv, .json, .ndjson, .jsonl, .arrow or .parquet file, or declare source.format',
      );
    formats.add(format);
    checkDataFile(file, request.name);
    // Parquet is read by ranges: counting its bytes would read the file twice (raw-batches.ts), so progress counts rows only.
    const counter = format === 'parquet' ? undefined : byteCounter((n) => (bytes += n));
    const options = request.source.options ?? {};
    try {
      for await (const batch of readRawBatches(
        { file },
        format,
        { delimiter: options.delimiter, nullValues: options.null_values, header: options.header },
        request.batchRows ?? DEFAULT_BATCH_ROWS,
        counter,
      )) {
        const { names, values, rows } = batch;
        if (parts) {
          const holdoutRows: boolean[] = [];
          for (let r = 0; r < rows; r++) holdoutRows.push(inHoldout(whole.rows + r, request.holdout!, seed));
          for (const [part, wanted] of [
            [parts.learn, false],
            [parts.holdout, true],
          ] as const) {
            const taken = holdoutRows.filter((h) => h === wanted).length;
            names.forEach((name, c) => {
              const state = part.state(name);
              const column = values[c];
              for (let r = 0; r < rows; r++) if (holdoutRows[r] === wanted) state.add(column[r]);
            });
            padMissing(part, names, taken);
            part.rows += taken;
          }
        } else {
          names.forEach((name, c) => {
            const state = whole.state(name);
            const column = values[c];
            for (let r = 0; r < rows; r++) state.add(column[r]);
          });
          padMissing(whole, names, rows);
        }
        whole.rows += rows;
        request.onProgress?.(whole.rows, bytes, totalBytes);
      }
    } catch (e) {
      if (e instanceof DataError && !e.message.startsWith('cannot read data'))
        throw new DataError(`cannot read data for dataset "${request.name}": ${e.message}`, e.hint);
      throw e;
    }
  }
  const classified = request.classified ?? new Set<string>();
  const build = (states: States, rows: number): ProfileReport => ({
    assay_version: ASSAY_VERSION,
    dataset: request.name,
    files,
    format: [...formats].join(', '),
    rows,
    columns: [...states.columns.values()].map((s) => summarise(s, classified.has(s.name))),
    sketches: sketchDescription(),
  });
  if (!parts) return { report: build(whole, whole.rows) };
  // Both parts get every column (a column one part never saw is null there); the whole is their merge.
  const names = [...new Set([...parts.learn.columns.keys(), ...parts.holdout.columns.keys()])];
  for (const part of [parts.learn, parts.holdout]) for (const name of names) part.state(name);
  const merged = new States();
  for (const name of names) {
    const state = new ColumnState(name);
    state.merge(parts.learn.columns.get(name)!);
    state.merge(parts.holdout.columns.get(name)!);
    merged.columns.set(name, state);
  }
  return {
    report: build(merged, whole.rows),
    split: { learn: build(parts.learn, parts.learn.rows), holdout: build(parts.holdout, parts.holdout.rows), fraction: request.holdout!, seed },
  };
}

/** Columns known from earlier batches but absent from this one read as null for its rows. */
function padMissing(states: States, names: string[], rows: number): void {
  if (states.columns.size === names.length) return;
  const present = new Set(names);
  for (const [name, state] of states.columns) if (!present.has(name)) for (let r = 0; r < rows; r++) state.add(null);
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0; // reading reports it
  }
}

/** The readers feed every byte they read to a hash (for fingerprints); this one only counts them. */
function byteCounter(count: (n: number) => void): Hash {
  const counter = {
    update(data: Uint8Array | string) {
      count(typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength);
      return counter;
    },
  };
  return counter as unknown as Hash;
}

export type { DatasetSource };
