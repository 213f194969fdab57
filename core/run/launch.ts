/**
 * Starting QEMU and watching its serial output: the I/O edge of
 * `microkit run`. QEMU's output is streamed line by line; the run ends when
 * the expected text appears (exit 0), on timeout (1), when QEMU exits (its
 * code, or 1 if an expected text never came), or when aborted (Ctrl-C: 130).
 * QEMU is always stopped and reaped before this resolves.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { QemuCommand } from './qemu-command.js';
import { ExpectWatcher, LineSplitter } from './serial.js';
import { qemuMissing, qemuStartFailed } from './errors.js';

export interface LaunchOptions {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Seconds; none: run until QEMU exits or the run is aborted. */
  readonly timeoutSeconds?: number;
  readonly expect?: string;
  /** The Debian package providing QEMU, named when the program is missing. */
  readonly qemuPackage: string;
  /** Let the user type to the guest (an interactive terminal and no --expect). */
  readonly interactive: boolean;
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
  /** Aborting stops QEMU (the CLI wires Ctrl-C to it). */
  readonly signal?: AbortSignal;
}

/** After SIGTERM, how long QEMU gets before SIGKILL. */
const KILL_GRACE_MS = 2000;

export const EXIT_INTERRUPTED = 130;

function stop(child: ChildProcess): void {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const force = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
  force.unref();
  child.once('close', () => clearTimeout(force));
}

export function launchQemu(cmd: QemuCommand, o: LaunchOptions): Promise<number> {
  return new Promise<number>((resolvePromise, rejectPromise) => {
    const child = spawn(cmd.program, [...cmd.args], {
      cwd: o.cwd,
      env: o.env as NodeJS.ProcessEnv,
      stdio: [o.interactive ? 'inherit' : 'ignore', 'pipe', 'pipe'],
    });
    const watcher = o.expect !== undefined ? new ExpectWatcher(o.expect) : undefined;
    const out = new LineSplitter();
    const err = new LineSplitter();
    let outcome: { code: number; message?: string } | undefined;
    const finish = (code: number, message?: string): void => {
      if (outcome) return;
      outcome = { code, message };
      stop(child);
    };
    const timer =
      o.timeoutSeconds !== undefined
        ? setTimeout(() => {
            const what = o.expect !== undefined ? ` without seeing '${o.expect}'` : '';
            finish(1, `microkit: error: timed out after ${o.timeoutSeconds} s${what}; stopped ${cmd.program}`);
          }, o.timeoutSeconds * 1000)
        : undefined;
    const onAbort = (): void => finish(EXIT_INTERRUPTED, `microkit: interrupted; stopped ${cmd.program}`);
    o.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout!.setEncoding('utf8');
    child.stderr!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      for (const line of out.push(chunk)) o.stdout(line);
      if (watcher?.push(chunk)) finish(0);
    });
    child.stderr!.on('data', (chunk: string) => {
      for (const line of err.push(chunk)) o.stderr(line);
    });
    // A QEMU that could not start is its 'error' alone: the 'close' that follows has nothing to add
    // (with --expect it said "exited (code -2) before '…' appeared" under the real reason).
    let failedToStart = false;
    child.on('error', (e: NodeJS.ErrnoException) => {
      failedToStart = true;
      if (timer) clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      if (e.code === 'ENOENT') {
        rejectPromise(qemuMissing(cmd.program, o.qemuPackage));
      } else {
        rejectPromise(qemuStartFailed(cmd.program, e.message));
      }
    });
    child.on('close', (code, signal) => {
      if (failedToStart) return;
      if (timer) clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      const lastOut = out.flush();
      if (lastOut !== undefined) o.stdout(lastOut);
      const lastErr = err.flush();
      if (lastErr !== undefined) o.stderr(lastErr);
      if (!outcome) {
        if (watcher && !watcher.matched) {
          outcome = { code: 1, message: `microkit: error: ${cmd.program} exited (${signal ?? `code ${code}`}) before '${o.expect}' appeared` };
        } else {
          outcome = { code: code ?? 1 };
        }
      }
      if (outcome.message) o.stderr(outcome.message);
      resolvePromise(outcome.code);
    });
  });
}
