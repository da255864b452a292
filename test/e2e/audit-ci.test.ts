/**
 * The audit log on ephemeral CI runners (docs/audit.md "In CI"): two runs on
 * two fresh clones keep the log and its head on a branch with
 * examples/ci/audit-log-branch.sh, so the second run's compliance report sees
 * both runs; a truncated log on the branch fails the restore. The "remote" is
 * a bare repository in a temp folder; `ASSAY_AUDIT_LOG` names the log once for
 * every command.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from '../helpers/cli.js';

const SCRIPT = join(process.cwd(), 'examples', 'ci', 'audit-log-branch.sh');
let root: string;
let origin: string;

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'assay-audit-ci-'));
  origin = join(root, 'origin.git');
  execFileSync('git', ['init', '--quiet', '--bare', '-b', 'main', origin]);
  const seed = join(root, 'seed');
  mkdirSync(join(seed, 'rules'), { recursive: true });
  copyFileSync(join(process.cwd(), 'fixtures', 'movies', 'movies.csv'), join(seed, 'rules', 'movies.csv'));
  copyFileSync(join(process.cwd(), 'fixtures', 'movies', 'movies.yaml'), join(seed, 'rules', 'movies.yaml'));
  git(seed, 'init', '--quiet', '-b', 'main');
  git(seed, 'add', '.');
  git(seed, '-c', 'user.name=t', '-c', 'user.email=t@x', 'commit', '--quiet', '-m', 'rules');
  git(seed, 'push', '--quiet', origin, 'main');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A fresh runner: a new clone, the script's steps and assay with the log named by ASSAY_AUDIT_LOG. */
function runner(name: string) {
  const dir = join(root, name);
  execFileSync('git', ['clone', '--quiet', origin, dir]);
  const env = { ...process.env, ASSAY_AUDIT_LOG: 'audit/audit.jsonl', ASSAY: `${process.execPath} ${CLI}`, ASSAY_NOW: '2026-01-01T00:00:00Z', ASSAY_ACTOR: 'ci@test' };
  const sh = (...args: string[]) => spawnSync('sh', [SCRIPT, ...args], { cwd: dir, env, encoding: 'utf8' });
  const assay = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: dir, env, encoding: 'utf8' });
  return { dir, sh, assay };
}

test('the log and its head survive ephemeral runners; the second compliance report sees both runs', () => {
  const first = runner('run1');
  const restored1 = first.sh('restore');
  expect(restored1.status).toBe(0);
  expect(restored1.stdout).toContain('no branch assay-audit on origin yet');
  expect(first.assay('check', '--out', 'reports').status).toBe(1); // the movies fixture has planted failures
  expect(first.sh('keep').status).toBe(0);

  const second = runner('run2');
  const restored2 = second.sh('restore');
  expect(restored2.stderr).toBe('');
  expect(restored2.status).toBe(0);
  expect(restored2.stdout).toMatch(/^audit log intact: audit\/audit.jsonl, 2 events/);
  expect(second.assay('check', '--out', 'reports').status).toBe(1);
  expect(second.sh('keep').status).toBe(0);

  const shown = second.assay('audit', 'show', '--action', 'check.run', '--json');
  expect(shown.status).toBe(0);
  const runs = new Set((JSON.parse(shown.stdout) as { details: { run_id: string } }[]).map((e) => e.details.run_id));
  expect(runs.size).toBe(2);
  const compliance = second.assay('report', 'compliance');
  expect(compliance.stdout).toMatch(/Audit log `audit\/audit.jsonl`: intact, \d+ events/);
  const events = Number(/intact, (\d+) events/.exec(compliance.stdout)![1]);
  expect(events).toBe(readFileSync(join(second.dir, 'audit', 'audit.jsonl'), 'utf8').trim().split('\n').length);
  expect(events).toBeGreaterThanOrEqual(2);

  // Someone drops the last event on the branch but keeps the stored head: the next restore fails.
  const tamper = join(root, 'tamper');
  execFileSync('git', ['clone', '--quiet', '--branch', 'assay-audit', origin, tamper]);
  const log = readFileSync(join(tamper, 'audit.jsonl'), 'utf8').trim().split('\n');
  writeFileSync(join(tamper, 'audit.jsonl'), `${log.slice(0, -1).join('\n')}\n`);
  git(tamper, '-c', 'user.name=t', '-c', 'user.email=t@x', 'commit', '--quiet', '-am', 'shorter');
  git(tamper, 'push', '--quiet', 'origin', 'assay-audit');
  const third = runner('run3').sh('restore');
  expect(third.status).toBe(1);
  expect(third.stdout).toMatch(/truncated/);
}, 120_000);
