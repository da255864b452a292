/**
 * Which files make a dataset: its source path (relative to the policy file)
 * or a `--data` override (relative to the working directory); a glob matches
 * many files, read in sorted order as one dataset.
 */
import { dirname, isAbsolute, join, relative } from 'node:path';
import fg from 'fast-glob';
import type { DatasetSource } from '../policy/types.js';
import { DataError } from '../util/diagnostics.js';

export interface FileRequest {
  dataset: string;
  source: DatasetSource;
  policyFile: string;
  overridePath?: string;
}

export function resolveFiles(request: FileRequest): string[] {
  const { path } = request.source;
  const pattern = request.overridePath ?? (isAbsolute(path) ? path : join(dirname(request.policyFile), path));
  const where = request.overridePath ? '--data' : `${request.policyFile}: source.path`;
  if (!fg.isDynamicPattern(pattern)) return [relativeToCwd(pattern)];
  const matches = fg.sync(pattern.replace(/\\/g, '/'), { onlyFiles: true, dot: false }).sort();
  if (matches.length === 0) {
    throw new DataError(`cannot read data for dataset "${request.dataset}": ${pattern}: no files match (${where})`);
  }
  if (matches.length > 65535) throw new DataError(`${pattern}: matches ${matches.length} files; the limit is 65535`);
  return matches.map(relativeToCwd);
}

function relativeToCwd(path: string): string {
  return isAbsolute(path) ? path : relative(process.cwd(), path) || path;
}
