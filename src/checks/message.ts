/**
 * Report messages of checks, as data rendered late (STYLE §6): a template
 * whose interpolations are values from the data unless marked `text(…)`.
 *
 *   message`${text(label)} is ${observed}; expected ${text(bounds)}`
 *
 * Every value slot is shown through the report reader's gate (evaluate.ts,
 * access/reader.ts) before it becomes text, so a check cannot put a value
 * derived from a classified column into a message in clear: forgetting to
 * mark policy text as `text` masks it, it never leaks a value.
 */
import type { Scalar } from '../values/types.js';

const TEXT = Symbol('text');

/** Words of the policy or of assay, or a count: shown as is. */
export interface Text {
  readonly [TEXT]: string;
}

/** Marks policy text (a label, a column or dataset name, a threshold) or a count, which the gate lets through. */
export function text(value: string | number): Text {
  return { [TEXT]: String(value) };
}

function isText(slot: unknown): slot is Text {
  return typeof slot === 'object' && slot !== null && TEXT in slot;
}

export interface Message {
  readonly [MESSAGE]: true;
  readonly strings: readonly string[];
  /** Text slots, or values from the data (to be gated). */
  readonly slots: readonly unknown[];
}

function isMessage(slot: unknown): slot is Message {
  return typeof slot === 'object' && slot !== null && MESSAGE in slot;
}

const MESSAGE = Symbol('message');

export function message(strings: TemplateStringsArray, ...slots: unknown[]): Message {
  return { [MESSAGE]: true, strings: [...strings], slots };
}

/** A message of policy text only. */
export function plainMessage(value: string): Message {
  return { [MESSAGE]: true, strings: [value], slots: [] };
}

/**
 * The message as text: text slots as they are, every other slot passed
 * through `gate` and then shown as a value (dates in ISO 8601, numbers rounded).
 */
export function renderMessage(m: Message, gate: (value: unknown) => unknown): string {
  let out = m.strings[0];
  m.slots.forEach((slot, i) => {
    const shown = isText(slot) ? slot[TEXT] : isMessage(slot) ? renderMessage(slot, gate) : showValue(gate(slot));
    out += shown + m.strings[i + 1];
  });
  return out;
}

/** A value as a message shows it. */
export function showValue(value: unknown): string {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (typeof value === 'number') return String(Math.round(value * 1e4) / 1e4);
  if (Array.isArray(value)) return value.map(showValue).join(',');
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value as Scalar) ?? String(value);
}
