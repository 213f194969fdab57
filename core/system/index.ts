/**
 * `microkit-ts/system`: describe a Microkit system in TypeScript instead of
 * an SDF file. See docs/system-api.md.
 */
export { system, isSystemBuilder, SystemBuilder, ProtectionDomain, MemoryRegionRef, VirtualMachine, IoAddressSpace, Channel } from './builder.js';
export type * from './types.js';
