/**
 * Data globs never enter linked folders (a loop would never end, a link out
 * of the project would list folders outside it); a linked file is read only
 * when its real path is inside the project.
 */
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { findPolicyFiles } from '../../src/policy/load.js';
import { resolveFiles } from '../../src/sources/resolve.js';
import { tempDir, type TempDir } from '../helpers/files.js';

let project: TempDir;
let outside: TempDir;

beforeEach(() => {
  project = tempDir('assay-glob-');
  mkdirSync(join(project.path, '.git'));
  project.write('data/sub/a.csv', 'id\n1\n');
  outside = tempDir('assay-glob-outside-');
});
afterEach(() => {
  project.remove();
  outside.remove();
});

const files = (path: string): string[] =>
  resolveFiles({ dataset: 'd', source: { path }, policyFile: join(project.path, 'rules', 'd.yaml') }).map((f) => relative(project.path, f));

test('a link loop under a glob ends at once, with the real files only', () => {
  // Two links back up per level: following them would walk 2^depth paths (hours, gigabytes).
  symlinkSync('..', join(project.path, 'data/sub/loop1'));
  symlinkSync('..', join(project.path, 'data/sub/loop2'));
  const started = Date.now();
  expect(files('../data/**/*.csv')).toEqual(['data/sub/a.csv']);
  expect(Date.now() - started).toBeLessThan(5000);
});

test('a linked folder leading out of the project is not entered', () => {
  outside.write('secret/keys.csv', 'k\n1\n');
  symlinkSync(outside.path, join(project.path, 'data/ext'));
  expect(files('../data/**/*.csv')).toEqual(['data/sub/a.csv']);
  expect(() => files('../data/*/secret/*.csv')).toThrow(/no files match/);
});

test('a glob whose fixed folder is a link out of the project is refused before anything is listed', () => {
  // The folder outside holds no CSV: listing it would say "no files match"; refusing it first names the link.
  symlinkSync(outside.path, join(project.path, 'linked'));
  expect(() => files('../linked/*.csv')).toThrow(/linked: source\.path resolves outside the project root/);
  expect(() => files('../linked/deeper/**/*.csv')).toThrow(/resolves outside the project root/);
});

test('a linked file is read when its real path is inside the project (once), refused when outside', () => {
  symlinkSync('sub/a.csv', join(project.path, 'data/alias.csv'));
  expect(files('../data/**/*.csv')).toEqual(['data/alias.csv']);
  outside.write('other.csv', 'id\n2\n');
  symlinkSync(join(outside.path, 'other.csv'), join(project.path, 'data/other.csv'));
  expect(() => files('../data/*.csv')).toThrow(/other\.csv: source\.path resolves outside the project root/);
});

test('policy folders are walked without entering linked folders: a loop or a link out lists nothing more', () => {
  project.write('rules/d.yaml', 'kind: dataset\n');
  outside.write('evil.yaml', 'kind: dataset\n');
  symlinkSync('..', join(project.path, 'rules/loop1'));
  symlinkSync('..', join(project.path, 'rules/loop2'));
  symlinkSync(outside.path, join(project.path, 'rules/ext'));
  expect(findPolicyFiles([join(project.path, 'rules')]).map((f) => relative(project.path, join(process.cwd(), f)))).toEqual(['rules/d.yaml']);
});
