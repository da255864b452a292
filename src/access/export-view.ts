/**
 * The governed export (`assay export`, `exportView()`): write the view of a
 * dataset a principal may see, with only the rows their row filters keep,
 * denied columns absent and masked columns masked. Written atomically, never
 * through a link and never onto a declared source;
 * nothing is written, and the data is not read, when the principal may not
 * read the dataset. With an audit log, the export (or its denial) is
 * recorded, and a written file the log cannot record is removed.
 */
import { statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { appendAuditEvent, type AuditLog } from '../audit/append.js';
import { resolveConnection } from '../engine/connections.js';
import { RunSessions } from '../engine/executor.js';
import { executorForConnection } from '../engine/executors.js';
import type { ColumnType } from '../values/types.js';
import { isTableSource, type DatasetSpec, type PolicySet, type TableSource } from '../policy/types.js';
import { loadDataset } from '../sources/load.js';
import { declaredSourceAt } from '../sources/resolve.js';
import { AssayError } from '../util/diagnostics.js';
import { openOutputFile, removeOutputFile, writeOutputFile } from '../util/write-file.js';
import { exportEvent } from './audit-events.js';
import { decideAccess, type AccessDecision } from './decide.js';
import { EXPORT_FORMATS, exportFormatFor, renderArrowRows, renderExport, renderRows, type ExportFormat } from './export.js';
import { applyMask, maskKeyFromEnv } from './masks.js';
import { buildAccessModel, type Principal } from './model.js';
import { bindRowFilters } from './filter.js';
import { governedView, usesHashMask, viewColumns } from './view.js';

export interface ExportOptions {
  policy: PolicySet;
  /** Who the view is for: resolved by the caller (see `principalFor`). */
  principal: Principal;
  dataset: DatasetSpec;
  /** The file to write (replaced atomically). */
  out: string;
  /** csv, ndjson or arrow; default from the `out` extension, else csv. */
  format?: string;
  /** Where ASSAY_MASK_KEY is read when a hash mask applies (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Record the export (or its denial) here. */
  audit?: AuditLog;
  /** `--connection NAME=URL`: a table's connection URL for this run. */
  connectionOverrides?: Readonly<Record<string, string>>;
}

export type ExportResult =
  | { written: false; decision: AccessDecision }
  | {
      written: true;
      decision: AccessDecision;
      out: string;
      format: ExportFormat;
      /** Rows written, of the dataset's rows. */
      rows: number;
      sourceRows: number;
      columns: string[];
      masked: string[];
      /** Columns denied to the principal, left out of the file. */
      leftOut: string[];
      /** The row filter applied, as an expression, or null. */
      rowFilter: string | null;
    };

export async function exportView(options: ExportOptions): Promise<ExportResult> {
  const { policy, principal, dataset, out } = options;
  const format = exportFormatFor(out, options.format);
  if (!format) throw new AssayError('usage', `--format: unknown export format "${options.format}"`, `use one of ${EXPORT_FORMATS.join(', ')}`);
  const source = declaredSourceAt(out, policy.datasets);
  if (source !== undefined) {
    throw new AssayError('usage', `--out ${out}: is a source file of dataset "${source}"; export never replaces declared data`, 'write the export to another file');
  }
  // Nor the policy files it was decided by, nor the audit log that records it (second round of issue 12).
  const input = [...policy.files.map((f) => ({ path: f.file, what: 'a policy file' })), ...(options.audit ? [{ path: options.audit.path, what: 'the audit log' }, { path: `${options.audit.path}.lock`, what: "the audit log's lock" }] : [])].find((f) => sameFile(out, f.path));
  if (input) throw new AssayError('usage', `--out ${out}: is ${input.what}; export never replaces assay's own inputs`, 'write the export to another file');
  const env = options.env ?? process.env;
  const model = buildAccessModel(policy);
  // Decide on the declared columns first: a denied principal never causes a data read.
  const declared = decideAccess(model, principal, dataset);
  if (declared.decision === 'deny') {
    if (options.audit) await appendAuditEvent(options.audit, policy, exportEvent(declared, null));
    return { written: false, decision: declared };
  }
  const why = `exporting "${dataset.name}" for ${principal.name}`;
  let key = usesHashMask(declared) ? maskKeyFromEnv(env, why) : undefined;
  if (isTableSource(dataset.source)) return exportTable(options, format, declared, key);
  const data = await loadDataset({ dataset: dataset.name, source: dataset.source, policyFile: dataset.file, columns: dataset.columns });
  // Undeclared columns in the data are decided too (by name; they carry no classification).
  const decision = decideAccess(model, principal, dataset, viewColumns(Object.keys(dataset.columns), data));
  if (key === undefined && usesHashMask(decision)) key = maskKeyFromEnv(env, why);
  const view = governedView(decision, data, key);
  const content = renderExport(view, data, format);
  // Never through a link, never outside the folder named (util/write-file.ts).
  writeOutputFile(dirname(out) || '.', basename(out), content);
  const named = (access: string) => Object.entries(decision.columns).filter(([, c]) => c.access === access).map(([n]) => n);
  if (options.audit) {
    const facts = { format, out, rows: view.rows.length, sourceRows: data.rows, columns: view.columns, fingerprint: data.fingerprint || null };
    // An export the audit log cannot record is not left behind.
    await appendAuditEvent(options.audit, policy, exportEvent(decision, facts)).catch((e) => {
      removeOutputFile(dirname(out) || '.', basename(out));
      throw e;
    });
  }
  return { written: true, decision, out, format, rows: view.rows.length, sourceRows: data.rows, columns: view.columns, masked: named('masked'), leftOut: named('denied'), rowFilter: view.rowFilter };
}

/**
 * A table's governed view, streamed from where it lives (SPEC §5.1): the row
 * filters become the engine's WHERE, denied columns are never read, masks are
 * applied to each value before it is written, batch by batch through a
 * server-side cursor (CSV and NDJSON in bounded memory; Arrow, whose columns
 * need one type, is assembled at the end).
 */
async function exportTable(options: ExportOptions, format: ExportFormat, decision: AccessDecision, maskKey: string | undefined): Promise<ExportResult> {
  const { policy, dataset, out } = options;
  const source = dataset.source as TableSource;
  const connection = policy.connections.find((c) => c.name === source.connection);
  if (!connection) throw new AssayError('usage', `dataset "${dataset.name}": unknown connection "${source.connection}"`);
  const executor = executorForConnection(connection.type);
  if (!executor.readRows) throw new AssayError('usage', `dataset "${dataset.name}" is a ${connection.type} table, which export does not read yet`, 'check a file of it with --data');
  // Undeclared columns of a table are decided by name too; only columns the decision shows are read.
  const columns = Object.keys(decision.columns).filter((c) => decision.columns[c].access !== 'denied');
  const bound = bindRowFilters(decision.rowFilters, decision.principal);
  const what = `row filter ${decision.rowFilters.map((f) => `"${f.policy}"`).join(', ')} on dataset "${dataset.name}"`;
  const sessions = new RunSessions();
  const file = openOutputFile(dirname(out) || '.', basename(out));
  let rows = 0;
  let sourceRows = 0;
  const arrow: unknown[][] = [];
  let types: (ColumnType | undefined)[] = [];
  try {
    const batches = executor.readRows({
      table: { source, connection: resolveConnection(connection, options.connectionOverrides ?? {}, options.env ?? process.env), key: dataset.key },
      dataset: dataset.name,
      policyFile: dataset.file,
      columns: dataset.columns,
      read: columns,
      filter: bound.ast ? { ast: bound.ast, what } : undefined,
      batchRows: 10_000,
      sessions,
    });
    for await (const batch of batches) {
      types = batch.types;
      sourceRows = batch.sourceRows;
      const masked = batch.rows.map((row) => row.map((value, j) => {
        const mask = decision.columns[columns[j]].mask;
        return mask ? applyMask(mask, value, batch.types[j], maskKey) : value;
      }));
      rows += masked.length;
      if (format === 'arrow') arrow.push(...masked);
      else file.write(renderRows(columns, batch.types, masked, format, batch.first));
    }
    if (format === 'arrow') file.write(renderArrowRows(columns, types, arrow));
    file.commit();
  } catch (e) {
    file.abort();
    throw e;
  } finally {
    await sessions.closeAll();
  }
  const named = (access: string) => Object.entries(decision.columns).filter(([, c]) => c.access === access).map(([n]) => n);
  if (options.audit) {
    const facts = { format, out, rows, sourceRows, columns, fingerprint: null };
    await appendAuditEvent(options.audit, policy, exportEvent(decision, facts)).catch((e) => {
      removeOutputFile(dirname(out) || '.', basename(out));
      throw e;
    });
  }
  return { written: true, decision, out, format, rows, sourceRows, columns, masked: named('masked'), leftOut: named('denied'), rowFilter: bound.expression };
}

/** The same path, or the same file under another name (a hard or symbolic link). */
function sameFile(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  try {
    const [x, y] = [statSync(a), statSync(b)];
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}
