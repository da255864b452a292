// Runs `assay suggest --holdout 20%` on every data file of a folder (e.g. the
// files of the vega-datasets npm package), then `assay check` on each draft,
// and prints rules learned / kept (the holdout pass rate) and the check outcome.
// Usage: node bench/suggest-holdout.mjs <data folder> <work folder inside the project>
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';

const [from, work] = process.argv.slice(2);
const cli = join(import.meta.dirname, '..', 'dist', 'cli', 'main.js');
mkdirSync(join(work, 'data'), { recursive: true });
mkdirSync(join(work, 'rules'), { recursive: true });
const rows = [];
for (const file of readdirSync(from).sort()) {
  if (!/\.(csv|tsv|json|arrow|parquet)$/.test(file)) continue;
  const data = join(work, 'data', file);
  copyFileSync(join(from, file), data);
  const name = basename(file)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-');
  const out = join(work, 'rules', `${name}.yaml`);
  const suggest = spawnSync('node', [cli, 'suggest', data, '--name', name, '--holdout', '20%', '--out', out], { encoding: 'utf8' });
  if (suggest.status !== 0) {
    rows.push({ file, result: `not profiled (exit ${suggest.status}): ${suggest.stderr.trim().split('\n')[0]}` });
    continue;
  }
  const m = /(\d+) of (\d+) rules learned/.exec(suggest.stderr);
  const check = spawnSync('node', [cli, 'check', out, '--no-audit', '--format', 'json', '--out', join(work, 'reports', name)], { encoding: 'utf8' });
  const validate = spawnSync('node', [cli, 'validate', out], { encoding: 'utf8' });
  rows.push({
    file,
    learned: Number(m?.[2]),
    kept: Number(m?.[1]),
    validate: validate.status === 0 ? 'ok' : 'FAIL',
    check: check.status === 0 ? 'pass' : `exit ${check.status}`,
  });
}
let learned = 0;
let kept = 0;
for (const r of rows) {
  if (r.learned) {
    learned += r.learned;
    kept += r.kept;
  }
  console.log(r.result ? `${r.file}\t${r.result}` : `${r.file}\t${r.kept}/${r.learned} kept\tvalidate ${r.validate}\tcheck ${r.check}`);
}
console.log(`total: ${kept} of ${learned} rules learned on 80% of rows held on the other 20% (${((kept / learned) * 100).toFixed(1)}%)`);
