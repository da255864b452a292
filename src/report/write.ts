/**
 * Report files are written atomically (temp file + rename, by
 * write-file-atomic), so a crash never leaves a half-written report.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';

export function writeReportFile(dir: string, name: string, content: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileAtomic.sync(path, content);
  return path;
}

/**
 * Appends to a file someone else owns, such as GitHub's job summary
 * (GITHUB_STEP_SUMMARY): one write call, so concurrent steps do not interleave.
 */
export function appendReportFile(path: string, content: string): void {
  appendFileSync(path, content.endsWith('\n') ? content : `${content}\n`);
}
