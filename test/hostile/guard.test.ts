/** Where policy source paths may point: the project root and its fallbacks. */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { confineToRoot, isInside, projectRoot } from '../../src/sources/guard.js';
import { DataError } from '../../src/util/diagnostics.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'assay-guard-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('the git work tree holding the policy file is the root', () => {
  mkdirSync(join(dir, 'repo/.git'), { recursive: true });
  mkdirSync(join(dir, 'repo/rules/deep'), { recursive: true });
  expect(projectRoot(join(dir, 'repo/rules/deep/p.yaml'), {})).toBe(join(dir, 'repo'));
});

test('a worktree\'s .git file counts as well as a .git folder', () => {
  mkdirSync(join(dir, 'wt/rules'), { recursive: true });
  writeFileSync(join(dir, 'wt/.git'), 'gitdir: /elsewhere\n');
  expect(projectRoot(join(dir, 'wt/rules/p.yaml'), {})).toBe(join(dir, 'wt'));
});

test('ASSAY_DATA_ROOT wins over everything', () => {
  mkdirSync(join(dir, 'repo/.git'), { recursive: true });
  expect(projectRoot(join(dir, 'repo/p.yaml'), { ASSAY_DATA_ROOT: '/srv/data' })).toBe('/srv/data');
});

test('outside git: the working directory when the policy is inside it, else no confinement', () => {
  mkdirSync(join(dir, 'work/rules'), { recursive: true });
  const cwd = process.cwd();
  try {
    process.chdir(join(dir, 'work'));
    expect(projectRoot(join(dir, 'work/rules/p.yaml'), {})).toBe(process.cwd());
    expect(projectRoot(join(dir, 'elsewhere/p.yaml'), {})).toBeUndefined();
  } finally {
    process.chdir(cwd);
  }
});

test('isInside: the root itself and below, never a sibling with the same prefix', () => {
  expect(isInside('/a/b', '/a/b')).toBe(true);
  expect(isInside('/a/b', '/a/b/c')).toBe(true);
  expect(isInside('/a/b', '/a/bc')).toBe(false);
  expect(isInside('/a/b', '/a')).toBe(false);
  expect(isInside('/a/b', '/a/b/../c')).toBe(false);
});

test('confineToRoot follows symbolic links and refuses what lands outside', () => {
  mkdirSync(join(dir, 'root'));
  writeFileSync(join(dir, 'root/in.csv'), 'a\n');
  writeFileSync(join(dir, 'out.csv'), 'a\n');
  symlinkSync(join(dir, 'out.csv'), join(dir, 'root/link.csv'));
  symlinkSync(join(dir, 'root/in.csv'), join(dir, 'root/inner-link.csv'));
  expect(confineToRoot(join(dir, 'root/in.csv'), join(dir, 'root'), 'test')).toBe(join(dir, 'root/in.csv'));
  expect(confineToRoot(join(dir, 'root/inner-link.csv'), join(dir, 'root'), 'test')).toBe(join(dir, 'root/in.csv'));
  expect(() => confineToRoot(join(dir, 'root/link.csv'), join(dir, 'root'), 'test')).toThrow(DataError);
  expect(() => confineToRoot(join(dir, 'root/../out.csv'), join(dir, 'root'), 'test')).toThrow(/source\.path resolves outside the project root/);
  expect(() => confineToRoot(join(dir, 'missing/../../x.csv'), join(dir, 'root'), 'test')).toThrow(DataError);
});
