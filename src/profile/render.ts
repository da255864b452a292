/**
 * Renderers of a profile: pure functions of the ProfileReport (the JSON
 * contract). Console text for people at a terminal (every name and value
 * from the data through oneLine: a line break or an escape sequence in a
 * column name or a cell cannot forge a line or repaint the terminal); JSON
 * for machines. The HTML page is in html.ts.
 */
import { Chalk } from 'chalk';
import type { ColumnProfile } from './summary.js';
import type { ProfileReport } from './profile.js';
import type { PiiCandidate } from './detectors.js';
import { oneLine } from '../util/one-line.js';

export function renderProfileJson(report: ProfileReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export const percent = (share: number): string => {
  const p = share * 100;
  if (p === 0 || p === 100) return `${p}%`;
  if (p < 0.1) return '<0.1%';
  if (p > 99.9) return '>99.9%';
  return `${p.toFixed(1)}%`;
};

export function number(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '–';
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return x.toLocaleString('en-US');
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e15)) return x.toExponential(3);
  return Number(x.toPrecision(6)).toLocaleString('en-US', { maximumFractionDigits: 6 });
}

export function typeText(c: ColumnProfile): string {
  if (c.type === null) return 'no values';
  return `${c.type} (${percent(c.type_share)} fit)`;
}

export function distinctText(c: ColumnProfile): string {
  return c.distinct.exact ? `${number(c.distinct.count)}` : `≈${number(c.distinct.count)} (HyperLogLog)`;
}

export function piiText(p: PiiCandidate): string {
  return `${p.detector} → ${p.classification}: ${percent(p.share)} of non-null values match${p.hint ? `; name hint "${p.hint}"` : ''}; confidence ${p.confidence}`;
}

export function quantileText(c: ColumnProfile): string | null {
  if (!c.numeric) return null;
  const q = c.numeric.quantiles;
  return `p1 ${number(q.p1)} · p5 ${number(q.p5)} · p50 ${number(q.p50)} · p95 ${number(q.p95)} · p99 ${number(q.p99)}${c.numeric.quantiles_exact ? '' : ' (DDSketch, ±1%)'}`;
}

export function renderProfileConsole(report: ProfileReport, color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  const lines: string[] = [];
  lines.push(
    c.bold(`${oneLine(report.dataset)}: ${number(report.rows)} rows, ${report.columns.length} columns`) + c.dim(` (${oneLine(report.format)}: ${oneLine(report.files.join(', '))})`),
  );
  const pii = report.columns.filter((col) => col.pii.length > 0);
  lines.push(
    pii.length > 0
      ? c.yellow(`PII candidates: ${pii.map((col) => `${oneLine(col.name)} (${col.pii.map((p) => p.detector).join(', ')})`).join(', ')} — their values are shown masked`)
      : 'PII candidates: none found',
  );
  for (const col of report.columns) {
    lines.push('');
    lines.push(`${c.bold(oneLine(col.name))}  ${typeText(col)}  nulls ${percent(col.null_percent / 100)}  distinct ${distinctText(col)}`);
    if (col.numeric) {
      const n = col.numeric;
      lines.push(`  min ${number(n.min)} · max ${number(n.max)} · mean ${number(n.mean)} · stddev ${number(n.stddev)}`);
      lines.push(`  ${quantileText(col)}`);
    }
    if (col.temporal) lines.push(`  from ${col.temporal.min} to ${col.temporal.max}`);
    if (col.length) lines.push(`  length ${col.length.min === col.length.max ? col.length.min : `${col.length.min}–${col.length.max}`}`);
    if (col.top_values.length > 0) {
      const approx = col.top_values_max_error > 0 ? ` (counts may be low by ${number(col.top_values_max_error)})` : '';
      lines.push(`  top${col.masked ? ' (masked)' : ''}: ${col.top_values.map((v) => `${oneLine(JSON.stringify(v.value))} ×${number(v.count)}`).join(', ')}${approx}`);
    }
    const nonNull = col.rows - col.nulls;
    if (col.shapes.length > 0)
      lines.push(
        `  shapes: ${col.shapes.map((s) => `${oneLine(s.shape)} ${percent(s.count / nonNull)}`).join(', ')}${col.distinct_shapes > col.shapes.length ? `, … (${number(col.distinct_shapes)} shapes)` : ''}`,
      );
    if (col.formats.length > 0) lines.push(`  formats: ${col.formats.map((f) => `${f.format} ${percent(f.share)}`).join(', ')}`);
    for (const p of col.pii) lines.push(c.yellow(`  PII candidate: ${oneLine(piiText(p))}`));
  }
  lines.push('');
  lines.push(c.dim(`distinct counts: ${report.sketches.distinct}`));
  lines.push(c.dim(`quantiles: ${report.sketches.quantiles}`));
  return `${lines.join('\n')}\n`;
}
