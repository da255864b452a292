import { op } from 'arquero';
import { ARQUERO_FUNCTIONS } from '../../src/expr/arquero-functions.js';

// The allow-list names arquero's functions without loading arquero; after an
// arquero upgrade this fails until src/expr/arquero-functions.ts is updated.
test('ARQUERO_FUNCTIONS is exactly the installed arquero op registry', () => {
  expect([...ARQUERO_FUNCTIONS].sort()).toEqual(Object.keys(op).sort());
});
