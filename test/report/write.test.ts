/** The report set (report/write.ts): this run's files only, and never someone else's file removed. */
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { reportFormat, REPORT_FORMATS } from '../../src/report/formats/index.js';
import { REPORT_FILES, REPORT_SIGNATURES, removeReportSet, writeReportSet } from '../../src/report/write.js';
import { tempDir, type TempDir } from '../helpers/files.js';
import { examplesReport, hostileReport } from './reports.js';

let project: TempDir;
const cwd = process.cwd();
beforeEach(() => {
  project = tempDir('assay-report-set-');
  mkdirSync(join(project.path, '.git'));
});
afterEach(() => {
  process.chdir(cwd);
  project.remove();
});

test('every format with a file has a signature, and what it renders matches it', async () => {
  expect(Object.keys(REPORT_SIGNATURES).sort()).toEqual([...REPORT_FILES].sort());
  for (const report of [await examplesReport(), hostileReport()]) {
    for (const format of REPORT_FORMATS) {
      if (format.file) expect(format.render(report).slice(0, 4096)).toMatch(REPORT_SIGNATURES[format.file]);
    }
  }
});

test('writing a set removes the earlier set\'s other files; files that are not assay reports stay', async () => {
  const report = await examplesReport();
  const render = (name: string) => ({ name: reportFormat(name)!.file!, content: reportFormat(name)!.render(report) });
  process.chdir(project.path);
  writeReportSet('out', [render('json'), render('markdown'), render('html')]);
  writeFileSync('out/junit.xml', '<?xml version="1.0"?>\n<testsuites name="someone-else"/>\n');
  writeReportSet('out', [render('json'), render('junit')]);
  expect(readdirSync('out').sort()).toEqual(['assay-report.json', 'junit.xml']);
  expect(readFileSync('out/junit.xml', 'utf8')).toContain('<testsuites name="assay"');

  // A folder shared with other files (`--out .`): a user's own summary.md is not assay's to remove.
  writeFileSync('summary.md', '# my notes\n');
  writeFileSync('report.html', '<!doctype html><title>mine</title>');
  removeReportSet('.');
  expect(existsSync('summary.md')).toBe(true);
  expect(existsSync('report.html')).toBe(true);
  removeReportSet('out');
  expect(readdirSync('out')).toEqual([]);
});
