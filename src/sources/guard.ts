/**
 * What a data source may be, decided before and while its bytes are read.
 * Policy files come from pull requests, so a `source.path` is untrusted: it
 * may only name regular files inside the project root (after following
 * symbolic links), never `/etc/passwd`, `/dev/zero` or a FIFO. Data files come
 * from anywhere, so their text is checked too: UTF-8 only, no NUL bytes, no
 * duplicate or reserved column names. Each refusal is a DataError (exit 3)
 * naming the file and what to do.
 */
import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { isUtf8 } from 'node:buffer';
import { DataError } from '../util/diagnostics.js';
import { describeFsError, readRegularFile, UnreadableFileError, type ReadHooks } from '../util/read-file.js';

/**
 * Largest data file read. Files are read whole (batched reading is a
 * separate concern), and V8 cannot hold a string much longer than 512 MiB,
 * so this is the honest ceiling for text formats; it also bounds memory for
 * binary ones. Larger files are refused with this number in the message.
 */
export const MAX_DATA_FILE_BYTES = 512 * 1024 * 1024;

/** The environment variable that sets the project root explicitly. */
export const DATA_ROOT_ENV = 'ASSAY_DATA_ROOT';

/**
 * The folder policy source paths must stay inside: `ASSAY_DATA_ROOT` when
 * set, else the git work tree holding the policy file (where a pull request
 * lands), else the working directory.
 */
export function projectRoot(policyFile: string, env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env[DATA_ROOT_ENV];
  if (explicit) return resolve(explicit);
  let dir = dirname(resolve(policyFile));
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

/** True when `path` is `root` or below it (both absolute, symlinks resolved). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * Refuse a policy source file that resolves outside the root (through `..`,
 * an absolute path or a symbolic link). Returns the file's real path.
 */
export function confineToRoot(file: string, root: string, where: string): string {
  let real: string;
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
    real = realpathSync(file);
  } catch {
    // Missing or unreachable: nothing is read, and reading reports why.
    return resolve(file);
  }
  if (!isInside(realRoot, real)) {
    throw new DataError(
      `${file}: source.path resolves outside the project root ${realRoot} (${where})`,
      `policy files may only read data inside the project; use --data NAME=PATH or set ${DATA_ROOT_ENV} to read elsewhere`,
    );
  }
  return real;
}

/** A glob's fixed leading folder must be inside the root before anything is listed. */
export function confineGlobBase(base: string, root: string, where: string): void {
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch (e) {
    throw new DataError(`${root}: ${describeFsError(e)} (project root)`);
  }
  if (!isInside(realRoot, resolve(base)) && !isInside(resolve(root), resolve(base))) {
    throw new DataError(
      `${base}: source.path resolves outside the project root ${realRoot} (${where})`,
      `policy files may only read data inside the project; use --data NAME=PATH or set ${DATA_ROOT_ENV} to read elsewhere`,
    );
  }
}

/** Read one data file whole, or throw a DataError saying why not. */
export function readDataFile(file: string, dataset: string, hooks?: ReadHooks): Buffer {
  try {
    return readRegularFile(file, MAX_DATA_FILE_BYTES, hooks);
  } catch (e) {
    if (!(e instanceof UnreadableFileError)) throw e;
    throw new DataError(`cannot read data for dataset "${dataset}": ${file}: ${e.reason}`);
  }
}

/**
 * Bytes → text for the text formats: a leading byte-order mark is dropped;
 * invalid UTF-8 and NUL bytes are refused (naming the line), because
 * replacing them would silently change values and a NUL usually means a
 * binary file with the wrong extension.
 */
export function decodeText(file: string, bytes: Buffer): string {
  if (!isUtf8(bytes)) {
    const offset = firstInvalidUtf8(bytes);
    throw new DataError(`${file}:${lineAt(bytes, offset)}: invalid UTF-8 at byte ${offset}`, 'convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8)');
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    throw new DataError(`${file}:${lineAt(bytes, nul)}: NUL byte at byte ${nul}; this looks like a binary file`, 'check the file, or set source.format if it is Parquet or Arrow');
  }
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Names that clash with JavaScript object internals; arquero cannot hold them as columns. */
export function isReservedColumnName(name: string): boolean {
  return name in Object.prototype;
}

/** Duplicate names would overwrite each other and reserved ones would vanish: refuse both. */
export function checkColumnNames(file: string, names: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new DataError(`${file}: duplicate column name "${name}" in the header`, 'rename one of the columns');
    if (isReservedColumnName(name)) throw new DataError(`${file}: column name "${name}" is not supported (it is reserved in JavaScript)`, 'rename the column');
    seen.add(name);
  }
}

/** 1-based line of a byte offset, counting \n, \r\n and lone \r as line ends. */
function lineAt(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) {
    if (bytes[i] === 0x0a || (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a)) line++;
  }
  return line;
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    if (need > 0 && !isUtf8(bytes.subarray(i, i + need + 1))) return i;
    i += need + 1;
  }
  return bytes.length;
}
