/**
 * `assay init [dir]`: start using assay in a project. Writes a commented
 * example policy (rules/example.yaml) with a small data file it checks, a
 * .gitignore entry for reports/, and a GitHub Actions workflow that runs
 * `assay check` on every pull request. Existing files are never overwritten.
 */
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Argv } from 'yargs';
import type { CommandRun } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { appendOutputFile, writeOutputFile } from '../../util/write-file.js';

export interface InitArgs {
  dir: string;
}

export function builder(y: Argv): Argv<InitArgs> {
  return y
    .positional('dir', { type: 'string', default: '.', describe: 'the project folder' })
    .example('$0 init', 'scaffold rules/, a .gitignore entry and a CI workflow here') as unknown as Argv<InitArgs>;
}

/** The path from a file under rules/ to the published schema, in a project that installed assay. */
export const SCHEMA_LINE = '# yaml-language-server: $schema=../node_modules/assay/schema/assay.schema.json';

export const EXAMPLE_POLICY = `${SCHEMA_LINE}
# An example policy: one dataset, its columns and its checks. Run it with
#   npx assay check          (reports go to reports/)
#   npx assay validate       (policy files only, reads no data)
# Every key is documented in node_modules/assay/docs/policy.md and
# node_modules/assay/docs/checks.md.
kind: dataset
name: example_orders
description: Orders exported by the shop every night.
source:
  path: ../data/example-orders.csv   # relative to this file; a glob makes one dataset of many files
columns:
  # Declared columns are typed; a value that does not parse fails the column's type check.
  order_id: { type: integer, required: true, unique: true }
  email:    { type: string, format: email, classification: [pii.email] }   # classified: masked in samples
  amount:   { type: number, min: 0 }
  status:   { type: string, values: [placed, paid, shipped] }
checks:
  - row_count: { min: 1 }
  # A row expression: fails the rows where it is false (see docs/expressions.md).
  - expression: { name: paid_orders_have_amount, row: "d.status !== 'paid' || d.amount > 0" }
`;

export const EXAMPLE_DATA = `order_id,email,amount,status
1,ana@example.com,12.50,paid
2,ben@example.com,8.00,placed
3,cho@example.com,30.25,shipped
`;

export const WORKFLOW = `# Runs assay's checks on every pull request and push to main.
# Failing checks become annotations on the policy lines in the pull request;
# the Markdown report goes to the run's summary.
name: assay
on:
  pull_request:
  push:
    branches: [main]
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - run: npm ci
      - run: npx assay check --format github --format json
      - uses: actions/upload-artifact@v4
        if: always()
        with:
          name: assay-reports
          path: reports/
`;

const FILES: Record<string, string> = {
  'rules/example.yaml': EXAMPLE_POLICY,
  'data/example-orders.csv': EXAMPLE_DATA,
  '.github/workflows/assay.yml': WORKFLOW,
};

export const run: CommandRun<InitArgs> = async (args, ctx) => {
  for (const [path, content] of Object.entries(FILES)) {
    const target = join(args.dir, path);
    if (lstatOrUndefined(target)) {
      ctx.stderr(`exists, left as is: ${target}`);
      continue;
    }
    writeOutputFile(dirname(target), basename(target), content);
    ctx.stderr(`wrote ${target}`);
  }
  const gitignore = join(args.dir, '.gitignore');
  const existed = existsSync(gitignore);
  const lines = existed ? readFileSync(gitignore, 'utf8').split(/\r?\n/) : [];
  if (lines.some((l) => l.trim() === 'reports/' || l.trim() === '/reports/' || l.trim() === 'reports')) {
    ctx.stderr(`${gitignore} already ignores reports/`);
  } else {
    const sep = lines.length > 0 && lines[lines.length - 1] !== '' ? '\n' : '';
    appendOutputFile(gitignore, `${sep}# assay's reports and audit log (written by assay check)\nreports/\n`);
    ctx.stderr(`${existed ? 'added reports/ to' : 'wrote'} ${gitignore}`);
  }
  ctx.stdout('next: npx assay check   (then edit rules/example.yaml, or add your own files under rules/)\n');
  return EXIT.ok;
};

/** A link counts as existing: init never writes through one (util/write-file.ts refuses it anyway). */
function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}
