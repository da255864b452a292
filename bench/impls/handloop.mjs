// The practical limit: a hand-written single pass over the same in-memory
// typed columns assay checks (loaded by assay's loader, not timed as checks),
// computing the 12 metrics with no engine at all. The regex runs on RE2JS
// like assay's (linear time is a product requirement); `native` uses V8's
// backtracking RegExp instead, to show what linear-time matching costs.
import { RE2JS } from 're2js';
import { loadValidatedPolicies } from '../../dist/pipeline.js';
import { DEFAULT_BATCH_ROWS, streamDataset } from '../../dist/sources/stream.js';
import { cpu, emit, isoOf, now, percent, SUITE } from './common.mjs';

const [mode, file] = process.argv.slice(2);
const { policy } = loadValidatedPolicies([new URL('../suite', import.meta.url).pathname]);
const spec = policy.datasets[0];
const start = now();
const cpuStart = cpu();
const stream = streamDataset({ dataset: spec.name, source: spec.source, policyFile: spec.file, columns: spec.columns, overridePath: file }, DEFAULT_BATCH_ROWS);
const batches = [];
for await (const batch of stream.batches()) batches.push(batch);
const loadMs = now() - start;

const checksStart = now();
const checksCpuStart = cpu();
const re = RE2JS.compile(SUITE.emailPattern);
const native = new RegExp(SUITE.emailPattern);
const matches = mode === 'native' ? (text) => native.test(text) : (text) => re.test(text);
const countries = new Set(SUITE.countries);
const statuses = new Set(SUITE.statuses);
const [amountMin, amountMax] = SUITE.amount;
const [quantityMin, quantityMax] = SUITE.quantity;
const orderIds = new Map();
let rows = 0, customerNulls = 0, createdNulls = 0, duplicateRows = 0, emailNulls = 0, patternFailed = 0;
let countryFailed = 0, statusFailed = 0, amountFailed = 0, amountEvaluated = 0, quantityFailed = 0, updatedBefore = 0;
let newest = -Infinity;
for (const b of batches) {
  const c = b.columns;
  const orderId = c.get('order_id'), customer = c.get('customer_id'), email = c.get('email'), country = c.get('country');
  const amount = c.get('amount'), quantity = c.get('quantity'), status = c.get('status'), created = c.get('created_at'), updated = c.get('updated_at');
  for (let i = 0; i < b.rows; i++) {
    rows++;
    if (customer[i] == null) customerNulls++;
    const createdAt = created[i];
    if (createdAt == null) createdNulls++;
    else if (createdAt.getTime() > newest) newest = createdAt.getTime();
    const id = orderId[i];
    if (id != null) {
      const seen = orderIds.get(id);
      if (seen === undefined) orderIds.set(id, 1);
      else {
        duplicateRows += seen === 1 ? 2 : 1;
        orderIds.set(id, seen + 1);
      }
    }
    const e = email[i];
    if (e == null) emailNulls++;
    else if (!matches(e)) patternFailed++;
    if (country[i] != null && !countries.has(country[i])) countryFailed++;
    if (status[i] != null && !statuses.has(status[i])) statusFailed++;
    const a = amount[i];
    if (a != null) {
      amountEvaluated++;
      if (a < amountMin || a > amountMax) amountFailed++;
    }
    const q = quantity[i];
    if (q != null && (q < quantityMin || q > quantityMax)) quantityFailed++;
    const u = updated[i];
    if (u != null && createdAt != null && u.getTime() < createdAt.getTime()) updatedBefore++; // nulls are not evaluated (SQL's null logic, as assay)
  }
}
const checksMs = now() - checksStart;
const checksCpuMs = cpu() - checksCpuStart;
emit({
  loadMs,
  checksMs,
  totalMs: now() - start,
  cpuMs: cpu() - cpuStart,
  checksCpuMs,
  metrics: {
    rows,
    customer_id_nulls: customerNulls,
    created_at_nulls: createdNulls,
    order_id_duplicate_rows: duplicateRows,
    email_missing_percent: percent(emailNulls, rows),
    email_pattern_failed: patternFailed,
    email_pattern_evaluated: rows - emailNulls,
    country_failed: countryFailed,
    status_failed: statusFailed,
    amount_range_failed: amountFailed,
    amount_range_evaluated: amountEvaluated,
    quantity_range_failed: quantityFailed,
    updated_before_created: updatedBefore,
    newest_created_at: rows > createdNulls ? isoOf(newest) : null,
  },
});
