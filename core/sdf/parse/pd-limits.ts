/** Limits shared by protection domains, virtual machines and channels (so their parsers need not import each other). */
import { parseSdfNumber } from '../attributes.js';
import { sdfAttributeValueError } from '../errors.js';
import type { XmlElement } from '../xml.js';

/** Channel/IRQ/ioport/vCPU ids are 0..61: bits 62 and 63 of a badge are taken. */
export const PD_MAX_ID = 61n;

/**
 * A core index below the kernel's core count. Upstream converts to u8 first
 * and crashes above 255; we compare the full value and report it.
 */
export function parseCpu(el: XmlElement, text: string, numCores: number, numberElement: XmlElement = el): number {
  const cpu = parseSdfNumber(numberElement, text);
  if (cpu >= BigInt(numCores)) throw sdfAttributeValueError(el, 'cpu', `cpu core must be less than ${numCores}, got ${cpu}`);
  return Number(cpu);
}
