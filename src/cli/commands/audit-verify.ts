/** `assay audit verify`: check the hash chain; exit 1 naming the first bad line and why. */
import { existsSync } from 'node:fs';
import type { Argv } from 'yargs';
import { auditKey } from '../../audit/chain.js';
import { parseExpectedHead, verifyAuditLog, type VerifyResult } from '../../audit/verify.js';
import { AssayError } from '../../util/diagnostics.js';
import { AUDIT_LOG_ENV, auditLogPath, DEFAULT_AUDIT_LOG } from '../audit-options.js';
import type { CommandRun } from '../context.js';
import { EXIT } from '../exit-codes.js';

export interface VerifyArgs {
  log?: string;
  'expect-head'?: string;
  json?: boolean;
}

export const command = 'verify';
export const describe = 'Verify the audit log\'s hash chain; name the first bad line';

export function builder(y: Argv): Argv<VerifyArgs> {
  return y
    .option('log', { type: 'string', describe: `the audit log (default ${AUDIT_LOG_ENV}, else ${DEFAULT_AUDIT_LOG})` })
    .option('expect-head', { type: 'string', describe: 'a head stored earlier (output of assay audit head): catches a truncated tail or a rewritten log' })
    .option('json', { type: 'boolean', describe: 'print the result as JSON' })
    .example('$0 audit verify', 'verify reports/audit.jsonl')
    .example('$0 audit verify --expect-head "$(cat audit.head)"', 'also check against a head stored elsewhere') as unknown as Argv<VerifyArgs>;
}

export const run: CommandRun<VerifyArgs> = async (args, ctx) => {
  const log = auditLogPath(args.log, ctx.env);
  let expect;
  if (args['expect-head'] !== undefined) {
    expect = parseExpectedHead(args['expect-head']);
    if (!expect) throw new AssayError('usage', `--expect-head: not a head "${args['expect-head']}"`, 'give the output of assay audit head, e.g. "42 sha256:…"');
  }
  if (!existsSync(log)) throw new AssayError('usage', `no audit log at ${log}`, `give the log with --log or ${AUDIT_LOG_ENV}; assay check writes reports/audit.jsonl`);
  const result = await verifyAuditLog(log, auditKey(ctx.env), expect);
  ctx.stdout(args.json ? `${JSON.stringify(result, null, 2)}\n` : describeResult(result));
  return result.ok ? EXIT.ok : EXIT.gate;
};

function describeResult(result: VerifyResult): string {
  const lines: string[] = [];
  const mode = result.keyed ? 'HMAC-SHA256' : 'SHA-256';
  for (const line of result.recovered) lines.push(`${result.path}:${line}: note: torn line from an interrupted append, recorded by the audit.recover event after it`);
  if (result.problem) {
    const p = result.problem;
    lines.push(`${result.path}:${p.line}: ${p.reason}: ${p.message}`);
    lines.push(`audit log NOT intact: ${result.events} event${result.events === 1 ? '' : 's'} verified before line ${p.line}`);
  } else {
    lines.push(`audit log intact: ${result.path}, ${result.events} event${result.events === 1 ? '' : 's'}, ${mode}, head ${result.head ?? '(empty)'}`);
  }
  return `${lines.join('\n')}\n`;
}
