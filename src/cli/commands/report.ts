/** `assay report compliance`: reports built from the policy files and the audit log. */
import * as compliance from './report-compliance.js';

export const command = 'report';
export const describe = 'Reports from the policy files and the audit log (compliance)';
export const subcommands = [compliance];
