// Shared by the benchmark implementations: the metrics every implementation
// must agree on (one per check of bench/suite/orders.yaml) and the one-line
// JSON each child process prints.

/** Accepted values and bounds of the suite, for the implementations that do not read the policy. */
export const SUITE = {
  countries: ['US', 'GB', 'DE', 'FR', 'ES', 'IT', 'NL'],
  statuses: ['placed', 'paid', 'shipped', 'cancelled', 'refunded'],
  emailPattern: '^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$',
  amount: [0, 10000],
  quantity: [1, 100],
};

/** The metrics, in report order. `evaluated` counts are compared too where a row check has them. */
export const METRICS = [
  'rows', 'customer_id_nulls', 'created_at_nulls', 'order_id_duplicate_rows', 'email_missing_percent',
  'email_pattern_failed', 'email_pattern_evaluated', 'country_failed', 'status_failed',
  'amount_range_failed', 'amount_range_evaluated', 'quantity_range_failed', 'updated_before_created', 'newest_created_at',
];

/** Percent with the report's rounding, so every implementation is compared the same way. */
export const percent = (part, whole) => (whole === 0 ? 0 : Math.round((part / whole) * 100 * 1e4) / 1e4);

/** Timestamps compared as ISO strings (millisecond precision). */
export const isoOf = (value) => (value === null || value === undefined ? null : new Date(typeof value === 'bigint' ? Number(value) : value).toISOString());

/** Wall-clock milliseconds: what a user waits. */
export const now = () => performance.now();

/** This process's CPU milliseconds (user + system): far less disturbed by a busy shared machine. */
export function cpu() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** `cpuMs`: CPU time of the whole data work; `checksCpuMs`: of the checks alone, where they run apart. */
export function emit({ loadMs = null, checksMs = null, totalMs, cpuMs, checksCpuMs = null, metrics, extra = {} }) {
  const maxRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
  extra = { cpuMs, checksCpuMs, ...extra };
  const ordered = Object.fromEntries(METRICS.map((m) => [m, metrics[m] ?? null]));
  process.stdout.write(JSON.stringify({ loadMs, checksMs, totalMs, maxRssMB, metrics: ordered, ...extra }) + '\n');
}

