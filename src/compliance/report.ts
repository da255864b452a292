/**
 * The compliance report from files: the policies' controls, and evidence
 * from the audit log, read and verified here (only events before the first
 * bad line count). The CLI (`assay report compliance`) and the library call this.
 */
import { auditKey } from '../audit/chain.js';
import { readTrustedEvents } from '../audit/trusted.js';
import type { PolicySet } from '../policy/types.js';
import { AssayError } from '../util/diagnostics.js';
import { suggest } from '../util/did-you-mean.js';
import { buildComplianceReport } from './build.js';
import { declaredControls } from './controls.js';
import type { ComplianceReport } from './model.js';

export interface ComplianceOptions {
  policy: PolicySet;
  /** The audit log to take evidence from. */
  auditLog: string;
  /** End of the evidence window and the report's time (default: now). */
  now?: Date;
  /** Start of the evidence window (default: the log's beginning). */
  since?: Date;
  /** Only this framework's controls. */
  framework?: string;
  /** Where ASSAY_AUDIT_KEY is read (default process.env). */
  env?: NodeJS.ProcessEnv;
}

export async function complianceReport(options: ComplianceOptions): Promise<ComplianceReport> {
  const { policy, framework } = options;
  if (framework !== undefined) {
    const frameworks = [...new Set(declaredControls(policy).map((c) => c.framework))];
    if (!frameworks.includes(framework)) {
      throw new AssayError('usage', `--framework: unknown framework "${framework}"`, frameworks.length > 0 ? suggest(framework, frameworks) : 'no kind: controls document declares any framework');
    }
  }
  const trusted = await readTrustedEvents(options.auditLog, auditKey(options.env ?? process.env));
  return buildComplianceReport({ policy, trusted, logPath: options.auditLog, now: options.now ?? new Date(), since: options.since, framework });
}
