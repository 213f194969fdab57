/**
 * The Raspberry Pi 4B base: the four rpi4b_* boards differ only in RAM
 * (build_sdk.py's RPI4_MEMORY, which selects seL4's overlay-rpi4-<N>gb.dts)
 * and so in the memory map seL4 sees. Everything else is here.
 */
import type { Preset } from '../../core/preset.js';
import type { JsonRange } from '../../core/sdk/kernel-files.js';
import { aarch64Board } from './aarch64.js';

export interface Rpi4bMemory {
  /** build_sdk.py RPI4_MEMORY / 1024. */
  readonly gib: 1 | 2 | 4 | 8;
  /**
   * platform_gen.json: seL4's tools/hardware_gen.py over tools/dts/rpi4.dts + src/plat/bcm2711/overlay-rpi4.dts
   * + overlay-rpi4-address-mapping.dts + overlay-rpi4-<N>gb.dts (seL4/seL4 1326364), --addrspace-max 2^44.
   */
  readonly memory: readonly JsonRange[];
  readonly devices: readonly JsonRange[];
}

export function rpi4bBoard(m: Rpi4bMemory): Preset {
  return aarch64Board({
    name: `rpi4b_${m.gib}gb`,
    description: `Raspberry Pi 4B, ${m.gib} GiB (BCM2711), cortex-a72, 4 cores`,
    // build_sdk.py: KernelPlatform bcm2711 (seL4 ARM_PLAT rpi4).
    platform: 'bcm2711',
    // build_sdk.py gcc_cpu; seL4 src/arch/arm/config.cmake gives the A72 44 physical-address bits.
    cpu: 'cortex-a72',
    // seL4 src/plat/bcm2711/config.cmake: no KernelArmGicV3 (GIC-400, a GICv2).
    gicV3: false,
    // build_sdk.py smp_cores.
    smpCores: 4,
    // build_sdk.py loader_link_address.
    loaderLinkAddress: 0x1000_0000n,
    // microkit loader/src/uart.c UART_BASE for BCM2711 (the mini UART).
    uartAddr: 0xfe21_5040n,
    memory: m.memory,
    devices: m.devices,
    // Microkit manual (docs/manual.md), Raspberry Pi 4B section.
    boot: 'U-Boot: fatload mmc 0 0x10000000 loader.img; go 0x10000000',
    uboot: { loadAddress: 0x1000_0000n, commands: ['fatload mmc 0 0x10000000 {image}', 'go 0x10000000'] },
  });
}
