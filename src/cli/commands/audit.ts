/** `assay audit <verify|head|show>`: the governance audit log. */
import * as head from './audit-head.js';
import * as show from './audit-show.js';
import * as verify from './audit-verify.js';

export const subcommands = [verify, head, show];
