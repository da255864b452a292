/**
 * Reports never leak what they sample: `assay check` on the bundled examples,
 * without a principal and `--as` each declared principal, in every registered
 * report format; every file written under --out (and stdout/stderr) is scanned
 * for raw values of classified columns the reader may not see.
 * Iterates REPORT_FORMATS, so a format added later is covered automatically.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromCSV } from 'arquero';
import { parquetReadObjects } from 'hyparquet';
import { REPORT_FORMATS } from '../../src/report/formats/index.js';

const CLI = join(process.cwd(), 'dist/cli/bin.cjs');

function fixture(name: string): Record<string, string>[] {
  const rows = fromCSV(readFileSync(`fixtures/data/${name}.csv`, 'utf8'), { autoType: false }).objects() as Record<string, string | null>[];
  return rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v ?? ''])));
}
const customers = fixture('customers');
const orders = fixture('orders');

/** Classified columns of the bundled rules, with every row's raw value and country. */
const CLASSIFIED = [
  ...['name', 'email', 'phone'].map((column) => ({ dataset: 'customers', column, rows: customers })),
  { dataset: 'orders', column: 'email', rows: orders },
];

/** What each reader may see in clear, per rules/access.yaml (written out here, not computed by assay). */
const CLEAR: Record<string, (dataset: string, column: string, row: Record<string, string>) => boolean> = {
  none: () => false,
  alice: () => false, // analyst: pii hashed, phone denied
  bob: (_d, column, row) => column !== 'phone' && row.country === 'US', // support: own region; phone partial
  dana: () => true, // dpo: everything
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** A Parquet file's rows as text (its bytes are compressed: a scan of them would find nothing). */
async function parquetText(path: string): Promise<string> {
  const bytes = readFileSync(path);
  const rows = await parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), utf8: true });
  return JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}

async function runCheck(principal: string) {
  const out = mkdtempSync(join(tmpdir(), 'assay-leak-'));
  const formats = REPORT_FORMATS.flatMap((f) => ['--format', f.name]);
  const as = principal === 'none' ? [] : ['--as', principal];
  const env = { ...process.env, NO_COLOR: '1', ASSAY_MASK_KEY: 'leak-test-key-0123456789', ASSAY_NOW: '2026-01-10T00:00:00Z' };
  // --failed-rows writes every failing row, whole: the scan covers those files too, as CSV and as Parquet (a second run).
  const args = ['check', ...formats, '--out', out, '--failed-rows', join(out, 'failed-rows'), ...as];
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env });
  const parquetOut = mkdtempSync(join(tmpdir(), 'assay-leak-parquet-'));
  const p = spawnSync(process.execPath, [CLI, 'check', '--out', parquetOut, '--no-audit', '--failed-rows', join(parquetOut, 'failed-rows'), '--failed-rows-format', 'parquet', ...as], { encoding: 'utf8', env });
  const parquetFiles = filesUnder(join(parquetOut, 'failed-rows'));
  const parquetTexts = await Promise.all(parquetFiles.map(parquetText));
  rmSync(parquetOut, { recursive: true, force: true });
  const files = filesUnder(out);
  const texts = [r.stdout, r.stderr, ...files.map((f) => readFileSync(f, 'latin1'))];
  rmSync(out, { recursive: true, force: true });
  return {
    code: r.status,
    files: files.map((f) => f.slice(out.length + 1)),
    parquet: { code: p.status, stderr: p.stderr, files: parquetFiles.map((f) => f.slice(parquetOut.length + 1)) },
    text: [...texts, p.stdout, p.stderr, ...parquetTexts].join('\n'),
    stdout: r.stdout,
    stderr: r.stderr,
    reportJson: files.find((f) => f.endsWith('assay-report.json')) ? JSON.parse(texts[2 + files.findIndex((f) => f.endsWith('assay-report.json'))]) : undefined,
  };
}

describe.each(Object.keys(CLEAR))('reports for %s', (principal) => {
  let run: Awaited<ReturnType<typeof runCheck>>;
  beforeAll(async () => {
    run = await runCheck(principal);
  });

  test('the run completes (exit 1: the examples have planted failures)', () => {
    expect(run.stderr).not.toMatch(/internal error/);
    expect(run.code).toBe(1);
  });

  test('every registered format with a file wrote it', () => {
    for (const format of REPORT_FORMATS) if (format.file) expect(run.files).toContain(format.file);
  });

  test('--failed-rows wrote the failing rows of the row checks, as CSV and as Parquet', () => {
    expect(run.files).toContain(join('failed-rows', 'orders.email.format.csv'));
    expect(run.parquet.stderr).not.toMatch(/internal error/);
    expect(run.parquet.code).toBe(1);
    expect(run.parquet.files).toContain(join('failed-rows', 'orders.email.format.parquet'));
  });

  test('no raw value of a classified column the reader may not see', () => {
    const leaks: string[] = [];
    for (const { dataset, column, rows } of CLASSIFIED) {
      const visible = new Set(rows.filter((row) => CLEAR[principal](dataset, column, row)).map((row) => row[column]));
      for (const row of rows) {
        const value = row[column];
        // A hidden value inside a visible one (`@example.com` in `two@@example.com`) is not a leak of it.
        const inVisible = [...visible].some((v) => v.includes(value));
        if (value.length >= 3 && !visible.has(value) && !inVisible && run.text.includes(value)) leaks.push(`${dataset}.${column}: ${value}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  if (principal === 'dana') {
    test('the scan can see values: the DPO\'s report does show classified values in clear', () => {
      const shown = CLASSIFIED.flatMap(({ column, rows }) => rows.map((r) => r[column])).filter((v) => v.length >= 3 && run.text.includes(v));
      expect(shown.length).toBeGreaterThan(0);
    });
  }

  if (principal === 'bob') {
    test('samples show only rows the reader\'s row filter keeps', () => {
      const byName: Record<string, Record<string, string>[]> = { customers, orders };
      let seen = 0;
      for (const dataset of run.reportJson.datasets) {
        if (!byName[dataset.name]) continue;
        for (const check of dataset.checks) {
          for (const sample of check.samples) {
            seen++;
            expect(byName[dataset.name][sample.row - 1].country).toBe('US');
          }
        }
      }
      expect(seen).toBeGreaterThan(0);
    });
    test('denied columns are left out of samples', () => {
      const orders = run.reportJson.datasets.find((d: { name: string }) => d.name === 'orders');
      for (const check of orders.checks) for (const sample of check.samples) expect(sample.values).not.toHaveProperty('amount');
    });
  }
});
