/**
 * The registry discipline (STYLE.md §8.2): a check type is one file in
 * src/checks/ named after its YAML key, one line in src/checks/index.ts and
 * one test file; it is documented in docs/checks.md and used by an example
 * under rules/; the generated schema and docs are up to date. This test fails
 * when any of that is forgotten.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { CHECKS } from '../../src/checks/index.js';
import type { ColumnType } from '../../src/values/types.js';
import { loadValidatedPolicies } from '../../src/pipeline.js';
import { generatedFiles } from '../../src/policy/write-schema.js';
import { validateCase } from '../helpers/check-tester.js';

const kebab = (type: string): string => type.replace(/_/g, '-');
/** Test files in test/checks/ that test shared modules, not one check type. */
const SHARED_TESTS = new Set(['registry', 'thresholds', 'formats', 'smoke', 'docs', 'params-types']);

describe('check registry', () => {
  test('the registry array is sorted by type, without duplicates', () => {
    const types = CHECKS.map((c) => c.type);
    expect(types).toEqual([...new Set(types)].sort());
  });

  test.each(CHECKS.map((c) => [c.type, c] as const))('%s: source file, test file, docs section, example', (type, check) => {
    const problems: string[] = [];
    const source = `src/checks/${kebab(type)}.ts`;
    if (!existsSync(source) || !readFileSync(source, 'utf8').includes(`type: '${type}'`)) problems.push(`${source} does not define type '${type}'`);
    if (!existsSync(`test/checks/${kebab(type)}.test.ts`)) problems.push(`no test/checks/${kebab(type)}.test.ts`);
    if (!readFileSync('docs/checks.md', 'utf8').includes(`\n## ${type}\n`)) problems.push('no "## ' + type + '" section in docs/checks.md (run npm run schema)');
    // The type check reads a declared column type: declare the one its example names.
    const example = check.example as { column?: string; type?: ColumnType };
    const declared = type === 'type' ? { [example.column!]: example.type! } : {};
    const { errors } = validateCase(type, check.example, declared);
    if (errors.length > 0) problems.push(`its example does not validate: ${errors.join('; ')}`);
    expect(problems).toEqual([]);
  });

  test('every test file in test/checks/ belongs to a check type or a shared module', () => {
    const types = new Set(CHECKS.map((c) => kebab(c.type)));
    const stray = readdirSync('test/checks')
      .map((f) => f.replace(/\.test\.ts$/, ''))
      .filter((name) => !types.has(name) && !SHARED_TESTS.has(name));
    expect(stray).toEqual([]);
  });

  test('every check type is used by an example under rules/', () => {
    const { policy } = loadValidatedPolicies(['rules']);
    const used = new Set(policy.datasets.flatMap((d) => d.checks.map((c) => c.type)));
    expect(CHECKS.map((c) => c.type).filter((t) => !used.has(t))).toEqual([]);
  });

  test.each(Object.entries(generatedFiles()))('%s is up to date (npm run schema)', (path, text) => {
    expect(existsSync(path) ? readFileSync(path, 'utf8') : `${path} is missing`).toBe(text);
  });
});
