/** A position in a source file, 1-based, as upstream prints it (`file:line:col`). */
export interface SourceLocation {
  /** The file as the user named it (command line or config), not resolved. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export function formatLocation(loc: SourceLocation): string {
  return `${loc.file}:${loc.line}:${loc.column}`;
}

/**
 * Maps character offsets of a text to line/column. Columns count Unicode
 * code points, as roxmltree (upstream's XML parser) does.
 */
export class LineIndex {
  private readonly lineStarts: number[] = [0];
  /** Without surrogate pairs a column is an offset difference; counting per call would make long lines quadratic. */
  private readonly hasSurrogates: boolean;

  constructor(private readonly text: string) {
    let surrogates = false;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.lineStarts.push(i + 1);
      else if (c >= 0xd800 && c <= 0xdfff) surrogates = true;
    }
    this.hasSurrogates = surrogates;
  }

  locate(file: string, offset: number): SourceLocation {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    const start = this.lineStarts[lo];
    if (!this.hasSurrogates) return { file, line: lo + 1, column: offset - start + 1 };
    let column = 1;
    for (let i = start; i < offset; i++) {
      const c = this.text.charCodeAt(i);
      // A surrogate pair is one code point: count only its high half.
      if (c < 0xdc00 || c > 0xdfff) column++;
    }
    return { file, line: lo + 1, column };
  }
}
