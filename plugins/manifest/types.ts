/**
 * The system manifest (`--manifest FILE`, `outputs.manifest`): a versioned
 * JSON description of the resolved system, schema docs/manifest.schema.json.
 * 64-bit quantities (addresses, sizes, byte counts) are `0x` hex strings so
 * any JSON reader keeps them exact; counts, ids and small numbers are
 * integers. Field names are snake_case, as the SDF's and upstream's.
 */

export const MANIFEST_FORMAT = 'microkit-system-manifest/1';

export type Hex = string;

export interface ManifestMap {
  readonly mr: string;
  readonly vaddr: Hex;
  readonly size: Hex;
  /** The page size the build actually used (after page-size optimisation). */
  readonly page_size: Hex;
  /** `r`, `w`, `x` in that order. */
  readonly perms: string;
  readonly cached: boolean;
  /** Physical address of the region's first page, when the build knows it. */
  readonly paddr: Hex | null;
}

export interface ManifestChannelId {
  readonly id: number;
  readonly peer: string;
  readonly peer_id: number;
  /** This end may notify the peer. */
  readonly notify: boolean;
  /** This end may make protected procedure calls to the peer. */
  readonly pp: boolean;
}

export interface ManifestCap {
  readonly slot: number;
  readonly type: string;
  readonly object: string | null;
  readonly badge?: Hex;
  readonly rights?: string;
}

export interface ManifestProtectionDomain {
  readonly name: string;
  readonly parent: string | null;
  readonly priority: number;
  readonly budget: number;
  readonly period: number;
  readonly passive: boolean;
  readonly cpu: number;
  readonly program_image: string;
  readonly entry: Hex | null;
  readonly stack: { readonly bottom: Hex; readonly top: Hex; readonly size: Hex };
  readonly ipc_buffer: Hex;
  readonly maps: readonly ManifestMap[];
  readonly ids: {
    readonly channels: readonly ManifestChannelId[];
    readonly irqs: readonly { readonly id: number; readonly irq: number; readonly kind: string }[];
    readonly ioports: readonly { readonly id: number; readonly addr: Hex; readonly size: Hex }[];
    readonly children: readonly { readonly id: number; readonly pd: string }[];
    readonly vcpus: readonly { readonly id: number; readonly vm: string; readonly cpu: number | null }[];
  };
  readonly virtual_machine: { readonly name: string; readonly maps: readonly ManifestMap[] } | null;
  /** The PD's own CNode (`cnode_<pd>`), slot by slot. */
  readonly cap_slots: readonly ManifestCap[];
}

export interface ManifestMemoryRegion {
  readonly name: string;
  readonly size: Hex;
  readonly page_size: Hex;
  readonly page_count: number;
  /** `fixed` (SDF `phys_addr`), `tool` (placed by the tool for `region_paddr`), `allocated` (the initialiser's, simulated) or `unknown`. */
  readonly placement: 'fixed' | 'tool' | 'allocated' | 'unknown';
  readonly paddr: Hex | null;
  readonly prefill: { readonly kind: 'file'; readonly path: string; readonly size: Hex } | { readonly kind: 'bootinfo'; readonly id: string } | null;
  readonly mapped_by: readonly { readonly pd: string; readonly vaddr: Hex; readonly perms: string }[];
}

export interface ManifestObjectKind {
  readonly count: number;
  /** Physical memory the kernel objects of this kind take (0 for objects not made from untyped memory). */
  readonly memory: Hex;
}

export interface SystemManifest {
  readonly format: typeof MANIFEST_FORMAT;
  readonly tool: 'microkit-ts';
  readonly system: string;
  readonly board: string | null;
  readonly config: string;
  readonly arch: string;
  readonly protection_domains: readonly ManifestProtectionDomain[];
  readonly memory_regions: readonly ManifestMemoryRegion[];
  readonly channels: readonly {
    readonly kind: 'notification' | 'protected_procedure';
    readonly a: { readonly pd: string; readonly id: number; readonly notify: boolean; readonly pp: boolean };
    readonly b: { readonly pd: string; readonly id: number; readonly notify: boolean; readonly pp: boolean };
  }[];
  readonly io_spaces: readonly {
    readonly name: string;
    readonly device: string;
    readonly pci: { readonly bus: number; readonly device: number; readonly function: number } | null;
    readonly domain_id: number | null;
    readonly maps: readonly { readonly mr: string; readonly iovaddr: Hex; readonly perms: string }[];
  }[];
  /** Where boot emulation placed things (ARM, RISC-V); null where it did not run. */
  readonly boot: {
    /** The Microkit loader (ARM, RISC-V): where it is loaded and runs, and the size of its own image (page tables included). */
    readonly loader: { readonly entry: Hex; readonly load_address: Hex; readonly image_size: Hex } | null;
    readonly kernel: { readonly entry: Hex; readonly segments: readonly { readonly paddr: Hex; readonly vaddr: Hex; readonly size: Hex }[] } | null;
    readonly initialiser: {
      readonly entry: Hex;
      readonly phys_base: Hex | null;
      readonly vaddr_start: Hex;
      readonly vaddr_end: Hex;
      readonly spec_size: Hex;
      readonly frame_data_size: Hex;
    } | null;
  };
  readonly objects: {
    readonly count: number;
    readonly memory: Hex;
    /** Memory of everything but frames: what the kernel needs to run the system (upstream issue #51). */
    readonly kernel_object_memory: Hex;
    readonly frame_memory: Hex;
    readonly by_kind: Readonly<Record<string, ManifestObjectKind>>;
  };
}
