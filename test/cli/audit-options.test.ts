import { userInfo } from 'node:os';
import { auditLogFor } from '../../src/cli/audit-options.js';
import { resolveActor } from '../../src/audit/log.js';

describe('resolveActor', () => {
  test('--actor, then ASSAY_ACTOR, then the OS user', () => {
    expect(resolveActor('cli', { ASSAY_ACTOR: 'env' })).toBe('cli');
    expect(resolveActor(undefined, { ASSAY_ACTOR: 'env' })).toBe('env');
    expect(resolveActor(undefined, {})).toBe(userInfo().username);
  });
});

describe('auditLogFor', () => {
  test('the default path, --audit-log, the key from ASSAY_AUDIT_KEY, and --no-audit', () => {
    expect(auditLogFor({ audit: true }, { ASSAY_ACTOR: 'ci' }, 'out/audit.jsonl')).toEqual({ path: 'out/audit.jsonl', actor: 'ci', key: undefined });
    expect(auditLogFor({ audit: true, 'audit-log': 'x.jsonl' }, { ASSAY_ACTOR: 'ci', ASSAY_AUDIT_KEY: 'k' })).toEqual({ path: 'x.jsonl', actor: 'ci', key: 'k' });
    expect(auditLogFor({ audit: true }, { ASSAY_ACTOR: 'ci', ASSAY_AUDIT_KEY: '' })!.key).toBeUndefined();
    expect(auditLogFor({ audit: false }, {})).toBeUndefined();
  });
});
