/**
 * What the SDF parser is given: the kernel facts, the architecture, the
 * syntax registered by plugins, and file access for prefill files. Parsing
 * is otherwise pure, so it tests without touching the disk.
 */
import type { ArchSupport } from '../arch.js';
import type { KernelConfig } from '../kernel/config.js';
import type { SdfSyntax } from './syntax.js';

/** How the parser reaches files named by the SDF (prefill files). */
export interface SdfFileAccess {
  /** Upstream's search: the first `searchPath/<path>` that exists (absolute paths as they are). */
  resolve(path: string): string | undefined;
  read(resolvedPath: string): Uint8Array;
  /** The places `resolve(path)` looks, in order (for a "not found" message). */
  searched?(path: string): readonly string[];
}

export interface SdfParseContext {
  /** The SDF file as the user named it; shown in every location. */
  readonly file: string;
  readonly kernel: KernelConfig;
  readonly arch: ArchSupport;
  readonly syntax: SdfSyntax;
  readonly files: SdfFileAccess;
  /** Non-fatal findings, printed by the CLI (upstream prints `WARNING: ...` to stdout). */
  readonly warnings: string[];
}
