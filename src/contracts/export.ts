/**
 * `assay contract export --dataset D`: one dataset as an Open Data Contract
 * Standard v3 document (docs/contracts.md has the mapping).
 *
 * - Columns become `schema[0].properties`: type → logicalType, required,
 *   unique, classification (joined with ", "), description; min/max, length,
 *   pattern and format → logicalTypeOptions; `values` → an `invalidValues`
 *   library rule; `references` → a foreignKey relationship; `key` → primaryKey.
 * - Aggregate checks ODCS has a metric for (row_count, missing_count,
 *   missing_percent, duplicate_count) with plain numeric bounds become
 *   library rules; every other check is a `type: custom, engine: assay`
 *   rule holding the check as written, which ODCS reserves for
 *   vendor-specific rules. Nothing is left out.
 * - Freshness becomes the `latency` SLA of its column.
 * - The owner becomes the team; roles that may read the dataset (asked of
 *   the access decision function) become `roles`, with what they see of each
 *   column in a custom property. Controls and upstream are custom properties.
 */
import { decideAccess, type ColumnDecision } from '../access/decide.js';
import { buildAccessModel } from '../access/model.js';
import { DEFAULT_SAMPLES, deriveName } from '../policy/normalize.js';
import { formatFromPath } from '../sources/readers.js';
import { isTableSource, type CheckSpec, type DatasetSpec, type PolicySet } from '../policy/types.js';
import { ASSAY_ENGINE, FRESHNESS_SLA, LIBRARY_OPTIONS, ODCS_API_VERSION, PROP, toOdcsSeverity, type Json } from './odcs.js';

/** Library metrics for aggregate checks; `unit: percent` for missing_percent. */
const LIBRARY_METRIC: Record<string, { metric: string; unit?: string; level: 'schema' | 'property' }> = {
  row_count: { metric: 'rowCount', level: 'schema' },
  missing_count: { metric: 'nullValues', level: 'property' },
  missing_percent: { metric: 'nullValues', unit: 'percent', level: 'property' },
  duplicate_count: { metric: 'duplicateValues', level: 'property' },
};

export function exportContract(policy: PolicySet, dataset: DatasetSpec, version = '1.0.0'): Json {
  const properties: Json[] = Object.entries(dataset.columns).map(([name, spec]) => {
    const p: Json = { name };
    if (spec.type) p.logicalType = spec.type;
    if (spec.required) p.required = true;
    if (spec.unique) p.unique = true;
    if (dataset.key.includes(name)) Object.assign(p, { primaryKey: true, primaryKeyPosition: dataset.key.indexOf(name) + 1 });
    if (spec.description) p.description = spec.description;
    if (spec.classification?.length) p.classification = spec.classification.join(', ');
    const options: Json = {};
    if (spec.min !== undefined) options.minimum = spec.min;
    if (spec.max !== undefined) options.maximum = spec.max;
    if (spec.length?.min !== undefined) options.minLength = spec.length.min;
    if (spec.length?.max !== undefined) options.maxLength = spec.length.max;
    if (spec.pattern !== undefined) options.pattern = spec.pattern;
    if (spec.format !== undefined) options.format = spec.format;
    if (spec.dateFormat !== undefined) options.format = spec.dateFormat;
    if (Object.keys(options).length > 0) p.logicalTypeOptions = options;
    if (spec.references) p.relationships = [{ type: 'foreignKey', to: spec.references }];
    const quality: Json[] = [];
    if (spec.values) quality.push({ type: 'library', metric: 'invalidValues', arguments: { validValues: spec.values }, mustBe: 0 });
    if (quality.length > 0) p.quality = quality;
    return p;
  });

  const schemaQuality: Json[] = [];
  const sla: Json[] = [];
  for (const check of dataset.checks) {
    if (check.path[0] === 'columns') continue; // declared by a column property, exported with the column above
    if (check.type === 'freshness' && check.column !== undefined) {
      sla.push(freshnessSla(dataset, check));
      continue;
    }
    const rule = libraryRule(dataset, check) ?? customRule(dataset, check);
    const target = rule.level === 'property' ? properties.find((p) => p.name === check.column) : undefined;
    if (target) (target.quality = (target.quality as Json[] | undefined) ?? []).push(rule.entry);
    else schemaQuality.push(rule.entry);
  }

  const object: Json = { name: dataset.name, logicalType: 'object' };
  if (isTableSource(dataset.source)) Object.assign(object, { physicalName: dataset.source.table, physicalType: 'table' });
  else object.physicalType = 'file';
  if (dataset.description) object.description = dataset.description;
  object.properties = properties;
  if (schemaQuality.length > 0) object.quality = schemaQuality;

  const contract: Json = {
    apiVersion: ODCS_API_VERSION,
    kind: 'DataContract',
    id: dataset.name,
    name: dataset.name,
    version,
    status: 'active',
  };
  if (dataset.description) contract.description = { purpose: dataset.description };
  if (dataset.tags.length > 0) contract.tags = dataset.tags;
  contract.servers = [server(dataset)];
  contract.schema = [object];
  if (dataset.owner) contract.team = { name: dataset.owner, members: [{ username: dataset.owner, role: 'owner' }] };
  const roles = exportRoles(policy, dataset);
  if (roles.length > 0) contract.roles = roles;
  if (sla.length > 0) contract.slaProperties = sla;
  const custom: Json[] = [];
  if (dataset.controls.length > 0) custom.push({ property: PROP.controls, value: dataset.controls });
  if (dataset.upstream.length > 0) custom.push({ property: PROP.upstream, value: dataset.upstream });
  if (isTableSource(dataset.source) && dataset.source.where !== undefined) custom.push({ property: PROP.sourceWhere, value: dataset.source.where });
  if (custom.length > 0) contract.customProperties = custom;
  return contract;
}

function server(dataset: DatasetSpec): Json {
  const source = dataset.source;
  if (isTableSource(source)) return { server: source.connection, type: 'custom', description: `assay connection "${source.connection}"` };
  // ODCS requires a local server's format; assay's default comes from the extension.
  return { server: 'local', type: 'local', path: source.path, format: source.format ?? formatFromPath(source.path) ?? 'csv' };
}

/** The check as written in a `checks:` list entry: its params, then the common options that differ from their defaults. */
export function checkEntry(dataset: DatasetSpec, check: CheckSpec): Json {
  const body: Json = { ...check.params };
  const derived = deriveName({ ...check, name: '' });
  if (check.name !== derived) body.name = check.name;
  if (check.severity !== 'error') body.severity = check.severity;
  for (const key of ['where', 'mostly', 'fail_when', 'warn_when', 'description'] as const) if (check[key] !== undefined) body[key] = check[key];
  if (check.samples !== DEFAULT_SAMPLES) body.samples = check.samples;
  const own = check.controls.filter((c) => !dataset.controls.includes(c));
  if (own.length > 0) body.controls = own;
  return { [check.type]: body };
}

function libraryRule(dataset: DatasetSpec, check: CheckSpec): { entry: Json; level: 'schema' | 'property' } | undefined {
  const mapping = LIBRARY_METRIC[check.type];
  if (!mapping) return undefined;
  const { column, min, max, between, ...rest } = check.params as Json;
  if (Object.keys(rest).length > 0 || check.columns || (mapping.level === 'property') !== (column !== undefined)) return undefined;
  if (['where', 'mostly', 'fail_when', 'warn_when'].some((k) => check[k as keyof CheckSpec] !== undefined) || check.samples !== DEFAULT_SAMPLES)
    return undefined;
  if (check.controls.some((c) => !dataset.controls.includes(c))) return undefined; // a library rule has no field for its own controls
  const [lo, hi] = Array.isArray(between) ? between : [min, max];
  if (![lo, hi].every((v) => v === undefined || typeof v === 'number') || (lo === undefined && hi === undefined)) return undefined;
  const entry: Json = { type: 'library', metric: mapping.metric };
  if (mapping.unit) entry.unit = mapping.unit;
  if (lo !== undefined && hi !== undefined) {
    if (lo === hi) entry.mustBe = lo;
    else entry.mustBeBetween = [lo, hi];
  } else if (lo !== undefined) entry.mustBeGreaterOrEqualTo = lo;
  else entry.mustBeLessOrEqualTo = hi;
  if (check.name !== deriveName({ ...check, name: '' })) entry.name = check.name;
  if (check.severity !== 'error') entry.severity = toOdcsSeverity(check.severity);
  if (check.description) entry.description = check.description;
  for (const key of Object.keys(entry)) if (!['type', 'metric', 'unit'].includes(key) && !key.startsWith('must') && !LIBRARY_OPTIONS.has(key)) return undefined;
  return { entry, level: mapping.level };
}

function customRule(dataset: DatasetSpec, check: CheckSpec): { entry: Json; level: 'schema' | 'property' } {
  const entry: Json = { type: 'custom', engine: ASSAY_ENGINE, implementation: checkEntry(dataset, check) };
  if (check.description) entry.description = check.description;
  if (check.severity === 'warn') entry.severity = toOdcsSeverity(check.severity);
  return { entry, level: check.column !== undefined && !check.columns ? 'property' : 'schema' };
}

/** `48h` → value 48, unit `h`; ISO 8601 and other forms keep their text as the value. */
function durationSla(text: string): { value: string | number; unit?: string } {
  const m = /^(\d+(?:\.\d+)?)(s|m|h|d|w)$/.exec(text.trim());
  return m ? { value: Number(m[1]), unit: m[2] } : { value: text };
}

function freshnessSla(dataset: DatasetSpec, check: CheckSpec): Json {
  const { column, fail_after, warn_after, ...rest } = check.params as Json;
  const entry: Json = {
    property: FRESHNESS_SLA,
    ...(fail_after !== undefined ? durationSla(String(fail_after)) : { value: null }),
    element: `${dataset.name}.${String(column)}`,
  };
  if (check.description) entry.description = check.description;
  const custom: Json[] = [];
  if (warn_after !== undefined) custom.push({ property: PROP.warnAfter, value: warn_after });
  const options = checkEntry(dataset, check).freshness as Json;
  for (const key of ['column', 'fail_after', 'warn_after', 'description']) delete options[key];
  Object.assign(options, rest);
  if (Object.keys(options).length > 0) custom.push({ property: PROP.freshnessOptions, value: options });
  if (custom.length > 0) entry.customProperties = custom;
  return entry;
}

/** `clear`, `denied`, or the mask (`partial:4` with its keep_last). */
export function columnAccessText(c: ColumnDecision): string {
  if (c.access === 'denied') return 'denied';
  if (!c.mask) return 'clear';
  return c.mask.name === 'partial' ? `partial:${c.mask.keepLast}` : c.mask.name;
}

/** Roles that may read the dataset, with what they see, from the access decision function. */
function exportRoles(policy: PolicySet, dataset: DatasetSpec): Json[] {
  const model = buildAccessModel(policy);
  const descriptions = new Map<string, string | undefined>();
  for (const doc of policy.access as Json[])
    for (const [role, spec] of Object.entries((doc.roles ?? {}) as Record<string, Json | null>))
      descriptions.set(role, spec?.description as string | undefined);
  const out: Json[] = [];
  for (const role of model.roles) {
    const decision = decideAccess(model, { name: `role:${role}`, roles: [role], attributes: {} }, dataset);
    if (decision.decision !== 'allow') continue;
    const entry: Json = { role, access: 'read' };
    const description = descriptions.get(role);
    if (description) entry.description = description;
    const custom: Json[] = [{ property: PROP.columns, value: Object.fromEntries(Object.entries(decision.columns).map(([c, d]) => [c, columnAccessText(d)])) }];
    if (decision.rowFilters.length > 0)
      custom.push({
        property: PROP.rowFilter,
        value: decision.rowFilters.length === 1 ? decision.rowFilters[0].expression : decision.rowFilters.map((f) => `(${f.expression})`).join(' && '),
      });
    entry.customProperties = custom;
    out.push(entry);
  }
  return out;
}
