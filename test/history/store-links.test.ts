import { mkdtempSync, readFileSync, symlinkSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBHistoryStore } from '../../src/history/store.js';
import { OutputLinkError } from '../../src/util/write-file.js';

const point = (run: string) => ({ dataset: 'orders', metric: 'row_count', value: 1, run_id: run, time: '2026-01-01T00:00:00.000Z', fingerprint: null, audit_hash: null });

describe('the history store never writes through a link beside it', () => {
  for (const suffix of ['.wal', '.tmp']) {
    test(`a link at history.duckdb${suffix} is refused, before and after the store exists; its target is untouched`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'assay-store-link-'));
      const out = join(dir, 'reports');
      mkdirSync(out);
      const victim = join(dir, 'victim');
      if (suffix === '.tmp') mkdirSync(victim);
      else writeFileSync(victim, 'precious\n');
      const store = new DuckDBHistoryStore(join(out, 'history.duckdb'));
      symlinkSync(victim, join(out, `history.duckdb${suffix}`));
      await expect(store.append([point('r1')])).rejects.toThrow(OutputLinkError);
      // An existing store (created without the link) is refused too: DuckDB writes its log on every append.
      const clean = join(dir, 'clean');
      mkdirSync(clean);
      const existing = new DuckDBHistoryStore(join(clean, 'history.duckdb'));
      expect(await existing.append([point('r1')])).toBe(1);
      symlinkSync(victim, join(clean, `history.duckdb${suffix}`));
      await expect(existing.append([point('r2')])).rejects.toThrow(OutputLinkError);
      await expect(existing.list({})).rejects.toThrow(OutputLinkError);
      if (suffix === '.tmp') expect(readdirSync(victim)).toEqual([]);
      else expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    });
  }
});
