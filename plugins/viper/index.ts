/**
 * `--viper-output DIR`: one `DIR/<pd>.vpr` per PD with the PD's invariants as
 * Viper macros (see render.ts), as upstream writes them. Experimental upstream
 * too: the format may change.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { MicrokitError } from '../../core/errors/microkit-error.js';
import { definePlugin } from '../../core/plugin.js';
import { renderViperViews } from './render.js';
import { viperNoSpec, viperOutputDirFailed, viperOutputFileFailed } from './errors.js';

export { capView, memView, renderViperViews, sdfView } from './render.js';
export type { CapView, MemRange, MemView, SdfView, ViperFile } from './render.js';

/** Rust's `Path::join`: an absolute `file` replaces `dir`; otherwise one `/` between them, unless `dir` is empty or ends in one. */
export function rustJoin(dir: string, file: string): string {
  if (isAbsolute(file) || dir === '') return file;
  return dir.endsWith('/') ? `${dir}${file}` : `${dir}/${file}`;
}

/** glibc's strerror texts, which Rust's io::Error shows as `<text> (os error <n>)`. */
const STRERROR: Readonly<Record<string, string>> = {
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  EIO: 'Input/output error',
  EACCES: 'Permission denied',
  EEXIST: 'File exists',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  ENOSPC: 'No space left on device',
  EROFS: 'Read-only file system',
  ENAMETOOLONG: 'File name too long',
  ELOOP: 'Too many levels of symbolic links',
  EDQUOT: 'Disk quota exceeded',
};

/** An fs error as Rust's io::Error prints it (falls back to Node's message for unlisted codes). */
export function rustIoError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const text = err.code !== undefined ? STRERROR[err.code] : undefined;
  if (text === undefined || err.errno === undefined) return err.message;
  return `${text} (os error ${Math.abs(err.errno)})`;
}

function errnoError(code: string, errno: number): NodeJS.ErrnoException {
  return Object.assign(new Error(code), { code, errno: -errno });
}

function fsCause(e: unknown): NodeJS.ErrnoException | undefined {
  if (!(e instanceof MicrokitError) || e.code !== 'OUTPUT_WRITE') return undefined;
  const cause = (e as Error).cause as NodeJS.ErrnoException | undefined;
  return cause !== undefined && typeof cause.code === 'string' ? cause : undefined;
}

export const viper = definePlugin(() => ({
  name: 'viper',
  apply(pipeline) {
    pipeline.hooks.emit.tap('viper', (build, ctx) => {
      const dir = ctx.options.outputs.viperDir;
      if (dir === undefined) return;
      if (!build.spec) throw viperNoSpec();
      const dirError = (e: unknown) => viperOutputDirFailed(dir, rustIoError(e), e);
      const fileError = (path: string, e: unknown) => viperOutputFileFailed(path, rustIoError(e), e);

      // Upstream first creates DIR (an existing directory is fine), then writes each file into it.
      // The output stage makes the directories; what it would misreport is checked here first.
      if (dir !== '') {
        try {
          if (!statSync(dir).isDirectory()) throw errnoError('EEXIST', 17);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw dirError(e);
        }
      }

      for (const view of renderViperViews(build.system, build.spec, ctx.options.systemFile)) {
        const path = rustJoin(dir, `${view.pd}.vpr`);
        try {
          // A PD name with a `/` needs its sub-directory to exist already (only DIR is created).
          const parent = dirname(path);
          if (dir !== '' && resolve(parent) !== resolve(dir) && !statSync(parent).isDirectory()) throw errnoError('ENOTDIR', 20);
          if (existsSync(path) && statSync(path).isDirectory()) throw errnoError('EISDIR', 21);
        } catch (e) {
          throw fileError(path, e);
        }
        try {
          ctx.outputs.write(path, view.text);
        } catch (e) {
          const cause = fsCause(e);
          if (cause === undefined) throw e;
          throw cause.syscall === 'mkdir' ? dirError(cause) : fileError(path, cause);
        }
      }
    });
  },
}));
