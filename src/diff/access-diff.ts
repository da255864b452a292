/**
 * The access half of `assay diff`: who can now see what they could not
 * before, computed by asking the access decision function (access/decide.ts)
 * the same questions of both versions, never by reading the policies' text.
 *
 * The subjects asked about:
 * - every principal declared in either version (one not declared before is
 *   compared with a principal without roles: before, it could be given no
 *   role of its own);
 * - every role declared in either version, as a principal holding only that
 *   role and no attributes;
 * - "any principal": one holding no role, which only `roles: ["*"]` policies reach.
 * Principals holding several undeclared combinations of roles are not
 * enumerated; each of their roles is (docs/diff.md).
 *
 * For each subject and each dataset in both versions, a column is widened
 * when its outcome is less strict (denied < null < redact < hash < partial <
 * year_only < clear); rows are widened when a row filter that applied before
 * (with the principal's attributes bound) no longer applies.
 */
import { decideAccess, maskRank, type AccessDecision, type ColumnDecision } from '../access/decide.js';
import { bindRowFilters } from '../access/filter.js';
import { buildAccessModel, MASK_NAMES, type AccessModel, type Principal } from '../access/model.js';
import type { PolicySet } from '../policy/types.js';
import type { Change } from './model.js';

interface Subject {
  label: string;
  /** Declared principals have attributes to bind into row filters; a role stands for any holder, so its filters stay as written. */
  bind: boolean;
  before: Principal;
  after: Principal;
}

export function diffAccess(before: PolicySet, after: PolicySet): Change[] {
  const oldModel = buildAccessModel(before);
  const newModel = buildAccessModel(after);
  const oldDatasets = new Map(before.datasets.map((d) => [d.name, d]));
  const changes: Change[] = [...declarationChanges(oldModel, newModel)];
  for (const subject of subjects(oldModel, newModel)) {
    for (const next of after.datasets) {
      const old = oldDatasets.get(next.name);
      if (!old) continue; // a new dataset is listed as added; no one could see it before
      changes.push(...compareDecisions(subject.label, subject.bind, decideAccess(oldModel, subject.before, old), decideAccess(newModel, subject.after, next)));
    }
  }
  return changes;
}

/**
 * The access documents' own edits (roles, principals, policies added,
 * removed or rewritten), listed as `other` so that every change is shown;
 * what they do to anyone's access is what the decisions above classify.
 */
function declarationChanges(oldModel: AccessModel, newModel: AccessModel): Change[] {
  const out: Change[] = [];
  const listed = (what: string, before: string[], after: string[]) => {
    for (const name of before.filter((n) => !after.includes(n)))
      out.push({ class: 'other', kind: `${what}-removed`, message: `access ${what} "${name}" removed` });
    for (const name of after.filter((n) => !before.includes(n))) out.push({ class: 'other', kind: `${what}-added`, message: `access ${what} "${name}" added` });
  };
  listed('role', oldModel.roles, newModel.roles);
  listed('principal', [...oldModel.principals.keys()], [...newModel.principals.keys()]);
  listed(
    'policy',
    oldModel.policies.map((p) => p.name),
    newModel.policies.map((p) => p.name),
  );
  for (const policy of newModel.policies) {
    const old = oldModel.policies.find((p) => p.name === policy.name);
    if (old && JSON.stringify(old) !== JSON.stringify(policy))
      out.push({
        class: 'other',
        kind: 'policy-changed',
        message: `access policy "${policy.name}" changed (its effect on each principal and role is listed under widened or tightened)`,
      });
  }
  for (const [name, principal] of newModel.principals) {
    const old = oldModel.principals.get(name);
    if (old && JSON.stringify(old) !== JSON.stringify(principal))
      out.push({
        class: 'other',
        kind: 'principal-changed',
        message: `principal "${name}" changed: roles [${principal.roles.join(', ')}], attributes ${JSON.stringify(principal.attributes)}`,
      });
  }
  return out;
}

function subjects(oldModel: AccessModel, newModel: AccessModel): Subject[] {
  const nobody = (name: string): Principal => ({ name, roles: [], attributes: {} });
  const out: Subject[] = [];
  const names = [...new Set([...oldModel.principals.keys(), ...newModel.principals.keys()])];
  for (const name of names) {
    const after = newModel.principals.get(name);
    if (!after) continue; // removed: sees nothing now
    out.push({ label: `principal ${name}`, bind: true, before: oldModel.principals.get(name) ?? nobody(name), after });
  }
  for (const role of [...new Set([...oldModel.roles, ...newModel.roles])]) {
    const p: Principal = { name: `role:${role}`, roles: [role], attributes: {} };
    out.push({ label: `role ${role}`, bind: false, before: p, after: p });
  }
  out.push({ label: 'any principal', bind: false, before: nobody('(any)'), after: nobody('(any)') });
  return out;
}

/** Lower is stricter: denied, then masks in their order, then clear. */
function openness(c: ColumnDecision | undefined): number {
  if (!c || c.access === 'denied') return -1;
  return c.mask ? maskRank(c.mask) : MASK_NAMES.length;
}

function describe(c: ColumnDecision | undefined): string {
  if (!c || c.access === 'denied') return 'denied';
  if (!c.mask) return 'clear';
  return c.mask.name === 'partial' ? `masked (partial, keep_last ${c.mask.keepLast})` : `masked (${c.mask.name})`;
}

function compareDecisions(subject: string, bind: boolean, old: AccessDecision, next: AccessDecision): Change[] {
  const changes: Change[] = [];
  const dataset = next.dataset;
  for (const [column, now] of Object.entries(next.columns)) {
    if (!Object.hasOwn(old.columns, column)) continue; // a new column is listed as added
    const was = old.columns[column];
    const [a, b] = [openness(was), openness(now)];
    if (a === b) continue;
    const widened = b > a;
    changes.push({
      class: widened ? 'widened' : 'tightened',
      kind: widened ? 'column-access-widened' : 'column-access-narrowed',
      subject,
      dataset,
      column,
      message: `${subject} on ${dataset}.${column}: ${describe(was)} → ${describe(now)}${now.policies.length > 0 ? ` (${now.policies.join(', ')})` : ''}`,
      before: describe(was),
      after: describe(now),
    });
  }
  if (old.decision === 'allow' && next.decision === 'allow') {
    const wasFilters = boundFilters(old, bind);
    const nowFilters = boundFilters(next, bind);
    const dropped = wasFilters.filter((f) => !nowFilters.includes(f));
    if (dropped.length > 0) {
      changes.push({
        class: 'widened',
        kind: 'rows-widened',
        subject,
        dataset,
        message: `${subject} on ${dataset}: rows no longer limited by ${dropped.map((f) => `"${f}"`).join(' and ')}${nowFilters.length > 0 ? ` (now: ${nowFilters.map((f) => `"${f}"`).join(' and ')})` : ' (now: every row)'}`,
        before: wasFilters,
        after: nowFilters,
      });
    } else if (nowFilters.some((f) => !wasFilters.includes(f))) {
      changes.push({
        class: 'tightened',
        kind: 'rows-narrowed',
        subject,
        dataset,
        message: `${subject} on ${dataset}: rows now also limited by ${nowFilters
          .filter((f) => !wasFilters.includes(f))
          .map((f) => `"${f}"`)
          .join(' and ')}`,
        before: wasFilters,
        after: nowFilters,
      });
    }
  } else if (old.decision === 'deny' && next.decision === 'allow') {
    const filters = boundFilters(next, bind);
    changes.push({
      class: 'widened',
      kind: 'rows-widened',
      subject,
      dataset,
      message: `${subject} on ${dataset}: denied → rows readable${filters.length > 0 ? ` where ${filters.map((f) => `"${f}"`).join(' and ')}` : ' (every row)'}`,
      before: null,
      after: filters,
    });
  }
  return changes;
}

/** Each applying filter as text: with a principal's attributes bound (a filter on a missing attribute binds to `false`), or as written. */
function boundFilters(decision: AccessDecision, bind: boolean): string[] {
  return decision.rowFilters.map((f) => (bind ? bindRowFilters([f], decision.principal).expression! : f.expression));
}
