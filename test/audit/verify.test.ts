import { appendFileSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { appendAuditEvents } from '../../src/audit/append.js';
import { hashEvent } from '../../src/audit/chain.js';
import { parseExpectedHead, verifyAuditLog } from '../../src/audit/verify.js';
import { AssayError } from '../../src/util/diagnostics.js';
import { makeLog, parseLines, POLICY, readLines, rebuildChain, writeLines } from '../helpers/audit-log.js';

const KEY = 'test-audit-key-0123456789';

describe('verify on an intact log', () => {
  test('passes and reports count and head', async () => {
    const path = await makeLog(5);
    const events = parseLines(path);
    const result = await verifyAuditLog(path, undefined);
    expect(result).toMatchObject({ ok: true, events: 6, head: events[5].hash, keyed: false, recovered: [] });
    expect(result.problem).toBeUndefined();
  });

  test('an empty log is intact with no head', async () => {
    const path = await makeLog(1);
    writeFileSync(path, '');
    expect(await verifyAuditLog(path, undefined)).toMatchObject({ ok: true, events: 0, head: null });
  });

  test('a keyed log verifies with its key', async () => {
    const path = await makeLog(4, KEY);
    expect(parseLines(path).every((e) => e.hash.startsWith('hmac-sha256:') && typeof e.key_id === 'string')).toBe(true);
    expect(await verifyAuditLog(path, KEY)).toMatchObject({ ok: true, events: 5, keyed: true });
  });

  test('one event has one text: a reformatted line (same hash) is an edit, since the text is what readers see', async () => {
    const path = await makeLog(3);
    const lines = readLines(path);
    const e = JSON.parse(lines[1]);
    const reordered = Object.fromEntries(Object.entries(e).reverse());
    lines[1] = JSON.stringify(reordered, null, 0).replace(/,/g, ', ');
    writeLines(path, lines);
    expect(await verifyAuditLog(path, undefined)).toMatchObject({ ok: false, events: 1, problem: { line: 2, reason: 'edited' } });
  });
});

describe('tampering is detected at the first bad line with its kind', () => {
  const problemOf = async (path: string, key?: string, head?: string) =>
    (await verifyAuditLog(path, key, head ? parseExpectedHead(head) : undefined)).problem;

  test('a field edited', async () => {
    const path = await makeLog(5);
    const lines = readLines(path);
    lines[2] = lines[2].replace('"outcome":"fail"', '"outcome":"pass"');
    writeLines(path, lines);
    expect(await problemOf(path)).toMatchObject({ line: 3, reason: 'edited', message: 'its content does not match its hash' });
  });

  test('a key given twice: JSON.parse keeps the last, the hash covers it, the line still lies (issue 12)', async () => {
    const path = await makeLog(3);
    const lines = readLines(path);
    const outcome = /"outcome":"[^"]*"/.exec(lines[1])![0];
    lines[1] = lines[1].replace(outcome, `"outcome":"pass",${outcome}`);
    writeLines(path, lines);
    expect(await problemOf(path)).toEqual({ line: 2, reason: 'edited', message: 'key "outcome" appears twice in one object (JSON keeps only the last value); assay never writes that' });
  });

  test('a field added', async () => {
    const path = await makeLog(3);
    const lines = readLines(path);
    lines[1] = lines[1].replace('{"seq"', '{"approved_by":"mallory","seq"');
    writeLines(path, lines);
    expect(await problemOf(path)).toMatchObject({ line: 2, reason: 'edited' });
  });

  test('a field edited and its own hash recomputed: the next line still links to the original', async () => {
    const path = await makeLog(5);
    const events = parseLines(path);
    const { hash: _h, ...body } = { ...events[2], outcome: 'pass' };
    events[2] = { ...body, hash: hashEvent(body) };
    writeLines(path, events.map((e) => JSON.stringify(e)));
    expect(await problemOf(path)).toMatchObject({ line: 3, reason: 'edited' });
    expect((await problemOf(path))!.message).toMatch(/recomputed.*line 4/);
  });

  test('a line deleted in the middle', async () => {
    const path = await makeLog(5);
    const lines = readLines(path);
    lines.splice(2, 1);
    writeLines(path, lines);
    expect(await problemOf(path)).toMatchObject({ line: 3, reason: 'deleted', message: '1 event missing before this line (seq 3)' });
  });

  test('several lines deleted', async () => {
    const path = await makeLog(6);
    const lines = readLines(path);
    lines.splice(1, 3);
    writeLines(path, lines);
    expect(await problemOf(path)).toMatchObject({ line: 2, reason: 'deleted', message: '3 events missing before this line (seq 2–4)' });
  });

  test('the first line deleted', async () => {
    const path = await makeLog(3);
    writeLines(path, readLines(path).slice(1));
    expect(await problemOf(path)).toMatchObject({ line: 1, reason: 'deleted' });
  });

  test('a forged event inserted with a correct seq, prev and hash', async () => {
    const path = await makeLog(5);
    const events = parseLines(path);
    const { hash: _h, ...body } = { ...events[2], outcome: 'pass', details: { forged: true } };
    const forged = { ...body, hash: hashEvent(body) };
    const lines = readLines(path);
    lines.splice(2, 0, JSON.stringify(forged));
    writeLines(path, lines);
    expect(await problemOf(path)).toMatchObject({ line: 3, reason: 'inserted' });
  });

  test('a forged event with an out-of-range seq inserted', async () => {
    const path = await makeLog(5);
    const events = parseLines(path);
    const { hash: _h, ...body } = { ...events[2], seq: 99, prev: events[1].hash };
    const lines = readLines(path);
    lines.splice(2, 0, JSON.stringify({ ...body, hash: hashEvent(body) }));
    writeLines(path, lines);
    expect(await problemOf(path)).toMatchObject({ line: 3, reason: 'inserted' });
  });

  test('a copy of an earlier line inserted (replay)', async () => {
    const path = await makeLog(5);
    const lines = readLines(path);
    lines.splice(4, 0, lines[1]);
    writeLines(path, lines);
    expect(await problemOf(path)).toMatchObject({ line: 5, reason: 'inserted' });
  });

  test('a copy appended at the end', async () => {
    const path = await makeLog(3);
    const lines = readLines(path);
    writeLines(path, [...lines, lines[1]]);
    expect(await problemOf(path)).toMatchObject({ line: 5, reason: 'inserted', message: 'a copy of line 2 (seq 2)' });
  });

  test('a line that is not an event inserted', async () => {
    const path = await makeLog(3);
    const lines = readLines(path);
    lines.splice(1, 0, 'hello');
    writeLines(path, lines);
    expect(await problemOf(path)).toMatchObject({ line: 2, reason: 'corrupt', message: 'not an audit event: not valid JSON' });
  });

  test('two lines swapped', async () => {
    const path = await makeLog(5);
    const lines = readLines(path);
    [lines[2], lines[3]] = [lines[3], lines[2]];
    writeLines(path, lines);
    expect(await problemOf(path)).toMatchObject({ line: 3, reason: 'reordered', message: 'seq 4 comes before seq 3 (line 4)' });
  });

  test('a line moved to the end', async () => {
    const path = await makeLog(5);
    const lines = readLines(path);
    const [moved] = lines.splice(1, 1);
    writeLines(path, [...lines, moved]);
    expect(await problemOf(path)).toMatchObject({ line: 2, reason: 'reordered' });
  });

  test('the tail truncated at a line boundary: invisible alone, caught by a stored head', async () => {
    const path = await makeLog(5);
    const storedHead = `6 ${parseLines(path)[5].hash}`;
    writeLines(path, readLines(path).slice(0, 4));
    expect((await verifyAuditLog(path, undefined)).ok).toBe(true);
    expect(await problemOf(path, undefined, storedHead)).toMatchObject({ line: 4, reason: 'truncated' });
    expect(await problemOf(path, undefined, storedHead.split(' ')[1])).toMatchObject({ reason: 'rewritten' });
  });

  test('a stored head from before later appends still matches (the log grew)', async () => {
    const path = await makeLog(3);
    const storedHead = `4 ${parseLines(path)[3].hash}`;
    await makeLog(2, undefined, path);
    const result = await verifyAuditLog(path, undefined, parseExpectedHead(storedHead));
    expect(result).toMatchObject({ ok: true, events: 6 });
  });

  test('a torn last line (crash mid-append) is reported as torn', async () => {
    const path = await makeLog(4);
    const text = readFileSync(path, 'utf8');
    truncateSync(path, Buffer.byteLength(text) - 40);
    const result = await verifyAuditLog(path, undefined);
    expect(result).toMatchObject({ ok: false, events: 4, problem: { line: 5, reason: 'torn' } });
  });

  test('the next append records the torn line; verify then passes and names it', async () => {
    const path = await makeLog(4);
    appendFileSync(path, '{"seq":6,"ts":"2026-01-05T1');
    const [recover] = await appendAuditEvents({ path, actor: 'ci@test' }, POLICY, [{ action: 'check.run', dataset: 'orders', outcome: 'pass' }]);
    expect(recover).toMatchObject({ seq: 6, action: 'audit.recover', details: { torn_bytes: 27 } });
    const result = await verifyAuditLog(path, undefined);
    expect(result).toMatchObject({ ok: true, events: 7, recovered: [6] });
  });

  test('a torn line cannot be passed off: a recover event must match its bytes', async () => {
    const path = await makeLog(4);
    appendFileSync(path, '{"seq":6,"ts":"2026-01-05T1');
    await appendAuditEvents({ path, actor: 'ci@test' }, POLICY, [{ action: 'check.run', dataset: 'orders', outcome: 'pass' }]);
    const lines = readLines(path);
    lines[5] = '{"seq":6,"ts":"2026-01-05T2';
    writeLines(path, lines);
    expect(await problemOf(path)).toMatchObject({ line: 6, reason: 'corrupt' });
  });

  test('the wrong HMAC key', async () => {
    const path = await makeLog(3, KEY);
    expect(await problemOf(path, 'another-key')).toMatchObject({ line: 1, reason: 'wrong-key', message: 'ASSAY_AUDIT_KEY is not the key this log was written with' });
  });

  test('a keyed log cannot be verified without its key', async () => {
    const path = await makeLog(2, KEY);
    await expect(verifyAuditLog(path, undefined)).rejects.toThrow(AssayError);
    await expect(verifyAuditLog(path, undefined)).rejects.toThrow(/set ASSAY_AUDIT_KEY/);
  });

  test('an edit in a keyed log cannot be hidden by recomputing hashes without the key', async () => {
    const path = await makeLog(4, KEY);
    const events = parseLines(path);
    events[2] = { ...events[2], outcome: 'pass' };
    const { hash: _h, ...body } = events[2];
    events[2].hash = hashEvent(body, 'guessed-key');
    writeLines(path, events.map((e) => JSON.stringify(e)));
    expect(await problemOf(path, KEY)).toMatchObject({ line: 3, reason: 'edited' });
  });

  test('a keyed log rebuilt without the key is caught as unkeyed', async () => {
    const path = await makeLog(4, KEY);
    const events = parseLines(path);
    events[2] = { ...events[2], outcome: 'pass' };
    writeLines(path, rebuildChain(events).map((e) => JSON.stringify(e)));
    expect(await problemOf(path, KEY)).toMatchObject({ line: 1, reason: 'unkeyed' });
  });

  test('an unkeyed log rebuilt after an edit passes alone, and is caught by a stored head', async () => {
    const path = await makeLog(5);
    const events = parseLines(path);
    const storedHead = `${events.length} ${events[events.length - 1].hash}`;
    events[2] = { ...events[2], outcome: 'pass' };
    writeLines(path, rebuildChain(events, 2).map((e) => JSON.stringify(e)));
    expect((await verifyAuditLog(path, undefined)).ok).toBe(true);
    expect(await problemOf(path, undefined, storedHead)).toMatchObject({ line: 6, reason: 'rewritten' });
  });
});

describe('parseExpectedHead', () => {
  const hash = `sha256:${'c'.repeat(64)}`;
  test.each([
    [hash, { hash }],
    [`42 ${hash}`, { seq: 42, hash }],
    [`42:${hash}`, { seq: 42, hash }],
    [`  7 ${hash}\n`, { seq: 7, hash }],
  ])('%s', (text, expected) => {
    expect(parseExpectedHead(text)).toEqual({ seq: undefined, ...expected });
  });
  test.each(['', 'sha256:abc', `x ${hash}`, `md5:${'c'.repeat(64)}`])('rejects %j', (text) => {
    expect(parseExpectedHead(text)).toBeUndefined();
  });
});
