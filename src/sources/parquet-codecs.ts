/**
 * Parquet page codecs. hyparquet decodes UNCOMPRESSED and SNAPPY itself;
 * hyparquet-compressors adds ZSTD (Polars' default), LZ4 and LZ4_RAW, and
 * Node's zlib GZIP and BROTLI. Every decompressor stops at the size the page
 * header declares (parquet-guard.ts bounds that size first), so a page that
 * expands beyond its header fails at once instead of inflating in full: a
 * kilobyte of deflate or brotli can expand to a gigabyte, which
 * hyparquet-compressors' gzip and brotli decoders would inflate to the end
 * (seconds of CPU per page, and for brotli the memory too) before cutting it.
 */
import { brotliDecompressSync, unzipSync } from 'node:zlib';
import type { Compressors } from 'hyparquet';
import { decompressLz4, decompressLz4Raw, decompressZstd } from 'hyparquet-compressors';

/** Codecs assay reads (the Parquet spec's LZO is not among them: no maintained decoder exists). */
export const PARQUET_CODECS = ['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'BROTLI', 'ZSTD', 'LZ4', 'LZ4_RAW'] as const;

/** The decompressors given to hyparquet for the codecs it lacks (SNAPPY stays hyparquet's own). */
export const PARQUET_COMPRESSORS: Compressors = {
  // unzip reads gzip members (the spec's GZIP) and zlib streams, as hyparquet-compressors' decoder did.
  GZIP: (input, length) => bounded(unzipSync, input, length),
  BROTLI: (input, length) => bounded(brotliDecompressSync, input, length),
  ZSTD: (input, length) => exactLength(decompressZstd(input, new Uint8Array(length)), length),
  LZ4: decompressLz4,
  LZ4_RAW: decompressLz4Raw,
};

/** zlib's decompression stopped after the page's declared `length` bytes (maxOutputLength ends it early). */
function bounded(decompress: typeof unzipSync, input: Uint8Array, length: number): Uint8Array {
  let page: Buffer;
  try {
    page = decompress(input, { maxOutputLength: Math.max(1, length) });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new Error(`the page decompresses to more than the ${length} bytes its header declares`);
    throw e;
  }
  if (page.length !== length) throw new Error(`the page decompresses to ${page.length} bytes, its header declares ${length}`);
  return new Uint8Array(page.buffer, page.byteOffset, page.byteLength);
}

/** fzstd returns the whole output buffer when given one: the bytes it wrote are what the frame says. */
function exactLength(page: Uint8Array, length: number): Uint8Array {
  return page.length === length ? page : page.subarray(0, length);
}
