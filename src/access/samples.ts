/**
 * Report samples seen through a principal's access decision (`check --as P`):
 * the same decision, row filters and masks as `assay export`, so a report
 * never shows P more than an export for P would contain.
 *
 * - a dataset P may not read shows no sample rows at all;
 * - a column denied to P is left out of each sample;
 * - a masked column shows the masked value;
 * - a failing row that P's row filters exclude is not shown (the counts of
 *   failing rows stay those of the whole dataset: they are aggregates, not
 *   values). The filters run over the sampled rows as captured by the
 *   executor; if they cannot be evaluated, no row is shown (fail closed).
 */
import type { SampledRow } from '../engine/executor.js';
import { columnsOf } from '../expr/ast.js';
import { compiledOf, conditionMask } from '../expr/compile.js';
import type { DatasetSpec } from '../policy/types.js';
import { OMIT, type SampleMasker, type SampleSource, type SampleView } from '../report/samples.js';
import { decideAccess, type AccessDecision } from './decide.js';
import { bindRowFilters } from './filter.js';
import { applyMask } from './masks.js';
import type { AccessModel, Principal } from './model.js';

export function principalSampleMasker(model: AccessModel, principal: Principal, maskKey: string | undefined): SampleMasker {
  const views = new WeakMap<Map<number, SampledRow>, SampleView>();
  return (dataset, data, sampled) => {
    let view = views.get(sampled);
    if (!view) {
      const columns = [...data.columns, ...Object.keys(dataset.columns).filter((c) => !data.columns.includes(c))];
      view = sampleView(decideAccess(model, principal, dataset, columns), data, sampled, maskKey);
      views.set(sampled, view);
    }
    return view;
  };
}

function sampleView(decision: AccessDecision, data: SampleSource, sampled: Map<number, SampledRow>, maskKey: string | undefined): SampleView {
  return {
    showRow: rowVisibility(decision, sampled),
    value(column, value) {
      const verdict = decision.columns[column];
      if (!verdict || verdict.access === 'denied') return OMIT;
      return verdict.mask ? applyMask(verdict.mask, value, data.types[column], maskKey) : value;
    },
  };
}

/** Which sampled rows the principal may see: none when denied, all without filters, else those the filters keep. */
function rowVisibility(decision: AccessDecision, sampled: Map<number, SampledRow>): (index: number) => boolean {
  if (decision.decision === 'deny') return () => false;
  const { ast } = bindRowFilters(decision.rowFilters, decision.principal);
  if (ast === null) return () => true;
  try {
    const indexes = [...sampled.keys()];
    const rows = indexes.map((i) => sampled.get(i)!.values);
    // A filter on a column the data lacks shows nothing, as export refuses it.
    if (rows.some((values) => columnsOf(ast).some((c) => !Object.hasOwn(values, c)))) return () => false;
    const column = (c: string) => rows.map((values) => values[c] ?? null);
    const kept = conditionMask(compiledOf(ast), { column }, indexes.length, 'the row filter');
    const visible = new Set(indexes.filter((_, i) => kept[i] === 1));
    return (index) => visible.has(index);
  } catch {
    return () => false; // fail closed: a filter that cannot run shows nothing
  }
}

/**
 * The rows of a dataset samples are picked among (DatasetStore's
 * `sampleFilter`): P's bound row filters, `false` when P may not read the
 * dataset, null when no filter applies. Picking among these rather than
 * hiding rows after the pick gives P up to `samples` rows P may see.
 */
export function principalSampleFilter(model: AccessModel, principal: Principal): (dataset: DatasetSpec) => string | false | null {
  return (dataset) => {
    const decision = decideAccess(model, principal, dataset);
    if (decision.decision === 'deny') return false;
    return bindRowFilters(decision.rowFilters, decision.principal).expression;
  };
}

/** The datasets whose samples P would see hashed, for the ASSAY_MASK_KEY check before a run. */
export function datasetsHashedFor(model: AccessModel, principal: Principal, datasets: DatasetSpec[]): string[] {
  return datasets
    .filter((d) => Object.values(decideAccess(model, principal, d).columns).some((c) => c.mask?.name === 'hash'))
    .map((d) => d.name);
}
