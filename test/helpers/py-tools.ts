/**
 * The Python tools that check assay's ODCS and OpenLineage output as
 * independent consumers (.ci/python-tools.sh installs them; CI sets
 * ASSAY_PY_TOOLS). Tests that need them skip with this reason when unset.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const PY_TOOLS_ENV = 'ASSAY_PY_TOOLS';
export const PY_TOOLS_SKIP_REASON = `${PY_TOOLS_ENV} is not set (CI sets it: . .ci/python-tools.sh && py_tools); ODCS/OpenLineage consumer checks skipped`;

export interface PyTools {
  python: string;
  datacontract: string;
  sitePackages: string;
}

export function pyTools(): PyTools | undefined {
  const dir = process.env[PY_TOOLS_ENV];
  if (!dir) return undefined;
  const lib = join(dir, 'lib');
  const version = existsSync(lib) ? readdirSync(lib).find((d) => d.startsWith('python')) : undefined;
  if (!version) throw new Error(`${PY_TOOLS_ENV}=${dir} is not a virtual environment made by .ci/python-tools.sh`);
  return { python: join(dir, 'bin', 'python'), datacontract: join(dir, 'bin', 'datacontract'), sitePackages: join(lib, version, 'site-packages') };
}

/** Run a Python snippet in the tools' environment; stdin carries the input. */
export function runPython(tools: PyTools, code: string, input = ''): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(tools.python, ['-c', code], { input, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
