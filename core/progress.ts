/**
 * One line of progress for long builds on a terminal: stage, objects made,
 * bytes written, elapsed time. Drawn on stderr only after the build has run
 * for a while (small builds never show it), redrawn at most a few times a
 * second, and erased before any other output and at the end, so stdout stays
 * exactly upstream's lines.
 *
 * The heavy stages are synchronous, so no timer could fire during them: the
 * work itself reports (`progressObjects` from the spec builder every 64 Ki
 * objects, `progressBytes` from the output writer per chunk) and the meter
 * decides, from the clock, whether to draw. With no meter active each report
 * is one comparison.
 */
import { performance } from 'node:perf_hooks';

export interface ProgressOptions {
  /** Raw text to the terminal (no newline added). */
  readonly write: (text: string) => void;
  /** Terminal width; the line is cut to fit. */
  readonly columns?: number;
  /** Milliseconds before the first draw. */
  readonly delayMs?: number;
  /** Minimum milliseconds between draws. */
  readonly intervalMs?: number;
  readonly now?: () => number;
}

export class ProgressMeter {
  private stageName = 'start';
  private objectCount = 0;
  private byteCount = 0;
  private shown = false;
  private lastDraw = -Infinity;
  private readonly start: number;
  private readonly now: () => number;
  private readonly delayMs: number;
  private readonly intervalMs: number;

  constructor(private readonly options: ProgressOptions) {
    this.now = options.now ?? (() => performance.now());
    this.start = this.now();
    this.delayMs = options.delayMs ?? 1000;
    this.intervalMs = options.intervalMs ?? 150;
  }

  stage(name: string): void {
    this.stageName = name;
    this.tick(true);
  }

  objects(count: number): void {
    this.objectCount = count;
    this.tick(false);
  }

  bytes(count: number): void {
    this.byteCount += count;
    this.tick(false);
  }

  /** Erase the line (before other output, and at the end); the next report draws it again. */
  clear(): void {
    if (!this.shown) return;
    this.options.write('\r\x1b[2K');
    this.shown = false;
    this.lastDraw = -Infinity;
  }

  /** The line as it would be drawn now. */
  text(): string {
    const seconds = ((this.now() - this.start) / 1000).toFixed(1);
    const parts = [`microkit: ${this.stageName}`];
    if (this.objectCount > 0) parts.push(`${this.objectCount.toLocaleString('en-US')} objects`);
    if (this.byteCount > 0) parts.push(`${(this.byteCount / 2 ** 20).toFixed(1)} MiB written`);
    parts.push(`${seconds} s`);
    const line = parts.join(' · ');
    // A pseudo-terminal may report 0 columns.
    const columns = this.options.columns || 80;
    return line.length < columns ? line : line.slice(0, Math.max(0, columns - 1));
  }

  private tick(force: boolean): void {
    const t = this.now();
    if (t - this.start < this.delayMs) return;
    if (!force && t - this.lastDraw < this.intervalMs) return;
    this.lastDraw = t;
    this.options.write(`\r\x1b[2K${this.text()}`);
    this.shown = true;
  }
}

let active: ProgressMeter | undefined;

/** Make `meter` receive the reports of the build now running (undefined: none). */
export function setProgressMeter(meter: ProgressMeter | undefined): void {
  active = meter;
}

/** Whether a meter is receiving reports (callers skip extra work otherwise). */
export function progressActive(): boolean {
  return active !== undefined;
}

export function progressStage(name: string): void {
  active?.stage(name);
}

export function progressObjects(count: number): void {
  active?.objects(count);
}

export function progressBytes(count: number): void {
  active?.bytes(count);
}
