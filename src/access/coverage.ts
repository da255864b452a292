/**
 * Governance coverage of classified columns, one definition for `assay
 * validate` (a warning per finding) and the compliance report (a gap): a role
 * that reads a classified column in clear must have been exempted on purpose,
 * by being listed in `except_roles` of a mask or deny policy that selects the
 * column. Default deny covers what no role may read.
 */
import type { DatasetSpec } from '../policy/types.js';
import { decideAccess, selectsColumn, selectsDataset } from './decide.js';
import type { AccessModel } from './model.js';

export interface ExposedColumn {
  dataset: DatasetSpec;
  column: string;
  classification: string[];
  /** The role that reads it in clear without an exemption. */
  role: string;
}

export function exposedClassifiedColumns(model: AccessModel, datasets: DatasetSpec[]): ExposedColumn[] {
  const out: ExposedColumn[] = [];
  const guards = model.policies.filter((p) => p.effect === 'mask' || p.effect === 'deny');
  for (const dataset of datasets) {
    for (const role of model.roles) {
      const decision = decideAccess(model, { name: `role ${role}`, roles: [role], attributes: {} }, dataset);
      for (const [column, verdict] of Object.entries(decision.columns)) {
        const spec = dataset.columns[column];
        const classification = spec?.classification ?? [];
        if (verdict.access !== 'clear' || classification.length === 0) continue;
        const exempted = guards.some((p) => p.exceptRoles.includes(role) && selectsDataset(p, dataset) && selectsColumn(p, column, spec));
        if (!exempted) out.push({ dataset, column, classification, role });
      }
    }
  }
  return out;
}
