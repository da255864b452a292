/**
 * The two charts of the HTML report, as inline SVG generated here: check
 * outcomes per dataset (stacked bars) and missing / failing percentages per
 * column (paired bars). Both are plain horizontal bar charts whose geometry is
 * a width proportional to a number, so ~130 lines of tested code beat
 * inlining a charting library: no script in the report (it works with
 * JavaScript off, under a `script-src 'none'` policy, and when printed), a
 * few kilobytes instead of a few hundred, and nothing to keep up to date.
 *
 * Every label goes through escapeXml; every bar has a <title> (a tooltip
 * and its accessible text).
 */
import type { Status } from '../../evaluate.js';
import type { ColumnReport, DatasetReport } from '../model.js';
import { escapeXml as esc } from './escape.js';
import { countByStatus } from './present.js';

export const STATUS_COLORS: Record<Status, string> = { pass: '#2e7d32', warn: '#e0a000', fail: '#c62828', error: '#6a1b9a' };
export const MISSING_COLOR = '#607d8b';
export const FAILING_COLOR = '#c62828';

const ROW = 26;
const BAR = 16;
const CHART_WIDTH = 640;
const LABEL_CHARS = 26;
const CHAR_PX = 7.2;

/** One bar segment: where it starts and how wide it is, in chart pixels. */
export interface Segment {
  x: number;
  width: number;
}

/** Lays values end to end, scaled so that `total` spans `width` pixels. */
export function stackSegments(values: readonly number[], total: number, width: number): Segment[] {
  let x = 0;
  return values.map((value) => {
    const w = total > 0 ? (value / total) * width : 0;
    const segment = { x, width: w };
    x += w;
    return segment;
  });
}

/** The axis maximum for percentages: the smallest of 1, 2, 5, 10, 20, 50, 100 that holds `max`. */
export function percentAxisMax(max: number): number {
  return [1, 2, 5, 10, 20, 50, 100].find((step) => max <= step) ?? 100;
}

function label(text: string): string {
  return text.length > LABEL_CHARS ? `${text.slice(0, LABEL_CHARS - 1)}…` : text;
}

function labelWidth(labels: readonly string[]): number {
  return Math.ceil(Math.min(LABEL_CHARS, Math.max(4, ...labels.map((l) => l.length))) * CHAR_PX) + 12;
}

const px = (n: number) => String(Math.round(n * 10) / 10);

function svgOpen(title: string, width: number, height: number): string {
  return `<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><title>${esc(title)}</title>`;
}

function legend(items: [string, string][], y: number, x0: number): string {
  let x = x0;
  return items
    .map(([text, color]) => {
      const item = `<rect x="${px(x)}" y="${y - 10}" width="12" height="12" fill="${color}"/><text x="${px(x + 16)}" y="${y}">${esc(text)}</text>`;
      x += 24 + text.length * CHAR_PX;
      return item;
    })
    .join('');
}

/** Pass / warn / fail / error checks per dataset, one stacked bar each, scaled to the largest dataset. */
export function outcomesChart(datasets: readonly DatasetReport[]): string {
  const statuses: Status[] = ['pass', 'warn', 'fail', 'error'];
  const left = labelWidth(datasets.map((d) => d.name));
  const plot = CHART_WIDTH - left - 60;
  const most = Math.max(1, ...datasets.map((d) => d.checks.length));
  const height = datasets.length * ROW + 34;
  const rows = datasets.map((dataset, i) => {
    const counts = countByStatus(dataset);
    const y = i * ROW + 4;
    const segments = stackSegments(statuses.map((s) => counts[s]), most, plot);
    const bars = statuses
      .map((status, j) => (counts[status] === 0 ? '' : `<rect class="bar" x="${px(left + segments[j].x)}" y="${y}" width="${px(segments[j].width)}" height="${BAR}" fill="${STATUS_COLORS[status]}"><title>${esc(`${dataset.name}: ${counts[status]} ${status}`)}</title></rect>`))
      .join('');
    const end = left + segments.reduce((sum, s) => sum + s.width, 0);
    return `<text x="${left - 8}" y="${y + 12}" text-anchor="end">${esc(label(dataset.name))}</text>${bars}<text x="${px(end + 6)}" y="${y + 12}">${dataset.checks.length}</text>`;
  });
  const legendY = datasets.length * ROW + 24;
  return `${svgOpen('Check outcomes per dataset', CHART_WIDTH, height)}${rows.join('')}${legend(statuses.map((s) => [s, STATUS_COLORS[s]]), legendY, left)}</svg>`;
}

/** Per column, the percentage of rows that are missing and that fail a row check on it. */
export function columnsChart(dataset: string, columns: Record<string, ColumnReport>): string {
  const names = Object.keys(columns);
  const left = labelWidth(names);
  const plot = CHART_WIDTH - left - 70;
  const axisMax = percentAxisMax(Math.max(0, ...names.flatMap((n) => [columns[n].missing_percent, columns[n].failed_percent])));
  const pair = BAR + 6;
  const rowHeight = pair + 12;
  const top = 18;
  const height = top + names.length * rowHeight + 30;
  const bar = (value: number, y: number, color: string, title: string) => {
    const width = (Math.min(value, axisMax) / axisMax) * plot;
    return `<rect class="bar" x="${left}" y="${y}" width="${px(width)}" height="${BAR / 2 + 2}" fill="${color}"><title>${esc(title)}</title></rect><text class="value" x="${px(left + width + 4)}" y="${y + 9}">${value}%</text>`;
  };
  const ticks = [0, axisMax / 2, axisMax]
    .map((t) => `<line class="grid" x1="${px(left + (t / axisMax) * plot)}" x2="${px(left + (t / axisMax) * plot)}" y1="${top - 4}" y2="${height - 24}"/><text class="tick" x="${px(left + (t / axisMax) * plot)}" y="${top - 6}" text-anchor="middle">${t}%</text>`)
    .join('');
  const rows = names.map((name, i) => {
    const c = columns[name];
    const y = top + i * rowHeight;
    return (
      `<text x="${left - 8}" y="${y + 14}" text-anchor="end">${esc(label(name))}<title>${esc(name)}</title></text>` +
      bar(c.missing_percent, y, MISSING_COLOR, `${name}: ${c.missing} missing (${c.missing_percent}%)`) +
      bar(c.failed_percent, y + BAR / 2 + 3, FAILING_COLOR, `${name}: ${c.failed_rows} failing rows (${c.failed_percent}%)`)
    );
  });
  const legendItems: [string, string][] = [
    ['missing %', MISSING_COLOR],
    ['failing rows %', FAILING_COLOR],
  ];
  return `${svgOpen(`Missing and failing rows per column of ${dataset}`, CHART_WIDTH, height)}${ticks}${rows.join('')}${legend(legendItems, height - 6, left)}</svg>`;
}
