/**
 * Read a whole file that somebody else chose: a policy file from a pull
 * request, a data file from anywhere. The file is opened once, without
 * blocking (a FIFO would otherwise wait for a writer forever), and its type
 * and size are checked on the open descriptor, so swapping the path between
 * the check and the read changes nothing. Devices (`/dev/zero`), FIFOs,
 * sockets and directories are refused; files over the limit are refused
 * before a byte is read; a file that changes while it is read is refused
 * rather than half-read.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

/** Why a file could not be read, in words for an error line ("no such file"). */
export class UnreadableFileError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'UnreadableFileError';
  }
}

/** Bytes read per `read` call; also the granularity of the change check. */
const CHUNK_BYTES = 8 * 1024 * 1024;

export interface ReadHooks {
  /** Called after each chunk; tests use it to change the file mid-read. */
  afterChunk?: (bytesRead: number) => void;
}

/** The file's bytes; throws UnreadableFileError with the reason in words. */
export function readRegularFile(path: string, maxBytes: number, hooks: ReadHooks = {}): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw new UnreadableFileError(describeFsError(e));
  }
  try {
    const before = fstatSync(fd);
    if (!before.isFile()) throw new UnreadableFileError(`not a regular file (${fileKind(before)})`);
    if (before.size > maxBytes) throw new UnreadableFileError(`file is ${before.size} bytes; the limit is ${maxBytes}`);
    const buffer = Buffer.allocUnsafe(before.size);
    let offset = 0;
    try {
      while (offset < before.size) {
        const n = readSync(fd, buffer, offset, Math.min(CHUNK_BYTES, before.size - offset), offset);
        if (n === 0) break;
        offset += n;
        hooks.afterChunk?.(offset);
      }
    } catch (e) {
      throw new UnreadableFileError(describeFsError(e));
    }
    const after = fstatSync(fd);
    const grew = readSync(fd, Buffer.alloc(1), 0, 1, offset) > 0;
    if (offset !== before.size || grew || after.size !== before.size || after.mtimeMs !== before.mtimeMs) {
      throw new UnreadableFileError(`file changed while it was read (${offset} of ${before.size} bytes read); read it again when it is complete`);
    }
    return buffer;
  } finally {
    closeSync(fd);
  }
}

/** The kind of a non-regular file, for the error line. */
export function fileKind(stat: Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a file';
}

/** Node's fs error codes in words; anything unexpected keeps its own message. */
export function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'ENOTDIR') return 'a parent of the path is not a directory';
  if (code === 'ELOOP') return 'too many levels of symbolic links';
  if (code === 'ENAMETOOLONG') return 'path is too long';
  if (code === 'EIO') return 'input/output error';
  return e instanceof Error ? e.message : String(e);
}
