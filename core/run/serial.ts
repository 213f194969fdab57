/**
 * Serial output as it streams in: cut into lines for printing, and watched
 * for an expected text that may arrive split across chunks. Pure.
 */

/** Splits a stream of text into lines; `flush` hands back an unterminated last line. */
export class LineSplitter {
  private rest = '';

  /** The complete lines in `chunk` (after what came before), without their `\n` (or `\r\n`). */
  push(chunk: string): string[] {
    const parts = (this.rest + chunk).split('\n');
    this.rest = parts.pop()!;
    return parts.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  }

  flush(): string | undefined {
    const r = this.rest;
    this.rest = '';
    return r === '' ? undefined : r;
  }
}

/** Whether `text` has appeared in the stream so far, keeping only as much as a split match needs. */
export class ExpectWatcher {
  private tail = '';
  private seen = false;

  constructor(private readonly text: string) {}

  /** True once the text has appeared (in this chunk or across its boundary with earlier ones). */
  push(chunk: string): boolean {
    if (this.seen || this.text === '') return (this.seen = true);
    const window = this.tail + chunk;
    if (window.includes(this.text)) return (this.seen = true);
    this.tail = window.slice(-(this.text.length - 1));
    return false;
  }

  get matched(): boolean {
    return this.seen;
  }
}
