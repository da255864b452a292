/**
 * Golden CLI transcripts: for each command line, the exit code, stdout and
 * stderr, in fixtures/golden/cli/<command line>.txt. Run ids, wall-clock
 * times and the temp output folder are normalized. `UPDATE_GOLDEN=1` rewrites.
 */
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/files.js';
import { expectGolden } from '../helpers/golden.js';

const COMMAND_LINES = [
  'check fixtures/e2e/shipments.yaml --format console --now 2026-01-10T00:00:00Z',
  'check fixtures/e2e/events.yaml --json --now 2026-01-10T00:00:00Z',
  'check fixtures/e2e/broken --format console',
  'check fixtures/e2e/shipments.yaml --data shipments=fixtures/e2e/batch.csv --format console',
  'validate fixtures/e2e',
  'validate fixtures/policies/invalid',
  'chek',
  'check --fail-on sometimes',
];

/** File name for a command line: readable, one per line of the list. */
const goldenName = (line: string) => `cli/${line.replace(/[/\s=:]+/g, '_')}.txt`;

function normalize(text: string, out: string): string {
  return text
    .split(out)
    .join('<out>')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<run-id>')
    .replace(/("(?:started_at|finished_at)": )"[^"]+"/g, '$1"<time>"');
}

test('command lines have distinct golden files', () => {
  expect(new Set(COMMAND_LINES.map(goldenName)).size).toBe(COMMAND_LINES.length);
});

test.each(COMMAND_LINES)('assay %s', (line) => {
  const out = tempDir('assay-golden-');
  try {
    const args = line.split(' ');
    const withOut = args[0] === 'check' ? [...args, '--out', out.path] : args;
    const { code, stdout, stderr } = runCli(withOut);
    const transcript = `$ assay ${line}\nexit ${code}\n--- stdout\n${stdout}--- stderr\n${stderr}`;
    expectGolden(goldenName(line), normalize(transcript, out.path));
  } finally {
    out.remove();
  }
});
