/**
 * `check --openlineage FILE|URL` end to end: START then COMPLETE (or FAIL)
 * run events with data quality facets, to a file and to an HTTP receiver on
 * 127.0.0.1 started here; parsed by the OpenLineage Python client as an
 * independent consumer; a failure to emit never changes the exit code.
 */
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, test } from '@jest/globals';
import { CLI, runCli } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/files.js';
import { PY_TOOLS_SKIP_REASON, pyTools, runPython } from '../helpers/py-tools.js';

const NOW = '2026-01-05T12:00:00Z';
let dir: TempDir | undefined;
afterEach(() => dir?.remove());

type Event = {
  eventType: string;
  run: { runId: string };
  job: { namespace: string; name: string };
  inputs: { namespace: string; name: string; inputFacets?: Record<string, any> }[];
};

function checkWithLineage(target: string, extra: string[] = []) {
  dir = dir ?? tempDir('assay-ol-');
  return runCli(['check', '--openlineage', target, '--out', join(dir.path, 'reports'), '--no-audit', '--now', NOW, ...extra]);
}

const readEvents = (file: string): Event[] =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

/** The CLI run asynchronously, so this process can answer its HTTP requests meanwhile. */
function runCliAsync(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('check --openlineage FILE', () => {
  it('appends a START and a COMPLETE event of one run, with assertions and metrics per input dataset', () => {
    dir = tempDir('assay-ol-');
    const file = join(dir.path, 'lineage.ndjson');
    const r = checkWithLineage(file);
    const plain = runCli(['check', '--out', join(dir.path, 'plain'), '--no-audit', '--now', NOW]);
    expect(r.code).toBe(plain.code); // same outcome as without lineage
    const events = readEvents(file);
    expect(events.map((e) => e.eventType)).toEqual(['START', 'COMPLETE']);
    expect(events[1].run.runId).toBe(events[0].run.runId);
    expect(events[0].job).toEqual({ namespace: 'assay', name: 'assay-check' });
    expect(events[0].inputs.map((i) => i.name)).toEqual([
      resolve('fixtures/data/customers.csv'),
      resolve('fixtures/data/orders.csv'),
      resolve('fixtures/public/penguins.json'),
    ]);
    expect(events[0].inputs.every((i) => i.inputFacets === undefined)).toBe(true);

    const report = JSON.parse(readFileSync(join(dir.path, 'reports', 'assay-report.json'), 'utf8'));
    const orders = events[1].inputs.find((i) => i.name.endsWith('orders.csv'))!;
    const reported = report.datasets.find((d: { name: string }) => d.name === 'orders');
    const assertions = orders.inputFacets!.dataQualityAssertions.assertions;
    expect(assertions).toHaveLength(reported.checks.length);
    for (const check of reported.checks) {
      expect(assertions).toContainEqual({
        assertion: check.type,
        name: check.id,
        success: check.status === 'pass' || check.status === 'warn',
        severity: check.severity,
        ...(check.column ? { column: check.column } : {}),
      });
    }
    expect(assertions.some((a: { success: boolean }) => !a.success)).toBe(true); // the bundled orders fail some checks
    const metrics = orders.inputFacets!.dataQualityMetrics;
    expect(metrics.rowCount).toBe(reported.rows);
    expect(metrics.columnMetrics.email.nullCount).toBe(reported.columns.email.missing);
    const distinct = reported.checks.find((c: { id: string }) => c.id === 'orders.status.distinct_count');
    expect(metrics.columnMetrics.status.distinctCount).toBe(distinct.observed);
    // Counts only: no value of any column (classified ones included) travels in the metrics.
    expect(JSON.stringify(metrics)).not.toMatch(/"(min|max|sum|quantiles)"/);
  });

  it('emits FAIL when the run ends without reading its data, and keeps exit code 3', () => {
    dir = tempDir('assay-ol-');
    const file = join(dir.path, 'lineage.ndjson');
    const r = checkWithLineage(file, ['--dataset', 'orders', '--data', `orders=${join(dir.path, 'missing.csv')}`]);
    expect(r.code).toBe(3);
    const events = readEvents(file);
    expect(events.map((e) => e.eventType)).toEqual(['START', 'FAIL']);
    expect(events[0].inputs).toEqual([{ namespace: 'file', name: join(dir.path, 'missing.csv') }]);
  });

  it('a failure to emit is a warning and does not change the exit code', () => {
    dir = tempDir('assay-ol-');
    const target = join(dir.path, 'no-such-folder-is-a-file');
    dir.write('no-such-folder-is-a-file', 'x');
    const r = checkWithLineage(join(target, 'lineage.ndjson'), ['--dataset', 'penguins']);
    const plain = runCli(['check', '--dataset', 'penguins', '--out', join(dir.path, 'plain'), '--no-audit', '--now', NOW]);
    expect(r.code).toBe(plain.code);
    expect(r.stderr).toMatch(/assay: warning: OpenLineage START event not emitted to .*lineage\.ndjson: /);
    expect(r.stderr).toMatch(/assay: warning: OpenLineage COMPLETE event not emitted to /);
  });
});

describe('check --openlineage URL', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

  function receiver(status: number): Promise<{ url: string; requests: { headers: IncomingMessage['headers']; body: string }[] }> {
    const requests: { headers: IncomingMessage['headers']; body: string }[] = [];
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        requests.push({ headers: req.headers, body });
        res.writeHead(status).end();
      });
    });
    return new Promise((done) =>
      server!.listen(0, '127.0.0.1', () => done({ url: `http://127.0.0.1:${(server!.address() as { port: number }).port}/api/v1/lineage`, requests })),
    );
  }

  it('POSTs both events as JSON to the receiver', async () => {
    const { url, requests } = await receiver(201);
    dir = tempDir('assay-ol-');
    const r = await runCliAsync(['check', '--dataset', 'penguins', '--openlineage', url, '--out', join(dir.path, 'reports'), '--no-audit', '--now', NOW]);
    expect(r.stderr).not.toContain('OpenLineage');
    expect(requests.map((q) => q.headers['content-type'])).toEqual(['application/json', 'application/json']);
    const events = requests.map((q) => JSON.parse(q.body) as Event);
    expect(events.map((e) => e.eventType)).toEqual(['START', 'COMPLETE']);
    expect(events[1].inputs[0].inputFacets!.dataQualityMetrics.rowCount).toBe(344);
  });

  it('a receiver that refuses is a warning, never a different exit code', async () => {
    const { url, requests } = await receiver(500);
    dir = tempDir('assay-ol-');
    const r = await runCliAsync(['check', '--dataset', 'penguins', '--openlineage', url, '--out', join(dir.path, 'reports'), '--no-audit', '--now', NOW]);
    const plain = runCli(['check', '--dataset', 'penguins', '--out', join(dir.path, 'plain'), '--no-audit', '--now', NOW]);
    expect(requests).toHaveLength(2);
    expect(r.code).toBe(plain.code);
    expect(r.stderr).toContain('OpenLineage START event not emitted to http://127.0.0.1:');
    expect(r.stderr).toContain('the receiver answered 500');
  });
});

const tools = pyTools();
const withTools = tools ? describe : describe.skip;
if (!tools) test.skip(PY_TOOLS_SKIP_REASON, () => undefined);

/**
 * Builds the client's typed RunEvent from the JSON (attrs classes refuse
 * unknown and missing fields; the client validates run ids, times and
 * schema URLs), then serialises it back with the client's own Serde.
 */
const PARSE_WITH_CLIENT = String.raw`
import json, sys
from openlineage.client.event_v2 import RunEvent, Run, Job, InputDataset
from openlineage.client.generated.data_quality_assertions_dataset import DataQualityAssertionsDatasetFacet, Assertion
from openlineage.client.generated.data_quality_metrics_input_dataset import DataQualityMetricsInputDatasetFacet, ColumnMetrics
from openlineage.client.serde import Serde

def facet(cls, raw, **fields):
    made = cls(**fields)
    assert made._schemaURL == raw["_schemaURL"], (made._schemaURL, raw["_schemaURL"])
    return made

out = []
for line in sys.stdin:
    e = json.loads(line)
    inputs = []
    for i in e["inputs"]:
        facets = {}
        f = i.get("inputFacets", {})
        if "dataQualityAssertions" in f:
            raw = f["dataQualityAssertions"]
            facets["dataQualityAssertions"] = facet(DataQualityAssertionsDatasetFacet, raw, assertions=[Assertion(**a) for a in raw["assertions"]])
        if "dataQualityMetrics" in f:
            raw = f["dataQualityMetrics"]
            facets["dataQualityMetrics"] = facet(DataQualityMetricsInputDatasetFacet, raw, rowCount=raw["rowCount"], columnMetrics={k: ColumnMetrics(**v) for k, v in raw["columnMetrics"].items()})
        assert set(f) <= {"dataQualityAssertions", "dataQualityMetrics"}, set(f)
        inputs.append(InputDataset(namespace=i["namespace"], name=i["name"], inputFacets=facets))
    event = RunEvent(eventType=e["eventType"], eventTime=e["eventTime"], run=Run(runId=e["run"]["runId"]), job=Job(namespace=e["job"]["namespace"], name=e["job"]["name"]), producer=e["producer"], inputs=inputs, outputs=[])
    assert event.schemaURL == e["schemaURL"], (event.schemaURL, e["schemaURL"])
    out.append(Serde.to_dict(event))
print(json.dumps(out))
`;

withTools('the OpenLineage Python client reads the events', () => {
  it('builds its typed RunEvent from each event and serialises the same content', () => {
    dir = tempDir('assay-ol-');
    const file = join(dir.path, 'lineage.ndjson');
    checkWithLineage(file);
    const text = readFileSync(file, 'utf8');
    const r = runPython(tools!, PARSE_WITH_CLIENT, text);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const parsed = JSON.parse(r.stdout) as Record<string, any>[];
    const ours = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(parsed).toHaveLength(2);
    for (const [i, event] of parsed.entries()) {
      expect(event.eventType).toBe(ours[i].eventType);
      expect(event.run.runId).toBe(ours[i].run.runId);
      expect(event.inputs.map((x: { name: string }) => x.name)).toEqual(ours[i].inputs.map((x: { name: string }) => x.name));
    }
    // Leaves out what differs by design: the facet producer, and the client's defaults of empty assertion params and quantiles.
    const strip = (facets: Record<string, any>) =>
      JSON.parse(JSON.stringify(facets, (k, v) => (k === '_producer' || (['params', 'quantiles'].includes(k) && JSON.stringify(v) === '{}') ? undefined : v)));
    expect(strip(parsed[1].inputs[1].inputFacets)).toEqual(strip(ours[1].inputs[1].inputFacets));
    // The client is strict: an event with a field its model lacks is refused.
    const broken = ours[1];
    broken.inputs[1].inputFacets.dataQualityAssertions.assertions[0].colour = 'red';
    expect(runPython(tools!, PARSE_WITH_CLIENT, JSON.stringify(broken)).code).not.toBe(0);
  });
});
