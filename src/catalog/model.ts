/**
 * The catalog's model: what `assay catalog` shows of each dataset, built once
 * from the validated policies and (optionally) the last JSON report, then
 * rendered by html.ts. Pure: no data is read.
 *
 * From the report only outcomes and counts are taken (status, failed and
 * evaluated rows, row count, run time): never a message, an observed value
 * or a sample, which may carry a value of a classified column and were
 * masked for the report's reader, not the catalog's (SPEC §1.3).
 */
import { decideAccess, type ColumnDecision } from '../access/decide.js';
import { buildAccessModel } from '../access/model.js';
import type { DatasetSpec, PolicySet } from '../policy/types.js';
import { isTableSource } from '../policy/types.js';

export type Outcome = 'pass' | 'warn' | 'fail' | 'error';
const OUTCOMES = new Set<string>(['pass', 'warn', 'fail', 'error']);

export interface CatalogCheck {
  id: string;
  type: string;
  column?: string;
  severity: string;
  status?: Outcome;
  failedRows?: number;
  evaluatedRows?: number;
}

export interface CatalogColumn {
  name: string;
  type?: string;
  classification: string[];
  description?: string;
  required: boolean;
}

export interface CatalogDataset {
  name: string;
  description?: string;
  owner?: string;
  tags: string[];
  source: string;
  columns: CatalogColumn[];
  freshness: { column?: string; source?: string; warnAfter?: string; failAfter?: string }[];
  checks: CatalogCheck[];
  status?: Outcome;
  rows?: number;
  /** Role → column → what the role sees; `rowFilter` when its rows are limited. */
  access: { role: string; decision: 'allow' | 'deny'; columns: Record<string, string>; rowFilter?: string }[];
}

export interface LineageEdge {
  from: string;
  to: string;
  kind: 'upstream' | 'references' | 'reconcile';
}

export interface Catalog {
  datasets: CatalogDataset[];
  edges: LineageEdge[];
  /** When the report the outcomes come from was made. */
  reportTime?: string;
}

/** The part of the JSON report the catalog reads (SPEC §3); anything else in it is ignored. */
interface ReportLike {
  run?: { finished_at?: unknown };
  datasets?: {
    name?: unknown;
    status?: unknown;
    rows?: unknown;
    checks?: { id?: unknown; status?: unknown; failed_rows?: unknown; evaluated_rows?: unknown }[];
  }[];
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const outcome = (v: unknown): Outcome | undefined => (typeof v === 'string' && OUTCOMES.has(v) ? (v as Outcome) : undefined);

function columnAccess(c: ColumnDecision): string {
  if (c.access === 'denied') return 'denied';
  if (!c.mask) return 'clear';
  return c.mask.name === 'partial' ? `partial ${c.mask.keepLast}` : c.mask.name;
}

export function buildCatalog(policy: PolicySet, report?: unknown): Catalog {
  const reported = new Map<string, NonNullable<ReportLike['datasets']>[number]>();
  const r = (typeof report === 'object' && report !== null ? report : {}) as ReportLike;
  for (const d of Array.isArray(r.datasets) ? r.datasets : []) if (typeof d?.name === 'string') reported.set(d.name, d);
  const model = buildAccessModel(policy);
  const datasets = policy.datasets.map((dataset): CatalogDataset => {
    const last = reported.get(dataset.name);
    const lastChecks = new Map((Array.isArray(last?.checks) ? last.checks : []).filter((c) => typeof c?.id === 'string').map((c) => [c.id as string, c]));
    return {
      name: dataset.name,
      description: dataset.description,
      owner: dataset.owner,
      tags: dataset.tags,
      source: isTableSource(dataset.source) ? `${dataset.source.connection}:${dataset.source.table}` : dataset.source.path,
      columns: Object.entries(dataset.columns).map(([name, c]) => ({
        name,
        type: c.type,
        classification: c.classification ?? [],
        description: c.description,
        required: c.required === true,
      })),
      freshness: dataset.checks
        .filter((c) => c.type === 'freshness')
        .map((c) => ({
          column: c.column,
          source: c.params.source as string | undefined,
          warnAfter: c.params.warn_after as string | undefined,
          failAfter: c.params.fail_after as string | undefined,
        })),
      checks: dataset.checks.map((c) => {
        const got = lastChecks.get(c.id);
        return {
          id: c.id,
          type: c.type,
          column: c.column,
          severity: c.severity,
          status: outcome(got?.status),
          failedRows: num(got?.failed_rows),
          evaluatedRows: num(got?.evaluated_rows),
        };
      }),
      status: outcome(last?.status),
      rows: num(last?.rows),
      access: model.roles.map((role) => {
        const decision = decideAccess(model, { name: `role:${role}`, roles: [role], attributes: {} }, dataset);
        return {
          role,
          decision: decision.decision,
          columns: Object.fromEntries(Object.entries(decision.columns).map(([c, d]) => [c, columnAccess(d)])),
          ...(decision.decision === 'allow' && decision.rowFilters.length > 0 ? { rowFilter: decision.rowFilters.map((f) => f.expression).join(' AND ') } : {}),
        };
      }),
    };
  });
  return { datasets, edges: lineageEdges(policy.datasets), reportTime: typeof r.run?.finished_at === 'string' ? r.run.finished_at : undefined };
}

/** Edges point from the dataset used to the one that uses it; reconcile compares two, drawn from `with`. */
export function lineageEdges(datasets: DatasetSpec[]): LineageEdge[] {
  const names = new Set(datasets.map((d) => d.name));
  const edges: LineageEdge[] = [];
  const add = (from: string, to: string, kind: LineageEdge['kind']) => {
    if (names.has(from) && from !== to && !edges.some((e) => e.from === from && e.to === to && e.kind === kind)) edges.push({ from, to, kind });
  };
  for (const d of datasets) {
    for (const up of d.upstream) add(up, d.name, 'upstream');
    for (const c of d.checks) {
      if (c.type === 'reference' && typeof c.params.dataset === 'string') add(c.params.dataset, d.name, 'references');
      if (c.type === 'reconcile' && typeof c.params.with === 'string') add(c.params.with, d.name, 'reconcile');
    }
  }
  return edges;
}
