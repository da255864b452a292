/**
 * The registry of report formats. Each is a pure function of the JSON report
 * model; colour is decided by the CLI and passed in.
 */
import type { RunReport } from '../model.js';
import { consoleFormat } from './console.js';
import { html } from './html.js';
import { json } from './json.js';
import { junit } from './junit.js';
import { markdown } from './markdown.js';

export interface RenderOptions {
  color?: boolean;
}

export interface ReportFormat {
  name: string;
  /** File written under --out; formats without one print to stdout (console). */
  file?: string;
  render(report: RunReport, options?: RenderOptions): string;
}

export const REPORT_FORMATS: readonly ReportFormat[] = [consoleFormat, json, junit, markdown, html];

export const FORMAT_NAMES = REPORT_FORMATS.map((f) => f.name);

export function reportFormat(name: string): ReportFormat | undefined {
  return REPORT_FORMATS.find((f) => f.name === name);
}
