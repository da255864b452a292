/**
 * What a data source may be, decided before and while its bytes are read.
 * Policy files come from pull requests, so a `source.path` is untrusted: it
 * may only name regular files inside the project root (after following
 * symbolic links), never `/etc/passwd`, `/dev/zero` or a FIFO. Data files come
 * from anywhere, so their text is checked too: UTF-8 only, no NUL bytes, no
 * duplicate or reserved column names, no line longer than a limit. Each
 * refusal is a DataError (exit 3) naming the file and what to do.
 */
import { closeSync, existsSync, fstatSync, openSync, readSync, realpathSync, constants, type Stats } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { DataError } from '../util/diagnostics.js';
import { describeFsError, fileKind, readRegularFile, UnreadableFileError } from '../util/read-file.js';

/**
 * Largest file read whole: JSON arrays and Arrow IPC files (CSV, TSV, NDJSON
 * and Parquet stream in batches and have no size limit). V8 cannot hold a
 * string much longer than 512 MiB, so this is the honest ceiling for JSON.
 */
export const MAX_WHOLE_FILE_BYTES = 512 * 1024 * 1024;

/** Longest line of a streamed text file (a row of CSV, a record of NDJSON), in characters. */
export const MAX_LINE_CHARS = 256 * 1024 * 1024;

/** The environment variable that sets the project root explicitly. */
export const DATA_ROOT_ENV = 'ASSAY_DATA_ROOT';

const OUTSIDE_HINT = `policy files may only read data inside the project; use --data NAME=PATH or set ${DATA_ROOT_ENV} to read elsewhere`;

/**
 * The folder policy source paths must stay inside: `ASSAY_DATA_ROOT` when
 * set; else the git work tree holding the policy file (where a pull request
 * lands); else the working directory, when the policy file is inside it.
 * A policy file outside both was named by whoever runs assay, like a `--data`
 * path, and is not confined (undefined); its files are still type-checked.
 */
export function projectRoot(policyFile: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const explicit = env[DATA_ROOT_ENV];
  if (explicit) return resolve(explicit);
  const policy = resolve(policyFile);
  for (let dir = dirname(policy); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) break;
  }
  return isInside(process.cwd(), policy) ? process.cwd() : undefined;
}

/** True when `path` is `root` or below it (both absolute). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

function realRootOf(root: string): string {
  try {
    return realpathSync(root);
  } catch (e) {
    throw new DataError(`${root}: ${describeFsError(e)} (project root)`);
  }
}

/**
 * Refuse a policy source file that resolves outside the root (through `..`,
 * an absolute path or a symbolic link). Returns the real path; a missing file
 * is left for the read to report.
 */
export function confineToRoot(file: string, root: string, where: string): string {
  const realRoot = realRootOf(root);
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    real = resolve(file); // missing: nothing is read, and reading says why
    if (!isInside(realRoot, real) && !isInside(resolve(root), real)) throw outside(file, realRoot, where);
    return real;
  }
  if (!isInside(realRoot, real)) throw outside(file, realRoot, where);
  return real;
}

/**
 * A glob's fixed leading folder must be inside the root, after following
 * links, before anything is listed: `data/*.csv` with `data` a link to `/etc`
 * never lists `/etc`.
 */
export function confineGlobBase(base: string, root: string, where: string): void {
  const realRoot = realRootOf(root);
  if (!isInside(realRoot, realPathSoFar(resolve(base)))) throw outside(base, realRoot, where);
}

/** The real path of the longest existing prefix of `path`, with the missing rest appended. */
function realPathSoFar(path: string): string {
  const rest: string[] = [];
  for (let dir = path; ; dir = dirname(dir)) {
    try {
      return join(realpathSync(dir), ...rest);
    } catch {
      if (dirname(dir) === dir) return path;
      rest.unshift(basename(dir));
    }
  }
}

function outside(path: string, realRoot: string, where: string): DataError {
  // How to allow it is part of the message: a report's dataset error carries the message only.
  return new DataError(
    `${path}: source.path resolves outside the project root ${realRoot} (${where}); to allow it, set ${DATA_ROOT_ENV} to a folder that holds it, or check the file for one run with --data NAME=PATH`,
    OUTSIDE_HINT,
  );
}

/**
 * An open data file, checked on the descriptor: a regular file, never a FIFO
 * (opened without blocking, so no writer is waited for), device or folder.
 * `assertUnchanged` refuses a file that changed while it was streamed.
 */
export interface OpenDataFile {
  fd: number;
  close(): void;
  assertUnchanged(bytesRead: number): void;
}

export function openDataFile(file: string, label = file): OpenDataFile {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw new DataError(`${label}: ${describeFsError(e)}`);
  }
  let before: Stats;
  try {
    before = fstatSync(fd);
  } catch (e) {
    closeSync(fd);
    throw new DataError(`${label}: ${describeFsError(e)}`);
  }
  if (!before.isFile()) {
    closeSync(fd);
    throw new DataError(`${label}: not a regular file (${fileKind(before)})`);
  }
  let closed = false;
  return {
    fd,
    close: () => {
      if (!closed) closeSync(fd);
      closed = true;
    },
    assertUnchanged(bytesRead) {
      const after = fstatSync(fd);
      if (bytesRead !== before.size || after.size !== before.size || after.mtimeMs !== before.mtimeMs) {
        throw new DataError(`${label}: file changed while it was read (${bytesRead} of ${before.size} bytes read)`, 'read it again when it is complete');
      }
    },
  };
}

/** Check a data file before streaming it; the stream checks the descriptor again. */
export function checkDataFile(file: string, dataset: string): void {
  openDataFile(file, `cannot read data for dataset "${dataset}": ${file}`).close();
}

/** Read a whole data file (JSON, Arrow), up to MAX_WHOLE_FILE_BYTES. */
export function readWholeDataFile(file: string): Buffer {
  try {
    return readRegularFile(file, MAX_WHOLE_FILE_BYTES);
  } catch (e) {
    if (!(e instanceof UnreadableFileError)) throw e;
    throw new DataError(`${file}: ${e.reason}`, e.reason.startsWith('file is ') ? 'JSON arrays and Arrow files are read whole; use NDJSON or Parquet for larger data' : undefined);
  }
}

/**
 * Decodes a text file chunk by chunk: UTF-8 only (never replaced silently),
 * no NUL bytes (usually a binary file with the wrong extension), a leading
 * byte-order mark dropped. Errors name the line and byte.
 */
export class TextGuard {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private offset = 0;

  constructor(
    private readonly file: string,
    /** The bytes when they are in memory; otherwise the file is re-read to count lines on error. */
    private readonly bytes?: Buffer,
  ) {}

  write(chunk: Buffer): string {
    const nul = chunk.indexOf(0);
    if (nul >= 0) throw this.nulError(this.offset + nul);
    let text: string;
    try {
      text = this.decoder.decode(chunk, { stream: true });
    } catch {
      throw this.utf8Error(this.offset + firstInvalidUtf8(chunk));
    }
    this.offset += chunk.length;
    return text;
  }

  end(): string {
    try {
      return this.decoder.decode();
    } catch {
      throw this.utf8Error(Math.max(0, this.offset - 1)); // an incomplete sequence at the end
    }
  }

  private nulError(offset: number): DataError {
    return new DataError(`${this.file}:${this.lineAt(offset)}: NUL byte at byte ${offset}; this looks like a binary file`, 'check the file, or set source.format if it is Parquet or Arrow');
  }

  private utf8Error(offset: number): DataError {
    return new DataError(`${this.file}:${this.lineAt(offset)}: invalid UTF-8 at byte ${offset}`, 'convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8)');
  }

  /** 1-based line of a byte offset (\n, \r\n and lone \r end lines); only computed for an error. */
  private lineAt(offset: number): number {
    let line = 1;
    let previous = -1;
    const count = (buffer: Buffer, n: number): void => {
      for (let i = 0; i < n; i++) {
        const b = buffer[i];
        if (b === 0x0a ? previous !== 0x0d : b === 0x0d) line++;
        previous = b;
      }
    };
    if (this.bytes) {
      count(this.bytes, Math.min(offset, this.bytes.length));
      return line;
    }
    let fd: number | undefined;
    try {
      fd = openSync(this.file, constants.O_RDONLY | constants.O_NONBLOCK);
      const buffer = Buffer.alloc(1 << 20);
      for (let at = 0; at < offset; ) {
        const n = readSync(fd, buffer, 0, Math.min(buffer.length, offset - at), at);
        if (n === 0) break;
        count(buffer, n);
        at += n;
      }
    } catch {
      // the line is a courtesy; the byte offset stands
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
    return line;
  }
}

/** Names that clash with JavaScript object internals; arquero cannot hold them as columns. */
export function isReservedColumnName(name: string): boolean {
  return name in Object.prototype;
}

/** Duplicate names would overwrite each other and reserved ones would vanish: refuse both. */
export function checkColumnNames(file: string, names: readonly string[], where = 'the header'): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new DataError(`${file}: duplicate column name "${name}" in ${where}`, 'rename one of the columns');
    if (isReservedColumnName(name)) throw new DataError(`${file}: column name "${name}" is not supported (it is reserved in JavaScript)`, 'rename the column');
    seen.add(name);
  }
}

/**
 * Offset of the first byte that does not start or continue a valid UTF-8
 * sequence; leading continuation bytes (the rest of a sequence begun in the
 * previous chunk) are skipped.
 */
function firstInvalidUtf8(bytes: Buffer): number {
  let i = 0;
  while (i < 3 && i < bytes.length && (bytes[i] & 0xc0) === 0x80) i++;
  while (i < bytes.length) {
    const b = bytes[i];
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    if (i + need >= bytes.length) return i; // cut short: the decoder refused it, so it is not continued
    const sequence = bytes.subarray(i, i + need + 1);
    if (new TextDecoder('utf-8', { fatal: false }).decode(sequence).includes('\ufffd')) return i;
    i += need + 1;
  }
  return bytes.length;
}
