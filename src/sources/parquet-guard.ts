/**
 * Sanity checks on a Parquet file's structure, made BEFORE hyparquet decodes
 * it. hyparquet trusts the footer and page headers: a corrupted file made it
 * loop forever (a page header missing its level lengths turns the read offset
 * into NaN, and the RLE decoder then never advances), leak unhandled promise
 * rejections (a column chunk whose path names no schema column is never
 * awaited, so its error crashed the process and its data was dropped), or
 * allocate whatever a header declares. Everything hyparquet uses to size a
 * loop or a buffer is checked here against the file: counts are non-negative
 * integers that agree with each other, every byte range lies inside the file
 * or its column chunk, and page sizes fit what the codec can produce.
 * Failures are DataErrors naming the file, the row group, the column and what
 * is wrong (SECURITY.md).
 */
import type { AsyncBuffer, FileMetaData, PageHeader, SchemaTree } from 'hyparquet';
import { parquetSchema } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { DataError, errorMessage } from '../util/diagnostics.js';
import { checkColumnNames } from './guard.js';
import { checkPageRuns, type LevelInfo } from './parquet-rle.js';

/** What one column chunk needs for its page walk. */
export interface ChunkPlan extends LevelInfo {
  column: string;
  /** Byte range of the chunk in the file. */
  start: number;
  end: number;
  numValues: number;
  repeated: boolean;
}

/** Snappy's densest element (a 3-byte copy) expands to 64 bytes; nothing valid decompresses further. */
const SNAPPY_MAX_EXPANSION = 22;

/**
 * Largest decompressed page: a page is decompressed into a buffer of the size
 * its header declares, so a forged header must not ask for more (writers cut
 * pages at about 1 MB; zstd and brotli can expand a few bytes to gigabytes).
 */
export const MAX_PAGE_BYTES = 256 * 1024 * 1024;

/** Page types hyparquet decodes. */
const PAGE_TYPES = new Set(['DATA_PAGE', 'DATA_PAGE_V2', 'DICTIONARY_PAGE']);

/**
 * Check the footer metadata against the file size; returns, per row group,
 * the column chunks to walk (checkParquetChunk) before the group is decoded.
 */
export function checkParquetMetadata(file: string, metadata: FileMetaData, fileSize: number): ChunkPlan[][] {
  const bad = (what: string) => new DataError(`${file}: not a readable Parquet file: ${what}`);
  let tree: SchemaTree;
  try {
    tree = parquetSchema(metadata);
  } catch (e) {
    throw bad(`its schema is malformed (${errorMessage(e)})`);
  }
  const leaves = leafColumns(tree, bad);
  // hyparquet makes each row an object: a duplicate name would overwrite, `__proto__` would vanish.
  checkColumnNames(file, tree.children.map((child) => child.element.name), 'the schema');
  // Column chunks end where the footer starts: [footer][4-byte length]["PAR1"].
  const dataEnd = fileSize - 8 - metadata.metadata_length;
  const totalRows = count(metadata.num_rows, 'the file row count', bad);
  let rows = 0;
  const groups = metadata.row_groups.map((group, g) => {
    const where = `row group ${g + 1}`;
    const groupRows = count(group.num_rows, `the row count of ${where}`, bad);
    rows += groupRows;
    if (group.columns.length !== leaves.length) throw bad(`${where} has ${group.columns.length} column chunks; the schema has ${leaves.length} columns`);
    return group.columns.map((chunk, c): ChunkPlan => {
      const leaf = leaves[c];
      const column = leaf.path.join('.');
      const at = `${where}, column ${JSON.stringify(column)}`;
      const meta = chunk.meta_data;
      if (!meta) throw bad(`${at}: column metadata is missing`);
      if (chunk.file_path) throw bad(`${at}: data in another file (file_path) is not supported`);
      if (!Array.isArray(meta.path_in_schema) || meta.path_in_schema.join('.') !== column) throw bad(`${at}: the column chunk names ${JSON.stringify(String(meta.path_in_schema?.join?.('.')))} instead`);
      if (meta.type !== leaf.element.type) throw bad(`${at}: physical type ${String(meta.type)} does not match the schema's ${String(leaf.element.type)}`);
      if (typeof meta.codec !== 'string') throw bad(`${at}: unknown compression codec`);
      const numValues = count(meta.num_values, `the value count of ${at}`, bad);
      if (leaf.repeated ? numValues < groupRows : numValues !== groupRows) throw bad(`${at}: ${numValues} values for ${groupRows} rows`);
      const dataOffset = count(meta.data_page_offset, `the data page offset of ${at}`, bad);
      const dictionaryOffset = meta.dictionary_page_offset === undefined ? 0 : count(meta.dictionary_page_offset, `the dictionary page offset of ${at}`, bad);
      const size = count(meta.total_compressed_size, `the compressed size of ${at}`, bad);
      const start = dictionaryOffset || dataOffset; // as hyparquet reads it
      const end = start + size;
      if (start < 4 || end > dataEnd || dataOffset < start || dataOffset >= end) throw bad(`${at}: bytes ${start}..${end} (data page at ${dataOffset}) are outside the data part of the file (bytes 4..${dataEnd})`);
      const levels = { type: meta.type, maxDefinition: leaf.maxDefinition, maxRepetition: leaf.maxRepetition, codec: meta.codec };
      return { column, start, end, numValues, repeated: leaf.repeated, ...levels };
    });
  });
  if (rows !== totalRows) throw bad(`the row groups hold ${rows} rows; the footer says ${totalRows}`);
  return groups;
}

/**
 * Walk the page headers of one column chunk (its bytes), before decoding:
 * every page lies inside the chunk, its sizes and counts are integers the
 * decoders can loop over safely, and the data pages hold the chunk's values.
 */
export function checkParquetChunk(file: string, group: number, chunk: ChunkPlan, bytes: Uint8Array): void {
  const at = `row group ${group + 1}, column ${JSON.stringify(chunk.column)}`;
  const bad = (offset: number, what: string) => new DataError(`${file}: not a readable Parquet file: ${at}, page at byte ${chunk.start + offset}: ${what}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let values = 0;
  for (let offset = 0; offset < bytes.length; ) {
    const reader = { view, offset };
    let header: PageHeader;
    try {
      header = parquetHeader(reader);
    } catch (e) {
      throw bad(offset, `unreadable page header (${errorMessage(e)})`);
    }
    const n = (value: unknown, what: string) => count(value, what, (message) => bad(offset, message));
    if (!PAGE_TYPES.has(header.type)) throw bad(offset, `unsupported page type ${String(header.type)}`);
    const compressed = n(header.compressed_page_size, 'the compressed page size');
    const uncompressed = n(header.uncompressed_page_size, 'the uncompressed page size');
    if (uncompressed > MAX_PAGE_BYTES) throw bad(offset, `a page declares ${uncompressed} bytes uncompressed (at most ${MAX_PAGE_BYTES} are read)`);
    const bodyEnd = reader.offset + compressed;
    if (bodyEnd > bytes.length) throw bad(offset, `the page (${compressed} bytes) runs past the end of its column chunk`);
    let levelBytes = 0;
    if (header.type === 'DATA_PAGE') {
      const page = header.data_page_header;
      if (!page) throw bad(offset, 'the data page header is missing');
      values += n(page.num_values, 'the value count');
      if (typeof page.encoding !== 'string') throw bad(offset, 'unknown encoding');
    } else if (header.type === 'DATA_PAGE_V2') {
      const page = header.data_page_header_v2;
      if (!page) throw bad(offset, 'the data page header is missing');
      const pageValues = n(page.num_values, 'the value count');
      const nulls = n(page.num_nulls, 'the null count');
      n(page.num_rows, 'the row count');
      if (nulls > pageValues) throw bad(offset, `${nulls} nulls among ${pageValues} values`);
      if (typeof page.encoding !== 'string') throw bad(offset, 'unknown encoding');
      levelBytes = n(page.definition_levels_byte_length, 'the definition levels length') + n(page.repetition_levels_byte_length, 'the repetition levels length');
      if (levelBytes > compressed || levelBytes > uncompressed) throw bad(offset, `levels of ${levelBytes} bytes in a page of ${Math.min(compressed, uncompressed)}`);
      values += pageValues;
    } else {
      const page = header.dictionary_page_header;
      if (!page) throw bad(offset, 'the dictionary page header is missing');
      const entries = n(page.num_values, 'the dictionary size');
      if (entries > uncompressed * 8) throw bad(offset, `${entries} dictionary entries in ${uncompressed} bytes`);
    }
    const runs = checkPageRuns(header, bytes.subarray(reader.offset, bodyEnd), chunk); // after the sizes above are known sane
    if (runs) throw bad(offset, runs);
    const dataBytes = compressed - levelBytes;
    const expanded = uncompressed - levelBytes;
    if (chunk.codec === 'UNCOMPRESSED' && expanded !== dataBytes) throw bad(offset, `an uncompressed page of ${dataBytes} bytes declares ${expanded}`);
    if (chunk.codec === 'SNAPPY' && expanded > dataBytes * SNAPPY_MAX_EXPANSION + 64) throw bad(offset, `${dataBytes} compressed bytes cannot expand to the declared ${expanded}`);
    offset = bodyEnd;
  }
  if (values !== chunk.numValues) throw new DataError(`${file}: not a readable Parquet file: ${at}: its pages hold ${values} values; the column metadata says ${chunk.numValues}`);
}

/**
 * A row group's column chunks, read once: their pages are checked from these
 * bytes, and hyparquet is served its reads of the same range from them too.
 */
export async function readRowGroupBytes(file: AsyncBuffer, plans: ChunkPlan[]): Promise<{ buffer: AsyncBuffer; chunk(plan: ChunkPlan): Uint8Array }> {
  const start = Math.min(...plans.map((p) => p.start));
  const end = Math.max(...plans.map((p) => p.end));
  const bytes = plans.length ? await file.slice(start, end) : new ArrayBuffer(0);
  return {
    buffer: {
      byteLength: file.byteLength,
      slice: (from, to = file.byteLength) => (from >= start && to <= end ? bytes.slice(from - start, to - start) : file.slice(from, to)),
    },
    chunk: (plan) => new Uint8Array(bytes, plan.start - start, plan.end - plan.start),
  };
}

interface Leaf {
  path: string[];
  element: SchemaTree['element'];
  repeated: boolean;
  /** Levels as hyparquet counts them: elements below the root that are not REQUIRED, and REPEATED ones. */
  maxDefinition: number;
  maxRepetition: number;
}

/** Leaf columns in schema order (the order of column chunks in a row group). */
function leafColumns(tree: SchemaTree, bad: (what: string) => DataError): Leaf[] {
  const leaves: Leaf[] = [];
  const visit = (node: SchemaTree, definition: number, repetition: number): void => {
    if (typeof node.element?.name !== 'string') throw bad('a schema element has no name');
    const repeats = node.element.repetition_type === 'REPEATED' ? 1 : 0;
    const optional = node.element.repetition_type !== 'REQUIRED' ? 1 : 0;
    const [maxDefinition, maxRepetition] = [definition + optional, repetition + repeats];
    if (node.children.length === 0) leaves.push({ path: node.path, element: node.element, repeated: maxRepetition > 0, maxDefinition, maxRepetition });
    for (const child of node.children) visit(child, maxDefinition, maxRepetition);
  };
  for (const child of tree.children) visit(child, 0, 0);
  if (leaves.length === 0) throw bad('the schema has no columns');
  return leaves;
}

/** A thrift count or offset as a safe non-negative integer (it may arrive as a bigint, or as garbage). */
function count(value: unknown, what: string, bad: (what: string) => DataError): number {
  const n = typeof value === 'bigint' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw bad(`${what} is ${describe(value)}`);
  return n;
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'bigint' || typeof value === 'number') return `invalid (${String(value)})`;
  return `invalid (a ${typeof value})`;
}
