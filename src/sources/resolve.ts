/**
 * Which files make a dataset: its source path (relative to the policy file)
 * or a `--data` override (relative to the working directory); a glob matches
 * many files, read in sorted order as one dataset.
 */
import { statSync, type Stats } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import fg from 'fast-glob';
import type { DatasetSource, FileSource } from '../policy/types.js';
import { DataError } from '../util/diagnostics.js';
import { confineGlobBase, confineToRoot, projectRoot } from './guard.js';

/** Folder levels a data glob descends; deeper files are not matched. */
export const MAX_GLOB_DEPTH = 64;

export interface FileRequest {
  dataset: string;
  source: FileSource;
  policyFile: string;
  overridePath?: string;
}

/** The source's path or glob as the user can find it: relative to the working directory. */
export function sourcePattern(request: Omit<FileRequest, 'dataset'>): string {
  const { path } = request.source;
  return request.overridePath ?? relativeToCwd(isAbsolute(path) ? path : join(dirname(request.policyFile), path));
}

/**
 * The files of a source, in order. A `--data` path is given by whoever runs
 * assay and is trusted; a policy's `source.path` is not, so it (and every
 * file a glob of it matches) must resolve inside the project root (guard.ts).
 */
export function resolveFiles(request: FileRequest): string[] {
  const pattern = sourcePattern(request);
  const where = request.overridePath ? '--data' : `${request.policyFile}: source.path`;
  const root = request.overridePath ? undefined : projectRoot(request.policyFile);
  if (!fg.isDynamicPattern(pattern)) {
    if (root) confineToRoot(pattern, root, where);
    return [relativeToCwd(pattern)];
  }
  const glob = pattern.replace(/\\/g, '/');
  if (root) for (const task of fg.generateTasks([glob])) confineGlobBase(task.base, root, where);
  // Linked folders are not entered: a link loop would make the walk endless, and a
  // link out of the root would list folders outside it. A link to a file is matched
  // (entries are kept when they are files once links are followed) and read only
  // when its real path is inside the root (below).
  const matches = fg.sync(glob, { onlyFiles: false, dot: false, followSymbolicLinks: false, deep: MAX_GLOB_DEPTH }).filter(isFileFollowingLinks).sort();
  if (matches.length === 0) {
    throw new DataError(`cannot read data for dataset "${request.dataset}": ${pattern}: no files match (${where})`);
  }
  if (matches.length > 65535) throw new DataError(`${pattern}: matches ${matches.length} files; the limit is 65535`);
  // Symbolic links may show one file under several names: read it once.
  const seen = new Set<string>();
  const files: string[] = [];
  for (const match of matches) {
    const real = root ? confineToRoot(match, root, where) : match;
    if (seen.has(real)) continue;
    seen.add(real);
    files.push(relativeToCwd(match));
  }
  return files;
}

function isFileFollowingLinks(path: string): boolean {
  return statOrUndefined(path)?.isFile() ?? false;
}

function relativeToCwd(path: string): string {
  return isAbsolute(path) ? path : relative(process.cwd(), path) || path;
}

/**
 * The declared source a file to be written would replace, if any: the same
 * file (by device and inode, so through links and hard links too) as one a
 * dataset's source reads, or the very path a literal `source.path` names.
 * `assay export --out` refuses such a path (exit 2) rather than replace data
 * with a masked view of it.
 */
export function declaredSourceAt(out: string, datasets: readonly { name: string; source: DatasetSource; file: string }[]): string | undefined {
  const target = statOrUndefined(out);
  for (const dataset of datasets) {
    if (dataset.source.path === undefined || dataset.source.connection !== undefined) continue; // a table, or files a cluster reads, is no file of this machine to replace
    const request = { dataset: dataset.name, source: dataset.source, policyFile: dataset.file };
    const pattern = sourcePattern(request);
    if (!fg.isDynamicPattern(pattern) && resolve(pattern) === resolve(out)) return dataset.name;
    if (!target) continue;
    let files: string[];
    try {
      files = resolveFiles(request);
    } catch {
      continue; // a source that cannot be resolved has no file to replace
    }
    for (const file of files) {
      const stat = statOrUndefined(file);
      if (stat && stat.dev === target.dev && stat.ino === target.ino) return dataset.name;
    }
  }
  return undefined;
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
