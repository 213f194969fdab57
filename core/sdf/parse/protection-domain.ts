/**
 * `<protection_domain>`: attributes (PD1–PD14) then children in document
 * order (PC1–PC25), exactly in upstream's order so the first error reported
 * is upstream's first error.
 */
import { pdMapMaxVaddr } from '../../kernel/config.js';
import { hex } from '../../util/bigint.js';
import { didYouMean } from '../../util/suggest.js';
import { checkAttributes, parseBoolAttribute, parseDecimal, parseSdfNumber, requireAttribute } from '../attributes.js';
import type { SdfParseContext } from '../context.js';
import { sdfAttributeValueError, sdfInvalidPdElement, sdfMissingAttribute, sdfUnlocatedError, sdfValueError } from '../errors.js';
import type { CapMap, DomainSchedule, Irq, ProtectionDomain, VirtualMachine } from '../model.js';
import type { ProtectionDomainDraft } from '../syntax.js';
import { attribute, childElements, type XmlElement } from '../xml.js';
import { parseCSpace } from './cspace.js';
import { parseMap } from './map.js';
import { addSetVar } from './setvar.js';
import { parseVirtualMachine } from './virtual-machine.js';
import { recover } from '../../diagnostics/sink.js';
import { parseCpu, PD_MAX_ID } from './pd-limits.js';

export { parseCpu, PD_MAX_ID } from './pd-limits.js';
import type { SourceLocation } from '../location.js';
import { RESERVING_PLUGIN } from './reserved.js';

export const PD_MAX_PRIORITY = 254n;
/** Child PD ids index 64 child-TCB slots of the parent's CNode. */
export const CHILD_MAX_ID = 63n;
export const BUDGET_DEFAULT = 1000n;
export const PD_DEFAULT_STACK_SIZE = 0x2000n;
const PD_MIN_STACK_SIZE = 0x1000n;
const PD_MAX_STACK_SIZE = 0x1000000n;

/** The core's PD attributes, in upstream's allowed-list order. */
const PD_ATTRIBUTES = ['name', 'priority', 'budget', 'period', 'passive', 'stack_size', 'smc', 'cpu', 'domain', 'fpu'];
const CHILD_PD_ATTRIBUTES = ['id', 'setvar_id'];
/** The core's PD children (plugins add theirs through the syntax registry). */
const PD_ELEMENTS = ['program_image', 'map', 'irq', 'setvar', 'protection_domain', 'virtual_machine', 'cspace'];

/** A parsed PD before the tree is flattened. */
export interface ProtectionDomainTree {
  readonly pd: Omit<ProtectionDomain, 'index' | 'parent' | 'children'>;
  readonly children: ProtectionDomainTree[];
  /** The child's `setvar_id` attribute (patched into the parent). */
  readonly setvarId?: string;
}

export function parseProtectionDomain(el: XmlElement, ctx: SdfParseContext, isChild: boolean, domains: DomainSchedule | undefined): ProtectionDomainTree {
  const pluginAttributes = ctx.syntax.pdAttributeNames().filter((n) => !PD_ATTRIBUTES.includes(n));
  checkAttributes(el, [...PD_ATTRIBUTES, ...(isChild ? CHILD_PD_ATTRIBUTES : []), ...pluginAttributes]);
  const name = requireAttribute(el, 'name');

  let childId: bigint | undefined;
  let setvarId: string | undefined;
  if (isChild) {
    // Upstream leaves the range unchecked (the parent's child-TCB caps, 202 + id, would leave their range of
    // its CNode): validation's TOOL_LIMITS stage refuses ids above CHILD_MAX_ID, after every rule upstream has.
    childId = parseSdfNumber(el, requireAttribute(el, 'id'));
    setvarId = attribute(el, 'setvar_id');
  }

  const { budget, period } = parseBudgetPeriod(el);
  const passive = parseBoolAttribute(el, 'passive', false);
  const stackText = attribute(el, 'stack_size');
  const stackSize = stackText === undefined ? PD_DEFAULT_STACK_SIZE : parseSdfNumber(el, stackText);

  const draft: ProtectionDomainDraft = { name, maps: [], irqs: [], setvars: [], smc: false };
  runPdAttribute('smc', el, ctx, draft);

  const cpu = parseCpu(el, attribute(el, 'cpu') ?? '0', ctx.kernel.numCores);
  const domain = parseDomainAttribute(el, domains);

  if (stackSize < PD_MIN_STACK_SIZE || stackSize > PD_MAX_STACK_SIZE) {
    throw sdfAttributeValueError(el, 'stack_size', `stack size must be between ${hex(PD_MIN_STACK_SIZE)} bytes and ${hex(PD_MAX_STACK_SIZE)} bytes`);
  }
  if (stackSize % 0x1000n !== 0n) {
    throw sdfAttributeValueError(el, 'stack_size', 'stack size must be aligned to the smallest page size, 4096 bytes');
  }

  const priorityText = attribute(el, 'priority');
  const priority = priorityText === undefined ? 0n : parseSdfNumber(el, priorityText);
  if (priority > PD_MAX_PRIORITY) throw sdfAttributeValueError(el, 'priority', `priority must be between 0 and ${PD_MAX_PRIORITY}`);
  const fpu = parseBoolAttribute(el, 'fpu', true);

  for (const pluginAttribute of pluginAttributes) runPdAttribute(pluginAttribute, el, ctx, draft);

  let programImage: string | undefined;
  let programImageForSymbols: string | undefined;
  let programImageLocation: SourceLocation | undefined;
  let virtualMachine: VirtualMachine | undefined;
  let capMaps: CapMap[] | undefined;
  const children: ProtectionDomainTree[] = [];
  const mapMax = pdMapMaxVaddr(ctx.kernel, stackSize);

  let programImageBroken = false;
  // Each child is checked on its own: an error is recorded and the next child parsed.
  for (const child of childElements(el))
    recover(ctx.diagnostics, () => {
      switch (child.tag) {
        case 'program_image': {
          programImageBroken ||= programImage === undefined;
          checkAttributes(child, ['path', 'path_for_symbols']);
          if (programImage !== undefined) throw sdfValueError(el, 'program_image must only be specified once');
          programImage = requireAttribute(child, 'path');
          programImageBroken = false;
          programImageForSymbols = attribute(child, 'path_for_symbols');
          programImageLocation = child.location;
          break;
        }
        case 'map': {
          const map = parseMap(child, true, mapMax);
          const setvarVaddr = attribute(child, 'setvar_vaddr');
          if (setvarVaddr !== undefined) addSetVar(draft.setvars, child, setvarVaddr, { type: 'constant', value: map.vaddr }, 'setvar_vaddr');
          const setvarSize = attribute(child, 'setvar_size');
          if (setvarSize !== undefined) addSetVar(draft.setvars, child, setvarSize, { type: 'mr_size', mr: map.mr }, 'setvar_size');
          const setvarPrefill = attribute(child, 'setvar_prefill_size');
          if (setvarPrefill !== undefined) {
            addSetVar(draft.setvars, child, setvarPrefill, { type: 'mr_prefill_size', mr: map.mr }, 'setvar_prefill_size');
          }
          draft.maps.push(map);
          break;
        }
        case 'irq':
          draft.irqs.push(parseIrq(child, ctx, draft));
          break;
        case 'setvar': {
          checkAttributes(child, ['symbol', 'region_paddr']);
          const symbol = requireAttribute(child, 'symbol');
          const region = requireAttribute(child, 'region_paddr');
          addSetVar(draft.setvars, child, symbol, { type: 'mr_paddr', mr: region }, 'region_paddr');
          break;
        }
        case 'protection_domain': {
          const sub = parseProtectionDomain(child, ctx, true, domains);
          if (sub.setvarId !== undefined) {
            addSetVar(draft.setvars, child, sub.setvarId, { type: 'constant', value: sub.pd.childId! }, 'setvar_id');
          }
          children.push(sub);
          break;
        }
        case 'virtual_machine': {
          if (!ctx.kernel.hypervisor) {
            throw sdfValueError(el, 'seL4 has not been built as a hypervisor, virtual machines are disabled');
          }
          if (virtualMachine !== undefined) throw sdfValueError(el, 'virtual_machine must only be specified once');
          const { vm, vcpuSetVars } = parseVirtualMachine(child, ctx);
          // Upstream reads a vCPU's setvar_id from the wrong element, so it never
          // takes effect; we honour it as the manual documents.
          for (const { symbol, id } of vcpuSetVars) addSetVar(draft.setvars, child, symbol, { type: 'constant', value: id }, 'setvar_id');
          virtualMachine = vm;
          break;
        }
        case 'cspace': {
          if (capMaps !== undefined) throw sdfValueError(el, 'cspace must only be specified once');
          capMaps = parseCSpace(child);
          break;
        }
        default: {
          const parser = ctx.syntax.findPdElement(child.tag);
          if (parser === undefined) throw sdfInvalidPdElement(child, [...PD_ELEMENTS, ...ctx.syntax.pdElementNames()]);
          parser(child, el, ctx, draft);
        }
      }
    });

  // A broken <program_image> was reported; the model gets a placeholder (validation does not run after parse errors).
  if (programImage === undefined && programImageBroken) programImage = '';
  if (programImage === undefined) {
    throw sdfUnlocatedError('SDF_MISSING_PROGRAM_IMAGE', `Error: missing 'program_image' element on protection_domain: '${name}'`, el.location, {
      label: 'has no <program_image>',
      help: [`add <program_image path="${name}.elf" /> inside it (the path is looked up in the --search-path directories)`],
    });
  }

  const pd: ProtectionDomainTree['pd'] = {
    ...draft,
    name,
    childId,
    priority: Number(priority),
    budget,
    period,
    passive,
    stackSize,
    smc: draft.smc,
    cpu,
    domain,
    fpu,
    programImage,
    programImageForSymbols,
    programImageLocation,
    maps: draft.maps,
    irqs: draft.irqs,
    setvars: draft.setvars,
    capMaps: capMaps ?? [],
    virtualMachine,
    location: el.location,
  };
  return { pd, children, setvarId };
}

function runPdAttribute(name: string, el: XmlElement, ctx: SdfParseContext, draft: ProtectionDomainDraft): void {
  ctx.syntax.findPdAttribute(name)?.(el, attribute(el, name), ctx, draft);
}

/** budget defaults to 1000 µs and period to the budget (PD3); shared with AArch64 VMs. */
export function parseBudgetPeriod(el: XmlElement): { budget: bigint; period: bigint } {
  const budgetText = attribute(el, 'budget');
  const budget = budgetText === undefined ? BUDGET_DEFAULT : parseSdfNumber(el, budgetText);
  const periodText = attribute(el, 'period');
  const period = periodText === undefined ? budget : parseSdfNumber(el, periodText);
  if (budget > period) {
    throw sdfAttributeValueError(el, budgetText === undefined ? 'period' : 'budget', `budget (${budget}) must be less than, or equal to, period (${period})`);
  }
  return { budget, period };
}

function parseDomainAttribute(el: XmlElement, domains: DomainSchedule | undefined): number | undefined {
  if (domains !== undefined) {
    const name = attribute(el, 'domain');
    if (name === undefined) throw sdfMissingAttribute(el, 'domain');
    const domain = domains.domains.find((d) => d.name === name);
    if (domain === undefined) {
      throw sdfValueError(el, `domain '${name}' not declared in <domains>:`, 'SDF_UNKNOWN_DOMAIN', {
        attribute: 'domain',
        help: [
          didYouMean(
            name,
            domains.domains.map((d) => d.name),
          ) ?? `declared domains: ${domains.domains.map((d) => d.name).join(', ')}`,
        ],
      });
    }
    return domain.id;
  }
  const name = attribute(el, 'domain');
  if (name !== undefined) {
    throw sdfValueError(el, `Specifying a domain '${name}' without declaring a domain schedule is not allowed:`);
  }
  return undefined;
}

/**
 * `<irq>`: the id (PC9) and its setvar are common to every form; then the
 * first form whose discriminating attribute is present parses the rest.
 */
function parseIrq(el: XmlElement, ctx: SdfParseContext, draft: ProtectionDomainDraft): Irq {
  const id = parseDecimal(el, requireAttribute(el, 'id'), true);
  if (id > PD_MAX_ID) throw sdfAttributeValueError(el, 'id', `id must be < ${PD_MAX_ID + 1n}`);
  if (id < 0n) throw sdfAttributeValueError(el, 'id', 'id must be >= 0');
  const setvarId = attribute(el, 'setvar_id');
  if (setvarId !== undefined) addSetVar(draft.setvars, el, setvarId, { type: 'constant', value: id }, 'setvar_id');

  const forms = ctx.syntax.irqFormsInOrder();
  for (const form of forms) {
    if (attribute(el, form.discriminator) !== undefined) return form.parser(el, { id }, ctx);
  }
  // No form matched: report the attribute of the first form this
  // architecture supports (upstream: `irq` on ARM/RISC-V, `pin` on x86).
  const supported = forms.find((f) => f.owner !== RESERVING_PLUGIN) ?? forms[0];
  throw sdfMissingAttribute(el, supported?.discriminator ?? 'irq');
}
