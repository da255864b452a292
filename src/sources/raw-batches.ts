/**
 * Streaming readers: one file → batches of raw (untyped) column values, at
 * most `batchRows` rows each, so memory is bounded by the batch size and not
 * by the file size. CSV/TSV go through arquero's own streaming tokenizer (the
 * one behind `loadCSV`), NDJSON line by line, Parquet one row group at a time
 * through hyparquet, Arrow IPC through arquero/flechette. JSON arrays cannot
 * be streamed and are parsed whole, then cut into batches.
 *
 * A source is a file on disk, or bytes already in memory (tests, stdin).
 * `null_values` apply to text cells of CSV (default: the empty cell) and,
 * only when given, to string cells of the typed formats.
 */
import type { Hash } from 'node:crypto';
import { read } from 'node:fs';
import { promisify } from 'node:util';
import { fromArrow, type ColumnTable } from 'arquero';
import { delimitedTextTransformer } from 'arquero/src/format/stream/delimited-text-stream.js';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, type AsyncBuffer } from 'hyparquet';
import { DataError, errorMessage } from '../util/diagnostics.js';
import { describeFsError } from '../util/read-file.js';
import { checkColumnNames, MAX_LINE_CHARS, openDataFile, readWholeDataFile, TextGuard } from './guard.js';
import { checkArrowStructure } from './arrow-guard.js';
import { refuseDuplicateKeys } from './json-keys.js';
import { PARQUET_COMPRESSORS } from './parquet-codecs.js';
import { checkParquetChunk, checkParquetMetadata, readRowGroupBytes } from './parquet-guard.js';
import type { Format, ReadOptions } from './readers.js';
import { exactNumbers, fromRecords, isUnrepresentableDate, jsonErrorReason, jsonTypeName, normalizeCell, parseJsonDocument, unrepresentableDate, type RawBatch } from './records.js';

export type { RawBatch };

const readAt = promisify(read);

/** Where the bytes come from: `file` names the source in errors; `bytes`, when given, are read instead of the file. */
export interface ByteSource {
  file: string;
  bytes?: Buffer;
}

/** Bytes read are fed to `hash`, so the fingerprint costs no second read. */
export async function* readRawBatches(source: ByteSource, format: Format, options: ReadOptions, batchRows: number, hash?: Hash): AsyncGenerator<RawBatch> {
  const batches = rawBatchesOf(source, format, options, batchRows, hash);
  const nulls = options.nullValues && format !== 'csv' && format !== 'tsv' ? new Set(options.nullValues) : undefined;
  for await (const batch of batches) {
    if (nulls) for (const column of batch.values) for (let i = 0; i < column.length; i++) if (typeof column[i] === 'string' && nulls.has(column[i] as string)) column[i] = null;
    yield batch;
  }
}

function rawBatchesOf(source: ByteSource, format: Format, options: ReadOptions, batchRows: number, hash?: Hash): AsyncGenerator<RawBatch> {
  switch (format) {
    case 'csv':
    case 'tsv':
      return readDelimited(source, options.delimiter ?? (format === 'tsv' ? '\t' : ','), options, batchRows, hash);
    case 'ndjson':
      return readNdjson(source, batchRows, options.maxLineChars ?? MAX_LINE_CHARS, hash);
    case 'json':
      return readJson(source, batchRows, hash);
    case 'arrow':
      return readArrow(source, batchRows, hash);
    case 'parquet':
      return readParquet(source, batchRows, hash);
  }
}

/**
 * Chunks of a source as a stream; read errors become DataErrors naming the
 * file. The file is opened once and checked on the descriptor (a regular
 * file; see guard.ts), and a file that changed while it was read is refused.
 */
async function* chunks({ file, bytes }: ByteSource, hash?: Hash): AsyncGenerator<Buffer> {
  if (bytes) {
    hash?.update(bytes);
    yield bytes;
    return;
  }
  const opened = openDataFile(file);
  let position = 0;
  try {
    for (;;) {
      const chunk = Buffer.allocUnsafe(1 << 20);
      let bytesRead: number;
      try {
        ({ bytesRead } = await readAt(opened.fd, chunk, 0, chunk.length, position));
      } catch (e) {
        throw new DataError(`${file}: ${describeFsError(e)}`);
      }
      if (bytesRead === 0) break;
      position += bytesRead;
      const data = chunk.subarray(0, bytesRead);
      hash?.update(data);
      yield data;
    }
    opened.assertUnchanged(position);
  } finally {
    opened.close();
  }
}

async function* readDelimited(source: ByteSource, delimiter: string, options: ReadOptions, batchRows: number, hash?: Hash): AsyncGenerator<RawBatch> {
  const { file } = source;
  const tokenizer = guard(file, 'CSV', () => delimitedTextTransformer(delimiter));
  const nulls = new Set(options.nullValues ?? ['']);
  const decoder = new TextGuard(file, source.bytes);
  let pending: string[][] = [];
  // Blank lines are skipped (as pandas and DuckDB do); they are not rows of nulls.
  const isBlank = (row: string[]) => row.length === 1 && row[0] === '';
  const controller = {
    enqueue: (batch: string[][]) => {
      const rows = batch.some(isBlank) ? batch.filter((r) => !isBlank(r)) : batch;
      pending = pending.length ? pending.concat(rows) : rows;
    },
  };
  let taken = 0; // rows of `pending` already cut into batches
  let names: string[] | undefined;
  let sawText = false;
  let nextRow = 1;
  const cut = function* (final: boolean): Generator<RawBatch> {
    if (!names && pending.length > 0) {
      const header = pending.shift()!;
      names = options.header === false ? header.map((_, i) => `col${i + 1}`) : header;
      if (options.header === false) pending.unshift(header);
      checkColumnNames(file, names);
    }
    while (names && (pending.length - taken >= batchRows || (final && pending.length > taken))) {
      const rows = pending.slice(taken, taken + batchRows);
      checkRowShapes(file, names.length, rows, nextRow, final && taken + rows.length === pending.length);
      taken += rows.length;
      yield transpose(names, rows, nulls, nextRow);
      nextRow += rows.length;
    }
    pending = taken === pending.length ? [] : pending.slice(taken);
    taken = 0;
  };
  for await (const buffer of chunks(source, hash)) {
    const text = decoder.write(buffer); // drops a byte-order mark
    if (!sawText && text.trim() !== '') sawText = true;
    if (text) guard(file, 'CSV', () => tokenizer.transform(text, controller));
    yield* cut(false);
  }
  const rest = decoder.end();
  if (rest) guard(file, 'CSV', () => tokenizer.transform(rest, controller));
  if (!sawText && !(rest && rest.trim())) throw new DataError(`${file}: file is empty (no header row)`);
  guard(file, 'CSV', () => tokenizer.flush(controller));
  yield* cut(true);
  if (!names) throw new DataError(`${file}: file is empty (no header row)`);
  if (nextRow === 1) yield { names, values: names.map(() => []), rows: 0, firstRow: 1 };
}

/**
 * A row with more fields than the header would lose data: the file is
 * unreadable. A row with fewer fields is kept, its missing trailing cells null
 * (as pandas reads it). An unclosed quote swallows the rest of the file into
 * the last row's last cell, which then still starts with the quote.
 */
function checkRowShapes(file: string, width: number, rows: string[][], firstRow: number, endOfFile: boolean): void {
  for (let r = 0; r < rows.length; r++) {
    if (rows[r].length > width) throw new DataError(`${file}: data row ${firstRow + r} has ${rows[r].length} fields; the header has ${width}`);
  }
  const last = rows[rows.length - 1]?.at(-1);
  if (endOfFile && last !== undefined && last.startsWith('"') && (last.includes('\n') || !last.endsWith('"'))) {
    throw new DataError(`${file}: data row ${firstRow + rows.length - 1}: a quote is never closed`, 'a quote inside a field is written as two quotes ("")');
  }
}

/** Text rows → columns; empty cells and `null_values` become null (as arquero's fromCSV does). */
function transpose(names: string[], rows: string[][], nulls: Set<string>, firstRow: number): RawBatch {
  const width = names.length;
  const values: unknown[][] = [];
  const onlyEmpty = nulls.size === 1 && nulls.has('');
  for (let c = 0; c < width; c++) {
    const column = new Array<unknown>(rows.length);
    for (let r = 0; r < rows.length; r++) {
      const cell = rows[r][c];
      column[r] = cell === undefined || cell === '' || (!onlyEmpty && nulls.has(cell)) ? null : cell;
    }
    values.push(column);
  }
  return { names, values, rows: rows.length, firstRow };
}

async function* readNdjson(source: ByteSource, batchRows: number, maxLine: number, hash?: Hash): AsyncGenerator<RawBatch> {
  const { file } = source;
  const decoder = new TextGuard(file, source.bytes);
  let carry = '';
  let line = 0;
  let records: unknown[] = [];
  let lines: number[] = [];
  let firstRow = 1;
  const tooLong = (at: number) => new DataError(`${file}:${at}: line is longer than ${maxLine} characters`, 'split the record, or check that the file really is NDJSON');
  const take = (text: string): void => {
    line++;
    if (text.length > maxLine) throw tooLong(line);
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new DataError(`${file}:${line}: invalid JSON: ${jsonErrorReason(e)}`);
    }
    refuseDuplicateKeys(text, () => `${file}:${line}`);
    records.push(exactNumbers(text, value));
    lines.push(line);
  };
  const flush = (): RawBatch => {
    const at = lines;
    const batch = fromRecords(records, firstRow, (i) => `${file}:${at[i]}`, (i) => `line ${at[i]}`);
    firstRow += records.length;
    records = [];
    lines = [];
    return batch;
  };
  for await (const buffer of chunks(source, hash)) {
    // Lines end in \n, \r\n or a lone \r (as in CSV); a \r at a chunk's end waits for a possible \n.
    let chunk = carry + decoder.write(buffer);
    const held = chunk.endsWith('\r') ? '\r' : '';
    if (held) chunk = chunk.slice(0, -1);
    const parts = chunk.split(/\r\n|\n|\r/);
    carry = parts.pop()! + held;
    if (carry.length > maxLine) throw tooLong(line + parts.length + 1); // before the rest of an endless line is read
    for (const text of parts) {
      take(text);
      if (records.length >= batchRows) yield flush();
    }
  }
  carry += decoder.end();
  if (carry !== '') take(carry);
  if (records.length > 0 || firstRow === 1) yield flush();
}

async function* readJson(source: ByteSource, batchRows: number, hash?: Hash): AsyncGenerator<RawBatch> {
  const { file } = source;
  const whole = readWhole(source, hash);
  const text = new TextGuard(file, whole).write(whole);
  const data = parseJsonDocument(file, text);
  if (!Array.isArray(data)) throw new DataError(`${file}: expected a JSON array of objects, found ${jsonTypeName(data)}`);
  for (let start = 0; start < data.length || start === 0; start += batchRows) {
    yield fromRecords(data.slice(start, start + batchRows), start + 1, () => file, (i) => `element ${start + i + 1} of the array`);
  }
}

async function* readArrow(source: ByteSource, batchRows: number, hash?: Hash): AsyncGenerator<RawBatch> {
  const { file } = source;
  const bytes = readWhole(source, hash);
  const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  checkArrowStructure(file, view); // flechette trusts the metadata: check it first (arrow-guard.ts)
  // 64-bit integers as bigints, as hyparquet gives them: normalizeCell keeps the ones beyond 2^53 exact.
  const table: ColumnTable = guard(file, 'Arrow IPC', () => fromArrow(view, { useBigInt: true }));
  const names = table.columnNames();
  checkColumnNames(file, names, 'the schema');
  const total = table.numRows();
  if (!Number.isSafeInteger(total) || total < 0) throw new DataError(`${file}: not a readable Arrow IPC file: it declares ${total} rows`);
  for (let start = 0; start < total || start === 0; start += batchRows) {
    const end = Math.min(total, start + batchRows);
    const values = names.map((name) => {
      const column = table.column(name)!;
      const out = new Array<unknown>(end - start);
      for (let i = start; i < end; i++) {
        let value;
        try {
          value = normalizeCell(column.at(i)); // values decode lazily: a corrupted buffer fails here
        } catch (e) {
          throw new DataError(`${file}: not a readable Arrow IPC file: column ${JSON.stringify(name)}, row ${i + 1}: ${errorMessage(e)}`);
        }
        if (isUnrepresentableDate(value)) throw unrepresentableDate(file, name, `row ${i + 1}`);
        out[i - start] = value;
      }
      return out;
    });
    yield { names, values, rows: end - start, firstRow: start + 1 };
  }
}

async function* readParquet(source: ByteSource, batchRows: number, hash?: Hash): AsyncGenerator<RawBatch> {
  const { file, bytes } = source;
  if (hash && !bytes) for await (const _ of chunks(source, hash)); // fingerprint: hyparquet reads ranges, not the whole file
  if (hash && bytes) hash.update(bytes);
  let buffer: AsyncBuffer;
  let metadata;
  try {
    buffer = bytes ? (bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer) : await asyncBufferFromFile(file);
    metadata = await parquetMetadataAsync(buffer);
  } catch (e) {
    throw new DataError(`${file}: not a readable Parquet file: ${errorMessage(e)}`);
  }
  // Footer and page headers are checked before anything is decoded (parquet-guard.ts).
  const plans = checkParquetMetadata(file, metadata, buffer.byteLength);
  // One row group at a time: hyparquet decodes whole row groups, so that is the unit of memory.
  let groupStart = 0;
  for (const [g, group] of metadata.row_groups.entries()) {
    const groupEnd = groupStart + Number(group.num_rows);
    let rows: Record<string, unknown>[];
    try {
      const groupBytes = await readRowGroupBytes(buffer, plans[g]);
      for (const chunk of plans[g]) checkParquetChunk(file, g, chunk, groupBytes.chunk(chunk));
      rows = await parquetReadObjects({ file: groupBytes.buffer, metadata, rowStart: groupStart, rowEnd: groupEnd, compressors: PARQUET_COMPRESSORS });
    } catch (e) {
      if (e instanceof DataError) throw e;
      throw new DataError(`${file}: not a readable Parquet file: ${errorMessage(e)}`);
    }
    for (let start = 0; start < rows.length; start += batchRows) {
      const first = groupStart + start + 1;
      yield fromRecords(rows.slice(start, start + batchRows), first, () => file, (i) => `row ${first + i}`);
    }
    groupStart = groupEnd;
  }
  if (groupStart === 0) yield fromRecords([], 1, () => file, String);
}

/** JSON arrays and Arrow files are read whole, up to a size limit (guard.ts). */
function readWhole({ file, bytes }: ByteSource, hash?: Hash): Buffer {
  bytes ??= readWholeDataFile(file);
  hash?.update(bytes);
  return bytes;
}

function guard<T>(file: string, what: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(`${file}: not a readable ${what} file: ${errorMessage(e)}`);
  }
}

