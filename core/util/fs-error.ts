/**
 * Filesystem failures in the user's words: `microkit: error: could not
 * <verb> '<the path the user gave>': <the OS reason>`, never Node's message
 * (which names our temporary files and leads with an errno code).
 */
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { MicrokitError } from '../errors/microkit-error.js';
import { fileAccessError } from './errors.js';

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'a component of the path is not a directory',
  EEXIST: 'file exists',
  ENOSPC: 'no space left on device',
  EROFS: 'read-only file system',
  EDQUOT: 'disk quota exceeded',
  ENAMETOOLONG: 'file name too long',
  ELOOP: 'too many levels of symbolic links',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
  EXDEV: 'cross-device link',
  EBUSY: 'resource busy',
  EINVAL: 'invalid argument',
  EFBIG: 'file too large',
  // Ours, not the OS's: a device such as /dev/zero never ends, so reading it would never return.
  ENOTREG: 'not a regular file',
  // Rust's words for the same failure of read_to_string.
  EILSEQ: 'stream did not contain valid UTF-8',
};

/** The OS reason of a Node filesystem error, without its paths. */
export function osReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined && REASONS[code] !== undefined) return REASONS[code];
  const message = e instanceof Error ? e.message : String(e);
  // Node's form is `CODE: reason, syscall 'path'`: keep the reason only.
  const m = /^[A-Z0-9_]+: ([^,]+)/.exec(message);
  return m ? m[1] : message;
}

/** A Node system error (`code` is an errno name), not one of ours (which have codes too). */
export function isErrno(e: unknown): e is NodeJS.ErrnoException {
  if (!(e instanceof Error) || e instanceof MicrokitError) return false;
  const code = (e as NodeJS.ErrnoException).code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code);
}

export function fileError(code: string, verb: string, path: string, e: unknown): MicrokitError {
  return fileAccessError(code, verb, path, osReason(e), e);
}

/**
 * `mkdir -p` that cannot loop: Node's recursive mkdir spins forever under
 * /proc (EEXIST/ENOENT ping-pong). Walk up to the nearest existing ancestor,
 * then create each missing level once.
 */
export function makeDirectories(dir: string): void {
  const missing: string[] = [];
  let cur = dir;
  for (;;) {
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(cur);
    } catch (e) {
      if (!isErrno(e) || e.code !== 'ENOENT') throw e;
    }
    if (stat) {
      if (!stat.isDirectory()) throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${dir}'`), { code: 'ENOTDIR' });
      break;
    }
    missing.push(cur);
    const parent = dirname(cur);
    if (parent === cur) break;
    cur = parent;
  }
  for (let i = missing.length - 1; i >= 0; i--) {
    try {
      mkdirSync(missing[i]);
    } catch (e) {
      // Another process may have made it meanwhile; anything else is the answer.
      if (!isErrno(e) || e.code !== 'EEXIST' || !statSync(missing[i]).isDirectory()) throw e;
    }
  }
}

/** readFileSync that refuses devices (whose reads may never end); pipes and FIFOs are read as usual. */
export function readInputFile(path: string): Buffer;
export function readInputFile(path: string, encoding: 'utf8'): string;
export function readInputFile(path: string, encoding?: 'utf8'): Buffer | string {
  const stat = statSync(path);
  if (stat.isCharacterDevice() || stat.isBlockDevice() || stat.isSocket()) {
    throw Object.assign(new Error(`ENOTREG: not a regular file, open '${path}'`), { code: 'ENOTREG', path, syscall: 'open' });
  }
  const bytes = readFileSync(path);
  if (encoding === undefined) return bytes;
  try {
    return strictUtf8.decode(bytes);
  } catch {
    // Replacement characters would turn a corrupt file into a valid-looking one.
    throw Object.assign(new Error(`EILSEQ: invalid UTF-8, read '${path}'`), { code: 'EILSEQ', path, syscall: 'read' });
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
