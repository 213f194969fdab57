/** Raspberry Pi 4B with 4 GiB of RAM: the rpi4b base (families/rpi4b.ts) with this size's memory map. */
import { rpi4bBoard } from '../families/rpi4b.js';

export const rpi4b4gb = rpi4bBoard({
  // build_sdk.py RPI4_MEMORY=4096.
  gib: 4,
  // seL4's tools/hardware_gen.py over rpi4.dts and the bcm2711 overlays with overlay-rpi4-4gb.dts (seL4/seL4 1326364).
  memory: [
    { start: 0x20_0000, end: 0x3b40_0000 },
    { start: 0x4000_0000, end: 0xfc00_0000 },
  ],
  devices: [
    { start: 0x0, end: 0x20_0000 },
    { start: 0x3b40_0000, end: 0x4000_0000 },
    { start: 0xfc00_0000, end: 0xff80_0000 },
    { start: 0xff80_1000, end: 0xff84_1000 },
    { start: 0xff84_3000, end: 0xff84_4000 },
    { start: 0xff84_5000, end: 0x1000_0000_0000 },
  ],
});
