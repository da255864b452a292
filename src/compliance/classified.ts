/**
 * Classified columns that no access policy covers: a column with a
 * `classification` is covered when a `mask` or `deny` policy selects it
 * (by dataset name/tag or "*", and by column name or classification, where
 * `pii` matches `pii` and `pii.*`).
 */
import type { ColumnSpec, DatasetSpec, PolicySet } from '../policy/types.js';

interface Selectors {
  effect?: string;
  datasets?: '*' | { names?: string[]; tags?: string[] };
  columns?: { names?: string[]; classification?: string | string[] };
}

/** `<dataset>.<column>` of every classified column no mask or deny policy selects. */
export function uncoveredClassifiedColumns(policy: PolicySet): string[] {
  const guards = policy.access.flatMap((doc) => (doc.policies ?? []) as Selectors[]).filter((p) => p.effect === 'mask' || p.effect === 'deny');
  const out: string[] = [];
  for (const dataset of policy.datasets) {
    for (const [column, spec] of Object.entries(dataset.columns)) {
      if ((spec.classification ?? []).length === 0) continue;
      if (!guards.some((p) => selectsDataset(p, dataset) && selectsColumn(p, column, spec))) out.push(`${dataset.name}.${column}`);
    }
  }
  return out;
}

function selectsDataset(p: Selectors, dataset: DatasetSpec): boolean {
  if (p.datasets === undefined || p.datasets === '*') return true;
  return (p.datasets.names ?? []).includes(dataset.name) || (p.datasets.tags ?? []).some((t) => dataset.tags.includes(t));
}

function selectsColumn(p: Selectors, column: string, spec: ColumnSpec): boolean {
  if (p.columns === undefined) return true;
  if ((p.columns.names ?? []).includes(column)) return true;
  const wanted = typeof p.columns.classification === 'string' ? [p.columns.classification] : p.columns.classification ?? [];
  return wanted.some((w) => (spec.classification ?? []).some((c) => c === w || c.startsWith(`${w}.`)));
}
