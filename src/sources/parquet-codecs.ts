/**
 * Parquet page codecs. hyparquet decodes UNCOMPRESSED and SNAPPY itself;
 * hyparquet-compressors adds ZSTD (Polars' default), GZIP, BROTLI, LZ4 and
 * LZ4_RAW. Every decompressor writes into a buffer of the size the page
 * header declares (parquet-guard.ts bounds that size first), so a page that
 * expands beyond its header fails instead of growing without bound.
 */
import type { Compressors } from 'hyparquet';
import { decompressBrotli, decompressGzip, decompressLz4, decompressLz4Raw, decompressZstd } from 'hyparquet-compressors';

/** Codecs assay reads (the Parquet spec's LZO is not among them: no maintained decoder exists). */
export const PARQUET_CODECS = ['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'BROTLI', 'ZSTD', 'LZ4', 'LZ4_RAW'] as const;

/** The decompressors given to hyparquet for the codecs it lacks (SNAPPY stays hyparquet's own). */
export const PARQUET_COMPRESSORS: Compressors = {
  GZIP: decompressGzip,
  BROTLI: decompressBrotli,
  ZSTD: (input, length) => exactLength(decompressZstd(input, new Uint8Array(length)), length),
  LZ4: decompressLz4,
  LZ4_RAW: decompressLz4Raw,
};

/** fzstd returns the whole output buffer when given one: the bytes it wrote are what the frame says. */
function exactLength(page: Uint8Array, length: number): Uint8Array {
  return page.length === length ? page : page.subarray(0, length);
}
