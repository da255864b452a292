/**
 * assay as a library: everything the CLI does, as typed functions. The CLI
 * (src/cli/) is a thin layer over these. docs/api.md shows them in use.
 *
 *   loadValidatedPolicies ─▶ runChecks ─▶ renderReport / recordCheckRun
 *            │
 *            ├─▶ decideDatasetAccess ─▶ renderExplain / decisionJson
 *            ├─▶ exportView (governed export)
 *            └─▶ complianceReport ─▶ renderComplianceMarkdown / renderComplianceHtml
 *
 * Errors: AssayError (kind `usage`), PolicyError (invalid policies; carries
 * every Diagnostic) and DataError (unreadable data); the CLI maps them to
 * exit codes 2, 2 and 3.
 */

// Policies: load, validate, compile.
export { loadValidatedPolicies, validatePolicyFiles, type ValidatedPolicies } from './policy/validated.js';
export type { PolicySet, DatasetSpec, CheckSpec, ColumnSpec } from './policy/types.js';
export { compilePlan } from './plan/compile.js';
export type { Plan } from './plan/plan.js';

// Checks: run them on files or on rows in memory.
export { runChecks, type CheckOptions, type CheckRun, type InMemoryData } from './pipeline.js';
export { ENGINES, type Engine } from './dataset-store.js';

// Reports.
export { renderReport, FORMAT_NAMES, type RenderOptions } from './report/formats/index.js';
export { writeReportFile } from './report/write.js';
export type { RunReport, DatasetReport, CheckReport, SampleRow } from './report/model.js';

// Access: decide, explain, export.
export { principalFor, decideDatasetAccess, readerAs } from './access/principal.js';
export { anonymousReader, type Reader } from './access/reader.js';
export { checkColumns, type AccessDecision } from './access/decide.js';
export { renderExplain, decisionJson } from './access/explain.js';
export type { Principal } from './access/model.js';
export { exportView, type ExportOptions, type ExportResult } from './access/export-view.js';
export { EXPORT_FORMATS } from './access/export.js';

// Audit log.
export { openAuditLog, recordCheckRun, type AuditLogOptions } from './audit/log.js';
export { appendAuditEvent, appendAuditEvents, type AuditLog } from './audit/append.js';
export { verifyAuditLog, parseExpectedHead, type VerifyResult } from './audit/verify.js';
export type { AuditEvent, AuditEventInput } from './audit/event.js';

// Compliance.
export { complianceReport, type ComplianceOptions } from './compliance/report.js';
export { renderComplianceMarkdown } from './compliance/markdown.js';
export { renderComplianceHtml } from './compliance/html.js';
export type { ComplianceReport } from './compliance/model.js';

// Errors and diagnostics.
export { AssayError, PolicyError, DataError, formatDiagnostic, type Diagnostic } from './util/diagnostics.js';
export { ASSAY_VERSION } from './version.js';
