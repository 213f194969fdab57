/** `<virtual_machine>` and its `<vcpu>`s (VM1–VM8); architecture rules come from ArchSupport.vm. */
import { vmMapMaxVaddr } from '../../kernel/config.js';
import { checkAttributes, parseDecimal, requireAttribute } from '../attributes.js';
import type { SdfParseContext } from '../context.js';
import { sdfErrorAt, sdfErrorColon, sdfUnlocatedError, sdfValueError } from '../errors.js';
import type { Map as SdfMap, VirtualCpu, VirtualMachine } from '../model.js';
import { attribute, childElements, type XmlElement } from '../xml.js';
import { parseMap } from './map.js';
import { parseCpu, PD_MAX_ID } from './pd-limits.js';

export interface ParsedVirtualMachine {
  readonly vm: VirtualMachine;
  readonly vcpuSetVars: { symbol: string; id: bigint }[];
}

export function parseVirtualMachine(el: XmlElement, ctx: SdfParseContext): ParsedVirtualMachine {
  checkAttributes(el, ctx.arch.vm?.attributes ?? ['name']);
  const name = requireAttribute(el, 'name');
  const sched = ctx.arch.vm?.parseSchedParams?.(el, ctx);

  const vcpus: VirtualCpu[] = [];
  const vcpuSetVars: { symbol: string; id: bigint }[] = [];
  const maps: SdfMap[] = [];
  for (const child of childElements(el)) {
    if (child.tag === 'vcpu') {
      checkAttributes(child, ['id', 'setvar_id', 'cpu']);
      const id = parseDecimal(child, requireAttribute(child, 'id'), false);
      if (id > PD_MAX_ID) throw sdfValueError(child, `id must be < ${PD_MAX_ID + 1n}`);
      const first = vcpus.find((v) => v.id === id);
      if (first !== undefined) {
        throw sdfErrorAt('SDF_DUPLICATE_VCPU_ID', `duplicate vcpu id ${id} in virtual machine '${name}'`, child.location, {
          attribute: 'id',
          related: [{ location: first.location, attribute: 'id', label: `vcpu ${id} is first defined here` }],
        });
      }
      // Upstream parses the number against the VM element and range-checks against the vCPU.
      const cpuText = attribute(child, 'cpu');
      const cpu = cpuText === undefined ? undefined : parseCpu(child, cpuText, ctx.kernel.numCores, el);
      const setvarId = attribute(child, 'setvar_id');
      if (setvarId !== undefined) vcpuSetVars.push({ symbol: setvarId, id });
      vcpus.push({ id, cpu, location: child.location });
    } else if (child.tag === 'map') {
      // VMs have no program image, hence no setvar_* on their maps.
      maps.push(parseMap(child, false, vmMapMaxVaddr(ctx.kernel)));
    } else {
      // Upstream reports the VM element's location here, not the child's.
      throw sdfErrorColon('SDF_INVALID_ELEMENT', `invalid XML element '${child.tag}'`, el.location);
    }
  }
  if (vcpus.length === 0) {
    throw sdfUnlocatedError('SDF_MISSING_VCPU', `Error: missing 'vcpu' element on virtual_machine: '${name}'`, el.location, {
      help: ['add <vcpu id="0" /> inside it'],
    });
  }
  return { vm: { name, vcpus, maps, sched, location: el.location }, vcpuSetVars };
}
