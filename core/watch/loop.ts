/**
 * `--watch`: build, then rebuild whenever an input changes (the SDF, the
 * config and the modules it imports, program images, prefill files), with
 * one summary line per build. Each build runs in a fresh child process: a
 * TypeScript config and the system modules it imports are ES modules, which
 * a process cannot load twice, and a child keeps one build's failure from
 * touching the next. Outputs are replaced atomically by the build itself
 * (staged, renamed into place only when the whole build succeeded).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { watch as fsWatch, type FSWatcher, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { describeChange, WATCH_MANIFEST_ENV, type WatchManifest } from './manifest.js';

export interface WatchOptions {
  /** The `microkit` executable (a JavaScript file run with this Node). */
  readonly bin: string;
  /** Arguments of one build (without `--watch`). */
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
  /** Watched whatever the builds report (the SDF and config named on the command line, config files found). */
  readonly baseInputs: readonly string[];
  /** Quiet time after the last change before rebuilding. */
  readonly debounceMs?: number;
  /** Ends the watch (Ctrl-C): the running build is stopped, watchers closed. */
  readonly signal: AbortSignal;
  /** Called after each build with its manifest (tests wait on it). */
  readonly onBuild?: (manifest: WatchManifest, line: string) => void;
}

const DEFAULT_DEBOUNCE_MS = 150;
const PREFIX = 'MICROKIT|WATCH:';

interface FileState {
  readonly mtimeMs: number;
  readonly size: number;
}

function stateOf(path: string): FileState | undefined {
  try {
    const s = statSync(path);
    return { mtimeMs: s.mtimeMs, size: s.size };
  } catch {
    return undefined;
  }
}

function sameState(a: FileState | undefined, b: FileState | undefined): boolean {
  return a?.mtimeMs === b?.mtimeMs && a?.size === b?.size;
}

/** Forward a child's output line by line. */
function lines(stream: NodeJS.ReadableStream | null, sink: (line: string) => void): Promise<void> {
  return new Promise((done) => {
    if (stream === null) return done();
    let buffered = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        sink(buffered.slice(0, nl));
        buffered = buffered.slice(nl + 1);
      }
    });
    stream.on('end', () => {
      if (buffered !== '') sink(buffered);
      done();
    });
  });
}

export async function watchBuilds(o: WatchOptions): Promise<number> {
  const debounceMs = o.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  const scratch = mkdtempSync(join(tmpdir(), 'microkit-watch-'));
  const manifestPath = join(scratch, 'manifest.json');
  const shown = (p: string) => {
    const rel = relative(o.cwd, p);
    return rel === '' || rel.startsWith('..') ? p : rel;
  };

  let inputs = new Map<string, FileState | undefined>();
  const watchers = new Map<string, FSWatcher>();
  let previous: WatchManifest | undefined;
  let child: ChildProcess | undefined;
  let timer: NodeJS.Timeout | undefined;
  let building = false;
  const changed = new Set<string>();

  const runBuild = async (reason: string): Promise<void> => {
    building = true;
    rmSync(manifestPath, { force: true });
    const proc = spawn(process.execPath, [o.bin, ...o.argv], {
      cwd: o.cwd,
      env: { ...process.env, ...o.env, [WATCH_MANIFEST_ENV]: manifestPath },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    const exited = new Promise<number | null>((done) => {
      proc.on('close', (code) => done(code));
      proc.on('error', (e) => {
        o.stderr(`microkit: error: could not start a build: ${e.message}`);
        done(null);
      });
    });
    await Promise.all([lines(proc.stdout, o.stdout), lines(proc.stderr, o.stderr)]);
    const code = await exited;
    child = undefined;
    building = false;
    if (o.signal.aborted) return;

    let manifest: WatchManifest;
    try {
      manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as WatchManifest;
    } catch {
      manifest = { ok: false, inputs: [] };
    }
    const ok = code === 0 && manifest.ok;
    // A failed build may not have got far enough to name every input: keep watching the last good set too.
    const next = new Set([...o.baseInputs.map((p) => resolve(o.cwd, p)), ...manifest.inputs, ...(ok ? [] : inputs.keys())]);
    inputs = new Map([...next].map((p) => [p, stateOf(p)]));
    refreshWatchers();
    const line = ok
      ? `${PREFIX} built (${reason}): ${describeChange(previous, manifest)}; watching ${inputs.size} files`
      : `${PREFIX} build failed (${reason}); watching ${inputs.size} files for changes`;
    if (ok) previous = manifest;
    o.stdout(line);
    o.onBuild?.(manifest, line);
    if (changed.size > 0) schedule();
  };

  const schedule = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      if (building || o.signal.aborted) return;
      const files = [...changed].map(shown);
      changed.clear();
      const reason = `changed: ${files.slice(0, 3).join(', ')}${files.length > 3 ? ` and ${files.length - 3} more` : ''}`;
      void runBuild(reason);
    }, debounceMs);
  };

  const onEvent = (dir: string, name: string | Buffer | null) => {
    if (name === null) return;
    const path = join(dir, name.toString());
    if (!inputs.has(path)) return;
    const now = stateOf(path);
    // Editors and compilers touch files without changing them; rebuild only on a real change.
    if (sameState(now, inputs.get(path))) return;
    inputs.set(path, now);
    changed.add(path);
    if (!building) schedule();
  };

  const refreshWatchers = () => {
    const dirs = new Set([...inputs.keys()].map((p) => dirname(p)));
    for (const [dir, w] of watchers) {
      if (!dirs.has(dir)) {
        w.close();
        watchers.delete(dir);
      }
    }
    for (const dir of dirs) {
      if (watchers.has(dir)) continue;
      try {
        // The directory, not the file: editors replace files, which ends a watch on the file itself.
        const w = fsWatch(dir, { persistent: true }, (_event, name) => onEvent(dir, name));
        w.on('error', () => w.close());
        watchers.set(dir, w);
      } catch {
        // A directory that does not exist (yet): its files are watched once a build names them again.
      }
    }
  };

  const stopped = new Promise<void>((done) => {
    if (o.signal.aborted) return done();
    o.signal.addEventListener('abort', () => done(), { once: true });
  });

  await Promise.race([runBuild('first build'), stopped]);
  await stopped;
  if (timer !== undefined) clearTimeout(timer);
  for (const w of watchers.values()) w.close();
  child?.kill('SIGTERM');
  rmSync(scratch, { recursive: true, force: true });
  o.stdout(`${PREFIX} stopped`);
  return 0;
}
