/**
 * `assay diff` end to end: each class of change made to a copy of the
 * bundled rules/, compared with the original, as a subprocess.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { runCli } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/files.js';
import type { DiffResult } from '../../src/diff/model.js';

let dir: TempDir | undefined;
afterEach(() => dir?.remove());

/** A copy of rules/ (beside a copy of the fixtures it names) with `edit` applied to one file. */
function edited(file: string, edit: (text: string) => string, more: Record<string, (text: string) => string> = {}): string {
  dir = tempDir('assay-diff-');
  cpSync('rules', join(dir.path, 'rules'), { recursive: true });
  for (const [name, change] of Object.entries({ [file]: edit, ...more })) {
    const path = join(dir.path, 'rules', name);
    const text = readFileSync(path, 'utf8');
    const next = change(text);
    expect(next).not.toBe(text); // the edit must apply, or the test tests nothing
    writeFileSync(path, next);
  }
  return join(dir.path, 'rules');
}

function diff(head: string, extra: string[] = []): { code: number | null; result: DiffResult; stderr: string } {
  const r = runCli(['diff', 'rules', head, '--json', ...extra]);
  return { code: r.code, result: r.stdout ? (JSON.parse(r.stdout) as DiffResult) : (undefined as unknown as DiffResult), stderr: r.stderr };
}

const codes = (result: DiffResult) => result.changes.map((c) => `${c.class}:${c.kind}`);

describe('assay diff', () => {
  it('finds nothing between a version and itself, and exits 0', () => {
    const r = runCli(['diff', 'rules', 'rules']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('PASS: no changes');
  });

  it('breaking: a column removed, a type changed, a dataset removed', () => {
    const head = edited('orders.yaml', (t) =>
      t
        .replace('  updated_at:  { type: timestamp }\n', '')
        .replace('order_id:    { type: integer', 'order_id:    { type: string')
        .replace('row: d.updated_at >= d.created_at', 'row: d.created_at != null'),
    );
    const { code, result } = diff(head);
    expect(code).toBe(1);
    expect(result.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ class: 'breaking', kind: 'column-removed', dataset: 'orders', column: 'updated_at' }),
        expect.objectContaining({ class: 'breaking', kind: 'type-changed', dataset: 'orders', column: 'order_id', before: 'integer', after: 'string' }),
      ]),
    );
    const gone = edited('penguins.yaml', (t) => t.replace('name: penguins', 'name: penguins2'), {
      'access.yaml': (t) => t.replace('names: [penguins]', 'names: [penguins2]'),
    });
    const second = diff(gone);
    expect(codes(second.result)).toEqual(expect.arrayContaining(['breaking:dataset-removed', 'added:dataset-added']));
    expect(second.code).toBe(1);
  });

  it('breaking: a renamed column is a removal, with the likely new name', () => {
    const head = edited('customers.yaml', (t) => t.replace('  tier:        {', '  plan:        {'));
    const { result } = diff(head);
    const removed = result.changes.find((c) => c.kind === 'column-removed')!;
    expect(removed).toMatchObject({ class: 'breaking', column: 'tier' });
    expect(removed.message).toContain('renamed to "plan"?');
  });

  it('loosened: a check removed, a bound widened, mostly lowered, severity lowered', () => {
    const head = edited('orders.yaml', (t) =>
      t
        .replace('  - distinct_count: { column: status, min: 3 }\n', '')
        .replace('amount:      { type: number, min: 0, max: 100000 }', 'amount:      { type: number, min: 0, max: 200000 }')
        .replace('mostly: 99.9', 'mostly: 95')
        .replace('- missing_percent: { column: email, max: 2 }', '- missing_percent: { column: email, max: 2, severity: warn }'),
    );
    const { code, result } = diff(head);
    expect(code).toBe(1);
    expect(result.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ class: 'loosened', kind: 'check-removed', check: 'orders.status.distinct_count' }),
        expect.objectContaining({ class: 'loosened', kind: 'bound-widened', check: 'orders.amount.range', before: 100000, after: 200000 }),
        expect.objectContaining({ class: 'loosened', kind: 'mostly-lowered', check: 'orders.updated_after_created', before: 99.9, after: 95 }),
        expect.objectContaining({ class: 'loosened', kind: 'severity-lowered', check: 'orders.email.missing_percent' }),
      ]),
    );
    expect(result.summary.loosened).toBe(4);
  });

  it('tightening is shown but does not fail the gate', () => {
    const head = edited('orders.yaml', (t) =>
      t
        .replace('amount:      { type: number, min: 0, max: 100000 }', 'amount:      { type: number, min: 0, max: 50000 }')
        .replace('- row_count: { min: 1, warn: { min: 500 } }', '- row_count: { min: 10, warn: { min: 500 } }'),
    );
    const { code, result } = diff(head);
    expect(codes(result).sort()).toEqual(['tightened:bound-tightened', 'tightened:bound-tightened']);
    expect(code).toBe(0);
  });

  it('loosened: a rewritten rule whose direction cannot be known counts as loosened', () => {
    const head = edited('orders.yaml', (t) => t.replace('regex: "@example\\\\.com$"', 'regex: "@"'));
    const { code, result } = diff(head);
    expect(result.changes).toEqual([expect.objectContaining({ class: 'loosened', kind: 'rule-changed', check: 'orders.email.pattern' })]);
    expect(code).toBe(1);
  });

  it('weakened: a classification, an owner, a freshness SLA removed or widened', () => {
    const head = edited('orders.yaml', (t) => t.replace('owner: sales-data@acme.example\n', '').replace('fail_after: 48h', 'fail_after: 72h'));
    const { code, result } = diff(head);
    expect(code).toBe(1);
    expect(result.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ class: 'weakened', kind: 'owner-removed', dataset: 'orders' }),
        expect.objectContaining({ class: 'weakened', kind: 'freshness-widened', check: 'orders.created_at.freshness', before: '48h', after: '72h' }),
      ]),
    );
    const unclassified = edited('customers.yaml', (t) => t.replace('format: email, classification: [pii.email] }', 'format: email }'));
    const second = diff(unclassified);
    expect(second.result.changes).toEqual(
      expect.arrayContaining([expect.objectContaining({ class: 'weakened', kind: 'classification-removed', column: 'email', before: 'pii.email' })]),
    );
    const noFreshness = edited('orders.yaml', (t) => t.replace(/ {2}- freshness:\n(?: {6}.*\n)+/, ''));
    expect(codes(diff(noFreshness).result)).toContain('weakened:freshness-removed');
  });

  it('widened: a classification removed unmasks the column for every role it protected, computed from the decisions', () => {
    const head = edited('customers.yaml', (t) => t.replace('format: email, classification: [pii.email] }', 'format: email }'));
    const { result } = diff(head);
    const widened = result.changes.filter((c) => c.class === 'widened');
    expect(widened).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ subject: 'principal alice', dataset: 'customers', column: 'email', before: 'masked (hash)', after: 'clear' }),
        expect.objectContaining({ subject: 'role analyst', dataset: 'customers', column: 'email', before: 'masked (hash)', after: 'clear' }),
      ]),
    );
    // The DPO and support saw it in clear already (pii-redacted-by-default exempts them): nothing widened for them.
    expect(widened.filter((c) => ['principal dana', 'role dpo', 'principal bob', 'role support'].includes(c.subject!))).toEqual([]);
    expect(widened).toHaveLength(2);
  });

  it('widened: an access policy edit names each principal and role, dataset, column and rows that opened up', () => {
    const head = edited('access.yaml', (t) =>
      t
        .replace(
          '    except_roles: [dpo, support]\n    columns: { classification: pii.phone }',
          '    except_roles: [dpo, support, analyst]\n    columns: { classification: pii.phone }',
        )
        .replace('    datasets: { names: [orders, customers] }\n    filter:', '    datasets: { names: [orders] }\n    filter:'),
    );
    const { code, result } = diff(head);
    expect(code).toBe(1);
    const widened = result.changes.filter((c) => c.class === 'widened').map((c) => `${c.subject}|${c.dataset}|${c.column ?? 'rows'}|${c.after}`);
    expect(widened).toEqual(
      expect.arrayContaining([
        'principal alice|customers|phone|masked (hash)',
        'role analyst|customers|phone|masked (hash)',
        'principal bob|customers|rows|',
        'role support|customers|rows|',
      ]),
    );
    expect(codes(result)).toEqual(expect.arrayContaining(['other:policy-changed']));
    const rows = result.changes.find((c) => c.kind === 'rows-widened' && c.subject === 'principal bob')!;
    expect(rows.message).toContain('"d.country == "US""'); // bob's own region, bound from his attributes
    // A role stands for any holder: its filter as written.
    expect(result.changes.find((c) => c.kind === 'rows-widened' && c.subject === 'role support')!.message).toContain(
      '"d.country == principal.attributes.region"',
    );
    // Who saw phone before keeps the same view: no line for the DPO or for support's partial mask.
    expect(widened.some((w) => w.startsWith('principal dana') || w.startsWith('role dpo'))).toBe(false);
  });

  it('widened: a new role given to a principal, and a new principal, are compared with what they could see before', () => {
    const head = edited('access.yaml', (t) =>
      t.replace(
        'bob:   { roles: [support], attributes: { region: US } }',
        'bob:   { roles: [dpo], attributes: { region: US } }\n  erin:  { roles: [analyst] }',
      ),
    );
    const { result } = diff(head);
    const subjects = new Set(result.changes.filter((c) => c.class === 'widened').map((c) => c.subject));
    expect([...subjects].sort()).toEqual(['principal bob', 'principal erin']);
  });

  it('prints Markdown for a pull-request comment, escaping names', () => {
    const head = edited('orders.yaml', (t) => t.replace('owner: sales-data@acme.example\n', ''));
    const r = runCli(['diff', 'rules', head, '--format', 'markdown']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('## ❌ assay diff: FAIL');
    expect(r.stdout).toContain('### ❌ Weakened governance (1)');
    expect(r.stdout).toContain('| orders |  | owner "sales-data@acme.example" removed |');
  });

  it('--base compares with a git revision, reading the files from git', () => {
    dir = tempDir('assay-diff-git-');
    const repo = dir.path;
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: repo,
        stdio: 'pipe',
        env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x' },
      });
    cpSync('rules', join(repo, 'rules'), { recursive: true });
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-q', '-m', 'base');
    const customers = join(repo, 'rules', 'customers.yaml');
    writeFileSync(customers, readFileSync(customers, 'utf8').replace('  tier:        { type: string, values: [free, pro, enterprise] }\n', ''));
    const r = runCliIn(repo, ['diff', '--base', 'main', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const result = JSON.parse(r.stdout) as DiffResult;
    expect(result.base).toBe('main:rules');
    expect(codes(result)).toEqual(expect.arrayContaining(['breaking:column-removed']));
    const bad = runCliIn(repo, ['diff', '--base=--output=/tmp/x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown git revision "--output=/tmp/x"');
  });

  it('needs two paths without --base, with a usage error', () => {
    const r = runCli(['diff', 'rules']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('diff needs two policy paths (old and new), got 1');
  });
});

function runCliIn(cwd: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(process.cwd(), 'dist', 'cli', 'main.js'), ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
