/** The errors of loading and patching PD program images: one named function per code. */
import { MicrokitError } from '../errors/microkit-error.js';
import type { SourceLocation } from '../sdf/location.js';

/** @param lines upstream's first line, then where the SDF asked for it and where we looked. */
export function programImageMissing(lines: readonly string[], location: SourceLocation | undefined): MicrokitError {
  return new MicrokitError('PROGRAM_IMAGE_MISSING', lines.join('\n'), { location });
}

/** @param at the `\n  --> place` line, or ''. */
export function programImageInvalid(path: string, pdName: string, reason: string, at: string, location: SourceLocation | undefined): MicrokitError {
  return new MicrokitError('PROGRAM_IMAGE_INVALID', `ERROR: failed to parse ELF '${path}' for PD '${pdName}': ${reason}${at}`, { location });
}

export function programImageWrongMachine(
  path: string,
  pdName: string,
  machine: string,
  eMachine: number,
  boardMachine: string | undefined,
  at: string,
  location: SourceLocation | undefined,
): MicrokitError {
  return new MicrokitError(
    'PROGRAM_IMAGE_WRONG_MACHINE',
    `ERROR: program image '${path}' for PD '${pdName}' is an ELF for ${machine} (e_machine ${eMachine}), but the board is ${boardMachine}${at}`,
    { location },
  );
}

export function symbolMissing(symbol: string, pdName: string, path: string, reason: string): MicrokitError {
  return new MicrokitError('SYMBOL_MISSING', `ERROR: could not patch symbol '${symbol}' in program image for PD '${pdName}' (${path}): ${reason}`);
}

export function symbolTooSmall(symbol: string, pdName: string, path: string, size: number | bigint, needed: number): MicrokitError {
  return new MicrokitError('SYMBOL_TOO_SMALL', `ERROR: symbol '${symbol}' in program image for PD '${pdName}' (${path}) has ${size} bytes, ${needed} needed`);
}

export function setvarSize(symbol: string, pdName: string, size: number | bigint, wordBytes: number | bigint): MicrokitError {
  return new MicrokitError(
    'SETVAR_SIZE',
    `ERROR: setvar to non-word size symbol '${symbol}' for PD '${pdName}', symbol has size '${size}' bytes, expected size '${wordBytes}' bytes`,
  );
}
