import type { AccessModel } from '../../src/access/model.js';
import { resolvePrincipal } from '../../src/cli/principal.js';
import { AssayError } from '../../src/util/diagnostics.js';

const model: AccessModel = {
  roles: ['analyst', 'support'],
  principals: new Map([['alice', { name: 'alice', roles: ['analyst'], attributes: { region: 'EU' } }]]),
  policies: [],
};

function usageError(fn: () => unknown): AssayError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AssayError);
    expect((e as AssayError).kind).toBe('usage');
    return e as AssayError;
  }
  throw new Error('expected a usage error');
}

describe('resolvePrincipal', () => {
  test('a declared principal', () => {
    expect(resolvePrincipal({ as: 'alice' }, model)).toEqual({ name: 'alice', roles: ['analyst'], attributes: { region: 'EU' } });
  });
  test('an undeclared principal described on the command line', () => {
    expect(resolvePrincipal({ as: 'ci', role: ['support'], attr: ['region=US', 'team=a=b'] }, model)).toEqual({ name: 'ci', roles: ['support'], attributes: { region: 'US', team: 'a=b' } });
  });
  test('unknown principal: usage error with did-you-mean', () => {
    const e = usageError(() => resolvePrincipal({ as: 'alic' }, model));
    expect(e.message).toBe('unknown principal "alic"');
    expect(e.hint).toMatch(/did you mean "alice"\?/);
  });
  test('unknown role', () => {
    expect(usageError(() => resolvePrincipal({ as: 'x', role: ['analyts'] }, model)).hint).toBe('did you mean "analyst"?');
  });
  test('--role cannot change a declared principal', () => {
    usageError(() => resolvePrincipal({ as: 'alice', role: ['support'] }, model));
  });
  test('--attr without --role', () => {
    usageError(() => resolvePrincipal({ as: 'alice', attr: ['region=US'] }, model));
  });
  test.each([['region'], ['=US'], ['__proto__.x=1'], ['a b=1']])('malformed --attr %j', (attr) => {
    usageError(() => resolvePrincipal({ as: 'x', role: ['support'], attr: [attr] }, model));
  });
  test('"__proto__" as an attribute name is a plain key', () => {
    const p = resolvePrincipal({ as: 'x', role: ['support'], attr: ['__proto__=1'] }, model);
    expect(Object.hasOwn(p.attributes, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(p.attributes)).toBe(Object.prototype);
  });
});
