/**
 * The run-length/bit-packed hybrid streams of a Parquet data page
 * (repetition and definition levels, dictionary indices, RLE booleans),
 * walked before hyparquet decodes them. hyparquet writes an RLE run into a
 * plain array without clamping it to the values the page declares, so a
 * corrupted 5-byte run header asked it for up to 2^31 elements: the array
 * outgrew V8's limit and the process aborted (a fatal error, not an
 * exception). A bit-packed header can also make its loop count down from a
 * negative number. Here every run must fit the values still expected and the
 * bytes still there; the walk reads only run headers, so it costs a fraction
 * of decoding. Compressed pages are decompressed once more for it (every codec).
 */
import type { PageHeader } from 'hyparquet';
import { snappyUncompress } from 'hyparquet';
import { PARQUET_COMPRESSORS } from './parquet-codecs.js';

/** What the walk needs to know about the column. */
export interface LevelInfo {
  type: string;
  maxDefinition: number;
  maxRepetition: number;
  codec: string;
}

/** Check the hybrid streams of one data page; `body` is the page's bytes as stored. Returns a reason to refuse, or undefined. */
export function checkPageRuns(header: PageHeader, body: Uint8Array, column: LevelInfo): string | undefined {
  try {
    if (header.type === 'DATA_PAGE') checkV1(header, body, column);
    else if (header.type === 'DATA_PAGE_V2') checkV2(header, body, column);
    return undefined;
  } catch (e) {
    if (e instanceof RunError) return e.message;
    throw e;
  }
}

class RunError extends Error {}

function checkV1(header: PageHeader, body: Uint8Array, column: LevelInfo): void {
  const page = decompress(body, header.uncompressed_page_size, column.codec);
  if (!page) return;
  const values = header.data_page_header!.num_values;
  let offset = 0;
  // As hyparquet reads a v1 page: [repetition levels][definition levels], each with a 4-byte length, then the values.
  if (column.maxRepetition) offset = walkRuns(page, offset, undefined, bitWidth(column.maxRepetition), values, 'repetition levels');
  if (column.maxDefinition) offset = walkRuns(page, offset, undefined, bitWidth(column.maxDefinition), values, 'definition levels');
  checkValues(page, offset, header.data_page_header!.encoding, column.type, values, undefined);
}

function checkV2(header: PageHeader, body: Uint8Array, column: LevelInfo): void {
  const page = header.data_page_header_v2!;
  const repetition = page.repetition_levels_byte_length;
  const definition = page.definition_levels_byte_length;
  // Levels are stored uncompressed, with their lengths in the header.
  if (column.maxRepetition) walkRuns(body, 0, repetition, bitWidth(column.maxRepetition), page.num_values, 'repetition levels');
  if (column.maxDefinition) walkRuns(body, repetition, definition, bitWidth(column.maxDefinition), page.num_values, 'definition levels');
  const valuesSize = header.uncompressed_page_size - definition - repetition;
  const stored = body.subarray(repetition + definition);
  const values = page.is_compressed !== false && valuesSize ? decompress(stored, valuesSize, column.codec) : stored;
  if (values) checkValues(values, 0, page.encoding, column.type, page.num_values - page.num_nulls, valuesSize - 1);
}

/** The dictionary indices (after their bit-width byte) or RLE booleans of a page's values. */
function checkValues(page: Uint8Array, offset: number, encoding: string, type: string, values: number, dictionaryLength: number | undefined): void {
  if (encoding !== 'PLAIN_DICTIONARY' && encoding !== 'RLE_DICTIONARY' && encoding !== 'RLE') return;
  if (type === 'BOOLEAN') {
    walkRuns(page, offset, undefined, 1, values, 'boolean values');
    return;
  }
  if (offset >= page.length) return; // hyparquet reports the missing bit width itself
  const width = page[offset];
  if (width > 32) throw new RunError(`dictionary indices of ${width} bits`);
  if (width) walkRuns(page, offset + 1, dictionaryLength ?? page.length - offset - 1, width, values, 'dictionary indices');
}

/**
 * Walk one hybrid stream as hyparquet's readRleBitPackedHybrid does, reading
 * only run headers. `length` undefined: the stream starts with its 4-byte
 * length. Returns where hyparquet continues reading after the stream.
 */
function walkRuns(bytes: Uint8Array, start: number, length: number | undefined, width: number, expected: number, what: string): number {
  let offset = start;
  if (length === undefined) {
    if (offset + 4 > bytes.length) return bytes.length; // hyparquet reports it
    length = bytes[offset] | (bytes[offset + 1] << 8) | (bytes[offset + 2] << 16) | (bytes[offset + 3] * 2 ** 24);
    offset += 4;
  }
  const end = offset + length;
  // Like hyparquet, read until the values are there (a v1 page's dictionary indices may be
  // fewer: `expected` counts its nulls too). Running off the page is left to hyparquet, which
  // throws there; only what would make it loop or allocate without bound is refused here.
  let seen = 0;
  while (seen < expected && offset < bytes.length) {
    let header = 0;
    for (let shift = 0; ; shift += 7) {
      if (offset >= bytes.length) return end;
      if (shift > 28) throw new RunError(`${what}: a run header longer than 5 bytes`);
      const byte = bytes[offset++];
      header |= (byte & 0x7f) << shift;
      if (!(byte & 0x80)) break;
    }
    if (header & 1) {
      const count = (header >> 1) << 3; // as hyparquet computes it, in 32-bit arithmetic
      if (count < 0 || (width === 0 && count > expected - seen + 7)) throw new RunError(`${what}: a bit-packed run of ${count} values`);
      offset += Math.ceil((count * width) / 8);
      seen += Math.min(count, expected - seen);
    } else {
      const count = header >>> 1;
      if (count > expected - seen) throw new RunError(`${what}: a run of ${count} values where ${expected - seen} of ${expected} remain`);
      offset += (width + 7) >> 3;
      seen += count;
    }
  }
  return end;
}

/** The page's bytes as the decoders see them; undefined for codecs hyparquet refuses itself. */
function decompress(stored: Uint8Array, size: number, codec: string): Uint8Array | undefined {
  if (codec === 'UNCOMPRESSED') return stored;
  const custom = PARQUET_COMPRESSORS[codec as keyof typeof PARQUET_COMPRESSORS];
  if (codec !== 'SNAPPY' && !custom) return undefined;
  let page: Uint8Array;
  try {
    if (custom) page = custom(stored, size);
    else snappyUncompress(stored, (page = new Uint8Array(size)));
  } catch (e) {
    throw new RunError(`invalid ${codec} data (${e instanceof Error ? e.message : String(e)})`);
  }
  if (page.length !== size) throw new RunError(`${codec} data expands to ${page.length} bytes; the page header says ${size}`);
  return page;
}

function bitWidth(value: number): number {
  return 32 - Math.clz32(value);
}
