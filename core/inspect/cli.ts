/**
 * The I/O edge of `microkit inspect`: reads the image and the SDK's files,
 * runs the pure reader, prints the summary or streams the canonical dump.
 * Exit codes: 0, 1 for unreadable input (as every other error), 3 when the
 * image was read but failed an integrity check (the dump format's own code).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CliEnvironment } from '../cli/setup.js';
import { MicrokitError } from '../errors/microkit-error.js';
import type { ObjectSizes } from '../kernel/config.js';
import { objectSizesFromJson } from '../sdk/kernel-files.js';
import { writeCanonicalJson } from './canonical-json.js';
import { inspectImage } from './dump.js';
import { summaryLines } from './summary.js';
import { InspectError } from './types.js';
import type { ImageArch, SdkElfBytes } from './types.js';
import { inspectArgumentsError as inspectError } from './errors.js';
import { osReason, readInputFile } from '../util/fs-error.js';
import { writeOutputFile } from '../cli/output-file.js';

/** The command line of `microkit inspect` (core/cli/commands/inspect.ts). */
export interface InspectArgs {
  readonly sdk?: string;
  readonly board?: string;
  readonly config?: string;
  readonly arch?: string;
  readonly json?: boolean;
  readonly output?: string;
}

/** Architectures of raw binary images (--arch). */
const ARCHES: readonly ImageArch[] = ['aarch64', 'riscv64'];

/** The file at `path` (shown as `shown`, the user's spelling); a device such as /dev/zero is refused, not read forever. */
function readInput(path: string, what: string, shown = path): Uint8Array {
  try {
    return readInputFile(path);
  } catch (e) {
    throw inspectError(`could not read ${what} '${shown}': ${osReason(e)}`);
  }
}

interface SdkFacts {
  readonly elfs?: SdkElfBytes;
  readonly objectSizes?: ObjectSizes;
}

function sdkFacts(opts: InspectArgs, env: CliEnvironment): SdkFacts {
  const root = opts.sdk ?? (env.env.MICROKIT_SDK || undefined);
  if (opts.board === undefined && opts.config === undefined) return {};
  if (opts.board === undefined || opts.config === undefined) throw inspectError('--board and --config go together');
  if (root === undefined) throw inspectError('--board and --config need an SDK: give --sdk DIR or set MICROKIT_SDK');
  const dir = join(resolve(env.cwd, root), 'board', opts.board, opts.config);
  if (!existsSync(dir)) throw inspectError(`the SDK has no board '${opts.board}' with config '${opts.config}' (no directory '${dir}')`);
  const elf = (name: string): Uint8Array | undefined => (existsSync(join(dir, 'elf', name)) ? readInput(join(dir, 'elf', name), 'SDK file') : undefined);
  let objectSizes: ObjectSizes | undefined;
  const sizesPath = join(dir, 'object_sizes.json');
  if (existsSync(sizesPath)) {
    try {
      const doc: unknown = JSON.parse(readFileSync(sizesPath, 'utf8'));
      if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw inspectError(`cannot read '${sizesPath}': expected a JSON object`);
      objectSizes = objectSizesFromJson(doc as Record<string, number>, sizesPath);
    } catch (e) {
      if (e instanceof MicrokitError) throw e;
      throw inspectError(`cannot read '${sizesPath}': ${(e as Error).message}`);
    }
  }
  return { elfs: { initialiser: elf('initialiser.elf'), kernel: elf('sel4.elf'), loader: elf('loader.elf') }, objectSizes };
}

/** Lines to stdout; chunks never have to be whole lines. */
function stdoutSink(env: CliEnvironment): { write: (chunk: string) => void; close: () => void } {
  let pending = '';
  return {
    write(chunk) {
      pending += chunk;
      const nl = pending.lastIndexOf('\n');
      if (nl >= 0) {
        env.stdout(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
      }
    },
    close() {
      if (pending !== '') env.stdout(pending);
    },
  };
}

export async function runInspect(image: string, opts: InspectArgs, env: CliEnvironment): Promise<number> {
  if (opts.arch !== undefined && !ARCHES.includes(opts.arch as ImageArch)) {
    // x86_64 was accepted and a raw binary then shown "for x86_64"; x86 images are ELF boot modules, read without --arch.
    const why = opts.arch === 'x86_64' ? ': x86 images are ELF boot modules, whose architecture is read from the file' : '';
    throw inspectError(`unknown architecture '${opts.arch}' for a raw binary image (one of ${ARCHES.join(', ')})${why}`);
  }
  const facts = sdkFacts(opts, env);
  // An empty name is no file; resolved, it would be the working directory ('is a directory').
  const imagePath = image === '' ? '' : resolve(env.cwd, image);
  const bytes = readInput(imagePath, 'image', image);
  let result: ReturnType<typeof inspectImage>;
  try {
    result = inspectImage(bytes, { arch: opts.arch as ImageArch | undefined, elfs: facts.elfs });
  } catch (e) {
    if (e instanceof InspectError) throw inspectError(`'${image}': ${e.message}`);
    throw e;
  }
  const produce = (emit: (chunk: string) => void) => {
    if (opts.json) writeCanonicalJson(result.dump, emit);
    else for (const line of summaryLines(result, { objectSizes: facts.objectSizes, imageName: image })) emit(`${line}\n`);
  };
  if (opts.output !== undefined) {
    // `inspect loader.img -o loader.img` replaced the image with its summary.
    writeOutputFile(opts.output, env.cwd, [{ given: image, path: imagePath, role: 'the image being inspected' }], produce);
  } else {
    const sink = stdoutSink(env);
    try {
      produce(sink.write);
    } finally {
      sink.close();
    }
  }
  if (result.checks.errors.length > 0) {
    env.stderr(`microkit: inspect: ${image}: ${result.checks.errors.length} integrity error(s); first: ${result.checks.errors[0]}`);
    return 3;
  }
  return 0;
}
