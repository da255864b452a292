/** `assay audit <verify|head|show>`: the governance audit log. */
import * as head from './audit-head.js';
import * as show from './audit-show.js';
import * as verify from './audit-verify.js';

export const command = 'audit';
export const describe = 'Verify, inspect and list the audit log';
export const subcommands = [verify, head, show];
