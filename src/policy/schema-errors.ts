/**
 * ajv validation with readable errors: each ErrorObject becomes a Diagnostic
 * with a SPEC-style key path (`checks[2].range`), a file position, and a
 * did-you-mean for unknown keys and enum values.
 */
import type { ErrorObject } from 'ajv/dist/2020.js';
import type { Diagnostic } from '../util/diagnostics.js';
import { suggest } from '../util/did-you-mean.js';
import type { KeyPath, RawDocument } from './load.js';
import type { Kind } from './schema.js';
import { validators } from './validators.js';

/** Validate one document against its kind's schema. */
export function validateDocumentSchema(doc: RawDocument, kind: Kind): Diagnostic[] {
  return checkDocumentSchema(doc, kind).diagnostics;
}

/**
 * Validate one document; also the key path of every value the schema
 * rejected (for an unknown key, the key's own path), so the rules after the
 * schema can still run on the rest of the document (validate.ts).
 */
export function checkDocumentSchema(doc: RawDocument, kind: Kind): { diagnostics: Diagnostic[]; invalid: KeyPath[] } {
  const validate = validators[kind];
  if (validate(doc.value)) return { diagnostics: [], invalid: [] };
  const errors = validate.errors ?? [];
  const invalid = errors.map((err) => {
    const path = pointerToPath(err.instancePath);
    const params = err.params as Record<string, unknown>;
    if (err.keyword === 'additionalProperties') return [...path, params.additionalProperty as string];
    if (err.keyword === 'propertyNames' && typeof params.propertyName === 'string') return [...path, params.propertyName];
    return path;
  });
  return { diagnostics: toDiagnostics(doc, errors), invalid };
}

/** `/checks/2/range` → ['checks', 2, 'range'] */
export function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** ['checks', 2, 'range'] → `checks[2].range` */
export function formatPath(path: KeyPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? seg : `.${/^[\w-]+$/.test(seg) ? seg : JSON.stringify(seg)}`;
  }
  return out;
}

function toDiagnostics(doc: RawDocument, errors: ErrorObject[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  // An error under a failing anyOf/if is repeated by its parent; keep the most specific.
  for (const err of errors) {
    if (err.keyword === 'if' || err.keyword === 'anyOf') continue;
    // The inner error of a failed propertyNames; the propertyNames error itself says it better.
    if (err.propertyName !== undefined) continue;
    const d = toDiagnostic(doc, err);
    const key = `${d.path}|${d.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(d);
    }
  }
  if (out.length === 0) {
    for (const err of errors) out.push(toDiagnostic(doc, err));
  }
  return out;
}

function toDiagnostic(doc: RawDocument, err: ErrorObject): Diagnostic {
  const path = pointerToPath(err.instancePath);
  const base = { severity: 'error' as const, path: formatPath(path) || undefined };
  const params = err.params as Record<string, any>;
  switch (err.keyword) {
    case 'additionalProperties': {
      const key = params.additionalProperty as string;
      const allowed = Object.keys((err.parentSchema as any)?.properties ?? {});
      return { ...base, code: 'unknown-key', location: doc.locate([...path, key], true), message: `unknown key "${key}"`, expected: suggest(key, allowed) };
    }
    case 'propertyNames': {
      const key = params.propertyName as string;
      const allowed = ((err.parentSchema as any)?.propertyNames?.enum ?? []) as string[];
      return { ...base, code: 'unknown-check', location: doc.locate([...path, key], true), message: `unknown check type "${key}"`, expected: suggest(key, allowed) };
    }
    case 'required': {
      const key = params.missingProperty as string;
      // No position exists for an absent key: point at the mapping that lacks it.
      return { ...base, code: 'missing-key', location: doc.locate(path), message: `missing required key "${key}"` };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const value = valueAt(doc.value, path);
      return { ...base, code: 'invalid-value', location: doc.locate(path), message: `invalid value ${JSON.stringify(value)}`, expected: suggest(typeof value === 'string' ? value : JSON.stringify(value) ?? '', allowed) };
    }
    case 'const':
      return { ...base, code: 'invalid-value', location: doc.locate(path), message: `must be ${JSON.stringify(params.allowedValue)}` };
    case 'type':
      return { ...base, code: 'invalid-type', location: doc.locate(path), message: `expected ${String(params.type).replace(',', ' or ')}, found ${typeName(valueAt(doc.value, path))}` };
    case 'pattern':
      return { ...base, code: 'invalid-value', location: doc.locate(path), message: `invalid value ${JSON.stringify(valueAt(doc.value, path))}`, expected: (err.parentSchema as any)?.description ?? `must match ${params.pattern}` };
    case 'minProperties':
    case 'maxProperties':
      if (path.length >= 2 && path[path.length - 2] === 'checks') {
        return { ...base, code: 'invalid-check', location: doc.locate(path), message: 'a check is one key, its type, e.g. "- not_null: { column: id }"' };
      }
      return { ...base, code: 'invalid-value', location: doc.locate(path), message: err.message ?? 'invalid' };
    default:
      return { ...base, code: 'invalid-value', location: doc.locate(path), message: err.message ?? 'invalid' };
  }
}

function valueAt(value: unknown, path: KeyPath): unknown {
  let v: any = value;
  for (const seg of path) v = v?.[seg];
  return v;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
