/** assay's version: in reports, audit events and `assay --version`. test/e2e/package.test.ts checks it against package.json. */
export const ASSAY_VERSION = '0.1.0';
