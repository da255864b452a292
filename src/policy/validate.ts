/**
 * Stage 2, validate: every document against its kind's JSON Schema, then the
 * rules a schema cannot express (check parameters, expressions, regexes,
 * unknown columns, duplicate names). Collects every diagnostic; reads no data.
 */
import { createHash } from 'node:crypto';
import { validateAccess } from '../access/validate.js';
import { checkDefinition } from '../checks/index.js';
import type { CheckContext } from '../checks/define.js';
import { emptyBounds, parseCondition } from '../checks/thresholds.js';
import { ExpressionError, parseExpression, type ExpressionContext } from '../expr/parse.js';
import { sortDiagnostics, type Diagnostic } from '../util/diagnostics.js';
import { closest, suggest, suggestColumn } from '../util/did-you-mean.js';
import { INVALID, parseTimestamp } from '../values/grammar.js';
import { compileDateFormat, DateFormatError } from '../values/date-format.js';
import type { KeyPath, LoadResult, RawDocument } from './load.js';
import { normalizeConnection, validateConnection, validateSources } from './connections.js';
import { normalizeDataset } from './normalize.js';
import { KINDS, type Kind } from './schema.js';
import { checkDocumentSchema, formatPath } from './schema-errors.js';
import type { CheckSpec, DatasetSpec, PolicySet } from './types.js';

export interface ValidationResult {
  policy: PolicySet;
  diagnostics: Diagnostic[];
}

export function validatePolicies(loaded: LoadResult): ValidationResult {
  const diagnostics: Diagnostic[] = [...loaded.diagnostics];
  const policy: PolicySet = {
    datasets: [],
    access: [],
    controls: [],
    connections: [],
    policyHash: hashFiles(loaded.files),
    files: loaded.files.map((f) => ({ file: f.file, sha256: sha256(f.text) })),
  };
  const docs = new Map<string, RawDocument>();
  const accessDocs: RawDocument[] = [];
  const datasetDocs: [DatasetSpec, RawDocument][] = [];
  for (const doc of loaded.documents) {
    docs.set(`${doc.file}#${doc.index}`, doc);
    const kind = kindOf(doc, diagnostics);
    if (!kind) continue;
    const { diagnostics: schemaErrors, invalid } = checkDocumentSchema(doc, kind);
    if (schemaErrors.length > 0) {
      diagnostics.push(...schemaErrors);
      // The rest of a dataset document is still checked (unknown columns, expressions…), without the
      // values the schema rejected, so one run reports every error of the file (docs/errors.md).
      const rest = kind === 'dataset' ? withoutInvalid(doc, invalid) : undefined;
      if (rest) {
        const dataset = normalizeDataset(rest);
        datasetDocs.push([dataset, rest]);
        policy.datasets.push(dataset);
      }
      continue;
    }
    if (kind === 'dataset') {
      const dataset = normalizeDataset(doc);
      datasetDocs.push([dataset, doc]);
      policy.datasets.push(dataset);
    } else if (kind === 'connection') {
      const connection = normalizeConnection(doc);
      diagnostics.push(...validateConnection(connection, doc));
      policy.connections.push(connection);
    } else if (kind === 'access') {
      diagnostics.push(...validateAccessExpressions(doc));
      policy.access.push(doc.value as Record<string, unknown>);
      accessDocs.push(doc);
    } else {
      policy.controls.push(doc.value as Record<string, unknown>);
    }
  }
  // After every document is read: checks may refer to other datasets (reference, reconcile).
  for (const [dataset, doc] of datasetDocs) diagnostics.push(...validateDataset(dataset, doc, policy.datasets));
  diagnostics.push(...validateAcrossDocuments(policy, docs, accessDocs));
  diagnostics.push(...validateSources(policy.datasets, policy.connections, (d) => docs.get(`${d.file}#${d.docIndex}`)!));
  diagnostics.push(...validateAccess(accessDocs, policy.datasets, (d, column, under = []) => docs.get(`${d.file}#${d.docIndex}`)?.locate(['columns', column, ...under], under.length === 0)));
  return { policy, diagnostics: sortDiagnostics(diagnostics) };
}

/**
 * A dataset document without the values its schema errors point at: a
 * check with any error is left out whole (its entry becomes null, keeping
 * the other checks' positions), a column keeps its name but loses the
 * rejected property, and any other rejected key is removed. Undefined when
 * what remains cannot be read as a dataset (no name, columns or checks that
 * are not a mapping and a list).
 */
function withoutInvalid(doc: RawDocument, invalid: KeyPath[]): RawDocument | undefined {
  const value = structuredClone(doc.value) as Record<string, any>;
  for (const path of invalid) {
    if (path.length === 0) return undefined;
    const [top, second] = path;
    if (top === 'checks' && typeof second === 'number' && Array.isArray(value.checks)) {
      value.checks[second] = null;
    } else if (top === 'columns' && path.length === 2 && value.columns && typeof value.columns === 'object') {
      value.columns[second] = {};
    } else {
      let parent: any = value;
      for (const seg of path.slice(0, -1)) parent = parent?.[seg];
      if (parent && typeof parent === 'object' && !Array.isArray(parent)) delete parent[path[path.length - 1]];
      else return undefined;
    }
  }
  const ok = typeof value.name === 'string' && (value.columns === undefined || (typeof value.columns === 'object' && !Array.isArray(value.columns))) && (value.checks === undefined || Array.isArray(value.checks));
  if (!ok || typeof value.source !== 'object' || value.source === null) return undefined;
  return { ...doc, value };
}

function kindOf(doc: RawDocument, out: Diagnostic[]): Kind | undefined {
  const value = doc.value as Record<string, unknown> | null;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    out.push({ code: 'invalid-document', severity: 'error', location: doc.locate([]), message: 'a policy document is a mapping with a "kind"' });
    return undefined;
  }
  if (value.kind === undefined) {
    out.push({ code: 'missing-key', severity: 'error', location: doc.locate([]), message: 'missing required key "kind"', expected: `one of ${KINDS.join(', ')}` });
    return undefined;
  }
  if (!KINDS.includes(value.kind as Kind)) {
    out.push({ code: 'invalid-value', severity: 'error', path: 'kind', location: doc.locate(['kind']), message: `unknown kind ${JSON.stringify(value.kind)}`, expected: suggest(typeof value.kind === 'string' ? value.kind : JSON.stringify(value.kind) ?? '', [...KINDS]) });
    return undefined;
  }
  return value.kind as Kind;
}

/** Rules for one dataset's checks that the schema cannot express. */
function validateDataset(dataset: DatasetSpec, doc: RawDocument, datasets: readonly DatasetSpec[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const error = (path: KeyPath, code: string, message: string, expected?: string, key = false): void => {
    out.push({ code, severity: 'error', path: formatPath(path), location: doc.locate(path, key), message, expected });
  };
  const ctx: CheckContext = { dataset, column: (name) => dataset.columns[name], datasets };
  const declared = Object.keys(dataset.columns);
  const seenIds = new Map<string, CheckSpec>();
  if (dataset.source.where !== undefined) checkExpression(dataset.source.where, 'row', ['source', 'where'], error, declared);

  if (declared.length > 0) {
    dataset.key.forEach((column, i) => {
      const path = typeof (doc.value as { key?: unknown }).key === 'string' ? ['key'] : ['key', i];
      if (!dataset.columns[column]) error(path, 'unknown-column', `unknown key column "${column}" in dataset "${dataset.name}"`, suggest(column, declared));
    });
  }
  for (const [name, column] of Object.entries(dataset.columns)) {
    if (column.dateFormat === undefined) continue;
    if (column.type !== 'date' && column.type !== 'timestamp') {
      error(['columns', name, 'format'], 'invalid-date-format', `"${column.dateFormat}" is a date format, and column "${name}" is ${column.type ? `declared as ${column.type}` : 'not typed'}`, 'declare type: date or type: timestamp, or use a format name such as email');
      continue;
    }
    try {
      compileDateFormat(column.dateFormat, column.type);
    } catch (e) {
      if (!(e instanceof DateFormatError)) throw e;
      error(['columns', name, 'format'], 'invalid-date-format', `invalid date format "${column.dateFormat}": ${e.message}`);
    }
  }

  for (const check of dataset.checks) {
    const definition = checkDefinition(check.type);
    if (!definition) continue; // reported by the cross-document rules or the schema
    const at = (key?: string): KeyPath => (key ? [...check.path, key] : check.path);
    const isShorthand = check.path[0] === 'columns';

    if (definition.oneOf) {
      const present = definition.oneOf.filter((keys) => keys.every((k) => check.params[k] !== undefined));
      if (present.length !== 1) {
        error(at(), 'invalid-params', `give exactly one of ${definition.oneOf.map((k) => `"${k.join('", "')}"`).join(' or ')}`);
      }
    }
    for (const problem of definition.validate?.(check.params, ctx) ?? []) {
      error(isShorthand ? at() : at(problem.key), problem.code, problem.message, problem.expected);
    }
    validateOptions(check, definition.kind === 'aggregate' && !definition.ownThresholds, at, error);

    // Columns must be declared when the dataset declares any.
    if (declared.length > 0) {
      let columns: string[] = [];
      try {
        columns = definition.columns(check);
      } catch {
        // an invalid expression is reported below
      }
      // Columns read by an expression are reported by checkExpression, at the expression.
      const named = [check.params.column, ...(Array.isArray(check.params.columns) ? check.params.columns : [])];
      for (const column of columns.filter((c) => named.includes(c))) {
        if (!dataset.columns[column]) {
          const key = check.params.column === column ? 'column' : check.params.columns ? 'columns' : undefined;
          error(isShorthand ? at() : at(key), 'unknown-column', `unknown column "${column}" in dataset "${dataset.name}"`, suggest(column, declared));
        }
      }
    }
    for (const [key, context] of [['row', 'row'], ['expr', 'aggregate']] as const) {
      if (typeof check.params[key] === 'string' && definition.type === (key === 'row' ? 'expression' : 'aggregate')) {
        checkExpression(check.params[key] as string, context, at(key), error, declared);
      }
    }
    if (check.where !== undefined) checkExpression(check.where, 'row', at('where'), error, declared);

    const previous = seenIds.get(check.id);
    if (previous) {
      error(at(), 'duplicate-check', `check id "${check.id}" is already used at line ${previous.location.line}`, 'give one of them a "name"');
    } else {
      seenIds.set(check.id, check);
    }
  }

  return out;
}

function validateOptions(
  check: CheckSpec,
  /** Aggregate checks judged by the generic bounds (min, max, between, warn, fail_when). */
  boundsJudged: boolean,
  at: (key?: string) => KeyPath,
  error: (path: KeyPath, code: string, message: string, expected?: string) => void,
): void {
  for (const key of ['fail_when', 'warn_when'] as const) {
    const text = check[key];
    if (text === undefined) continue;
    const condition = parseCondition(text);
    if (condition?.percent && boundsJudged) {
      error(at(key), 'invalid-condition', 'a percent condition applies to row checks (percent of evaluated rows); aggregate checks compare the observed value');
    }
  }
  if (check.mostly !== undefined && check.fail_when !== undefined) {
    error(at('mostly'), 'conflicting-options', '"mostly" and "fail_when" both set the failure threshold; keep one');
  }
  if (boundsJudged) {
    const p = check.params;
    if (p.between !== undefined && (p.min !== undefined || p.max !== undefined)) {
      error(at('between'), 'conflicting-options', 'use "between" or "min"/"max", not both');
    }
    const hasBound = ['min', 'max', 'between', 'warn'].some((k) => p[k] !== undefined) || check.fail_when !== undefined || check.warn_when !== undefined;
    if (!hasBound) {
      error(at(), 'missing-threshold', `${check.type} needs a threshold: "min", "max", "between", "warn" or "fail_when"`);
    }
    for (const [path, bound] of boundsOf(p)) {
      if (typeof bound !== 'string') continue;
      // Only a metric's min/max/median of a date or timestamp column observes a date.
      if (check.type === 'metric' && parseTimestamp(bound) !== INVALID) continue;
      error([...at(), ...path], 'invalid-bound', `expected a number, found ${JSON.stringify(bound)}`, check.type === 'metric' ? 'a number, or an ISO date for a date or timestamp column' : undefined);
    }
    // Bounds no value can meet make a check that can only fail: refuse them, at the top level and in `warn`.
    for (const [prefix, object] of [[[], p], [['warn'], p.warn]] as [KeyPath, unknown][]) {
      if (!object || typeof object !== 'object') continue;
      const { min, max, between } = object as Record<string, unknown>;
      if (Array.isArray(between) && emptyBounds(between[0], between[1])) {
        error([...at(), ...prefix, 'between'], 'invalid-bound', `between [${String(between[0])}, ${String(between[1])}] is empty`);
      }
      if (emptyBounds(min, max)) error([...at(), ...prefix, 'min'], 'invalid-bound', `min ${String(min)} is greater than max ${String(max)}`);
    }
  }
}

/** Every aggregate bound with its key path under the check's params. */
function boundsOf(params: Record<string, unknown>): [KeyPath, unknown][] {
  const out: [KeyPath, unknown][] = [];
  const collect = (object: Record<string, unknown>, prefix: KeyPath) => {
    for (const key of ['min', 'max'] as const) if (object[key] !== undefined) out.push([[...prefix, key], object[key]]);
    if (Array.isArray(object.between)) object.between.forEach((b, i) => out.push([[...prefix, 'between', i], b]));
  };
  collect(params, []);
  if (params.warn && typeof params.warn === 'object') collect(params.warn as Record<string, unknown>, ['warn']);
  return out;
}

function checkExpression(
  source: string,
  context: ExpressionContext,
  path: KeyPath,
  error: (path: KeyPath, code: string, message: string, expected?: string) => void,
  declared: string[],
): void {
  try {
    const parsed = parseExpression(source, context);
    if (declared.length > 0) {
      for (const column of parsed.columns) {
        if (!declared.includes(column)) error(path, 'unknown-column', `unknown column "${column}"`, suggestColumn(column, declared));
      }
    }
  } catch (e) {
    if (!(e instanceof ExpressionError)) throw e;
    error(path, 'unsafe-expression', e.message);
  }
}

/** Row filters in access policies pass the same allow-list, with principal attributes. */
function validateAccessExpressions(doc: RawDocument): Diagnostic[] {
  const out: Diagnostic[] = [];
  const policies = ((doc.value as { policies?: { filter?: string }[] }).policies ?? []);
  policies.forEach((p, i) => {
    if (p.filter === undefined) return;
    checkExpression(p.filter, 'filter', ['policies', i, 'filter'], (path, code, message, expected) => {
      out.push({ code, severity: 'error', path: formatPath(path), location: doc.locate(path), message, expected });
    }, []);
  });
  return out;
}

/** Rules across documents: unique dataset names, known controls (cited by datasets, checks and access policies). */
function validateAcrossDocuments(policy: PolicySet, docs: Map<string, RawDocument>, accessDocs: RawDocument[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const byName = new Map<string, DatasetSpec>();
  for (const dataset of policy.datasets) {
    const previous = byName.get(dataset.name);
    if (previous) {
      out.push({ code: 'duplicate-dataset', severity: 'error', path: 'name', location: dataset.location, message: `dataset "${dataset.name}" is already declared in ${previous.file}:${previous.location.line}` });
    } else {
      byName.set(dataset.name, dataset);
    }
  }
  const known = knownControls(policy);
  if (known.size > 0) {
    for (const dataset of policy.datasets) {
      const doc = docs.get(`${dataset.file}#${dataset.docIndex}`)!;
      dataset.controls.forEach((c, i) => {
        if (!known.has(c)) out.push(unknownControl(c, known, ['controls', i], doc));
      });
      for (const check of dataset.checks) {
        if (check.path[0] !== 'checks') continue;
        const own = (doc.value as any).checks[check.path[1]][check.type]?.controls as string[] | undefined;
        own?.forEach((c, i) => {
          if (!known.has(c)) out.push(unknownControl(c, known, [...check.path, 'controls', i], doc));
        });
      }
    }
    for (const doc of accessDocs) {
      ((doc.value as { policies?: { controls?: string[] }[] }).policies ?? []).forEach((p, index) => {
        p.controls?.forEach((c, i) => {
          if (!known.has(c)) out.push(unknownControl(c, known, ['policies', index, 'controls', i], doc));
        });
      });
    }
  }
  for (const dataset of policy.datasets) {
    for (const check of dataset.checks) {
      if (!checkDefinition(check.type)) {
        const doc = docs.get(`${dataset.file}#${dataset.docIndex}`)!;
        out.push({ code: 'unsupported-check', severity: 'error', path: formatPath(check.path), location: doc.locate(check.path, true), message: `check type "${check.type}" is not supported yet` });
      }
    }
  }
  return out;
}

/** `soc2.CC7.1` for every control of every framework declared. */
export function knownControls(policy: PolicySet): Set<string> {
  const known = new Set<string>();
  for (const doc of policy.controls) {
    for (const [framework, controls] of Object.entries((doc.frameworks ?? {}) as Record<string, Record<string, unknown>>)) {
      for (const id of Object.keys(controls)) known.add(`${framework}.${id}`);
    }
  }
  return known;
}

function unknownControl(control: string, known: Set<string>, path: KeyPath, doc: RawDocument): Diagnostic {
  const near = closest(control, known);
  return {
    code: 'unknown-control',
    severity: 'error',
    path: formatPath(path),
    location: doc.locate(path),
    message: `unknown control "${control}"`,
    expected: near ? `did you mean "${near}"?` : 'declare it in a kind: controls document',
  };
}

function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** One hash over every policy file's name and content, in sorted order. */
function hashFiles(files: { file: string; text: string }[]): string {
  const hash = createHash('sha256');
  for (const f of [...files].sort((a, b) => (a.file < b.file ? -1 : 1))) hash.update(`${f.file}\0${f.text}\0`);
  return `sha256:${hash.digest('hex')}`;
}

