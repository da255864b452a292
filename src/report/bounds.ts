/**
 * What one report may hold. A run of thousands of checks, each keeping
 * hundreds of samples, would build a report longer than a JavaScript string
 * can be (about 512 MiB), and no report at all would be written. So the
 * report keeps samples up to a budget, in check order, and shortens long
 * texts; it says what it left out (`truncated` on the run, `samples_omitted`
 * on a check), and every format shows that note. Counts, statuses and the
 * exit code never depend on what was left out.
 */
import type { CheckReport, DatasetReport, RunReport } from './model.js';

export interface ReportLimits {
  /** Characters of sample rows (as JSON) kept in the whole report. */
  sampleChars: number;
  /** Characters of one message, dataset error or observed value (as JSON). */
  textChars: number;
}

export const REPORT_LIMITS: ReportLimits = { sampleChars: 8 * 1024 * 1024, textChars: 4096 };

/** The note on a report that left something out. */
export interface ReportTruncation {
  /** Sample rows left out, over all checks. */
  samples_omitted: number;
  /** Messages, errors and observed values shortened. */
  texts_shortened: number;
  limits: { sample_chars: number; text_chars: number };
}

/** Apply the limits to the datasets of a report (in place); the note when anything was left out. */
export function boundDatasets(datasets: DatasetReport[], limits: ReportLimits = REPORT_LIMITS): ReportTruncation | undefined {
  let sampleBudget = limits.sampleChars;
  let samplesOmitted = 0;
  let textsShortened = 0;
  const text = (value: string): string => {
    if (value.length <= limits.textChars) return value;
    textsShortened++;
    return shorten(value, limits.textChars);
  };
  for (const dataset of datasets) {
    if (dataset.error !== undefined) dataset.error = text(dataset.error);
    for (const check of dataset.checks) {
      check.message = text(check.message);
      check.observed = boundObserved(check, limits.textChars, () => textsShortened++);
      let kept = 0;
      for (const sample of check.samples) {
        const size = JSON.stringify(sample).length;
        if (size > sampleBudget) break;
        sampleBudget -= size;
        kept++;
      }
      if (kept < check.samples.length) {
        check.samples_omitted = check.samples.length - kept;
        samplesOmitted += check.samples_omitted;
        check.samples = check.samples.slice(0, kept);
        sampleBudget = 0; // later checks keep none either: samples stay in check order
      }
    }
  }
  if (samplesOmitted === 0 && textsShortened === 0) return undefined;
  return { samples_omitted: samplesOmitted, texts_shortened: textsShortened, limits: { sample_chars: limits.sampleChars, text_chars: limits.textChars } };
}

/** A long observed value (an aggregate's array, say) as the start of its JSON text and its length. */
function boundObserved(check: CheckReport, max: number, shortened: () => void): unknown {
  const value = check.observed;
  if (value === null || value === undefined || typeof value === 'number' || typeof value === 'boolean') return value;
  const json = typeof value === 'string' ? value : JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  if (json === undefined || json.length <= max) return value;
  shortened();
  return shorten(json, max);
}

function shorten(text: string, max: number): string {
  return `${text.slice(0, max)}… (${text.length} characters)`;
}

/** One line for readers of any format, or undefined when nothing was left out. */
export function truncationText(report: RunReport): string | undefined {
  const t = report.truncated;
  if (!t) return undefined;
  const parts = [
    ...(t.samples_omitted > 0 ? [`${t.samples_omitted} sample row${t.samples_omitted === 1 ? '' : 's'} left out`] : []),
    ...(t.texts_shortened > 0 ? [`${t.texts_shortened} long text${t.texts_shortened === 1 ? '' : 's'} shortened`] : []),
  ];
  return `report truncated: ${parts.join(', ')} to keep the report within its limits (${t.limits.sample_chars} characters of samples, ${t.limits.text_chars} per text); counts and outcomes are complete`;
}
