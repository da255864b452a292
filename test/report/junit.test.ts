import { readFileSync } from 'node:fs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { validateXML } from 'xmllint-wasm';
import { junit } from '../../src/report/formats/junit.js';
import type { RunReport } from '../../src/report/model.js';
import { expectGolden } from '../helpers/golden.js';
import { examplesReport, HOSTILE, hostileReport } from './reports.js';

const XSD = readFileSync('fixtures/junit/jenkins-junit.xsd', 'utf8');

/** libxml2 (compiled to WebAssembly) validating against Jenkins' JUnit schema. */
async function schemaErrors(xml: string): Promise<string[]> {
  const result = await validateXML({ xml: [{ fileName: 'junit.xml', contents: xml }], schema: [{ fileName: 'junit.xsd', contents: XSD }] });
  return result.errors.map((e) => e.rawMessage);
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name), parseAttributeValue: false, trimValues: false, processEntities: true, htmlEntities: true });

function parse(xml: string) {
  expect(XMLValidator.validate(xml)).toBe(true);
  return parser.parse(xml).testsuites;
}

describe('junit format on the bundled examples', () => {
  let report: RunReport;
  let xml: string;
  beforeAll(async () => {
    report = await examplesReport();
    xml = junit.render(report);
  });

  test('matches the golden file', () => {
    expectGolden('reports/junit.xml', xml);
  });

  test('is valid against the Jenkins JUnit XML schema', async () => {
    expect(await schemaErrors(xml)).toEqual([]);
  });

  test('the schema check is real: it rejects a testcase without a name', async () => {
    expect(await schemaErrors(xml.replace(/<testcase name="[^"]*"/, '<testcase'))).not.toEqual([]);
  });

  test('one testsuite per dataset, one testcase per check, outcomes mapped as SPEC §3 says', () => {
    const suites = parse(xml);
    expect(Number(suites.tests)).toBe(report.summary.checks);
    expect(Number(suites.failures)).toBe(report.summary.fail);
    expect(Number(suites.errors)).toBe(report.summary.error);
    expect(suites.testsuite.map((s: { name: string }) => s.name)).toEqual(report.datasets.map((d) => d.name));
    for (const [i, dataset] of report.datasets.entries()) {
      const suite = suites.testsuite[i];
      expect(suite.testcase.map((c: { name: string }) => c.name)).toEqual(dataset.checks.map((c) => c.id));
      for (const [j, check] of dataset.checks.entries()) {
        const testcase = suite.testcase[j];
        expect(testcase.failure !== undefined).toBe(check.status === 'fail');
        expect(testcase.error !== undefined).toBe(check.status === 'error');
        expect(testcase['system-out'] !== undefined).toBe(check.status === 'warn');
        if (check.status === 'fail') {
          expect(testcase.failure.message).toBe(check.message);
          for (const sample of check.samples) expect(testcase.failure['#text']).toContain(`row ${sample.row}:`);
        }
      }
    }
  });

  test('the examples contain every outcome the mapping distinguishes', () => {
    expect(report.summary.fail).toBeGreaterThan(0);
    expect(report.summary.warn).toBeGreaterThan(0);
    expect(report.summary.pass).toBeGreaterThan(0);
  });
});

describe('junit format with hostile values', () => {
  const report = hostileReport();
  const xml = junit.render(report);

  test('stays well-formed and schema-valid', async () => {
    expect(await schemaErrors(xml)).toEqual([]);
  });

  test('every value reads back exactly, except XML-forbidden characters shown as \\uXXXX', () => {
    const suite = parse(xml).testsuite[0];
    expect(suite.name).toBe(report.datasets[0].name);
    const [failing, erroring, warning] = suite.testcase;
    expect(failing.name).toBe(report.datasets[0].checks[0].id);
    expect(failing.failure.message).toBe(HOSTILE.lines);
    expect(failing.failure['#text']).toContain(`col markup=${JSON.stringify(HOSTILE.markup)}`);
    expect(erroring.error.message).toBe('nul\\u0000bell\\u0007esc\\u001b end');
    expect(warning['system-out']).toContain(HOSTILE.mention);
    const properties = Object.fromEntries(suite.properties.property.map((p: { name: string; value: string }) => [p.name, p.value]));
    expect(properties.source).toBe(HOSTILE.entity);
    expect(properties.principal).toBe(HOSTILE.markup);
  });

  test('an unreadable dataset says why in <system-err>, and its checks are errors', () => {
    const suite = parse(xml).testsuite[1];
    expect(suite['system-err']).toBe(`dataset could not be checked: ${report.datasets[1].error}`);
    expect(suite.errors).toBe('1');
    expect(suite.testcase[0].error.message).toBe(report.datasets[1].checks[0].message);
  });

  test('no raw markup from values reaches the document', () => {
    expect(xml).not.toContain('<script>');
    expect(xml).not.toContain('<img');
    expect(xml).not.toContain('\u0000');
  });
});
