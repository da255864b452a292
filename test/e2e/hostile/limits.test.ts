/**
 * Every hostile or broken input listed in issue 8, run through the real CLI
 * as a subprocess with a timeout. Each case states the exact outcome: the
 * exit code and the one line that explains it (SECURITY.md lists them too).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectNoCrash, runCli, scratchProject } from './cli.js';
import { jest } from '@jest/globals';

// Each test runs the CLI one or more times; a shared CI machine can be slow. Hangs are caught by runCli's own timeout.
jest.setTimeout(300_000);

/** A policy for one dataset over `path`, with checks that read every row. */
function policy(path: string, extra: string[] = []): string {
  return [
    'kind: dataset',
    'name: t',
    `source: { path: ${JSON.stringify(path)} }`,
    'columns:',
    '  a: { type: integer, required: true }',
    '  b: { type: string }',
    'checks:',
    '  - row_count: { min: 1 }',
    ...extra,
  ].join('\n');
}

function check(files: Record<string, string | Buffer>, args: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const p = scratchProject(files);
  try {
    const r = runCli(['check', 'rules', '--format', 'json', '--out', 'out', ...args], p.dir, undefined, env);
    expectNoCrash(r);
    let report;
    try {
      report = JSON.parse(readFileSync(join(p.dir, 'out/assay-report.json'), 'utf8'));
    } catch {
      report = undefined;
    }
    return { ...r, report, dir: p.dir };
  } finally {
    p.cleanup();
  }
}

/** The dataset's error after the `cannot read data for dataset "t": ` prefix every data error carries. */
const datasetError = (r: ReturnType<typeof check>): string => (r.report?.datasets?.[0]?.error ?? '').replace(/^cannot read data for dataset "t": /, '');

describe('data files', () => {
  test('empty file: exit 3, "file is empty (no header row)"', () => {
    const r = check({ 'data.csv': '', 'rules/t.yaml': policy('../data.csv') });
    expect(r.status).toBe(3);
    expect(datasetError(r)).toBe('data.csv: file is empty (no header row)');
  });

  test('header-only file: 0 rows, counts are 0 (not NaN), row_count fails: exit 1', () => {
    const r = check({ 'data.csv': 'a,b\n', 'rules/t.yaml': policy('../data.csv') });
    expect(r.status).toBe(1);
    const d = r.report.datasets[0];
    expect(d.rows).toBe(0);
    expect(d.checks.find((c: { type: string }) => c.type === 'row_count')).toMatchObject({ status: 'fail', observed: 0 });
    expect(d.checks.find((c: { type: string }) => c.type === 'not_null')).toMatchObject({ status: 'pass', failed_rows: 0, evaluated_rows: 0 });
  });

  test('byte-order mark: dropped from the first column name (CSV, NDJSON, JSON)', () => {
    for (const [file, text] of [['data.csv', '\ufeffa,b\n1,x\n'], ['data.ndjson', '\ufeff{"a":1,"b":"x"}\n'], ['data.json', '\ufeff[{"a":1,"b":"x"}]']]) {
      const r = check({ [file]: text, 'rules/t.yaml': policy(`../${file}`) });
      expect([file, r.status]).toEqual([file, 0]);
      expect(r.report.datasets[0].rows).toBe(1);
    }
  });

  test('mixed line endings (\\r\\n, \\n, \\r): every row is read, values carry no \\r', () => {
    for (const [file, text] of [
      ['data.csv', 'a,b\r\n1,x\n2,y\r3,z\r\n'],
      ['data.ndjson', '{"a":1,"b":"x"}\r\n{"a":2,"b":"y"}\n{"a":3,"b":"z"}\r{"a":4,"b":"w"}'],
    ]) {
      const rows = file.endsWith('csv') ? 3 : 4;
      const r = check({ [file]: text, 'rules/t.yaml': policy(`../${file}`, ['  - accepted_values: { column: b, values: [x, y, z, w] }']) });
      expect([file, r.status, r.report.datasets[0].rows]).toEqual([file, 0, rows]);
    }
  });

  test('duplicate column names in a CSV header: exit 3, named', () => {
    const r = check({ 'data.csv': 'a,b,a\n1,x,2\n', 'rules/t.yaml': policy('../data.csv') });
    expect(r.status).toBe(3);
    expect(datasetError(r)).toBe('data.csv: duplicate column name "a" in the header');
  });

  test('reserved column names (__proto__, constructor): exit 3, never silently dropped', () => {
    const csv = check({ 'data.csv': 'a,__proto__\n1,x\n', 'rules/t.yaml': policy('../data.csv') });
    expect(csv.status).toBe(3);
    expect(datasetError(csv)).toBe('data.csv: column name "__proto__" is not supported (it is reserved in JavaScript)');
    const json = check({ 'data.json': '[{"a":1,"constructor":2}]', 'rules/t.yaml': policy('../data.json') });
    expect(json.status).toBe(3);
    expect(datasetError(json)).toMatch(/^data\.json: .*"constructor" is not supported as a column name \(it is reserved in JavaScript\) \(element 1 of the array\)$/);
  });

  test('a JSON key twice in one record: exit 3, line and key named (never last-wins silently)', () => {
    const r = check({ 'data.ndjson': '{"a":1,"b":"x"}\n{"a":2,"b":"y","b":"z"}\n', 'rules/t.yaml': policy('../data.ndjson') });
    expect(r.status).toBe(3);
    expect(datasetError(r)).toBe('data.ndjson:2: key "b" appears twice in one object; JSON keeps only the last value');
  });

  test('NUL byte: exit 3, line and byte named', () => {
    const r = check({ 'data.csv': 'a,b\n1,x\n2,y\u0000z\n', 'rules/t.yaml': policy('../data.csv') });
    expect(r.status).toBe(3);
    expect(datasetError(r)).toBe('data.csv:3: NUL byte at byte 11; this looks like a binary file');
  });

  test('invalid UTF-8: exit 3, line and byte named (never replaced silently)', () => {
    const bytes = Buffer.concat([Buffer.from('a,b\n1,x\n2,caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
    const r = check({ 'data.csv': bytes, 'rules/t.yaml': policy('../data.csv') });
    expect(r.status).toBe(3);
    expect(datasetError(r)).toBe('data.csv:3: invalid UTF-8 at byte 13');
  });

  test('very wide rows (20,000 columns): read and checked', () => {
    const n = 20_000;
    const header = ['a', 'b', ...Array.from({ length: n - 2 }, (_, i) => `c${i}`)].join(',');
    const row = (a: number) => [a, 'x', ...Array.from({ length: n - 2 }, (_, i) => i)].join(',');
    const r = check({ 'data.csv': `${header}\n${row(1)}\n${row(2)}\n`, 'rules/t.yaml': policy('../data.csv') });
    expect(r.status).toBe(0);
    expect(r.report.datasets[0].rows).toBe(2);
  });

  test('a huge cell (8 MB): checked, and its sample is cut to 200 characters plus its length', () => {
    const cell = 'x'.repeat(8 * 1024 * 1024);
    const r = check({ 'data.csv': `a,b\n1,${cell}\n2,y\n`, 'rules/t.yaml': policy('../data.csv', ['  - length: { column: b, max: 10 }']) });
    expect(r.status).toBe(1);
    const length = r.report.datasets[0].checks.find((c: { type: string }) => c.type === 'length');
    expect(length).toMatchObject({ status: 'fail', failed_rows: 1 });
    expect(length.samples[0].values.b).toBe(`${'x'.repeat(200)}… (${cell.length} characters)`);
    expect(r.stdout.length).toBeLessThan(20_000);
  });

  test('a JSON file over the whole-file limit (sparse, 600 MB): exit 3 before reading (CSV, NDJSON, Parquet stream instead)', () => {
    const p = scratchProject({ 'rules/t.yaml': policy('../big.json') });
    try {
      writeFileSync(join(p.dir, 'big.json'), '[');
      truncateSync(join(p.dir, 'big.json'), 600 * 1024 * 1024);
      const r = runCli(['check', 'rules', '--format', 'console', '--out', 'out'], p.dir);
      expectNoCrash(r);
      expect(r.status).toBe(3);
      expect(r.stdout).toContain('big.json: file is 629145600 bytes; the limit is 536870912');
    } finally {
      p.cleanup();
    }
  });

  test('a directory where a file should be: exit 3, "not a regular file (a directory)"', () => {
    const p = scratchProject({ 'rules/t.yaml': policy('../data.csv') });
    try {
      mkdirSync(join(p.dir, 'data.csv'));
      const r = runCli(['check', 'rules', '--format', 'console', '--out', 'out'], p.dir);
      expectNoCrash(r);
      expect(r.status).toBe(3);
      expect(r.stdout).toContain('cannot read data for dataset "t": data.csv: not a regular file (a directory)');
    } finally {
      p.cleanup();
    }
  });

  test('a FIFO as source.path or --data: exit 3 at once, no hang waiting for a writer', () => {
    const p = scratchProject({ 'rules/t.yaml': policy('../data.csv') });
    try {
      expect(spawnSync('mkfifo', [join(p.dir, 'data.csv')]).status).toBe(0);
      for (const args of [[], ['--data', 't=data.csv']]) {
        const r = runCli(['check', 'rules', '--format', 'console', '--out', 'out', ...args], p.dir);
        expectNoCrash(r);
        expect(r.status).toBe(3);
        expect(r.stdout).toContain('cannot read data for dataset "t": data.csv: not a regular file (a FIFO)');
      }
    } finally {
      p.cleanup();
    }
  });

  test('/dev/zero through --data (trusted path, still type-checked): exit 3 at once', () => {
    const p = scratchProject({ 'rules/t.yaml': policy('../data.csv') });
    try {
      symlinkSync('/dev/zero', join(p.dir, 'zero.csv'));
      const r = runCli(['check', 'rules', '--format', 'console', '--out', 'out', '--data', 't=zero.csv'], p.dir);
      expectNoCrash(r);
      expect(r.status).toBe(3);
      expect(r.stdout).toContain('cannot read data for dataset "t": zero.csv: not a regular file (a character device)');
    } finally {
      p.cleanup();
    }
  });

  test('unreadable permissions (chmod 000), run as an unprivileged user so root cannot bypass it: exit 3', () => {
    const p = scratchProject({ 'data.csv': 'a,b\n1,x\n', 'rules/t.yaml': policy('../data.csv') });
    try {
      chmodSync(p.dir, 0o755);
      chmodSync(join(p.dir, 'data.csv'), 0o000);
      // The JSON report is always written: into a folder the unprivileged user may write.
      mkdirSync(join(p.dir, 'out'));
      chmodSync(join(p.dir, 'out'), 0o777);
      // As root, drop to "nobody" for the child, as CI runs as root and root reads any file.
      const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
      const r = spawnSync(process.execPath, [join(process.cwd(), 'dist/cli/bin.cjs'), 'check', 'rules', '--format', 'console', '--out', 'out', '--no-audit'], {
        cwd: p.dir, encoding: 'utf8', timeout: 90_000, env: { ...process.env, NO_COLOR: '1' }, ...asNobody,
      });
      expect(r.stderr).not.toMatch(/internal error/);
      expect(r.status).toBe(3);
      expect(r.stdout).toContain('cannot read data for dataset "t": data.csv: permission denied');
    } finally {
      chmodSync(join(p.dir, 'data.csv'), 0o644);
      p.cleanup();
    }
  });
});

describe('policy source paths (policy files come from pull requests)', () => {
  test('a path outside the project: exit 3, refused before reading', () => {
    const p = scratchProject({ 'rules/t.yaml': policy('../../../../../../../../etc/passwd', ['  - pattern: { column: a, regex: "^$" }']) });
    try {
      const r = runCli(['check', 'rules', '--format', 'json', '--out', 'out'], p.dir);
      expectNoCrash(r);
      expect(r.status).toBe(3);
      const report = JSON.parse(readFileSync(join(p.dir, 'out/assay-report.json'), 'utf8'));
      expect(report.datasets[0].error).toMatch(/^\.\.\/\.\.\/.*etc\/passwd: source\.path resolves outside the project root .* \(rules\/t\.yaml: source\.path\); to allow it, set ASSAY_DATA_ROOT to a folder that holds it, or check the file for one run with --data NAME=PATH$/);
      expect(JSON.stringify(report)).not.toContain('root:');
    } finally {
      p.cleanup();
    }
  });

  test('a symbolic link inside the project that points outside: exit 3', () => {
    const p = scratchProject({ 'rules/t.yaml': policy('../data.csv') });
    try {
      symlinkSync('/etc/hostname', join(p.dir, 'data.csv'));
      const r = runCli(['check', 'rules', '--format', 'console', '--out', 'out'], p.dir);
      expectNoCrash(r);
      expect(r.status).toBe(3);
      expect(r.stdout).toMatch(/data\.csv: source\.path resolves outside the project root/);
    } finally {
      p.cleanup();
    }
  });

  test('a glob reaching outside the project: exit 3 before anything is listed', () => {
    const r = check({ 'rules/t.yaml': policy('../../../**/*.csv') });
    expect(r.status).toBe(3);
    expect(datasetError(r)).toMatch(/source\.path resolves outside the project root/);
  });

  test('ASSAY_DATA_ROOT widens the root on purpose (the operator, not the policy, decides)', () => {
    const outside = scratchProject({ 'data.csv': 'a,b\n1,x\n' });
    try {
      const r = check({ 'rules/t.yaml': policy(join(outside.dir, 'data.csv').replace(/^\//, '../'.repeat(12))) }, [], { ASSAY_DATA_ROOT: '/' });
      expect(r.status).toBe(0);
    } finally {
      outside.cleanup();
    }
  });
});

describe('policy files', () => {
  const validate = (files: Record<string, string | Buffer>, paths = ['rules']) => {
    const p = scratchProject(files);
    try {
      const r = runCli(['validate', ...paths], p.dir);
      expectNoCrash(r);
      return r;
    } finally {
      p.cleanup();
    }
  };

  test('deeply nested YAML (100,000 levels): exit 2, "document nests too deeply to parse"', () => {
    const r = validate({ 'rules/t.yaml': `kind: dataset\nname: t\nx: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n` });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^rules\/t\.yaml:3:\d+: document nests too deeply to parse \(the limit is 64 levels\)$/m);
  });

  test('nesting past the depth limit that still parses (70 levels): exit 2', () => {
    const r = validate({ 'rules/t.yaml': `kind: dataset\nname: t\nx: ${'['.repeat(70)}${']'.repeat(70)}\n` });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^rules\/t\.yaml:1:1: document nests deeper than 64 levels$/m);
  });

  test('YAML alias bomb ("billion laughs"): exit 2 without expanding it', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const r = validate({ 'rules/t.yaml': ['kind: dataset', 'name: t', ...levels].join('\n') });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^rules\/t\.yaml:1:1: Excessive alias count indicates a resource exhaustion attack \(aliases are limited to 100 per document\)$/m);
  });

  test('a policy file over 5 MB (sparse): exit 2, size named', () => {
    const p = scratchProject({ 'rules/t.yaml': 'kind: dataset\n' });
    try {
      truncateSync(join(p.dir, 'rules/t.yaml'), 6 * 1024 * 1024);
      const r = runCli(['validate', 'rules'], p.dir);
      expectNoCrash(r);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('rules/t.yaml:1:1: policy file is 6291456 bytes; the limit is 5242880');
    } finally {
      p.cleanup();
    }
  });

  test('/dev/zero or a FIFO given as the policy path: exit 2 at once', () => {
    const r = validate({}, ['/dev/zero']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('assay: not a policy file or folder: /dev/zero');
    const p = scratchProject();
    try {
      expect(spawnSync('mkfifo', [join(p.dir, 'p.yaml')]).status).toBe(0);
      const f = runCli(['validate', 'p.yaml'], p.dir);
      expectNoCrash(f);
      expect(f.status).toBe(2);
      expect(f.stderr).toContain('assay: not a policy file or folder: p.yaml');
    } finally {
      p.cleanup();
    }
  });

  test('control characters and ANSI escapes in keys stay on one inert line', () => {
    const r = validate({ 'rules/t.yaml': 'kind: dataset\nname: t\nsource: { path: x.csv }\n"\\e[31mred\\rx": 1\n' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown key "\\u001b[31mred\\rx"');
    expect(r.stderr).not.toContain('\u001b');
  });
});
