/**
 * Output files are staged next to their destination and renamed into place
 * only when the whole build succeeded: a failed build never leaves a
 * half-written (or stale-looking fresh) output behind.
 */
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { MicrokitError } from './errors/microkit-error.js';
import { progressBytes } from './progress.js';

export type OutputChunk = Uint8Array | string;

/** A producer that pushes chunks as it renders them (for outputs too big to hold). */
export type OutputProducer = (emit: (chunk: OutputChunk) => void) => void;

export interface OutputSink {
  /** Stage a file; chunks are written as they come, so large outputs stream. */
  write(path: string, content: OutputChunk | Iterable<OutputChunk> | OutputProducer): void;
  /** Paths staged so far, in order. */
  readonly staged: readonly string[];
}

export class StagedOutputs implements OutputSink {
  private readonly entries: { path: string; temp: string }[] = [];

  get staged(): readonly string[] {
    return this.entries.map((e) => e.path);
  }

  write(path: string, content: OutputChunk | Iterable<OutputChunk> | OutputProducer): void {
    const temp = `${path}.partial-${process.pid}`;
    let fd: number | undefined;
    try {
      mkdirSync(dirname(path), { recursive: true });
      fd = openSync(temp, 'w');
      const out = fd;
      // Strings are encoded straight into the write (no Buffer per chunk); a short write is continued.
      const emit = (chunk: OutputChunk) => {
        if (typeof chunk === 'string') return progressBytes(writeSync(out, chunk));
        let done = 0;
        while (done < chunk.length) done += writeSync(out, chunk, done);
        progressBytes(done);
      };
      if (typeof content === 'function') content(emit);
      else if (typeof content === 'string' || content instanceof Uint8Array) emit(content);
      else for (const chunk of content) emit(chunk);
    } catch (e) {
      removeQuietly(temp);
      throw new MicrokitError('OUTPUT_WRITE', `ERROR: could not write '${path}': ${(e as Error).message}`, { cause: e });
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
    const existing = this.entries.findIndex((e) => e.path === path);
    if (existing >= 0) this.entries.splice(existing, 1);
    this.entries.push({ path, temp });
  }

  /** Move every staged file into place. */
  commit(): string[] {
    const done: string[] = [];
    for (const e of this.entries) {
      try {
        renameSync(e.temp, e.path);
      } catch (err) {
        throw new MicrokitError('OUTPUT_WRITE', `ERROR: could not write '${e.path}': ${(err as Error).message}`, { cause: err });
      }
      done.push(e.path);
    }
    this.entries.length = 0;
    return done;
  }

  /** Drop every staged file. */
  discard(): void {
    for (const e of this.entries) removeQuietly(e.temp);
    this.entries.length = 0;
  }
}

/** Clean-up must never hide the error that made it necessary. */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // Nothing was written there (e.g. a parent is a file): nothing to remove.
  }
}
