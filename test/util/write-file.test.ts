/** Every write goes through util/write-file.ts: never through a link, never outside the output folder. */
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appendOutputFile, ensureOutputFolder, openForAppend, OutputLinkError, outputPath, removeOutputFile, writeOutputFile } from '../../src/util/write-file.js';
import { tempDir, type TempDir } from '../helpers/files.js';

let project: TempDir;
let outside: TempDir;
const cwd = process.cwd();

beforeEach(() => {
  project = tempDir('assay-write-');
  mkdirSync(join(project.path, '.git'));
  outside = tempDir('assay-victim-');
  process.chdir(project.path);
});

afterEach(() => {
  process.chdir(cwd);
  project.remove();
  outside.remove();
});

const victim = (): string => outside.write('important.txt', 'keep me\n');

test('a report is written atomically: the content, and no temporary file left beside it', () => {
  expect(writeOutputFile('reports', 'assay-report.json', '{"a":1}\n')).toBe(join('reports', 'assay-report.json'));
  writeOutputFile('reports', 'assay-report.json', '{"a":2}\n');
  expect(readFileSync('reports/assay-report.json', 'utf8')).toBe('{"a":2}\n');
  expect(readdirSync('reports')).toEqual(['assay-report.json']);
});

test('a committed link at the report path is refused, and the file it points to is untouched', () => {
  const target = victim();
  mkdirSync('reports');
  symlinkSync(target, 'reports/assay-report.json');
  expect(() => writeOutputFile('reports', 'assay-report.json', 'planted')).toThrow(OutputLinkError);
  expect(() => writeOutputFile('reports', 'assay-report.json', 'planted')).toThrow(/^reports\/assay-report\.json: is a symbolic link; assay never writes through a link/);
  expect(readFileSync(target, 'utf8')).toBe('keep me\n');
  expect(lstatSync('reports/assay-report.json').isSymbolicLink()).toBe(true);
});

test('a dangling link (to a file that does not exist yet) is refused too: nothing is created where it points', () => {
  const target = join(outside.path, 'new.txt');
  mkdirSync('reports');
  symlinkSync(target, 'reports/summary.md');
  expect(() => writeOutputFile('reports', 'summary.md', 'x')).toThrow(OutputLinkError);
  expect(existsSync(target)).toBe(false);
});

test('a linked folder between the work tree and the file is refused, whichever level it is at', () => {
  symlinkSync(outside.path, 'reports');
  expect(() => writeOutputFile('reports', 'assay-report.json', 'x')).toThrow(/^reports: is a symbolic link/);
  mkdirSync('out');
  symlinkSync(outside.path, 'out/nested');
  expect(() => writeOutputFile('out/nested/deeper', 'assay-report.json', 'x')).toThrow(/^out\/nested: is a symbolic link/);
  expect(readdirSync(outside.path)).toEqual([]);
});

test('a folder or FIFO at the target is refused as not a regular file', () => {
  mkdirSync('reports/assay-report.json', { recursive: true });
  expect(() => writeOutputFile('reports', 'assay-report.json', 'x')).toThrow(/^reports\/assay-report\.json: is a directory, not a regular file; assay cannot write there$/);
  execFileSync('mkfifo', ['reports/audit.jsonl']);
  expect(() => appendOutputFile('reports/audit.jsonl', 'x')).toThrow(/^reports\/audit\.jsonl: is a FIFO, not a regular file/);
});

test('a file name cannot leave the output folder', () => {
  for (const name of ['../escape.json', 'a/b.json', '..', '.', '']) expect(() => outputPath('reports', name)).toThrow(/not a file name inside the output folder/);
  expect(outputPath('reports', 'ok.json')).toBe(join(project.path, 'reports', 'ok.json'));
});

test('appending never goes through a link: the audit log case', () => {
  const target = victim();
  mkdirSync('reports');
  symlinkSync(target, 'reports/audit.jsonl');
  expect(() => openForAppend('reports/audit.jsonl', { read: true })).toThrow(/^reports\/audit\.jsonl: is a symbolic link/);
  expect(() => appendOutputFile('reports/audit.jsonl', 'x\n')).toThrow(OutputLinkError);
  expect(readFileSync(target, 'utf8')).toBe('keep me\n');
});

test('appending to a plain file works; a missing folder is created only when asked', () => {
  const { fd, created } = openForAppend('logs/audit.jsonl', { read: true });
  closeSync(fd);
  expect(created).toBe(true);
  appendOutputFile('logs/audit.jsonl', 'one\n');
  appendOutputFile('logs/audit.jsonl', 'two\n');
  expect(readFileSync('logs/audit.jsonl', 'utf8')).toBe('one\ntwo\n');
  expect(() => appendOutputFile('missing/summary.md', 'x')).toThrow(/no such folder: missing/);
});

test('folders outside the work tree are used as the runner named them, but a link at the file is still refused', () => {
  const linked = join(project.path, '..', `${project.path.split('/').pop()}-link`);
  symlinkSync(outside.path, linked);
  try {
    expect(writeOutputFile(linked, 'report.json', 'ok')).toBe(join(linked, 'report.json'));
    expect(readFileSync(join(outside.path, 'report.json'), 'utf8')).toBe('ok');
    symlinkSync(victim(), join(outside.path, 'linked.json'));
    expect(() => writeOutputFile(linked, 'linked.json', 'x')).toThrow(OutputLinkError);
  } finally {
    unlinkSync(linked);
  }
});

test('removing a stale report removes the file; a link is refused, not followed', () => {
  writeOutputFile('reports', 'junit.xml', '<x/>');
  expect(removeOutputFile('reports', 'junit.xml')).toBe(true);
  expect(removeOutputFile('reports', 'junit.xml')).toBe(false);
  expect(removeOutputFile('no-such-folder', 'junit.xml')).toBe(false);
  expect(existsSync('no-such-folder')).toBe(false);
  const target = victim();
  symlinkSync(target, 'reports/report.html');
  expect(() => removeOutputFile('reports', 'report.html')).toThrow(OutputLinkError);
  expect(readFileSync(target, 'utf8')).toBe('keep me\n');
});

test('ensureOutputFolder makes missing folders one level at a time', () => {
  expect(ensureOutputFolder('a/b/c')).toBe(join(project.path, 'a', 'b', 'c'));
  expect(lstatSync('a/b/c').isDirectory()).toBe(true);
  writeFileSync('a/file', 'x');
  expect(() => ensureOutputFolder('a/file/sub')).toThrow(/^a\/file: is a file, not a folder; assay cannot write there$/);
});
