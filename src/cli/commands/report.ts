/** `assay report compliance`: reports built from the policy files and the audit log. */
import * as compliance from './report-compliance.js';

export const subcommands = [compliance];
