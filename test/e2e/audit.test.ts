/** End to end: the built CLI as a subprocess — check appends, audit verify/head/show read. */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLines, tempDir, writeLines } from '../helpers/audit-log.js';

const CLI = join(process.cwd(), 'dist/cli/bin.cjs');
const NOW = '2026-01-05T12:00:00Z';

function assay(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ASSAY_AUDIT_KEY: '', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('assay check appends to the audit log', () => {
  const out = tempDir();
  const log = join(out, 'audit.jsonl');

  beforeAll(() => {
    expect(assay(['check', '--out', out, '--now', NOW, '--actor', 'ci@repo']).code).toBe(1);
  });

  test('default log in the --out folder: a policy.change, then one check.run per dataset', () => {
    const events = readLines(log).map((l) => JSON.parse(l));
    expect(events.map((e) => [e.seq, e.action, e.dataset])).toEqual([
      [1, 'policy.change', null], [2, 'check.run', 'customers'], [3, 'check.run', 'orders'], [4, 'check.run', 'penguins'],
    ]);
    expect(events[2]).toMatchObject({ actor: 'ci@repo', outcome: 'fail', details: { now: '2026-01-05T12:00:00.000Z' } });
    expect(events[2].data_fingerprint).toMatch(/^sha256:/);
    const ruleFiles = readdirSync('rules').filter((f) => f.endsWith('.yaml')).map((f) => `rules/${f}`).sort();
    expect(ruleFiles).toEqual(expect.arrayContaining(['rules/customers.yaml', 'rules/orders.yaml', 'rules/penguins.yaml']));
    expect(Object.keys(events[0].details.files)).toEqual(ruleFiles);
  });

  test('audit verify: intact, exit 0', () => {
    const r = assay(['audit', 'verify', '--log', log]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^audit log intact: .*audit\.jsonl, 4 events, SHA-256, head sha256:[0-9a-f]{64}\n$/);
  });

  test('audit head prints the count and head hash; verify --expect-head accepts it', () => {
    const r = assay(['audit', 'head', '--log', log]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^4 sha256:[0-9a-f]{64}\n$/);
    const json = JSON.parse(assay(['audit', 'head', '--log', log, '--json']).stdout);
    expect(json).toEqual({ events: 4, head: r.stdout.trim().split(' ')[1] });
    expect(assay(['audit', 'verify', '--log', log, '--expect-head', r.stdout.trim()]).code).toBe(0);
  });

  test('audit show lists events with filters, as text and JSON', () => {
    const all = assay(['audit', 'show', '--log', log]);
    expect(all.code).toBe(0);
    expect(all.stdout.trim().split('\n')).toHaveLength(4);
    expect(all.stdout).toMatch(/^#3 {2}\S+ {2}ci@repo {2}check\.run {2}orders {2}fail {2}\d+ checks: \d+ pass, \d+ warn, \d+ fail, 0 error {2}sha256:[0-9a-f]{12}$/m);
    const orders = JSON.parse(assay(['audit', 'show', '--log', log, '--dataset', 'orders', '--json']).stdout);
    expect(orders.map((e: { seq: number }) => e.seq)).toEqual([3]);
    const policy = JSON.parse(assay(['audit', 'show', '--log', log, '--action', 'policy.change', '--json']).stdout);
    expect(policy.map((e: { seq: number }) => e.seq)).toEqual([1]);
    const future = JSON.parse(assay(['audit', 'show', '--log', log, '--since', '2999-01-01', '--json']).stdout);
    expect(future).toEqual([]);
    const recent = JSON.parse(assay(['audit', 'show', '--log', log, '--since', '1h', '--json']).stdout);
    expect(recent).toHaveLength(4);
  });

  test('audit show rejects an unknown action and a bad --since with exit 2', () => {
    const bad = assay(['audit', 'show', '--log', log, '--action', 'check.runs']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('assay: --action: unknown action "check.runs"');
    expect(assay(['audit', 'show', '--log', log, '--since', 'yesterday']).code).toBe(2);
  });
});

describe('assay audit verify on tampered logs', () => {
  async function freshLog(env: Record<string, string> = {}) {
    const out = tempDir();
    expect(assay(['check', '--out', out, '--now', NOW, '--dataset', 'orders', '--dataset', 'penguins', '--format', 'json'], env).code).toBe(1);
    return join(out, 'audit.jsonl');
  }

  test('an edited line: exit 1 naming the line and why', async () => {
    const log = await freshLog();
    const lines = readLines(log);
    lines[1] = lines[1].replace('"outcome":"fail"', '"outcome":"pass"');
    writeLines(log, lines);
    const r = assay(['audit', 'verify', '--log', log]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`${log}:2: edited: its content does not match its hash\naudit log NOT intact: 1 event verified before line 2\n`);
  });

  test('a deleted line, exit 1; --json gives the same as data', async () => {
    const log = await freshLog();
    writeLines(log, readLines(log).filter((_, i) => i !== 1));
    const r = assay(['audit', 'verify', '--log', log, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, events: 1, problem: { line: 2, reason: 'deleted' } });
  });

  test('a truncated tail is caught with --expect-head', async () => {
    const log = await freshLog();
    const head = assay(['audit', 'head', '--log', log]).stdout.trim();
    writeLines(log, readLines(log).slice(0, 2));
    expect(assay(['audit', 'verify', '--log', log]).code).toBe(0);
    const r = assay(['audit', 'verify', '--log', log, '--expect-head', head]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(':2: truncated: the log ends at seq 2, but the stored head is seq 3');
  });

  test('a torn last line is reported distinctly; the next check records it', async () => {
    const log = await freshLog();
    writeFileSync(log, readFileSync(log, 'utf8').slice(0, -30));
    const r = assay(['audit', 'verify', '--log', log]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(':3: torn: the last line is incomplete');
    assay(['check', '--out', join(log, '..'), '--now', NOW, '--dataset', 'orders', '--format', 'json']);
    const after = assay(['audit', 'verify', '--log', log]);
    expect(after.code).toBe(0);
    expect(after.stdout).toContain(':3: note: torn line from an interrupted append');
  });

  test('a keyed log: wrong key exit 1, no key exit 2, right key exit 0', async () => {
    const log = await freshLog({ ASSAY_AUDIT_KEY: 'right-key' });
    expect(assay(['audit', 'verify', '--log', log], { ASSAY_AUDIT_KEY: 'right-key' }).stdout).toContain('HMAC-SHA256');
    const wrong = assay(['audit', 'verify', '--log', log], { ASSAY_AUDIT_KEY: 'wrong-key' });
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain(':1: wrong-key: ASSAY_AUDIT_KEY is not the key this log was written with');
    const none = assay(['audit', 'verify', '--log', log]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('is keyed (HMAC-SHA256): set ASSAY_AUDIT_KEY to verify it');
  });

  test('check refuses to extend a keyed log without the key (exit 2) and leaves it unchanged', async () => {
    const log = await freshLog({ ASSAY_AUDIT_KEY: 'right-key' });
    const before = readFileSync(log, 'utf8');
    const r = assay(['check', '--out', join(log, '..'), '--now', NOW, '--dataset', 'orders', '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is keyed (HMAC-SHA256) but ASSAY_AUDIT_KEY is not set');
    expect(readFileSync(log, 'utf8')).toBe(before);
  });
});

describe('audit options', () => {
  test('--audit-log, ASSAY_ACTOR and --no-audit', () => {
    const out = tempDir();
    const log = join(tempDir(), 'custom.jsonl');
    assay(['check', '--out', out, '--now', NOW, '--dataset', 'orders', '--audit-log', log, '--format', 'json'], { ASSAY_ACTOR: 'pipeline-7' });
    expect(readLines(log).map((l) => JSON.parse(l).actor)).toEqual(['pipeline-7', 'pipeline-7']);
    assay(['check', '--out', out, '--now', NOW, '--dataset', 'orders', '--audit-log', log, '--no-audit', '--format', 'json']);
    expect(readLines(log)).toHaveLength(2);
  });

  test('missing logs and bad heads are usage errors (exit 2)', () => {
    const missing = join(tempDir(), 'none.jsonl');
    for (const cmd of ['verify', 'head', 'show']) {
      const r = assay(['audit', cmd, '--log', missing]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`assay: no audit log at ${missing}`);
    }
    expect(assay(['audit', 'verify', '--expect-head', 'abc']).stderr).toContain('--expect-head: not a head "abc"');
    expect(assay(['audit']).code).toBe(2);
  });

  test('concurrent check runs append whole, in one chain', async () => {
    const out = tempDir();
    const runs = Array.from({ length: 3 }, () =>
      new Promise<number>((resolve) => {
        const child = spawn(process.execPath, [CLI, 'check', '--out', out, '--now', NOW, '--format', 'json'], { stdio: 'ignore', env: { ...process.env, ASSAY_AUDIT_KEY: '' } });
        child.on('exit', (code) => resolve(code ?? -1));
      }),
    );
    expect(await Promise.all(runs)).toEqual([1, 1, 1]);
    const r = assay(['audit', 'verify', '--log', join(out, 'audit.jsonl'), '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, events: 1 + 3 * 3 });
  }, 60_000);
});

describe('exports and the audit log', () => {
  test('an export the audit log cannot record is not left behind (exit 2)', () => {
    const dir = tempDir();
    const log = join(dir, 'audit.jsonl');
    expect(assay(['access', 'check', '--as', 'alice', '--dataset', 'customers', '--audit-log', log], { ASSAY_AUDIT_KEY: 'the-log-key' }).code).toBe(0);
    const out = join(dir, 'alice-customers.csv');
    const r = assay(['export', '--as', 'alice', '--dataset', 'customers', '--out', out, '--audit-log', log], { ASSAY_MASK_KEY: 'e2e-mask-key-0123456789' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is keyed (HMAC-SHA256) but ASSAY_AUDIT_KEY is not set');
    expect(existsSync(out)).toBe(false);
    expect(readLines(log)).toHaveLength(2);
  });
});
