/**
 * Every file assay writes goes through this module: reports, exports, the
 * compliance report, GitHub's job summary and audit log appends.
 *
 * The folders written into are often in the checkout of a pull request, and
 * anything committed there is untrusted, symbolic links included: a committed
 * `reports/assay-report.json -> ~/.bashrc` must not make assay write outside
 * the output folder. So a write never follows a link:
 * - every folder between the working tree and the file is checked with lstat
 *   (and created one level at a time, never through a link);
 * - a file is opened with O_NOFOLLOW, and an atomic write checks its target
 *   with lstat before the rename (the rename itself replaces a link, it never
 *   writes through one);
 * - the file name is confined to the output folder, as a policy's
 *   `source.path` is confined to the project (sources/guard.ts).
 * A link is refused with exit 2 and one line naming it; nothing is written.
 *
 * Folders outside the working tree (an absolute `--out /srv/reports` whose
 * `/srv` is a link) were named by whoever runs assay and are used as given.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, existsSync, fstatSync, fsyncSync, lstatSync, mkdirSync, openSync, readSync, renameSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { isInside } from '../sources/guard.js';
import { AssayError, errorMessage } from './diagnostics.js';
import { fileKind } from './read-file.js';

/** 0 where the platform has no O_NOFOLLOW (Windows); the lstat checks still apply there. */
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
/** A FIFO planted at the path must not block the open. */
const O_NONBLOCK = constants.O_NONBLOCK ?? 0;

/** A write refused because a path component is a symbolic link; exit 2. */
export class OutputLinkError extends AssayError {
  constructor(readonly path: string) {
    super('usage', `${path}: is a symbolic link; assay never writes through a link`, 'remove it, or choose another output folder');
    this.name = 'OutputLinkError';
  }
}

/** A path component that is neither what it must be (a folder, a regular file) nor a link; exit 2. */
function notWritable(path: string, stat: Stats | undefined, expected: 'a folder' | 'a regular file'): AssayError {
  const kind = !stat ? 'missing' : stat.isFile() ? 'a file' : fileKind(stat);
  return new AssayError('usage', `${path}: is ${kind}, not ${expected}; assay cannot write there`, 'choose another output path');
}

/**
 * The folder whose contents a pull request may have committed: the git work
 * tree holding the working directory, else the working directory itself.
 */
export function workTree(cwd = process.cwd()): string {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return resolve(cwd);
  }
}

/**
 * Make sure `dir` exists as a real folder: each of its components inside the
 * work tree must be a folder, not a link; missing ones are created one at a
 * time. Returns the absolute folder.
 */
export function ensureOutputFolder(dir: string, options: { create?: boolean } = {}): string {
  const create = options.create ?? true;
  const target = resolve(dir);
  const tree = workTree();
  if (!isInside(tree, target)) {
    // Outside the work tree: the runner named it, links and all.
    if (!create) {
      if (!existsSync(target)) throw new AssayError('usage', `no such folder: ${dir}`);
      return target;
    }
    try {
      mkdirSync(target, { recursive: true });
    } catch (e) {
      throw new AssayError('usage', `cannot create folder ${dir}: ${errorMessage(e)}`, 'give a folder that can be created or written');
    }
    return target;
  }
  // Every component below the work tree, top down.
  const components: string[] = [];
  for (let d = target; d !== tree; d = dirname(d)) components.unshift(d);
  for (const component of components) {
    let stat = lstatOrUndefined(component);
    if (!stat && !create) throw new AssayError('usage', `no such folder: ${shown(component)}`);
    if (!stat) {
      try {
        mkdirSync(component); // never through a link: mkdir does not follow one at its last component
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new AssayError('usage', `cannot create folder ${shown(component)}: ${errorMessage(e)}`, 'give a folder that can be created or written');
      }
      stat = lstatOrUndefined(component);
    }
    if (stat?.isSymbolicLink()) throw new OutputLinkError(shown(component));
    if (!stat?.isDirectory()) throw notWritable(shown(component), stat, 'a folder');
  }
  return target;
}

/** The path of `name` in `dir`; `name` must be a plain file name (no folders, no `..`). */
export function outputPath(dir: string, name: string): string {
  const path = resolve(dir, name);
  if (name === '' || name !== basename(name) || name === '.' || name === '..' || name.includes(sep) || !isInside(resolve(dir), path) || path === resolve(dir)) {
    throw new AssayError('usage', `${name}: not a file name inside the output folder ${dir}`);
  }
  return path;
}

/** Refuse an existing target that is a link or not a regular file. */
function checkTarget(path: string, display: string): void {
  const stat = lstatOrUndefined(path);
  if (!stat) return;
  if (stat.isSymbolicLink()) throw new OutputLinkError(display);
  if (!stat.isFile()) throw notWritable(display, stat, 'a regular file');
}

/**
 * Write `name` in `dir` atomically: a new temporary file beside it (created
 * exclusively, O_NOFOLLOW), fsync, then rename over the target. Returns the
 * path as given (`dir/name`).
 */
export function writeOutputFile(dir: string, name: string, content: string | Uint8Array): string {
  const { write, commit, abort } = openOutputFile(dir, name);
  try {
    write(content);
  } catch (e) {
    abort();
    throw e;
  }
  return commit();
}

/**
 * `writeOutputFile` for content that arrives in parts (an export streamed
 * from a database): written to a temporary file beside the target, renamed
 * over it by `commit`, removed by `abort`. The same checks apply.
 */
export function openOutputFile(dir: string, name: string): { write(content: string | Uint8Array): void; commit(): string; abort(): void } {
  const display = join(dir, name);
  const folder = ensureOutputFolder(dir);
  const path = outputPath(folder, name);
  checkTarget(path, display);
  const temp = outputPath(folder, `${name}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  const fail = (e: unknown): never => {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
    try {
      unlinkSync(temp);
    } catch {
      // not created, or already renamed
    }
    if (e instanceof AssayError) throw e;
    throw new AssayError('usage', `cannot write ${display}: ${errorMessage(e)}`, 'give a folder that can be created or written');
  };
  try {
    fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW, 0o666);
  } catch (e) {
    fail(e);
  }
  return {
    write(content) {
      try {
        writeAll(fd!, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
      } catch (e) {
        fail(e);
      }
    },
    commit() {
      try {
        fsyncSync(fd!);
        closeSync(fd!);
        fd = undefined;
        checkTarget(path, display); // again, just before the rename
        renameSync(temp, path);
      } catch (e) {
        fail(e);
      }
      return display;
    },
    abort() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
      try {
        unlinkSync(temp);
      } catch {
        // already gone
      }
    },
  };
}

/**
 * Remove `name` from `dir` when it is there, so that no earlier run's file is
 * taken for this run's. A link there is refused like a write; a folder that
 * does not exist has nothing to remove. With `isOurs`, a file whose first
 * bytes it rejects (someone else's file of the same name) is left alone.
 */
export function removeOutputFile(dir: string, name: string, isOurs?: (head: string) => boolean): boolean {
  const display = join(dir, name);
  const folder = resolve(dir);
  if (!lstatOrUndefined(folder)) return false;
  ensureOutputFolder(dir);
  const path = outputPath(folder, name);
  const stat = lstatOrUndefined(path);
  if (!stat) return false;
  checkTarget(path, display);
  if (isOurs && !isOurs(readHead(path))) return false;
  try {
    unlinkSync(path);
  } catch (e) {
    throw new AssayError('usage', `cannot remove the earlier ${display}: ${errorMessage(e)}`);
  }
  return true;
}

/**
 * Open a file for appending (created when missing), never through a link;
 * `read` also allows reading it (the audit log reads its tail). The caller
 * closes the descriptor. A folder created here is made on the way.
 */
export function openForAppend(path: string, options: { read?: boolean; createFolder?: boolean } = {}): { fd: number; created: boolean } {
  ensureOutputFolder(dirname(path) || '.', { create: options.createFolder ?? true });
  const created = !lstatOrUndefined(path);
  checkTarget(path, path);
  const access = options.read ? constants.O_RDWR : constants.O_WRONLY;
  let fd: number;
  try {
    fd = openSync(path, access | constants.O_APPEND | constants.O_CREAT | O_NOFOLLOW | O_NONBLOCK, 0o666);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'EMLINK') throw new OutputLinkError(path);
    throw new AssayError('usage', `cannot open ${path} for appending: ${errorMessage(e)}`);
  }
  const stat = fstatSync(fd);
  if (!stat.isFile()) {
    closeSync(fd);
    throw notWritable(path, stat, 'a regular file');
  }
  return { fd, created };
}

/**
 * Append text to a file someone else owns (its folder is not created) in one
 * write call, so concurrent writers do not interleave.
 */
export function appendOutputFile(path: string, content: string): void {
  const { fd } = openForAppend(path, { createFolder: false });
  try {
    writeAll(fd, Buffer.from(content, 'utf8'));
  } finally {
    closeSync(fd);
  }
}

/** Refuse `path` when it is a link (for files other code creates there, such as a lock folder). */
export function refuseLink(path: string): void {
  if (lstatOrUndefined(path)?.isSymbolicLink()) throw new OutputLinkError(path);
}

/** The first bytes of a regular file, as text, opened without following a link; '' when it cannot be read. */
function readHead(path: string, bytes = 4096): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch {
    return '';
  }
  try {
    const buffer = Buffer.alloc(bytes);
    return buffer.subarray(0, readSync(fd, buffer, 0, bytes, 0)).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

export function writeAll(fd: number, buffer: Uint8Array): void {
  let done = 0;
  while (done < buffer.length) done += writeSync(fd, buffer, done, buffer.length - done);
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new AssayError('usage', `${path}: ${errorMessage(e)}`);
  }
}

/** A folder as the user can find it: relative to the working directory when inside it. */
function shown(path: string): string {
  const cwd = process.cwd();
  return isInside(cwd, path) ? path.slice(cwd.length + 1) || '.' : path;
}
