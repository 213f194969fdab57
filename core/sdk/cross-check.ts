/**
 * An SDK's kernel facts against a board preset's: every field both state
 * with a different value. The SDK describes the kernel that will run, so it
 * wins; the disagreements tell the user (and preset authors) that the
 * preset is out of date for that SDK. Pure.
 */
import type { SdkKernelFiles } from './kernel-files.js';

export interface FactDisagreement {
  /** The SDK file, as upstream names it (`gen_config.json`, ...). */
  readonly file: string;
  readonly field: string;
  readonly preset: string;
  readonly sdk: string;
}

type Scalar = string | number | bigint | boolean;

/** One spelling per value: integers in decimal whatever their JSON type, booleans and strings as they are. */
function show(v: unknown): string {
  if (typeof v === 'bigint' || typeof v === 'number') return BigInt(v).toString();
  if (typeof v === 'string' && /^\d+$/.test(v)) return BigInt(v).toString();
  return typeof v === 'object' ? JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x)) : String(v);
}

function compareKeys(file: string, preset: Readonly<Record<string, unknown>>, sdk: Readonly<Record<string, unknown>>, out: FactDisagreement[]): void {
  for (const [field, value] of Object.entries(preset)) {
    if (!(field in sdk)) continue;
    const p = show(value as Scalar);
    const s = show(sdk[field] as Scalar);
    if (p !== s) out.push({ file, field, preset: p, sdk: s });
  }
}

/** Ranges as `0xstart-0xend`, space separated: short enough for a warning line. */
function ranges(list: readonly { start: unknown; end: unknown }[] | undefined): string {
  return (list ?? []).map((r) => `0x${BigInt(r.start as Scalar).toString(16)}-0x${BigInt(r.end as Scalar).toString(16)}`).join(' ');
}

export function crossCheckKernelFiles(preset: SdkKernelFiles, sdk: SdkKernelFiles): FactDisagreement[] {
  const out: FactDisagreement[] = [];
  compareKeys('gen_config.json', preset.genConfig, sdk.genConfig, out);
  compareKeys('object_sizes.json', preset.objectSizes, sdk.objectSizes, out);
  compareKeys('address_space_constants.json', preset.addressSpaceConstants, sdk.addressSpaceConstants, out);
  if (preset.platformGen && sdk.platformGen) {
    for (const field of ['memory', 'devices'] as const) {
      const p = ranges(preset.platformGen[field]);
      const s = ranges(sdk.platformGen[field]);
      if (p !== s) out.push({ file: 'platform_gen.json', field, preset: p, sdk: s });
    }
  }
  return out;
}
