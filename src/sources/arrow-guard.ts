/**
 * Sanity checks on an Arrow IPC file or stream, made BEFORE flechette (through
 * arquero) decodes it. flechette reads the flatbuffer metadata without bounds
 * checks: a vector whose 4-byte count was corrupted made it build an array of
 * up to 2^31 entries (a hang, then out of memory), a negative message length
 * in a stream sent its read position backwards forever, and nested fields
 * that point at each other recurse without end. So this walks every table,
 * vector and string flechette will read, in the same order, checking that
 * each lies inside its message, that counts and lengths are non-negative safe
 * integers, that every body buffer lies inside its message body, and that a
 * record batch does not declare more rows than its bytes can hold. Failures
 * are DataErrors naming the file, the byte and what is wrong (SECURITY.md).
 */
import { DataError } from '../util/diagnostics.js';

const MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // "ARROW1"
/** Nested field levels; real schemas stay far below, and it stops fields that contain themselves. */
const MAX_DEPTH = 64;
/** Flatbuffer tables one file may make the decoder visit (fields shared between parents multiply). */
const MAX_TABLES = 1_000_000;
/**
 * Every column type but Null and run-end encoding needs at least one bit per
 * row in the body, so more rows than 8 per body byte (plus slack for tiny
 * batches) can only be a corrupted count.
 */
const ROWS_WITHOUT_BYTES = 4096;

// flechette's type ids (constants.js Type) whose metadata is a table of its own.
const TYPE_NULL = 1;
const TYPE_TIMESTAMP = 10;
const TYPE_UNION = 14;
const TYPE_RUN_END_ENCODED = 22;
const TYPES_WITH_TABLE = new Set([2, 3, 7, 8, 9, TYPE_TIMESTAMP, 11, TYPE_UNION, 15, 16, 17, 18]);
const MAX_TYPE = 26;
const VERSION_V4 = 3;
const MESSAGE_SCHEMA = 1;
const MESSAGE_DICTIONARY = 2;
const MESSAGE_RECORD_BATCH = 3;

class Refusal extends Error {}

/** Bounds-checked reads over one flatbuffer (the file footer, or one message's metadata). */
class Flat {
  private readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    /** File offset of `bytes[0]`, for error messages. */
    readonly base: number,
    readonly budget: { tables: number },
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private check(at: number, width: number, what: string): void {
    if (!(at >= 0 && at + width <= this.bytes.length)) throw new Refusal(`${what} at byte ${this.base + at} is outside its message`);
  }
  u8(at: number, what: string): number {
    this.check(at, 1, what);
    return this.view.getUint8(at);
  }
  i16(at: number, what: string): number {
    this.check(at, 2, what);
    return this.view.getInt16(at, true);
  }
  i32(at: number, what: string): number {
    this.check(at, 4, what);
    return this.view.getInt32(at, true);
  }
  /** A non-negative 64-bit count or offset that fits a JavaScript number. */
  count(at: number, what: string): number {
    this.check(at, 8, what);
    const value = this.view.getBigInt64(at, true);
    if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Refusal(`${what} at byte ${this.base + at} is invalid (${value})`);
    return Number(value);
  }

  /** The table an offset at `index` points to, as flechette's readObject reads it. */
  table(index: number, what: string): Table {
    if (++this.budget.tables > MAX_TABLES) throw new Refusal(`more than ${MAX_TABLES} metadata tables`);
    const pos = index + this.i32(index, what);
    if (!(pos >= 0 && pos + 4 <= this.bytes.length)) throw new Refusal(`the offset to ${what} at byte ${this.base + index} points outside its message`);
    const vtable = pos - this.i32(pos, what);
    if (!(vtable >= 0 && vtable + 4 <= this.bytes.length)) throw new Refusal(`${what} at byte ${this.base + pos} has its field table outside its message`);
    const size = this.i16(vtable, what);
    if (size < 4 || vtable + size > this.bytes.length) throw new Refusal(`${what} at byte ${this.base + pos} has a malformed field table`);
    return new Table(this, pos, vtable, size, what);
  }

  /** A vector at a field position: its first element's position and its length, inside the buffer. */
  vector(at: number, stride: number, what: string): { start: number; length: number } {
    if (!at) return { start: 0, length: 0 };
    const base = at + this.i32(at, what);
    if (!(base >= 0 && base + 4 <= this.bytes.length)) throw new Refusal(`the offset to ${what} at byte ${this.base + at} points outside its message`);
    const length = this.i32(base, what);
    if (length < 0 || base + 4 + length * stride > this.bytes.length) throw new Refusal(`${what} at byte ${this.base + base}: ${length} entries declared, more than the message holds`);
    return { start: base + 4, length };
  }
}

class Table {
  constructor(
    private readonly flat: Flat,
    readonly pos: number,
    private readonly vtable: number,
    private readonly size: number,
    private readonly what: string,
  ) {}

  /** Position of a field (flechette's vtable index: 4, 6, 8, …) of `width` bytes, or 0 when absent. */
  field(slot: number, width: number): number {
    if (slot >= this.size) return 0;
    const offset = this.flat.i16(this.vtable + slot, this.what);
    if (!offset) return 0;
    const at = this.pos + offset;
    if (offset < 0 || at + width > this.flat.bytes.length) throw new Refusal(`${this.what} at byte ${this.flat.base + this.pos} has a field outside its message`);
    return at;
  }
}

/** What the schema allows: whether some column may hold rows without body bytes. */
interface SchemaFacts {
  compactRows: boolean;
  /** Fields at every depth: a record batch has one field node for each. */
  fields: number;
}

/**
 * Check Arrow IPC bytes (file or stream format, as flechette tells them
 * apart) before decoding; throws a DataError naming `file` and the problem.
 */
export function checkArrowStructure(file: string, bytes: Uint8Array): void {
  try {
    if (MAGIC.every((b, i) => bytes[i] === b)) checkFile(bytes);
    else checkStream(bytes);
  } catch (e) {
    if (e instanceof Refusal) throw new DataError(`${file}: not a readable Arrow IPC file: ${e.message}`);
    throw e;
  }
}

function checkFile(bytes: Uint8Array): void {
  const budget = { tables: 0 };
  const whole = new Flat(bytes, 0, budget);
  const lengthAt = bytes.length - 10; // [footer][int32 length]["ARROW1"]
  const length = whole.i32(lengthAt, 'the footer length');
  const footerAt = lengthAt - length;
  if (length <= 0 || footerAt < MAGIC.length) throw new Refusal(`the footer length ${length} does not fit the file`);
  const footer = whole.table(footerAt, 'the footer');
  const facts = checkSchema(whole, footer.field(6, 4), 0);
  checkMetadata(whole, footer.field(12, 4));
  for (const slot of [8, 10]) {
    const blocks = whole.vector(footer.field(slot, 4), 24, slot === 8 ? 'the dictionary blocks' : 'the record batch blocks');
    for (let i = 0; i < blocks.length; i++) {
      const offset = whole.count(blocks.start + i * 24, 'a block offset');
      if (offset < MAGIC.length || offset >= footerAt) throw new Refusal(`a block at byte ${offset} is outside the file's messages`);
      const message = checkMessage(bytes, offset, budget, facts);
      if (!message) throw new Refusal(`the block at byte ${offset} holds no message`);
    }
  }
}

function checkStream(bytes: Uint8Array): void {
  const budget = { tables: 0 };
  let facts: SchemaFacts | undefined;
  for (let offset = 0; ; ) {
    const message = checkMessage(bytes, offset, budget, facts);
    if (!message) return;
    facts ??= message.schema;
    offset = message.end;
  }
}

/** One message as flechette's decodeMessage reads it; null where it sees the end of the stream. */
function checkMessage(bytes: Uint8Array, at: number, budget: { tables: number }, facts?: SchemaFacts): { end: number; schema?: SchemaFacts } | null {
  const whole = new Flat(bytes, 0, budget);
  if (at + 4 > bytes.length) return null;
  let index = at;
  let length = whole.i32(index, 'a message length');
  index += 4;
  if (length === -1) {
    if (index + 4 > bytes.length) return null;
    length = whole.i32(index, 'a message length');
    index += 4;
  }
  if (length === 0) return null;
  if (length < 0 || index + length > bytes.length) throw new Refusal(`the message at byte ${at} declares ${length} metadata bytes; the file has ${bytes.length - index} left`);
  const head = new Flat(bytes.subarray(index, index + length), index, budget);
  const message = head.table(0, 'a message');
  const version = message.field(4, 2) ? head.i16(message.field(4, 2), 'the version') : 0;
  const type = message.field(6, 1) ? head.u8(message.field(6, 1), 'the message type') : 0;
  const headerAt = message.field(8, 4);
  const body = message.field(10, 8) ? head.count(message.field(10, 8), 'the body length') : 0;
  const end = index + length + body;
  if (end > bytes.length) throw new Refusal(`the message at byte ${at} declares a body of ${body} bytes; the file has ${bytes.length - index - length} left`);
  if (!headerAt) return { end };
  if (type === MESSAGE_SCHEMA) return { end, schema: checkSchemaTable(head, head.table(headerAt, 'the schema'), 0) };
  const compact = facts?.compactRows ?? true;
  if (type === MESSAGE_RECORD_BATCH) checkRecordBatch(head, head.table(headerAt, 'a record batch'), version, body, compact, facts?.fields);
  else if (type === MESSAGE_DICTIONARY) {
    const dictionary = head.table(headerAt, 'a dictionary batch');
    const data = dictionary.field(6, 4);
    if (data) checkRecordBatch(head, head.table(data, 'a dictionary'), version, body, compact);
  } else throw new Refusal(`the message at byte ${at} has unknown type ${type}`);
  return { end };
}

function checkRecordBatch(flat: Flat, batch: Table, version: number, body: number, compactRows: boolean, fields?: number): void {
  const maxRows = compactRows ? Number.MAX_SAFE_INTEGER : body * 8 + ROWS_WITHOUT_BYTES;
  const rows = batch.field(4, 8) ? flat.count(batch.field(4, 8), 'the batch length') : 0;
  if (rows > maxRows) throw new Refusal(`a record batch declares ${rows} rows in a body of ${body} bytes`);
  const nodes = flat.vector(batch.field(6, 4), 16, 'the field nodes');
  if (fields !== undefined && nodes.length !== fields) throw new Refusal(`a record batch has ${nodes.length} field nodes; the schema has ${fields} fields`);
  for (let i = 0; i < nodes.length; i++) {
    const length = flat.count(nodes.start + i * 16, 'a field length');
    const nulls = flat.count(nodes.start + i * 16 + 8, 'a null count');
    if (length > maxRows || nulls > length) throw new Refusal(`a field node declares ${length} values (${nulls} null) in a body of ${body} bytes`);
  }
  const stride = version < VERSION_V4 ? 24 : 16;
  const skip = stride - 16; // pre-V4 buffers carried a page id first
  const buffers = flat.vector(batch.field(8, 4), stride, 'the buffers');
  for (let i = 0; i < buffers.length; i++) {
    const offset = flat.count(buffers.start + i * stride + skip, 'a buffer offset');
    const length = flat.count(buffers.start + i * stride + skip + 8, 'a buffer length');
    if (offset + length > body) throw new Refusal(`a buffer at body bytes ${offset}..${offset + length} is outside the body of ${body} bytes`);
  }
  flat.vector(batch.field(12, 4), 8, 'the variadic buffer counts');
}

function checkSchema(flat: Flat, at: number, depth: number): SchemaFacts {
  if (!at) return { compactRows: false, fields: 0 };
  return checkSchemaTable(flat, flat.table(at, 'the schema'), depth);
}

function checkSchemaTable(flat: Flat, schema: Table, depth: number): SchemaFacts {
  const facts = { compactRows: false, fields: 0 };
  checkFields(flat, schema.field(6, 4), depth, facts);
  checkMetadata(flat, schema.field(8, 4));
  return facts;
}

function checkFields(flat: Flat, at: number, depth: number, facts: SchemaFacts): void {
  if (depth > MAX_DEPTH) throw new Refusal(`fields nested more than ${MAX_DEPTH} levels deep`);
  const fields = flat.vector(at, 4, 'the fields');
  for (let i = 0; i < fields.length; i++) {
    const field = flat.table(fields.start + i * 4, 'a field');
    facts.fields++;
    checkString(flat, field.field(4, 4), 'a field name');
    const typeId = field.field(8, 1) ? flat.u8(field.field(8, 1), 'a type id') : 0;
    if (typeId > MAX_TYPE) throw new Refusal(`a field at byte ${flat.base + field.pos} has unknown type id ${typeId}`);
    if (typeId === TYPE_NULL || typeId === TYPE_RUN_END_ENCODED) facts.compactRows = true;
    const typeAt = field.field(10, 4);
    if (typeAt && TYPES_WITH_TABLE.has(typeId)) {
      const type = flat.table(typeAt, 'a field type');
      if (typeId === TYPE_TIMESTAMP) checkString(flat, type.field(6, 4), 'a time zone');
      if (typeId === TYPE_UNION) flat.vector(type.field(6, 4), 4, 'the union type ids');
    }
    const dictionary = field.field(12, 4);
    if (dictionary) {
      const encoding = flat.table(dictionary, 'a dictionary encoding');
      if (encoding.field(6, 4)) flat.table(encoding.field(6, 4), 'a dictionary index type');
    }
    checkFields(flat, field.field(14, 4), depth + 1, facts);
    checkMetadata(flat, field.field(16, 4));
  }
}

function checkMetadata(flat: Flat, at: number): void {
  const entries = flat.vector(at, 4, 'the custom metadata');
  for (let i = 0; i < entries.length; i++) {
    const entry = flat.table(entries.start + i * 4, 'a metadata entry');
    checkString(flat, entry.field(4, 4), 'a metadata key');
    checkString(flat, entry.field(6, 4), 'a metadata value');
  }
}

function checkString(flat: Flat, at: number, what: string): void {
  flat.vector(at, 1, what);
}
