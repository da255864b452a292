/**
 * `assay diff --base REF`: the policy files as they were at a git revision.
 * The files under the given paths are read from git's object store (never
 * checked out) into a temporary folder, keeping their paths, and loaded from
 * there like any policy files; diagnostics name them `REF:path`.
 *
 * git runs without a shell, with `--end-of-options` before every
 * user-supplied revision and path, so a ref such as `--output=x` is a
 * revision that does not exist, not an option. Links and submodules in the
 * tree are skipped (a link's target is not a policy), and said so.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { loadValidatedPolicies } from '../policy/validated.js';
import type { PolicySet } from '../policy/types.js';
import { AssayError, PolicyError, errorMessage } from '../util/diagnostics.js';
import { MAX_POLICY_BYTES } from '../policy/load.js';

function git(args: string[], cwd: string): Buffer {
  return execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
}

/** Load and validate the policies under `paths` (relative to `cwd`) as they are at `ref`. */
export function loadPoliciesAtRef(ref: string, paths: string[], cwd: string, warn: (line: string) => void): PolicySet {
  let commit: string;
  try {
    commit = git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], cwd)
      .toString()
      .trim();
  } catch (e) {
    const notRepo = /not a git repository/i.test(String((e as { stderr?: Buffer }).stderr ?? errorMessage(e)));
    throw new AssayError(
      'usage',
      notRepo ? `--base: ${cwd} is not inside a git repository` : `--base: unknown git revision "${ref}"`,
      notRepo ? 'run assay diff from the repository, or give two folders' : 'give a branch, tag or commit, e.g. --base origin/main',
    );
  }
  const listing = git(['ls-tree', '-r', '-z', '--end-of-options', commit, '--', ...paths], cwd).toString('utf8');
  const entries = listing.split('\0').filter((e) => e !== '');
  const folder = mkdtempSync(join(tmpdir(), 'assay-diff-'));
  try {
    let written = 0;
    for (const entry of entries) {
      const tab = entry.indexOf('\t');
      const [mode, type, object] = entry.slice(0, tab).split(' ');
      const path = entry.slice(tab + 1);
      if (!/\.ya?ml$/i.test(path)) continue;
      if (type !== 'blob' || mode === '120000') {
        warn(`assay: ${ref}:${path}: skipped (${mode === '120000' ? 'a symbolic link' : 'not a file'})`);
        continue;
      }
      const target = resolve(folder, path);
      if (!target.startsWith(folder + '/')) continue; // ls-tree paths are relative, below cwd; never outside the folder
      const size = Number(git(['cat-file', '-s', object], cwd).toString().trim());
      if (size > MAX_POLICY_BYTES) throw new AssayError('usage', `${ref}:${path}: larger than ${MAX_POLICY_BYTES} bytes; not a policy file`);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, git(['cat-file', 'blob', object], cwd));
      written++;
    }
    if (written === 0)
      throw new AssayError('usage', `--base: no policy files under ${paths.join(', ')} at "${ref}"`, 'give the policy paths as they were at that revision');
    try {
      return loadValidatedPolicies(paths.map((p) => join(folder, p))).policy;
    } catch (e) {
      if (e instanceof PolicyError) {
        for (const d of e.diagnostics) if (d.location) d.location = { ...d.location, file: `${ref}:${d.location.file.slice(folder.length + 1)}` };
        throw new AssayError('policy', `the policies at "${ref}" are invalid: ${e.message}`, 'assay diff compares two valid versions', e.diagnostics);
      }
      if (e instanceof AssayError) throw new AssayError(e.kind, `${ref}: ${e.message.split(folder + '/').join('')}`, e.hint, e.diagnostics);
      throw e;
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
