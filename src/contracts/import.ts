/**
 * `assay contract import FILE`: the assay policy for an ODCS v3 document.
 * One `kind: dataset` document per schema object, and a draft `kind: access`
 * document from the contract's roles. Every field that has no assay
 * meaning is listed (`notMapped`), printed on stderr by the command and
 * written as comments at the top of the output: nothing is dropped silently.
 *
 * The document is untrusted input: every field is type-checked before use;
 * a field of the wrong shape is listed as not mapped, never trusted.
 */
import { Document } from 'yaml';
import { FORMAT_NAMES } from '../checks/formats.js';
import { FORMATS, formatFromPath } from '../sources/readers.js';
import { parseDuration } from '../util/duration.js';
import { ASSAY_ENGINE, FRESHNESS_SLA, LOGICAL_TYPES, PROP, SLA_UNITS, fromOdcsSeverity, type Json } from './odcs.js';

export interface ImportResult {
  /** The policy as YAML (several documents). */
  yaml: string;
  /** `path: why` for everything not mapped. */
  notMapped: string[];
  datasets: string[];
}

const NAME = /^[a-z0-9_.-]+$/;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** Names come from an untrusted document: `__proto__` must become a key, not a prototype. */
const setOwn = (o: Json, key: string, value: unknown) => Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });

/** A name assay accepts: lowercase, other characters as `_`. */
export function assayName(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9_.-]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'dataset'
  );
}

/** Handled keys of each ODCS object; any other key present is listed as not mapped. */
const CONTRACT_KEYS = new Set([
  'apiVersion',
  'kind',
  'id',
  'version',
  'status',
  'name',
  'description',
  'tags',
  'schema',
  'team',
  'roles',
  'slaProperties',
  'slaDefaultElement',
  'customProperties',
  'servers',
]);
const OBJECT_KEYS = new Set(['name', 'logicalType', 'physicalType', 'physicalName', 'description', 'properties', 'quality']);
const PROPERTY_KEYS = new Set([
  'name',
  'logicalType',
  'required',
  'unique',
  'primaryKey',
  'primaryKeyPosition',
  'description',
  'classification',
  'logicalTypeOptions',
  'relationships',
  'quality',
]);
const QUALITY_KEYS = new Set([
  'type',
  'metric',
  'unit',
  'name',
  'severity',
  'description',
  'arguments',
  'engine',
  'implementation',
  'mustBe',
  'mustBeGreaterThan',
  'mustBeGreaterOrEqualTo',
  'mustBeLessThan',
  'mustBeLessOrEqualTo',
  'mustBeBetween',
]);

export function importContract(contract: unknown): ImportResult {
  const notMapped: string[] = [];
  const skip = (path: string, why: string) => notMapped.push(`${path}: ${why}`);
  if (!isObject(contract)) throw new Error('not an ODCS document: expected a mapping at the top level');
  if (contract.kind !== 'DataContract') throw new Error(`not an ODCS document: kind is ${JSON.stringify(contract.kind ?? null)}, expected "DataContract"`);
  if (!isString(contract.apiVersion) || !/^v3\./.test(contract.apiVersion))
    skip('apiVersion', `${JSON.stringify(contract.apiVersion ?? null)}: assay reads ODCS v3; read as v3 anyway`);
  for (const key of Object.keys(contract)) if (!CONTRACT_KEYS.has(key)) skip(key, 'no assay equivalent');

  const owner = ownerOf(contract.team, skip);
  const tags = list(contract.tags).filter(isString);
  const custom = new Map(
    list(contract.customProperties)
      .filter(isObject)
      .map((p) => [p.property, p.value]),
  );
  list(contract.customProperties).forEach((p, i) => {
    if (!isObject(p) || (p.property !== PROP.controls && p.property !== PROP.upstream))
      skip(`customProperties[${i}]`, `${isObject(p) ? String(p.property) : 'entry'}: no assay equivalent`);
  });
  const controls = list(custom.get(PROP.controls)).filter(isString);
  const upstream = list(custom.get(PROP.upstream)).filter(isString);
  const description = isObject(contract.description) ? contract.description : undefined;
  if (description) for (const key of Object.keys(description)) if (key !== 'purpose') skip(`description.${key}`, 'assay keeps one description (the purpose)');
  const servers = list(contract.servers);
  const server = servers.find(isObject);
  servers.forEach((s, i) => {
    if (s !== server || !isObject(s) || !['local', 'custom'].includes(String(s.type)))
      skip(`servers[${i}]`, `${isObject(s) ? String(s.type) : 'entry'} server: assay reads local files and its own connections; set source by hand`);
  });

  const datasets: Json[] = [];
  const schema = list(contract.schema);
  if (schema.length === 0) skip('schema', 'no schema objects: no dataset to write');
  schema.forEach((raw, i) => {
    if (!isObject(raw) || !isString(raw.name)) return skip(`schema[${i}]`, 'not a named schema object');
    const dataset = importObject(raw, `schema[${i}]`, skip);
    if (schema.length === 1 && isString(contract.name) && contract.name !== raw.name)
      skip('name', `contract name "${contract.name}" differs from its schema object's; the dataset is named after the object`);
    if (description && isString(description.purpose) && dataset.description === undefined) dataset.description = description.purpose;
    if (owner) dataset.owner = owner;
    if (tags.length > 0) dataset.tags = tags;
    if (upstream.length > 0) dataset.upstream = upstream;
    dataset.source = sourceFor(server, raw, dataset.name as string, skip);
    const table = (dataset.source as Json).table !== undefined;
    const where = custom.get(PROP.sourceWhere);
    if (table && isString(where)) (dataset.source as Json).where = where;
    if (raw.physicalName !== undefined && !table)
      skip(`schema[${i}].physicalName`, `"${String(raw.physicalName)}": no table source to name (set source by hand)`);
    if (raw.physicalType !== undefined && raw.physicalType !== (table ? 'table' : 'file'))
      skip(`schema[${i}].physicalType`, `"${String(raw.physicalType)}": assay reads files and tables`);
    if (controls.length > 0) dataset.controls = controls;
    datasets.push(dataset);
  });
  importSla(contract, datasets, skip);
  // Key order as people write it.
  const ordered = datasets.map((d) => {
    const { kind, name, description: desc, owner: own, tags: t, upstream: up, key, source, columns, freshness, controls: ctl, checks } = d;
    return Object.fromEntries(
      Object.entries({ kind, name, description: desc, owner: own, tags: t, upstream: up, key, source, columns, freshness, controls: ctl, checks }).filter(
        ([, v]) => v !== undefined,
      ),
    );
  });
  const access = importRoles(
    contract.roles,
    datasets.map((d) => d.name as string),
    classificationsOf(datasets),
    skip,
  );

  const header = [
    `Imported by assay contract import from ODCS contract ${JSON.stringify(contract.id ?? null)} version ${JSON.stringify(contract.version ?? null)}.`,
    ...(notMapped.length > 0 ? ['Not mapped (no assay equivalent; review by hand):', ...notMapped.map((n) => `  - ${n}`)] : ['Every field was mapped.']),
  ];
  const docs = ordered.map((d, i) => {
    const doc = new Document(d);
    if (i === 0) doc.commentBefore = header.map((l) => ` ${l}`).join('\n');
    return doc.toString({ lineWidth: 0 });
  });
  if (access) {
    const doc = new Document(access);
    doc.commentBefore = " A draft from the contract's roles: review before relying on it.";
    docs.push(doc.toString({ lineWidth: 0 }));
  }
  return { yaml: docs.join('---\n'), notMapped, datasets: datasets.map((d) => d.name as string) };
}

function ownerOf(team: unknown, skip: (p: string, w: string) => void): string | undefined {
  const members = Array.isArray(team) ? team : isObject(team) ? list(team.members) : [];
  const people = members.filter(isObject).filter((m) => isString(m.username));
  const owner = people.find((m) => /owner/i.test(String(m.role ?? ''))) ?? (isObject(team) && isString(team.name) ? undefined : people[0]);
  const name = owner ? (owner.username as string) : isObject(team) && isString(team.name) ? team.name : undefined;
  people.filter((m) => m !== owner).forEach((m) => skip(`team: ${String(m.username)}`, `member (${String(m.role ?? 'no role')}): assay records one owner`));
  return name;
}

function importObject(raw: Json, path: string, skip: (p: string, w: string) => void): Json {
  const name = assayName(raw.name as string);
  if (name !== raw.name) skip(`${path}.name`, `"${String(raw.name)}" is not an assay name; the dataset is "${name}"`);
  for (const key of Object.keys(raw)) if (!OBJECT_KEYS.has(key)) skip(`${path}.${key}`, 'no assay equivalent');
  const dataset: Json = { kind: 'dataset', name };
  if (isString(raw.description)) dataset.description = raw.description;
  const columns: Json = {};
  const checks: Json[] = [];
  const keys: [number, string][] = [];
  list(raw.properties).forEach((p, i) => {
    const at = `${path}.properties[${i}]`;
    if (!isObject(p) || !isString(p.name)) return skip(at, 'not a named property');
    for (const key of Object.keys(p)) if (!PROPERTY_KEYS.has(key)) skip(`${at}.${key}`, 'no assay equivalent');
    const column: Json = {};
    if (p.logicalType !== undefined) {
      if (LOGICAL_TYPES.includes(p.logicalType as never)) column.type = p.logicalType;
      else skip(`${at}.logicalType`, `"${String(p.logicalType)}" has no assay column type; the column is untyped`);
    }
    if (p.required === true) column.required = true;
    if (p.unique === true) column.unique = true;
    if (p.primaryKey === true) keys.push([typeof p.primaryKeyPosition === 'number' && p.primaryKeyPosition > 0 ? p.primaryKeyPosition : 1e9, p.name]);
    if (isString(p.description)) column.description = p.description;
    if (isString(p.classification))
      column.classification = p.classification
        .split(',')
        .map((c) => c.trim())
        .filter((c) => c !== '');
    if (isObject(p.logicalTypeOptions)) importTypeOptions(p.logicalTypeOptions, column, `${at}.logicalTypeOptions`, skip);
    list(p.relationships).forEach((r, j) => {
      if (isObject(r) && (r.type ?? 'foreignKey') === 'foreignKey' && isString(r.to) && /^[a-z0-9_.-]+\.[^.]+$/.test(r.to) && column.references === undefined)
        column.references = r.to;
      else skip(`${at}.relationships[${j}]`, 'only one single-column foreignKey to dataset.column maps (references)');
    });
    list(p.quality).forEach((q, j) => importQuality(q, p.name as string, column, checks, `${at}.quality[${j}]`, skip));
    setOwn(columns, p.name, column);
  });
  list(raw.quality).forEach((q, j) => importQuality(q, undefined, undefined, checks, `${path}.quality[${j}]`, skip));
  if (keys.length > 0) dataset.key = keys.sort((a, b) => a[0] - b[0]).map(([, n]) => n);
  dataset.columns = columns;
  if (checks.length > 0) dataset.checks = checks;
  return dataset;
}

function importTypeOptions(options: Json, column: Json, path: string, skip: (p: string, w: string) => void): void {
  for (const [key, value] of Object.entries(options)) {
    if ((key === 'minimum' || key === 'maximum') && (typeof value === 'number' || isString(value))) column[key === 'minimum' ? 'min' : 'max'] = value;
    else if ((key === 'minLength' || key === 'maxLength') && typeof value === 'number')
      column.length = { ...((column.length as Json) ?? {}), [key === 'minLength' ? 'min' : 'max']: value };
    else if (key === 'pattern' && isString(value)) column.pattern = value;
    else if (key === 'format' && isString(value) && (FORMAT_NAMES.includes(value) || value.includes('%'))) column.format = value;
    else
      skip(
        `${path}.${key}`,
        key === 'format' ? `format "${String(value)}" is not an assay format (${FORMAT_NAMES.join(', ')}) or strftime pattern` : 'no assay equivalent',
      );
  }
}

/** ODCS operators → assay bounds; a strict comparison maps only for counts (integers). */
function boundsOf(q: Json, counts: boolean): Json | string {
  const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  if (q.mustBe !== undefined) return isNum(q.mustBe) ? { between: [q.mustBe, q.mustBe] } : 'mustBe is not a number';
  if (Array.isArray(q.mustBeBetween) && q.mustBeBetween.length === 2 && q.mustBeBetween.every(isNum)) return { between: q.mustBeBetween };
  const out: Json = {};
  if (isNum(q.mustBeGreaterOrEqualTo)) out.min = q.mustBeGreaterOrEqualTo;
  if (isNum(q.mustBeLessOrEqualTo)) out.max = q.mustBeLessOrEqualTo;
  if (q.mustBeGreaterThan !== undefined) {
    if (!counts || !Number.isInteger(q.mustBeGreaterThan)) return 'mustBeGreaterThan maps only for counts (min n+1)';
    out.min = (q.mustBeGreaterThan as number) + 1;
  }
  if (q.mustBeLessThan !== undefined) {
    if (!counts || !Number.isInteger(q.mustBeLessThan)) return 'mustBeLessThan maps only for counts (max n-1)';
    out.max = (q.mustBeLessThan as number) - 1;
  }
  return Object.keys(out).length > 0 ? out : 'no operator assay understands (mustNotBe and mustNotBeBetween have no equivalent)';
}

function importQuality(
  q: unknown,
  column: string | undefined,
  spec: Json | undefined,
  checks: Json[],
  path: string,
  skip: (p: string, w: string) => void,
): void {
  if (!isObject(q)) return skip(path, 'not a quality rule');
  const type = q.type ?? (q.metric !== undefined ? 'library' : undefined);
  if (type === 'custom' && q.engine === ASSAY_ENGINE) {
    const entry = q.implementation;
    if (isObject(entry) && Object.keys(entry).length === 1 && isObject(Object.values(entry)[0])) {
      checks.push(entry);
      return;
    }
    return skip(path, 'an assay rule whose implementation is not one check entry');
  }
  if (type === 'sql') return skip(path, 'SQL rule: policy files never carry SQL text (SPEC §5.1)');
  if (type === 'text') return skip(path, `text rule: ${isString(q.description) ? JSON.stringify(q.description) : 'no description'}`);
  if (type === 'custom') return skip(path, `custom rule for engine ${JSON.stringify(q.engine ?? null)}`);
  if (type !== 'library') return skip(path, `quality type ${JSON.stringify(type ?? null)}`);
  for (const key of Object.keys(q)) if (!QUALITY_KEYS.has(key)) skip(`${path}.${key}`, 'no assay equivalent');
  const common: Json = {};
  if (isString(q.name)) {
    if (NAME.test(q.name)) common.name = q.name;
    else skip(`${path}.name`, `"${q.name}" is not an assay check name; the name is derived`);
  }
  const severity = fromOdcsSeverity(q.severity);
  if (severity === 'warn') common.severity = 'warn';
  else if (q.severity !== undefined && severity === undefined) skip(`${path}.severity`, `"${String(q.severity)}": assay has error and warn`);
  if (isString(q.description)) common.description = q.description;
  const percent = q.unit === 'percent';
  if (q.unit !== undefined && !percent && q.unit !== 'rows') skip(`${path}.unit`, `unit "${String(q.unit)}"`);
  const metric = q.metric ?? q.rule;
  const args = isObject(q.arguments) ? q.arguments : {};
  if (metric === 'invalidValues' && column && spec && (q.mustBe === 0 || q.mustBeLessOrEqualTo === 0) && Object.keys(common).length === 0) {
    if (Array.isArray(args.validValues) && spec.values === undefined) {
      spec.values = args.validValues;
      return;
    }
    if (isString(args.pattern) && spec.pattern === undefined) {
      spec.pattern = args.pattern;
      return;
    }
  }
  const counts = !percent;
  const bounds = boundsOf(q, counts);
  if (typeof bounds === 'string') return skip(path, `${String(metric)}: ${bounds}`);
  if (Object.keys(args).length > 0) return skip(`${path}.arguments`, `${String(metric)} with arguments ${JSON.stringify(args)}`);
  if (metric === 'rowCount' && !column && !percent) checks.push({ row_count: { ...bounds, ...common } });
  else if (metric === 'nullValues' && column) checks.push({ [percent ? 'missing_percent' : 'missing_count']: { column, ...bounds, ...common } });
  else if (metric === 'duplicateValues' && column && !percent) checks.push({ duplicate_count: { column, ...bounds, ...common } });
  else skip(path, `library metric ${JSON.stringify(metric ?? null)}${column ? '' : ' at schema level'}${percent ? ' in percent' : ''}`);
}

function sourceFor(server: Json | undefined, object: Json, name: string, skip: (p: string, w: string) => void): Json {
  if (server?.type === 'local' && isString(server.path)) {
    // The format is written only when the extension does not say it (assay's default).
    const format = isString(server.format) ? server.format.toLowerCase() : undefined;
    const known = format !== undefined && (FORMATS as string[]).includes(format);
    if (format !== undefined && !known) skip('servers[0].format', `"${format}": assay reads ${FORMATS.join(', ')}`);
    return { path: server.path, ...(known && format !== formatFromPath(server.path) ? { format } : {}) };
  }
  if (server?.type === 'custom' && isString(server.server) && NAME.test(server.server) && isString(object.physicalName))
    return { connection: server.server, table: object.physicalName };
  return { path: `${name}.csv` };
}

function importSla(contract: Json, datasets: Json[], skip: (p: string, w: string) => void): void {
  list(contract.slaProperties).forEach((raw, i) => {
    const at = `slaProperties[${i}]`;
    if (!isObject(raw)) return skip(at, 'not an SLA property');
    if (raw.property !== FRESHNESS_SLA && raw.property !== 'freshness') return skip(at, `SLA "${String(raw.property)}": assay checks freshness (latency) only`);
    const element = isString(raw.element) ? raw.element : isString(contract.slaDefaultElement) ? contract.slaDefaultElement : undefined;
    const dot = element?.lastIndexOf('.') ?? -1;
    const dataset =
      element && dot > 0 ? datasets.find((d) => d.name === assayName(element.slice(0, dot))) : datasets.length === 1 && element ? datasets[0] : undefined;
    const column = element ? element.slice(dot + 1) : undefined;
    if (!dataset || !column) return skip(at, `latency without an element naming one of the contract's columns (${JSON.stringify(element ?? null)})`);
    const unit = isString(raw.unit) ? SLA_UNITS[raw.unit.toLowerCase()] : undefined;
    const failAfter =
      typeof raw.value === 'number' && unit
        ? `${raw.value}${unit}`
        : isString(raw.value) && parseDuration(raw.value) !== undefined && raw.unit === undefined
          ? raw.value
          : undefined;
    const custom = new Map(
      list(raw.customProperties)
        .filter(isObject)
        .map((p) => [p.property, p.value]),
    );
    const options = isObject(custom.get(PROP.freshnessOptions)) ? (custom.get(PROP.freshnessOptions) as Json) : {};
    const entry: Json = {
      column,
      ...(failAfter ? { fail_after: failAfter } : {}),
      ...(isString(custom.get(PROP.warnAfter)) ? { warn_after: custom.get(PROP.warnAfter) } : {}),
      ...options,
    };
    if (isString(raw.description)) entry.description = raw.description;
    if (!failAfter) {
      skip(at, `latency ${JSON.stringify(raw.value)} ${String(raw.unit ?? '')}: not a duration assay reads`);
      if (entry.warn_after === undefined) return;
    }
    for (const key of Object.keys(raw))
      if (!['property', 'value', 'unit', 'element', 'description', 'customProperties'].includes(key)) skip(`${at}.${key}`, 'no assay equivalent');
    dataset.checks = [{ freshness: entry }, ...((dataset.checks as Json[]) ?? [])];
  });
}

function classificationsOf(datasets: Json[]): string[] {
  return [...new Set(datasets.flatMap((d) => Object.values(d.columns as Record<string, Json>).flatMap((c) => (c.classification as string[]) ?? [])))];
}

/** Roles → a draft access document: an allow per reading role, and the masks, denies and row filters assay wrote on export. */
function importRoles(roles: unknown, datasets: string[], classifications: string[], skip: (p: string, w: string) => void): Json | undefined {
  const entries = list(roles);
  if (entries.length === 0 && classifications.length === 0) return undefined;
  const doc: Json = { kind: 'access' };
  if (classifications.length > 0) doc.classifications = classifications;
  const declared: Json = {};
  const policies: Json[] = [];
  /** Roles the contract says nothing about per column: the draft redacts classified columns for them (safe until reviewed). */
  const unspecified: string[] = [];
  entries.forEach((raw, i) => {
    const at = `roles[${i}]`;
    if (!isObject(raw) || !isString(raw.role)) return skip(at, 'not a role');
    const role = raw.role;
    if (raw.access !== undefined && raw.access !== 'read') return skip(at, `role "${role}" with ${String(raw.access)} access: assay governs reading only`);
    for (const key of Object.keys(raw)) if (!['role', 'access', 'description', 'customProperties'].includes(key)) skip(`${at}.${key}`, 'no assay equivalent');
    setOwn(declared, role, isString(raw.description) ? { description: raw.description } : {});
    const slug = assayName(role);
    const names = datasets;
    policies.push({ name: `${slug}-reads`, effect: 'allow', roles: [role], datasets: { names } });
    const custom = new Map(
      list(raw.customProperties)
        .filter(isObject)
        .map((p) => [p.property, p.value]),
    );
    const columns = custom.get(PROP.columns);
    if (!isObject(columns)) unspecified.push(role);
    else {
      const byAccess = new Map<string, string[]>();
      for (const [column, access] of Object.entries(columns))
        if (isString(access) && access !== 'clear') byAccess.set(access, [...(byAccess.get(access) ?? []), column]);
      for (const [access, cols] of byAccess) {
        const partial = /^partial:(\d+)$/.exec(access);
        if (access === 'denied') policies.push({ name: `${slug}-denied`, effect: 'deny', roles: [role], datasets: { names }, columns: { names: cols } });
        else if (partial)
          policies.push({
            name: `${slug}-partial-${partial[1]}`,
            effect: 'mask',
            roles: [role],
            datasets: { names },
            columns: { names: cols },
            mask: 'partial',
            keep_last: Number(partial[1]),
          });
        else if (['null', 'redact', 'hash', 'year_only'].includes(access))
          policies.push({
            name: `${slug}-${access.replace('_', '-')}`,
            effect: 'mask',
            roles: [role],
            datasets: { names },
            columns: { names: cols },
            mask: access,
          });
        else skip(`${at}.customProperties`, `column access "${access}"`);
      }
    }
    const filter = custom.get(PROP.rowFilter);
    if (isString(filter)) policies.push({ name: `${slug}-rows`, effect: 'row_filter', roles: [role], datasets: { names }, filter });
  });
  if (unspecified.length > 0 && classifications.length > 0) {
    policies.push({
      name: 'draft-classified-redacted',
      description: 'The contract does not say who may see classified columns in clear: redacted until reviewed.',
      effect: 'mask',
      roles: unspecified,
      datasets: { names: datasets },
      columns: { classification: classifications },
      mask: 'redact',
    });
  }
  if (Object.keys(declared).length > 0) doc.roles = declared;
  doc.policies = policies;
  doc.default = 'deny';
  return doc;
}
