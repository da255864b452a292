/**
 * Exact maps and sets without V8's size limit. A JavaScript `Map` or `Set`
 * refuses its 16,777,217th entry (a RangeError), so `unique`, distinct
 * counts and reference key sets over more distinct keys could not be
 * measured. These hold their entries in a chain of native maps of at most
 * `SEGMENT_ENTRIES` each: below that size they are one native map (the cost
 * of a lookup is unchanged); beyond it a lookup visits each segment, an
 * insertion goes to the last. Iteration follows insertion order, as a `Map`'s.
 */

/** Entries per segment: half of V8's limit, so a segment never reaches it. */
export const SEGMENT_ENTRIES = 1 << 23;

export class LargeMap<K, V> {
  private readonly segments: Map<K, V>[];
  private last: Map<K, V>;

  constructor(private readonly segmentEntries = SEGMENT_ENTRIES) {
    this.last = new Map();
    this.segments = [this.last];
  }

  get size(): number {
    let size = 0;
    for (const segment of this.segments) size += segment.size;
    return size;
  }

  get(key: K): V | undefined {
    const segments = this.segments;
    if (segments.length === 1) return this.last.get(key);
    for (let s = 0; s < segments.length; s++) {
      const value = segments[s].get(key);
      if (value !== undefined || segments[s].has(key)) return value;
    }
    return undefined;
  }

  has(key: K): boolean {
    for (const segment of this.segments) if (segment.has(key)) return true;
    return false;
  }

  set(key: K, value: V): this {
    if (this.segments.length === 1 && this.last.size < this.segmentEntries) {
      this.last.set(key, value); // the common case: one segment with room
      return this;
    }
    if (this.segments.length > 1) {
      for (const segment of this.segments) {
        if (segment.has(key)) {
          segment.set(key, value);
          return this;
        }
      }
    } else if (this.last.has(key)) {
      this.last.set(key, value);
      return this;
    }
    if (this.last.size >= this.segmentEntries) {
      this.last = new Map();
      this.segments.push(this.last);
    }
    this.last.set(key, value);
    return this;
  }

  *[Symbol.iterator](): IterableIterator<[K, V]> {
    for (const segment of this.segments) yield* segment;
  }

  entries(): IterableIterator<[K, V]> {
    return this[Symbol.iterator]();
  }
}

/** A set on the same chain; it implements `ReadonlySet`, so readers of key sets need not know. */
export class LargeSet<T> implements ReadonlySet<T> {
  private readonly segments: Set<T>[];
  private last: Set<T>;

  constructor(values?: Iterable<T>, private readonly segmentEntries = SEGMENT_ENTRIES) {
    this.last = new Set();
    this.segments = [this.last];
    if (values) for (const value of values) this.add(value);
  }

  get size(): number {
    let size = 0;
    for (const segment of this.segments) size += segment.size;
    return size;
  }

  has(value: T): boolean {
    if (this.segments.length === 1) return this.last.has(value);
    for (const segment of this.segments) if (segment.has(value)) return true;
    return false;
  }

  add(value: T): this {
    if (this.segments.length === 1 && this.last.size < this.segmentEntries) {
      this.last.add(value); // the common case: one segment with room
      return this;
    }
    if (this.has(value)) return this;
    if (this.last.size >= this.segmentEntries) {
      this.last = new Set();
      this.segments.push(this.last);
    }
    this.last.add(value);
    return this;
  }

  *[Symbol.iterator](): SetIterator<T> {
    for (const segment of this.segments) yield* segment;
  }

  values(): SetIterator<T> {
    return this[Symbol.iterator]();
  }

  keys(): SetIterator<T> {
    return this[Symbol.iterator]();
  }

  *entries(): SetIterator<[T, T]> {
    for (const value of this) yield [value, value];
  }

  forEach(callback: (value: T, again: T, set: ReadonlySet<T>) => void, thisArg?: unknown): void {
    for (const value of this) callback.call(thisArg, value, value, this);
  }
}
