/**
 * The access model: every `kind: access` document of a policy set merged into
 * roles, principals and policies, in declaration order. Built from documents
 * that already passed the JSON Schema; cross-reference problems (unknown
 * roles, datasets, columns) are reported by access/validate.ts.
 */
import type { PolicySet } from '../policy/types.js';

export const EFFECTS = ['allow', 'deny', 'mask', 'row_filter'] as const;
export type Effect = (typeof EFFECTS)[number];

/** Mask names, most restrictive first: the order decides which mask wins. */
export const MASK_NAMES = ['null', 'redact', 'hash', 'partial', 'year_only'] as const;
export type MaskName = (typeof MASK_NAMES)[number];

/** Characters `partial` leaves in clear when `keep_last` is not given. */
export const DEFAULT_KEEP_LAST = 4;

/** `roles: ["*"]` selects every principal. */
export const ANY_ROLE = '*';

export type AttributeValue = string | number | boolean;

export interface Principal {
  name: string;
  roles: string[];
  attributes: Record<string, AttributeValue>;
}

/** `"*"`, or names and/or tags (a dataset matching either is selected). */
export type DatasetSelector = '*' | { names?: string[]; tags?: string[] };

/** Column names and/or classifications (a column matching either is selected). */
export interface ColumnSelector {
  names?: string[];
  classification?: string[];
}

export interface AccessPolicy {
  name: string;
  effect: Effect;
  roles: string[];
  exceptRoles: string[];
  /** Absent: every dataset. */
  datasets?: DatasetSelector;
  /** Absent: every column (for allow/deny: the whole dataset). */
  columns?: ColumnSelector;
  mask?: MaskName;
  keepLast?: number;
  /** row_filter only: an allow-listed row expression that may read principal.attributes.*. */
  filter?: string;
}

export interface AccessModel {
  /** Declared roles, across documents. */
  roles: string[];
  /** Declared principals by name (a Map: names come from untrusted files). */
  principals: Map<string, Principal>;
  policies: AccessPolicy[];
}

type Raw = Record<string, any>;

/** Merge the access documents of a policy set; documents are in file order. */
export function buildAccessModel(policy: PolicySet): AccessModel {
  const model: AccessModel = { roles: [], principals: new Map(), policies: [] };
  for (const doc of policy.access as Raw[]) {
    for (const role of Object.keys(doc.roles ?? {})) if (!model.roles.includes(role)) model.roles.push(role);
    for (const [name, raw] of Object.entries((doc.principals ?? {}) as Record<string, Raw>)) {
      if (!model.principals.has(name)) model.principals.set(name, { name, roles: raw?.roles ?? [], attributes: { ...(raw?.attributes ?? {}) } });
    }
    for (const raw of (doc.policies ?? []) as Raw[]) model.policies.push(toPolicy(raw));
  }
  return model;
}

/** One validated `policies[]` entry. */
export function toPolicy(raw: Raw): AccessPolicy {
  const classification = raw.columns?.classification;
  return {
    name: raw.name,
    effect: raw.effect,
    roles: raw.roles ?? [],
    exceptRoles: raw.except_roles ?? [],
    datasets: raw.datasets,
    columns: raw.columns
      ? { names: raw.columns.names, classification: typeof classification === 'string' ? [classification] : classification }
      : undefined,
    mask: raw.mask,
    keepLast: raw.keep_last,
    filter: raw.filter,
  };
}
