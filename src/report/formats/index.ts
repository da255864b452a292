/**
 * The registry of report formats. Each is a pure function of the JSON report
 * model; colour is decided by the CLI and passed in.
 */
import type { PolicySet } from '../../policy/types.js';
import type { RunReport } from '../model.js';
import { consoleFormat } from './console.js';
import { github } from './github.js';
import { html } from './html.js';
import { json } from './json.js';
import { junit } from './junit.js';
import { markdown } from './markdown.js';

export interface RenderOptions {
  color?: boolean;
  /** The policies the run checked: formats that point at policy lines (github) find them here. */
  policy?: PolicySet;
}

export interface ReportFormat {
  name: string;
  /** File written under --out; formats without one print to stdout (console). */
  file?: string;
  render(report: RunReport, options?: RenderOptions): string;
}

export const REPORT_FORMATS: readonly ReportFormat[] = [consoleFormat, github, json, junit, markdown, html];

export const FORMAT_NAMES = REPORT_FORMATS.map((f) => f.name);

export function reportFormat(name: string): ReportFormat | undefined {
  return REPORT_FORMATS.find((f) => f.name === name);
}

/** Render a run report in one of the formats (`FORMAT_NAMES`). */
export function renderReport(report: RunReport, format: string, options: RenderOptions = {}): string {
  const found = reportFormat(format);
  if (!found) throw new RangeError(`unknown report format "${format}"; use one of ${FORMAT_NAMES.join(', ')}`);
  return found.render(report, options);
}
