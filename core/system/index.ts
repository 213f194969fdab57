/**
 * `microkit-ts/system`: describe a Microkit system in TypeScript instead of
 * an SDF file. See docs/system-api.md.
 */
export { system, isSystemBuilder, SystemBuilder } from './builder.js';
export { ProtectionDomain, VirtualMachine } from './protection-domain.js';
export { MemoryRegionRef, IoAddressSpace } from './regions.js';
export { Channel } from './channel.js';
export type * from './types.js';
