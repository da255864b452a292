/**
 * The report files of a check run are one set: the JSON report always, plus
 * the file of each other format asked for. After a run the output folder
 * holds this run's set and no file of an earlier run's set: a format not
 * asked for this time is removed, and a run that ends before its reports
 * are written (exit 2, a failed render) removes the whole set. Every file
 * goes through util/write-file.ts (atomic, never through a link).
 */
import { REPORT_FORMATS } from './formats/index.js';
import { appendOutputFile, removeOutputFile, writeOutputFile } from '../util/write-file.js';

/** The file names of the report set (`assay-report.json`, `junit.xml`, …). */
export const REPORT_FILES: readonly string[] = REPORT_FORMATS.flatMap((f) => (f.file ? [f.file] : []));

/**
 * How each report file begins (within its first 4 KiB). `--out` may be a
 * folder holding other files (`--out .` next to a user's own summary.md):
 * only a file that is an assay report is removed as stale. A test renders
 * every format and checks it against its signature.
 */
export const REPORT_SIGNATURES: Readonly<Record<string, RegExp>> = {
  'assay-report.json': /^\{\s*"assay_version":/,
  'junit.xml': /^<\?xml[^>]*\?>\s*<testsuites name="assay"/,
  'summary.md': /^## \S+ assay: [A-Z]+\n/u,
  'report.html': /^<!doctype html>[\s\S]*<title>assay report: [A-Z]+<\/title>/,
};

const isReport = (name: string) => (head: string) => REPORT_SIGNATURES[name]?.test(head) ?? false;

/**
 * Write this run's report files (already rendered) and remove the set's
 * other files. Stale files go first, so an interrupted write never leaves
 * an earlier run's file beside this run's. Returns the paths written.
 */
export function writeReportSet(dir: string, files: { name: string; content: string }[]): string[] {
  for (const name of REPORT_FILES) if (!files.some((f) => f.name === name)) removeOutputFile(dir, name, isReport(name));
  return files.map((f) => writeOutputFile(dir, f.name, f.content));
}

/** Remove every file of the report set: the run that ends here wrote none. */
export function removeReportSet(dir: string): void {
  for (const name of REPORT_FILES) removeOutputFile(dir, name, isReport(name));
}

/** One report file (e.g. the compliance report) written atomically. */
export function writeReportFile(dir: string, name: string, content: string): string {
  return writeOutputFile(dir, name, content);
}

/**
 * Appends to a file someone else owns, such as GitHub's job summary
 * (GITHUB_STEP_SUMMARY): one write call, so concurrent steps do not interleave.
 */
export function appendReportFile(path: string, content: string): void {
  appendOutputFile(path, content.endsWith('\n') ? content : `${content}\n`);
}
