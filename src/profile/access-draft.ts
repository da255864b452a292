/**
 * `assay suggest --access`: a draft access policy for the columns the
 * suggestion classifies, unless the access file already masks or denies
 * every one of those classifications. Deny by default; analysts get a hash
 * (joinable, not readable). The draft is returned as text for review; the
 * command writes it only when asked (`--write-access`), never silently.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isMap, isSeq, parseDocument, stringify, type Document } from 'yaml';
import { classificationMatches } from '../access/decide.js';

export interface AccessDraft {
  /** Classifications no existing mask or deny policy selects. */
  uncovered: string[];
  /** The policies to add, as YAML (a list), or null when nothing is missing. */
  policiesYaml: string | null;
  /** The whole access file with the draft added, or null when nothing is missing. */
  updatedFile: string | null;
}

export const DRAFT_ROLE = 'analyst';

export function draftAccessPolicy(accessFile: string, dataset: string, classifications: string[]): AccessDraft {
  const existing = existsSync(accessFile) ? parseDocument(readFileSync(accessFile, 'utf8')) : null;
  const selectors = existing ? protectingSelectors(existing) : [];
  const uncovered = [...new Set(classifications)].filter((c) => !selectors.some((s) => classificationMatches(s, c))).sort();
  if (uncovered.length === 0) return { uncovered, policiesYaml: null, updatedFile: null };
  const policies = [
    {
      name: `${dataset}-pii-denied-by-default`,
      description: `Draft by assay suggest (review it): personal data in ${dataset} is denied to every role but ${DRAFT_ROLE}.`,
      effect: 'deny',
      roles: ['*'],
      except_roles: [DRAFT_ROLE],
      datasets: { names: [dataset] },
      columns: { classification: [...uncovered] },
    },
    {
      name: `${dataset}-pii-hashed-for-${DRAFT_ROLE}s`,
      description: 'Draft by assay suggest (review it): hashes stay joinable without showing the values.',
      effect: 'mask',
      roles: [DRAFT_ROLE],
      datasets: { names: [dataset] },
      columns: { classification: [...uncovered] },
      mask: 'hash',
    },
  ];
  const doc = existing ?? parseDocument('kind: access\nroles: {}\npolicies: []\n');
  const roles = doc.get('roles');
  if (!isMap(roles)) doc.set('roles', doc.createNode({ [DRAFT_ROLE]: { description: 'Draft by assay suggest: sees personal data hashed' } }));
  else if (!roles.has(DRAFT_ROLE)) roles.set(DRAFT_ROLE, doc.createNode({ description: 'Draft by assay suggest: sees personal data hashed' }));
  const list = doc.get('policies');
  if (isSeq(list)) for (const p of policies) list.add(doc.createNode(p));
  else doc.set('policies', doc.createNode(policies));
  return { uncovered, policiesYaml: stringify(policies), updatedFile: doc.toString() };
}

/** Classification selectors of the mask and deny policies of an access document. */
function protectingSelectors(doc: Document): string[] {
  const policies = (doc.toJS() as { policies?: { effect?: string; columns?: { classification?: string | string[] } }[] } | null)?.policies ?? [];
  return policies.filter((p) => p.effect === 'mask' || p.effect === 'deny').flatMap((p) => [p.columns?.classification ?? []].flat());
}
