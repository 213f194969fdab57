/**
 * Output files are staged next to their destination and renamed into place
 * only when the whole build succeeded: a failed build never leaves a
 * half-written (or stale-looking fresh) output behind, and an existing
 * output is replaced whole or not at all.
 *
 * Staged files are named `<output>.partial-<pid>`. Every staged file of the
 * process is known, so a signal handler at the process edge can remove them
 * (discardAllStaged); files of a process that died without that chance are
 * removed by the next build writing the same output.
 *
 * Only regular files are staged. An output that is a device, a FIFO or a
 * socket (`-r /dev/null`, a pipe another program reads) is a stream: it is
 * written directly, as upstream does, since renaming a file onto it would
 * replace the device node itself. An output that is a symlink to a file
 * replaces the file and keeps the link (as writing through it would).
 */
import { closeSync, lstatSync, openSync, readdirSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileError, isErrno, makeDirectories } from './util/fs-error.js';
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

/** Every staged file of this process, over all sinks. */
const live = new Set<string>();
let stagingListener: ((staging: boolean) => void) | undefined;

/**
 * Told when this process starts staging files (true) and when none are left
 * (false). The CLI installs its signal handlers only meanwhile: a handler
 * defers the signal to the next turn of the event loop, which is only worth
 * it when there is something to remove.
 */
export function onStaging(listener: ((staging: boolean) => void) | undefined): void {
  stagingListener = listener;
}

function track(temp: string): void {
  const first = live.size === 0;
  live.add(temp);
  if (first) stagingListener?.(true);
}

function untrack(temp: string): void {
  if (live.delete(temp) && live.size === 0) stagingListener?.(false);
}

/** Remove every staged file of this process (for signal handlers; never throws). */
export function discardAllStaged(): void {
  for (const temp of live) removeQuietly(temp);
  live.clear();
}

export function stagedName(path: string, pid = process.pid): string {
  return `${path}.partial-${pid}`;
}

export class StagedOutputs implements OutputSink {
  /** `staged` undefined: a stream, written already. */
  private readonly entries: { path: string; staged: { temp: string; file: string } | undefined }[] = [];

  /** `display` turns a destination into the path the user would recognise (e.g. relative to their working directory). */
  constructor(private readonly display: (path: string) => string = (p) => p) {}

  get staged(): readonly string[] {
    return this.entries.map((e) => e.path);
  }

  write(path: string, content: OutputChunk | Iterable<OutputChunk> | OutputProducer): void {
    let staged: { temp: string; file: string } | undefined;
    let temp: string | undefined;
    let fd: number | undefined;
    try {
      makeDirectories(dirname(path));
      const target = outputTarget(path);
      if (target.kind === 'file') {
        temp = stagedName(target.file);
        staged = { temp, file: target.file };
        removeStalePartials(target.file);
        track(temp);
      }
      fd = openSync(temp ?? path, 'w');
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
      if (fd !== undefined) closeQuietly(fd);
      fd = undefined;
      if (temp !== undefined) {
        removeQuietly(temp);
        untrack(temp);
      }
      // Only filesystem failures are the user's to fix; anything else is the producer's error.
      if (isErrno(e)) throw fileError('OUTPUT_WRITE', 'write', this.display(path), e);
      throw e;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
    const existing = this.entries.findIndex((e) => e.path === path);
    if (existing >= 0) this.entries.splice(existing, 1);
    this.entries.push({ path, staged });
  }

  /** Move every staged file into place (streams are written already). */
  commit(): string[] {
    const done: string[] = [];
    for (const e of this.entries) {
      if (e.staged !== undefined) {
        try {
          renameSync(e.staged.temp, e.staged.file);
        } catch (err) {
          throw fileError('OUTPUT_WRITE', 'write', this.display(e.path), err);
        }
        untrack(e.staged.temp);
      }
      done.push(e.path);
    }
    this.entries.length = 0;
    return done;
  }

  /** Drop every staged file. */
  discard(): void {
    for (const e of this.entries) {
      if (e.staged === undefined) continue;
      removeQuietly(e.staged.temp);
      untrack(e.staged.temp);
    }
    this.entries.length = 0;
  }
}

/**
 * Where an output goes: a regular file (existing or not) is staged beside
 * its real path; anything else that exists (a device, a FIFO, a socket) is
 * written as a stream. A directory is refused now, not after the whole output
 * is rendered and the rename fails.
 */
function outputTarget(path: string): { kind: 'file'; file: string } | { kind: 'stream' } {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(path);
  } catch {
    return { kind: 'file', file: path };
  }
  if (stat.isDirectory()) throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' });
  if (!stat.isFile()) return { kind: 'stream' };
  return { kind: 'file', file: lstatSync(path).isSymbolicLink() ? realpathSync(path) : path };
}

/** `<output>.partial-<pid>` files of processes that no longer run: left by a crash or a kill -9. */
export function removeStalePartials(path: string): string[] {
  const dir = dirname(path);
  const prefix = `${basename(path)}.partial-`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    if (!Number.isSafeInteger(pid) || pid <= 0 || String(pid) !== name.slice(prefix.length)) continue;
    if (pid === process.pid || processRuns(pid)) continue;
    removeQuietly(join(dir, name));
    removed.push(name);
  }
  return removed;
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it runs, as another user.
    return isErrno(e) && e.code === 'EPERM';
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Already failing; the first error is the one to report.
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
