/**
 * Rules for `kind: access` documents that the JSON Schema cannot express:
 * references to roles, datasets, columns, tags and classifications; which keys
 * each effect needs; duplicate names; and governance coverage: a classified
 * column that some role can read in clear, with no mask or deny policy
 * covering it for that role and no `except_roles` exempting the role on
 * purpose, gets a warning (it may be intended, so it does not fail validation).
 *
 * Errors: unknown roles, datasets, columns and classifications (typos that
 * silently change who sees what; a classification no column carries yet is
 * declared under `classifications:`). Warnings: unknown tags, filters reading
 * attributes a principal lacks, uncovered classified columns.
 */
import { parseExpression } from '../expr/parse.js';
import type { KeyPath, RawDocument } from '../policy/load.js';
import { formatPath } from '../policy/schema-errors.js';
import type { DatasetSpec } from '../policy/types.js';
import type { Diagnostic, SourceLocation } from '../util/diagnostics.js';
import { closest, suggest } from '../util/did-you-mean.js';
import { exposedClassifiedColumns } from './coverage.js';
import { appliesTo, classificationMatches, selectsDataset } from './decide.js';
import { ANY_ROLE, toPolicy, type AccessModel, type AccessPolicy } from './model.js';

type Raw = Record<string, any>;

/** Where a dataset's column is declared, for coverage warnings. */
export type ColumnLocator = (dataset: DatasetSpec, column: string, under?: KeyPath) => SourceLocation | undefined;

export function validateAccess(docs: RawDocument[], datasets: DatasetSpec[], locateColumn: ColumnLocator): Diagnostic[] {
  if (docs.length === 0) return [];
  const out: Diagnostic[] = [];
  const model: AccessModel = { roles: [], principals: new Map(), policies: [] };
  const policyDocs: { policy: AccessPolicy; doc: RawDocument; index: number }[] = [];
  const seenPolicies = new Map<string, string>();

  for (const doc of docs) {
    const value = doc.value as Raw;
    const report = (severity: Diagnostic['severity'], path: KeyPath, code: string, message: string, expected?: string, key = false) =>
      out.push({ code, severity, path: formatPath(path), location: doc.locate(path, key), message, expected });
    for (const role of Object.keys(value.roles ?? {})) {
      if (model.roles.includes(role)) report('error', ['roles', role], 'duplicate-role', `role "${role}" is declared twice`, undefined, true);
      else model.roles.push(role);
    }
    for (const [name, raw] of Object.entries((value.principals ?? {}) as Record<string, Raw>)) {
      if (model.principals.has(name)) report('error', ['principals', name], 'duplicate-principal', `principal "${name}" is declared twice`, undefined, true);
      else model.principals.set(name, { name, roles: raw?.roles ?? [], attributes: { ...(raw?.attributes ?? {}) } });
    }
    ((value.policies ?? []) as Raw[]).forEach((raw, index) => {
      const policy = toPolicy(raw);
      const at = `${doc.file}:${doc.locate(['policies', index]).line}`;
      const previous = seenPolicies.get(policy.name);
      if (previous) report('error', ['policies', index, 'name'], 'duplicate-policy', `policy "${policy.name}" is already declared at ${previous}`);
      else seenPolicies.set(policy.name, at);
      model.policies.push(policy);
      policyDocs.push({ policy, doc, index });
    });
  }

  for (const doc of docs) {
    for (const [name, raw] of Object.entries(((doc.value as Raw).principals ?? {}) as Record<string, Raw>)) {
      ((raw?.roles ?? []) as string[]).forEach((role, i) => {
        if (!model.roles.includes(role)) out.push(unknownRole(role, model.roles, doc, ['principals', name, 'roles', i]));
      });
    }
  }
  const listed = docs.flatMap((doc) => ((doc.value as Raw).classifications ?? []) as string[]);
  for (const { policy, doc, index } of policyDocs) out.push(...checkPolicy(policy, doc, ['policies', index], model, datasets, listed));
  out.push(...undeclaredClassifications(model, datasets, listed, locateColumn));
  out.push(...coverage(model, datasets, locateColumn));
  return out;
}

function unknownRole(role: string, known: string[], doc: RawDocument, path: KeyPath): Diagnostic {
  return {
    code: 'unknown-role',
    severity: 'error',
    path: formatPath(path),
    location: doc.locate(path),
    message: `unknown role "${role}"`,
    expected: known.length > 0 ? suggest(role, known) : 'declare it under roles:',
  };
}

/**
 * A column's classification must be declared: selected by some access
 * policy's `columns.classification`, or listed under `classifications:`
 * (`pii` declares `pii` and `pii.*`). A typo such as `pii.emial` would
 * otherwise match no mask or deny and leave the column in clear.
 */
function undeclaredClassifications(model: AccessModel, datasets: DatasetSpec[], listed: string[], locateColumn: ColumnLocator): Diagnostic[] {
  const declared = [...new Set([...listed, ...model.policies.flatMap((p) => p.columns?.classification ?? [])])];
  const out: Diagnostic[] = [];
  for (const dataset of datasets) {
    for (const [column, spec] of Object.entries(dataset.columns)) {
      (spec.classification ?? []).forEach((c, i) => {
        if (declared.some((d) => classificationMatches(d, c))) return;
        const near = closest(c, declared);
        out.push({
          code: 'unknown-classification',
          severity: 'error',
          path: formatPath(['columns', column, 'classification', i]),
          location: locateColumn(dataset, column, ['classification', i]) ?? dataset.location,
          message: `classification "${c}" is not declared: no access policy selects it, so the column is in clear`,
          expected: `${near ? `did you mean "${near}"? Or ` : ''}list it under classifications: in a kind: access document`,
        });
      });
    }
  }
  return out;
}

function checkPolicy(policy: AccessPolicy, doc: RawDocument, base: KeyPath, model: AccessModel, datasets: DatasetSpec[], listed: string[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const raw = (doc.value as Raw).policies[base[1] as number] as Raw;
  const report = (severity: Diagnostic['severity'], rel: KeyPath, code: string, message: string, expected?: string, key = false) => {
    const path = [...base, ...rel];
    out.push({ code, severity, path: formatPath(path), location: doc.locate(path, key), message, expected });
  };

  policy.roles.forEach((role, i) => {
    if (role !== ANY_ROLE && !model.roles.includes(role)) out.push(unknownRole(role, model.roles, doc, [...base, 'roles', i]));
  });
  policy.exceptRoles.forEach((role, i) => {
    if (role === ANY_ROLE) report('error', ['except_roles', i], 'invalid-value', '"*" in except_roles would exempt everyone; remove the policy instead');
    else if (!model.roles.includes(role)) out.push(unknownRole(role, model.roles, doc, [...base, 'except_roles', i]));
  });

  // Which keys each effect needs and accepts.
  const needs: Record<AccessPolicy['effect'], string[]> = { allow: [], deny: [], mask: ['columns', 'mask'], row_filter: ['filter'] };
  const refuses: Record<AccessPolicy['effect'], string[]> = {
    allow: ['mask', 'keep_last', 'filter'],
    deny: ['mask', 'keep_last', 'filter'],
    mask: ['filter'],
    row_filter: ['columns', 'mask', 'keep_last'],
  };
  for (const key of needs[policy.effect]) {
    if (raw[key] === undefined) report('error', [], 'missing-key', `a ${policy.effect} policy needs "${key}"`);
  }
  for (const key of refuses[policy.effect]) {
    if (raw[key] !== undefined) report('error', [key], 'invalid-key', `"${key}" has no meaning in a ${policy.effect} policy`, undefined, true);
  }
  if (policy.keepLast !== undefined && policy.effect === 'mask' && policy.mask !== 'partial') {
    report('error', ['keep_last'], 'invalid-key', '"keep_last" applies to the partial mask only', undefined, true);
  }

  // Dataset selector.
  const names = datasets.map((d) => d.name);
  const selector = policy.datasets;
  if (selector !== undefined && selector !== '*') {
    selector.names?.forEach((name, i) => {
      if (!names.includes(name)) report('error', ['datasets', 'names', i], 'unknown-dataset', `unknown dataset "${name}"`, names.length ? suggest(name, names) : undefined);
    });
    const tags = [...new Set(datasets.flatMap((d) => d.tags))];
    selector.tags?.forEach((tag, i) => {
      if (!tags.includes(tag)) report('warning', ['datasets', 'tags', i], 'unknown-tag', `no dataset has the tag "${tag}"`, tags.length ? suggest(tag, tags) : undefined);
    });
  }
  const selected = datasets.filter((d) => selectsDataset(policy, d));
  const declaring = selected.filter((d) => Object.keys(d.columns).length > 0);

  // Column selector: names must exist in some selected dataset, classifications should.
  if (policy.columns && declaring.length === selected.length && selected.length > 0) {
    const columns = [...new Set(selected.flatMap((d) => Object.keys(d.columns)))];
    policy.columns.names?.forEach((name, i) => {
      if (!columns.includes(name)) report('error', ['columns', 'names', i], 'unknown-column', `no selected dataset has a column "${name}"`, suggest(name, columns));
    });
    const classes = [...new Set(selected.flatMap((d) => Object.values(d.columns).flatMap((c) => c.classification ?? [])))];
    const rawClass = raw.columns?.classification;
    (policy.columns.classification ?? []).forEach((sel, i) => {
      if (classes.some((c) => classificationMatches(sel, c)) || listed.includes(sel)) return;
      const path = typeof rawClass === 'string' ? ['columns', 'classification'] : ['columns', 'classification', i];
      const near = closest(sel, classes);
      report('error', path, 'unknown-classification', `no column of the selected datasets is classified "${sel}" (or "${sel}.*")`, `${near ? `did you mean "${near}"? Or, ` : ''}when no column carries it yet, list it under classifications:`);
    });
  }

  // Row filter: columns must exist in every selected dataset; attributes should exist on the principals it applies to.
  if (policy.filter !== undefined && policy.effect === 'row_filter') {
    let parsed;
    try {
      parsed = parseExpression(policy.filter, 'filter');
    } catch {
      return out; // reported by the expression allow-list
    }
    for (const d of declaring) {
      const declared = Object.keys(d.columns);
      for (const column of parsed.columns) {
        if (!declared.includes(column)) report('error', ['filter'], 'unknown-column', `unknown column "${column}" in dataset "${d.name}"`, suggest(column, declared));
      }
    }
    for (const principal of model.principals.values()) {
      if (!appliesTo(policy, principal)) continue;
      const missing = parsed.attributes.filter((a) => !Object.hasOwn(principal.attributes, a));
      if (missing.length > 0) {
        report('warning', ['filter'], 'missing-attribute', `principal "${principal.name}" has no attribute ${missing.map((m) => `"${m}"`).join(', ')}: this filter will show it no rows`);
      }
    }
  }
  return out;
}

/** Uncovered classified columns (access/coverage.ts) as warnings at the column's declaration. */
function coverage(model: AccessModel, datasets: DatasetSpec[], locateColumn: ColumnLocator): Diagnostic[] {
  return exposedClassifiedColumns(model, datasets).map(({ dataset, column, classification, role }) => ({
    code: 'uncovered-classified-column',
    severity: 'warning',
    path: `columns.${column}`,
    location: locateColumn(dataset, column),
    message: `role "${role}" reads ${dataset.name}.${column} (${classification.join(', ')}) in clear: no mask or deny policy covers it`,
    expected: `add a mask or deny policy for it, or list "${role}" in the except_roles of one to make the exemption explicit`,
  }));
}
