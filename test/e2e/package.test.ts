/**
 * assay as a consumer gets it: `npm pack`, then a fresh project installs the
 * tarball with a plain `npm install ./assay-x.y.z.tgz` (no overrides), uses
 * the CLI through npx, runs the docs/api.md example importing the package by
 * name, finds the schema at the path the editor line names, and runs the
 * composite action's steps (action.yml) as GitHub would. Slow (an install
 * from the registry); skipped, saying why, only when npm is unavailable.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { SCHEMA_LINE } from '../../src/cli/commands/init.js';
import { ASSAY_VERSION } from '../../src/version.js';

const ROOT = process.cwd();
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
const npmAvailable = spawnSync('npm', ['--version'], { encoding: 'utf8' }).status === 0;
if (!npmAvailable) console.log('test/e2e/package.test.ts skipped: npm is not available on PATH');
const maybe = npmAvailable ? describe : describe.skip;

/** A clean environment: nothing from the host's CI or assay settings changes the outcome. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('ASSAY_') || key.startsWith('GITHUB_') || key.startsWith('INPUT_') || key === 'NO_COLOR') delete env[key];
  return { ...env, NO_COLOR: '1', ...extra };
}

function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, encoding: 'utf8', env: cleanEnv(env), timeout: 300_000 });
}

function ok(result: SpawnSyncReturns<string>): string {
  if (result.status !== 0) throw new Error(`exit ${result.status}\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

maybe('the packed package in a fresh project', () => {
  let work: string;
  let tarball: string;
  let project: string;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'assay-package-'));
    // --ignore-scripts: `npm test` built dist/ already.
    const packed = JSON.parse(ok(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], ROOT))) as { filename: string; size: number }[];
    tarball = join(work, packed[0].filename);
    console.log(`package: ${packed[0].filename}, ${packed[0].size} bytes packed`);
    project = join(work, 'consumer');
    ok(run('mkdir', ['-p', project], work));
    ok(run('npm', ['init', '-y'], project));
    ok(run('npm', ['install', '--no-audit', '--no-fund', tarball], project));
  }, 600_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('npx assay: --version, init, validate, check', () => {
    expect(ok(run('npx', ['assay', '--version'], project)).trim()).toBe(pkg.version);
    expect(ASSAY_VERSION).toBe(pkg.version);
    ok(run('npx', ['assay', 'init'], project));
    expect(ok(run('npx', ['assay', 'validate'], project))).toMatch(/^ok: 1 files, 1 datasets, \d+ checks/);
    const check = run('npx', ['assay', 'check', '--no-audit'], project);
    expect(check.stderr).toBe('reports written: reports/assay-report.json\n');
    expect(check.status).toBe(0);
    expect(JSON.parse(readFileSync(join(project, 'reports/assay-report.json'), 'utf8')).status).toBe('pass');
    expect(readFileSync(join(project, '.gitignore'), 'utf8')).toContain('reports/');
    expect(parse(readFileSync(join(project, '.github/workflows/assay.yml'), 'utf8')).jobs.check.steps.map((s: { run?: string }) => s.run).filter(Boolean)).toContain('npx assay check --format github --format json');
  });

  test('the editor schema line of rules/example.yaml and the README names the installed schema', () => {
    const example = readFileSync(join(project, 'rules/example.yaml'), 'utf8');
    expect(example.split('\n')[0]).toBe(SCHEMA_LINE);
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain(SCHEMA_LINE);
    const schemaPath = resolve(project, 'rules', SCHEMA_LINE.split('$schema=')[1]);
    expect(JSON.parse(readFileSync(schemaPath, 'utf8')).$id).toBe('assay.schema.json');
    // The exports map lets a program resolve it by name too.
    const resolved = ok(run(process.execPath, ['--input-type=module', '-e', "console.log(import.meta.resolve('assay/schema/assay.schema.json'))"], project)).trim();
    expect(resolved).toBe(`file://${schemaPath}`);
  });

  test('the docs/api.md example, importing the package by name', () => {
    const block = /```js\n([\s\S]*?)```/.exec(readFileSync(join(ROOT, 'docs/api.md'), 'utf8'))![1];
    expect(block).toContain("from 'assay'");
    if (!existsSync(join(project, 'rules/example.yaml'))) ok(run('npx', ['assay', 'init'], project));
    rmSync(join(project, 'reports'), { recursive: true, force: true });
    writeFileSync(join(project, 'example.mjs'), block);
    const out = ok(run(process.execPath, ['example.mjs'], project));
    expect(out).toContain('PASS  11 checks: 11 pass, 0 warn, 0 fail, 0 error');
    expect(out.trim().split('\n').slice(-6)).toEqual([
      'fail',
      'example_orders.order_id.unique: 2 of 2 non-null values have a key that occurs more than once',
      'example_orders.email.format: 1 of 2 non-null values are not valid emails',
      'example_orders.amount.range: 1 of 2 non-null values are < 0',
      "example_orders.paid_orders_have_amount: 1 of 2 rows fail d.status !== 'paid' || d.amount > 0",
      'true 2',
    ]);
  });

  test("action.yml: its steps' scripts install the package and annotate the failing checks", () => {
    if (!existsSync(join(project, 'rules/example.yaml'))) ok(run('npx', ['assay', 'init'], project));
    const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, { default: string }>; runs: { using: string; steps: { uses?: string; run?: string; env?: Record<string, string> }[] } };
    expect(action.runs.using).toBe('composite');
    // A failing row: a negative amount for a paid order.
    const data = join(project, 'data/example-orders.csv');
    const original = readFileSync(data, 'utf8');
    appendFileSync(data, '4,dee@example.com,-5,paid\n');
    const runnerTemp = join(work, 'runner-temp');
    ok(run('mkdir', ['-p', runnerTemp], work));
    const githubEnv = join(work, 'github-env');
    const summary = join(work, 'step-summary.md');
    writeFileSync(githubEnv, '');
    writeFileSync(summary, '');
    const inputs: Record<string, string> = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default]));
    inputs.package = tarball;
    const results: SpawnSyncReturns<string>[] = [];
    for (const step of action.runs.steps) {
      if (step.uses) {
        expect(step.uses).toMatch(/^actions\/setup-node@/); // the runner's job; here Node is already installed
        continue;
      }
      // Each step's env maps inputs by `${{ inputs.NAME }}`, as GitHub would.
      const env: Record<string, string> = { GITHUB_ACTION_PATH: ROOT, RUNNER_TEMP: runnerTemp, GITHUB_ENV: githubEnv, GITHUB_STEP_SUMMARY: summary };
      for (const [key, value] of Object.entries(step.env ?? {})) env[key] = value.replace(/\$\{\{ inputs\.([\w-]+) \}\}/g, (_, name: string) => inputs[name]);
      for (const line of readFileSync(githubEnv, 'utf8').split('\n').filter(Boolean)) env[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
      expect(step.run).not.toContain('${{');
      results.push(run('bash', ['-c', step.run!], project, env));
    }
    writeFileSync(data, original);
    expect(results).toHaveLength(2);
    ok(results[0]);
    const check = results[1];
    expect(check.status).toBe(1);
    const line = readFileSync(join(project, 'rules/example.yaml'), 'utf8').split('\n').findIndex((l) => l.includes('amount:')) + 1;
    expect(check.stdout).toContain(`::error file=rules/example.yaml,line=${line},col=`);
    expect(check.stdout).toContain(',title=assay%3A example_orders.amount.range::FAIL: 1 of 4 non-null values are < 0');
    expect(readFileSync(summary, 'utf8')).toContain('assay: FAIL');
    expect(statSync(join(project, 'reports/assay-report.json')).isFile()).toBe(true);
    expect(dirname(summary)).toBe(work);
  });
});
