/**
 * Access decisions as people and programs read them: the JSON object of SPEC
 * §2 (`access explain --json`, `access check --json`), plus `reason` fields,
 * and a plain-text explanation that says why for every column.
 */
import type { AccessDecision, ColumnDecision, Reason } from './decide.js';
import { bindRowFilters } from './filter.js';

export interface ColumnJson {
  access: ColumnDecision['access'];
  mask: string | null;
  keep_last?: number;
  reason: Reason;
  policies: string[];
}

export interface DecisionJson {
  principal: string;
  dataset: string;
  decision: 'allow' | 'deny';
  reason: Reason;
  columns: Record<string, ColumnJson>;
  /** The row filters, ANDed, with the principal's attributes bound; null when every row is visible. */
  row_filter: string | null;
  policies: string[];
}

/** `only`: the columns to include (access check --columns); default all. */
export function decisionJson(decision: AccessDecision, only?: string[], verdict?: { decision: 'allow' | 'deny'; reason: Reason }): DecisionJson {
  const names = only ?? Object.keys(decision.columns);
  const columns = Object.fromEntries(
    names.map((name) => {
      const c = decision.columns[name];
      const json: ColumnJson = { access: c.access, mask: c.mask?.name ?? null, reason: c.reason, policies: c.policies };
      if (c.mask?.name === 'partial') json.keep_last = c.mask.keepLast;
      return [name, json];
    }),
  );
  return {
    principal: decision.principal.name,
    dataset: decision.dataset,
    decision: verdict?.decision ?? decision.decision,
    reason: verdict?.reason ?? decision.reason,
    columns,
    row_filter: decision.decision === 'allow' ? bindRowFilters(decision.rowFilters, decision.principal).expression : null,
    policies: decision.policies,
  };
}

const REASON_TEXT: Record<Reason, string> = {
  allowed: 'allowed',
  explicit_deny: 'denied by',
  no_allow: 'no allow policy grants it',
};

/** The human explanation printed by `access explain`. */
export function renderExplain(decision: AccessDecision): string {
  const p = decision.principal;
  const attributes = Object.entries(p.attributes).map(([k, v]) => `${k}=${String(v)}`).join(', ');
  const lines = [
    `${p.name} (roles: ${p.roles.join(', ') || 'none'}${attributes ? `; attributes: ${attributes}` : ''}) on dataset ${decision.dataset}: ${decision.decision.toUpperCase()}`,
  ];
  if (decision.decision === 'deny') {
    lines.push(decision.reason === 'explicit_deny' ? `  denied by ${decision.policies.join(', ')} (explicit_deny)` : '  no allow policy grants this dataset to any of the principal\'s roles (no_allow; default: deny)');
    return `${lines.join('\n')}\n`;
  }
  const width = Math.max(6, ...Object.keys(decision.columns).map((c) => c.length));
  lines.push('columns:');
  for (const [name, c] of Object.entries(decision.columns)) lines.push(`  ${name.padEnd(width)}  ${columnLine(c)}`);
  const bound = bindRowFilters(decision.rowFilters, p);
  if (bound.expression === null) {
    lines.push('rows: all (no row filter applies)');
  } else {
    lines.push(`rows: only where ${bound.expression}`);
    for (const f of decision.rowFilters) lines.push(`  ${f.policy}: ${f.expression}`);
    if (bound.missing.length > 0) lines.push(`  the principal has no attribute ${bound.missing.map((m) => `"${m}"`).join(', ')}: those filters match no row (fail closed)`);
  }
  lines.push(`policies: ${decision.policies.join(', ') || 'none'}`);
  return `${lines.join('\n')}\n`;
}

function columnLine(c: ColumnDecision): string {
  const by = c.policies.length > 0 ? ` ${c.policies.join(', ')}` : '';
  switch (c.access) {
    case 'clear':
      return `clear   allowed by${by}`;
    case 'masked': {
      const mask = c.mask!.name === 'partial' ? `partial (keep_last: ${c.mask!.keepLast})` : c.mask!.name;
      const over = c.overridden.length > 0 ? `; overrides ${c.overridden.join(', ')}` : '';
      return `masked  ${mask} by${by}${over}`;
    }
    case 'denied':
      return c.reason === 'explicit_deny' ? `denied  ${REASON_TEXT.explicit_deny}${by} (explicit_deny)` : `denied  ${REASON_TEXT.no_allow} (no_allow)`;
  }
}
