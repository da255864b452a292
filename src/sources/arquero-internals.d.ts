/**
 * arquero's streaming CSV tokenizer is not re-exported from its index; it is
 * the same code `fromCSV`/`loadCSV` run, so batched reads parse exactly like
 * whole-file reads.
 */
declare module 'arquero/src/format/stream/delimited-text-stream.js' {
  export interface TextRowController {
    enqueue(rows: string[][]): void;
  }
  export function delimitedTextTransformer(delimiter?: string): {
    transform(chunk: string, controller: TextRowController): void;
    flush(controller: TextRowController): void;
  };
}
