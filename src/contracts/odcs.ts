/**
 * What assay and the Open Data Contract Standard (ODCS v3) share, in one
 * place for both directions (export.ts, import.ts): type names, quality
 * metrics, and the custom-property names assay uses for what ODCS has no
 * field for. docs/contracts.md has the full table.
 */
import { COLUMN_TYPES, type ColumnType } from '../values/types.js';

/** The ODCS version written: the one open-data-contract-standard's schema and datacontract-cli's lint are tested with. */
export const ODCS_API_VERSION = 'v3.2.0';

/** assay column types are all ODCS logical types, by the same name. */
export const LOGICAL_TYPES: readonly ColumnType[] = COLUMN_TYPES;

/** The engine name of ODCS `type: custom` quality entries that hold an assay check as written in YAML. */
export const ASSAY_ENGINE = 'assay';

/** Contract-level custom properties. */
export const PROP = {
  controls: 'assayControls',
  upstream: 'assayUpstream',
  /** A table source's `where` slice. */
  sourceWhere: 'assaySourceWhere',
  /** On a role: what it sees of each column (`clear`, `denied`, or a mask: `hash`, `partial:4`…). */
  columns: 'assayColumnAccess',
  /** On a role: its row filter, as written. */
  rowFilter: 'assayRowFilter',
  /** On a freshness SLA: `warn_after`. */
  warnAfter: 'assayWarnAfter',
  /** On a freshness SLA: the check's options other than column and durations (severity, name…). */
  freshnessOptions: 'assayFreshnessOptions',
} as const;

/** The SLA property that carries a freshness `fail_after` (ODCS' "latency": how old the newest data may be). */
export const FRESHNESS_SLA = 'latency';

/** ODCS SLA units → assay duration units. */
export const SLA_UNITS: Record<string, string> = {
  s: 's',
  sec: 's',
  second: 's',
  seconds: 's',
  m: 'm',
  min: 'm',
  minute: 'm',
  minutes: 'm',
  h: 'h',
  hr: 'h',
  hour: 'h',
  hours: 'h',
  d: 'd',
  day: 'd',
  days: 'd',
  w: 'w',
  week: 'w',
  weeks: 'w',
};

/** Common options an ODCS library metric has a field for; any other (where, mostly, fail_when…) makes the check a custom entry. */
export const LIBRARY_OPTIONS = new Set(['name', 'severity', 'description']);

/** ODCS quality severities (free text in the standard; these are its examples) ↔ assay severities. */
export const toOdcsSeverity = (s: string): string => (s === 'warn' ? 'warning' : 'error');
export const fromOdcsSeverity = (s: unknown): 'error' | 'warn' | undefined =>
  s === undefined ? undefined : s === 'warning' || s === 'warn' || s === 'info' ? 'warn' : s === 'error' ? 'error' : undefined;

export type Json = Record<string, unknown>;
