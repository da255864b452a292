/**
 * A JSON object with the same key twice: JSON.parse would keep the last
 * value and drop the other silently. A data file like that holds two values
 * for one column, so assay refuses it with the line (exit 3) instead of
 * guessing. The scanner behind it, findDuplicateKey, against tricky JSON.
 */
import { findDuplicateKey } from '../../src/sources/json-keys.js';
import { readTable } from '../../src/sources/read-table.js';
import { DataError } from '../../src/util/diagnostics.js';

test('NDJSON: a record with a key twice is refused, naming the line and the key', async () => {
  const text = '{"id":1,"amount":5}\n{"id":2,"amount":7,"amount":8}\n';
  await expect(readTable('data.ndjson', Buffer.from(text), 'ndjson', {})).rejects.toThrow(
    new DataError('data.ndjson:2: key "amount" appears twice in one object; JSON keeps only the last value'),
  );
});

test('JSON array: refused with the line of the second occurrence', async () => {
  const text = '[\n  {"id": 1, "tags": {"a": 1}},\n  {"id": 2,\n   "id": 3}\n]';
  await expect(readTable('data.json', Buffer.from(text), 'json', {})).rejects.toThrow(new DataError('data.json:4: key "id" appears twice in one object; JSON keeps only the last value'));
});

test('the same key in different objects, in arrays, or as a value is not a duplicate', async () => {
  const text = '{"id":1,"a":{"id":2,"a":[{"id":3},{"id":4}]},"b":"id","c":["id","id"]}\n{"id":2}\n';
  const table = await readTable('data.ndjson', Buffer.from(text), 'ndjson', {});
  expect(table.numRows()).toBe(2);
});

test('findDuplicateKey: escapes, nesting and strings that look like JSON', () => {
  expect(findDuplicateKey('{"a":1,"b":2}')).toBeUndefined();
  expect(findDuplicateKey('{"a":1,"\\u0061":2}')).toEqual({ key: 'a', offset: 7 }); // "\u0061" is "a"
  expect(findDuplicateKey('{"a\\"":1,"a\\"":2}')).toEqual({ key: 'a"', offset: 9 });
  expect(findDuplicateKey('{"a":"\\\\","b":"{\\"a\\":1,\\"a\\":2}"}')).toBeUndefined(); // a backslash value; JSON text inside a string
  expect(findDuplicateKey('{"x":{"k":1},"y":{"k":1,"k":2}}')?.key).toBe('k');
  expect(findDuplicateKey('[{"k":1},{"k":1}]')).toBeUndefined();
  expect(findDuplicateKey('"k"')).toBeUndefined();
  expect(findDuplicateKey('{"":1,"":2}')?.key).toBe('');
});
