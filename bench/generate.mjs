// Generates the benchmark's orders table: N rows as CSV and as Parquet (row
// groups of 100,000), deterministic (seeded), with the problems a quality
// suite should find: duplicate order ids, null and malformed emails, unknown
// countries and statuses, null and negative amounts, out-of-range quantities,
// updated_at before created_at or null. Files go to bench/data/ (gitignored).
import { createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { once } from 'node:events';
import { fileWriter, ParquetWriter } from 'hyparquet-writer';

export const DATA_DIR = new URL('./data/', import.meta.url).pathname;
const CHUNK = 100_000;

/** mulberry32: a small seeded PRNG, so every run generates the same data. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['mia', 'paul', 'iris', 'noah', 'emma', 'liam', 'olga', 'yuki', 'omar', 'lena', 'tom', 'ana'];
const LAST = ['novak', 'jones', 'muller', 'smith', 'garcia', 'rossi', 'dubois', 'tanaka', 'silva', 'kowalski'];
const DOMAINS = ['example.com', 'mail.example.org', 'shop.example.net', 'example.co.uk'];
const COUNTRIES = ['US', 'GB', 'DE', 'FR', 'ES', 'IT', 'NL'];
const BAD_COUNTRIES = ['UK', 'XX', 'usa'];
const STATUSES = ['placed', 'paid', 'shipped', 'cancelled', 'refunded'];
const BAD_STATUSES = ['void', 'test'];
const START = Date.UTC(2025, 0, 1);
const SPAN = 365 * 86_400_000;

const iso = (ms) => new Date(ms).toISOString().slice(0, 19) + 'Z';

/** One chunk of rows as column arrays (null = missing). */
function chunk(rand, start, count) {
  const cols = { order_id: [], customer_id: [], email: [], country: [], amount: [], quantity: [], status: [], created_at: [], updated_at: [] };
  for (let r = 0; r < count; r++) {
    const i = start + r;
    const u = rand();
    cols.order_id.push(i > 10 && u < 0.0002 ? 1_000_000_000 + i - 1 - Math.floor(rand() * 10) : 1_000_000_000 + i);
    cols.customer_id.push(rand() < 0.0005 ? null : 1 + Math.floor(rand() * 200_000));
    const e = rand();
    const first = FIRST[Math.floor(rand() * FIRST.length)];
    const last = LAST[Math.floor(rand() * LAST.length)];
    const domain = DOMAINS[Math.floor(rand() * DOMAINS.length)];
    cols.email.push(
      e < 0.02 ? null
        : e < 0.022 ? `${first}.${last}${i % 1000}.${domain}`
        : e < 0.024 ? `${first} ${last}@${domain}`
        : e < 0.025 ? `${first}.${last}@localhost`
        : `${first}.${last}${i % 1000}@${domain}`,
    );
    cols.country.push(rand() < 0.01 ? BAD_COUNTRIES[Math.floor(rand() * BAD_COUNTRIES.length)] : COUNTRIES[Math.floor(rand() * COUNTRIES.length)]);
    const a = rand();
    cols.amount.push(a < 0.01 ? null : a < 0.015 ? -Math.round(rand() * 5000) / 100 : a < 0.016 ? 10000 + Math.round(rand() * 1e6) / 100 : Math.round(rand() * 50000) / 100);
    const q = rand();
    cols.quantity.push(q < 0.001 ? 0 : q < 0.002 ? 101 + Math.floor(rand() * 50) : 1 + Math.floor(rand() * 20));
    cols.status.push(rand() < 0.003 ? BAD_STATUSES[Math.floor(rand() * BAD_STATUSES.length)] : STATUSES[Math.floor(rand() * STATUSES.length)]);
    const created = START + Math.floor(rand() * SPAN / 1000) * 1000;
    cols.created_at.push(created);
    const w = rand();
    cols.updated_at.push(w < 0.01 ? null : w < 0.012 ? created - 3_600_000 : created + Math.floor(rand() * 86_400) * 1000);
  }
  return cols;
}

const COLUMNS = ['order_id', 'customer_id', 'email', 'country', 'amount', 'quantity', 'status', 'created_at', 'updated_at'];

function csvCell(name, v) {
  if (v === null) return '';
  if (name === 'created_at' || name === 'updated_at') return iso(v);
  return String(v);
}

const SCHEMA = [
  { name: 'root', num_children: COLUMNS.length },
  { name: 'order_id', type: 'INT64', repetition_type: 'OPTIONAL' },
  { name: 'customer_id', type: 'INT32', repetition_type: 'OPTIONAL' },
  { name: 'email', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
  { name: 'country', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
  { name: 'amount', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
  { name: 'quantity', type: 'INT32', repetition_type: 'OPTIONAL' },
  { name: 'status', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
  { name: 'created_at', type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', repetition_type: 'OPTIONAL' },
  { name: 'updated_at', type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', repetition_type: 'OPTIONAL' },
];

/** Paths of the CSV and Parquet files for `rows`, generating them when absent. */
export async function ensureData(rows, log = () => {}) {
  const data = await ensureBaseData(rows, log);
  return { ...data, ...(await ensureCodecs(data.csv, rows, log)) };
}

/**
 * The same table as ZSTD (Polars' default, common in lakehouses) and Snappy
 * Parquet, written by DuckDB from the CSV with the suite's column types
 * (timestamps as TIMESTAMP), row groups of 100,000 rows.
 */
async function ensureCodecs(csv, rows, log) {
  const files = { zstd: `${DATA_DIR}orders-${rows}.zstd.parquet`, snappy: `${DATA_DIR}orders-${rows}.snappy.parquet` };
  if (Object.values(files).every((f) => existsSync(f))) return files;
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const db = await instance.connect();
  const types = "{'order_id': 'BIGINT', 'customer_id': 'INTEGER', 'email': 'VARCHAR', 'country': 'VARCHAR', 'amount': 'DOUBLE', 'quantity': 'INTEGER', 'status': 'VARCHAR', 'created_at': 'TIMESTAMP', 'updated_at': 'TIMESTAMP'}";
  for (const [codec, file] of Object.entries(files)) {
    log(`writing ${file}`);
    await db.run(`COPY (SELECT * FROM read_csv('${csv}', header = true, auto_detect = false, timestampformat = '%Y-%m-%dT%H:%M:%SZ', columns = ${types})) TO '${file}.tmp' (FORMAT parquet, COMPRESSION ${codec}, ROW_GROUP_SIZE ${CHUNK})`);
    renameSync(`${file}.tmp`, file);
  }
  db.closeSync();
  instance.closeSync();
  return files;
}

export async function ensureBaseData(rows, log = () => {}) {
  mkdirSync(DATA_DIR, { recursive: true });
  const csv = `${DATA_DIR}orders-${rows}.csv`;
  const parquet = `${DATA_DIR}orders-${rows}.parquet`;
  if (existsSync(csv) && existsSync(parquet)) return { csv, parquet };
  log(`generating ${rows} rows → ${csv}, ${parquet}`);
  const rand = prng(20260105);
  const out = createWriteStream(`${csv}.tmp`);
  const pw = new ParquetWriter({ writer: fileWriter(`${parquet}.tmp`), schema: SCHEMA });
  out.write(COLUMNS.join(',') + '\n');
  for (let start = 0; start < rows; start += CHUNK) {
    const count = Math.min(CHUNK, rows - start);
    const cols = chunk(rand, start, count);
    const lines = new Array(count);
    for (let r = 0; r < count; r++) lines[r] = COLUMNS.map((c) => csvCell(c, cols[c][r])).join(',');
    if (!out.write(lines.join('\n') + '\n')) await once(out, 'drain');
    const columnData = COLUMNS.map((name) => ({
      name,
      data: name === 'order_id' ? cols[name].map((v) => (v === null ? null : BigInt(v)))
        : name === 'created_at' || name === 'updated_at' ? cols[name].map((v) => (v === null ? null : BigInt(v)))
        : cols[name],
    }));
    pw.write({ columnData, rowGroupSize: count });
  }
  out.end();
  await once(out, 'finish');
  pw.finish();
  renameSync(`${csv}.tmp`, csv);
  renameSync(`${parquet}.tmp`, parquet);
  return { csv, parquet };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = Number(process.argv[2] ?? 1000);
  console.log(await ensureData(rows, console.error));
}
