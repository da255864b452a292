/** `assay audit head`: the event count and head hash, to store elsewhere and pass to `verify --expect-head`. */
import type { Argv } from 'yargs';
import { readHead } from '../../audit/read.js';
import { AUDIT_LOG_ENV, auditLogPath, DEFAULT_AUDIT_LOG } from '../audit-options.js';
import type { CommandRun } from '../context.js';
import { EXIT } from '../exit-codes.js';

export interface HeadArgs {
  log?: string;
  json?: boolean;
}

export const command = 'head';
export const describe = 'Print the audit log\'s event count and head hash (read from its end; does not verify)';

export function builder(y: Argv): Argv<HeadArgs> {
  return y
    .option('log', { type: 'string', describe: `the audit log (default ${AUDIT_LOG_ENV}, else ${DEFAULT_AUDIT_LOG})` })
    .option('json', { type: 'boolean', describe: 'print {"events": N, "head": "sha256:…"}' })
    .example('$0 audit head > audit.head', 'store the head where the log\'s writers cannot change it') as unknown as Argv<HeadArgs>;
}

export const run: CommandRun<HeadArgs> = async (args, ctx) => {
  const log = auditLogPath(args.log, ctx.env);
  const { last, tornBytes } = readHead(log);
  const events = last?.seq ?? 0;
  const head = last?.hash ?? null;
  ctx.stdout(args.json ? `${JSON.stringify({ events, head })}\n` : `${events}${head ? ` ${head}` : ''}\n`);
  if (tornBytes > 0) ctx.stderr(`warning: ${log} ends with a torn line (${tornBytes} bytes); run assay audit verify`);
  return EXIT.ok;
};
