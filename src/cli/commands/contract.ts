/** `assay contract <export|import>`: Open Data Contract Standard (ODCS v3) documents. */
import * as exportCommand from './contract-export.js';
import * as importCommand from './contract-import.js';

export const subcommands = [exportCommand, importCommand];
