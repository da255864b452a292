/** Part of `npm run build`: write ajv's standalone validators next to the built schema-errors.js. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { standaloneValidators } from './schema-compile.js';

writeFileSync(fileURLToPath(new URL('./schema-validators.cjs', import.meta.url)), standaloneValidators());
