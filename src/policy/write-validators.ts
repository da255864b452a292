/** Part of `npm run build`: write ajv's standalone validators next to the built schema-errors.js. */
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeOutputFile } from '../util/write-file.js';
import { standaloneValidators } from './schema-compile.js';

const target = fileURLToPath(new URL('./schema-validators.cjs', import.meta.url));
writeOutputFile(dirname(target), basename(target), standaloneValidators());
