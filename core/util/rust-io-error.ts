/**
 * Rust's words for a failed file operation, as upstream prints `{err}` of a
 * `std::io::Error`: the C library's `strerror` text and `(os error N)` (Linux
 * numbers and glibc texts), and a path joined as Rust's `Path::join` does
 * (no normalisation: `sp` + `''` is `sp/`).
 */
import { constants } from 'node:os';
import { osReason } from './fs-error.js';

const GLIBC_TEXT: Readonly<Record<string, string>> = {
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  EIO: 'Input/output error',
  ENXIO: 'No such device or address',
  EBADF: 'Bad file descriptor',
  ENOMEM: 'Cannot allocate memory',
  EACCES: 'Permission denied',
  EBUSY: 'Device or resource busy',
  EEXIST: 'File exists',
  ENODEV: 'No such device',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EINVAL: 'Invalid argument',
  ENFILE: 'Too many open files in system',
  EMFILE: 'Too many open files',
  ETXTBSY: 'Text file busy',
  EFBIG: 'File too large',
  ENOSPC: 'No space left on device',
  EROFS: 'Read-only file system',
  ENAMETOOLONG: 'File name too long',
  ELOOP: 'Too many levels of symbolic links',
  EOVERFLOW: 'Value too large for defined data type',
  EDQUOT: 'Disk quota exceeded',
};

/** `Is a directory (os error 21)` for an errno failure; our own reasons (not the OS's) as osReason words them. */
export function rustIoError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const errno = code === undefined ? undefined : (constants.errno as Record<string, number | undefined>)[code];
  const text = code === undefined ? undefined : GLIBC_TEXT[code];
  if (text !== undefined && errno !== undefined) return `${text} (os error ${errno})`;
  return osReason(e);
}

/** Rust's `base.join(path)`: `path` when absolute, else `base`, a separator unless it ends with one, and `path`. */
export function rustPathJoin(base: string, path: string): string {
  if (path.startsWith('/') || base === '') return path;
  return base.endsWith('/') ? base + path : `${base}/${path}`;
}
