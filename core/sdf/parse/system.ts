/**
 * `<system>`: parse its children in document order, flatten the PD tree,
 * then resolve what refers to PDs by name (channels, cap maps). This is the
 * whole of upstream's element-level checking; whole-system rules run in the
 * validate stage.
 */
import { MicrokitError } from '../../errors/microkit-error.js';
import type { SdfParseContext } from '../context.js';
import { sdfErrorAt, sdfErrorColon, sdfValueError } from '../errors.js';
import { formatLocation } from '../location.js';
import type { Channel, DomainSchedule, MemoryRegion, ProtectionDomain, SystemDescription } from '../model.js';
import type { SystemDraft } from '../syntax.js';
import { childElements, parseXml, type XmlElement } from '../xml.js';
import { parseChannel } from './channel.js';
import { parseDomains } from './domains.js';
import { parseMemoryRegion } from './memory-region.js';
import { parseProtectionDomain, type ProtectionDomainTree } from './protection-domain.js';
import { addSetVar } from './setvar.js';

/** Parse SDF text into a SystemDescription (element-level checks only). */
export function parseSdf(text: string, ctx: SdfParseContext): SystemDescription {
  const { root } = parseXml(text, ctx.file);
  return parseSystemElement(root, ctx);
}

export function parseSystemElement(root: XmlElement, ctx: SdfParseContext): SystemDescription {
  if (root.tag !== 'system') {
    throw sdfErrorColon('SDF_INVALID_ROOT', `the root element must be 'system', found '${root.tag}'`, root.location);
  }
  checkNoText(root);

  const draft: SystemDraft = {};
  const trees: ProtectionDomainTree[] = [];
  const memoryRegions: MemoryRegion[] = [];
  const channelElements: XmlElement[] = [];
  let domainSchedule: DomainSchedule | undefined;

  for (const child of childElements(root)) {
    switch (child.tag) {
      case 'protection_domain':
        trees.push(parseProtectionDomain(child, ctx, false, domainSchedule));
        break;
      case 'memory_region':
        memoryRegions.push(parseMemoryRegion(child, ctx));
        break;
      case 'channel':
        // Channels name PDs, which may come later in the document.
        channelElements.push(child);
        break;
      case 'domains':
        if (domainSchedule !== undefined) throw sdfValueError(child, 'domains must only be specified once');
        domainSchedule = nonEmpty(parseDomains(child, ctx));
        break;
      case 'virtual_machine':
        throw sdfErrorColon('SDF_VM_NOT_IN_PD', 'virtual machine must be a child of a protection domain', child.location);
      default: {
        const parser = ctx.syntax.findSystemElement(child.tag);
        if (parser === undefined) throw sdfErrorColon('SDF_INVALID_ELEMENT', `invalid XML element '${child.tag}'`, child.location);
        parser(child, ctx, draft);
      }
    }
  }

  const protectionDomains = flattenProtectionDomains(trees);
  const pdIndexByName = new Map<string, number>();
  // First PD of a name wins, as upstream's linear search (duplicates are rejected later).
  for (const pd of protectionDomains) if (!pdIndexByName.has(pd.name)) pdIndexByName.set(pd.name, pd.index);

  const channels: Channel[] = [];
  for (const el of channelElements) {
    const ch = parseChannel(el, pdIndexByName);
    for (const end of [ch.a, ch.b]) {
      if (end.setvarId !== undefined) {
        addSetVar(protectionDomains[end.pd].setvars, el, end.setvarId, { type: 'constant', value: end.id }, 'setvar_id');
      }
    }
    channels.push(ch);
  }

  for (const pd of protectionDomains) {
    for (const capMap of pd.capMaps) {
      const target = pdIndexByName.get(capMap.pdName);
      if (target === undefined) throw sdfErrorColon('SDF_UNKNOWN_PD', `unknown PD name '${capMap.pdName}'`, capMap.location);
      capMap.pd = target;
    }
  }

  return {
    ...draft,
    file: ctx.file,
    protectionDomains,
    memoryRegions,
    channels,
    domainSchedule,
    location: root.location,
  } as SystemDescription;
}

/** Upstream treats a `<domains>` that declares no domain as absent. */
function nonEmpty(d: DomainSchedule): DomainSchedule | undefined {
  return d.domains.length > 0 ? d : undefined;
}

/**
 * Non-whitespace text directly inside `<system>` is an error (G5). Upstream
 * names the element only for its first child node; for later text nodes it
 * prints an empty element name, which we spell out as 'system'.
 */
function checkNoText(system: XmlElement): void {
  for (const child of system.children) {
    if (child.kind !== 'text' || child.text.trim() === '') continue;
    const at = child.first ? system.location : child.location;
    throw new MicrokitError('SDF_UNEXPECTED_TEXT', `Error: unexpected text found in element 'system' @ ${formatLocation(at)}`, {
      location: at,
    });
  }
}

/**
 * DFS pre-order flattening (a PD, then its subtree), checking each parent's
 * child ids first (S1, S2), as upstream's pd_tree_to_list.
 */
function flattenProtectionDomains(trees: readonly ProtectionDomainTree[]): ProtectionDomain[] {
  const out: ProtectionDomain[] = [];
  const visit = (tree: ProtectionDomainTree, parent: number | undefined): number => {
    checkChildIds(tree);
    const index = out.length;
    const children: number[] = [];
    const pd: ProtectionDomain = { ...tree.pd, index, parent, children };
    out.push(pd);
    for (const child of tree.children) children.push(visit(child, index));
    return index;
  };
  for (const tree of trees) visit(tree, undefined);
  return out;
}

function checkChildIds(tree: ProtectionDomainTree): void {
  const seen: bigint[] = [];
  const vcpuIds = tree.pd.virtualMachine?.vcpus.map((v) => v.id) ?? [];
  for (const child of tree.children) {
    const id = child.pd.childId!;
    if (seen.includes(id)) {
      throw sdfErrorAt('SDF_DUPLICATE_CHILD_ID', `duplicate id: ${id} in protection domain: '${tree.pd.name}'`, child.pd.location);
    }
    if (vcpuIds.includes(id)) {
      throw sdfErrorAt(
        'SDF_DUPLICATE_CHILD_ID',
        `duplicate id: ${id} clashes with virtual machine vcpu id in protection domain: '${tree.pd.name}'`,
        child.pd.location,
      );
    }
    seen.push(id);
  }
}
