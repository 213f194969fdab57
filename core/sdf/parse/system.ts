/**
 * `<system>`: parse its children in document order, flatten the PD tree,
 * then resolve what refers to PDs by name (channels, cap maps). This is the
 * whole of upstream's element-level checking; whole-system rules run in the
 * validate stage.
 */
import { DependentError, recover, type DiagnosticSink } from '../../diagnostics/sink.js';
import type { SdfParseContext } from '../context.js';
import { sdfErrorAt, sdfErrorColon, sdfUnexpectedText, sdfInvalidSystemElement, sdfUnknownCapMapPd, sdfValueError } from '../errors.js';
import type { Channel, DomainSchedule, MemoryRegion, ProtectionDomain, SystemDescription } from '../model.js';
import type { SystemDraft } from '../syntax.js';
import { attribute, childElements, parseXml, type XmlElement } from '../xml.js';
import { parseChannel } from './channel.js';
import { parseDomains } from './domains.js';
import { parseMemoryRegion } from './memory-region.js';
import { parseProtectionDomain, type ProtectionDomainTree } from './protection-domain.js';
import { addSetVar } from './setvar.js';
import { MAX_PDS, sdfTooManyProtectionDomains } from '../validate/errors.js';

/** Parse SDF text into a SystemDescription (element-level checks only). */
export function parseSdf(text: string, ctx: SdfParseContext): SystemDescription {
  const { root } = parseXml(text, ctx.file);
  return parseSystemElement(root, ctx);
}

export function parseSystemElement(root: XmlElement, ctx: SdfParseContext): SystemDescription {
  if (root.tag !== 'system') {
    throw sdfErrorColon('SDF_INVALID_ROOT', `the root element must be 'system', found '${root.tag}'`, root.location);
  }
  recover(ctx.diagnostics, () => checkNoText(root));
  checkPdNesting(root);

  const draft: SystemDraft = {};
  const trees: ProtectionDomainTree[] = [];
  const memoryRegions: MemoryRegion[] = [];
  const channelElements: XmlElement[] = [];
  let domainSchedule: DomainSchedule | undefined;

  const sink = ctx.diagnostics;
  let domainsBroken = false;
  // Each element is checked on its own: an error is recorded and the next element parsed.
  for (const child of childElements(root)) {
    if (domainsBroken) break; // every later PD's `domain` depends on the schedule
    recover(sink, () => {
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
          domainsBroken = true;
          domainSchedule = nonEmpty(parseDomains(child, ctx));
          domainsBroken = false;
          break;
        case 'virtual_machine':
          throw sdfErrorColon('SDF_VM_NOT_IN_PD', 'virtual machine must be a child of a protection domain', child.location);
        default: {
          const parser = ctx.syntax.findSystemElement(child.tag);
          if (parser === undefined) throw sdfInvalidSystemElement(child, systemElementNames(ctx));
          parser(child, ctx, draft);
        }
      }
    });
  }

  const protectionDomains = flattenProtectionDomains(trees, sink);
  const pdIndexByName = new Map<string, number>();
  // First PD of a name wins, as upstream's linear search (duplicates are rejected later).
  for (const pd of protectionDomains) if (!pdIndexByName.has(pd.name)) pdIndexByName.set(pd.name, pd.index);
  const pdNames = { parsed: pdIndexByName, broken: sink ? brokenPdNames(root, pdIndexByName) : new Set<string>() };

  const channels: Channel[] = [];
  for (const el of channelElements) {
    recover(sink, () => {
      const ch = parseChannel(el, pdNames);
      for (const end of [ch.a, ch.b]) {
        if (end.setvarId !== undefined) {
          addSetVar(protectionDomains[end.pd].setvars, el, end.setvarId, { type: 'constant', value: end.id }, 'setvar_id');
        }
      }
      channels.push(ch);
    });
  }

  for (const pd of protectionDomains) {
    for (const capMap of pd.capMaps) {
      recover(sink, () => {
        const target = pdIndexByName.get(capMap.pdName);
        if (target === undefined) {
          if (pdNames.broken.has(capMap.pdName)) throw new DependentError(`PD '${capMap.pdName}' did not parse`);
          throw sdfUnknownCapMapPd(capMap.pdName, capMap.location, pdIndexByName.keys());
        }
        capMap.pd = target;
      });
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

/** Core `<system>` children and those plugins registered: what an unknown element may have meant. */
function systemElementNames(ctx: SdfParseContext): string[] {
  return ['protection_domain', 'memory_region', 'channel', 'domains', ...ctx.syntax.systemElementNames()];
}

/**
 * Names of `<protection_domain>` elements (at any depth) that did not make
 * it into the model because they failed to parse: what refers to them gets
 * no error of its own.
 */
function brokenPdNames(root: XmlElement, parsed: ReadonlyMap<string, number>): Set<string> {
  const broken = new Set<string>();
  const walk = (el: XmlElement): void => {
    for (const child of childElements(el)) {
      if (child.tag !== 'protection_domain') continue;
      const name = attribute(child, 'name');
      if (name !== undefined && !parsed.has(name)) broken.add(name);
      walk(child);
    }
  };
  walk(root);
  return broken;
}

/** Upstream treats a `<domains>` that declares no domain as absent. */
function nonEmpty(d: DomainSchedule): DomainSchedule | undefined {
  return d.domains.length > 0 ? d : undefined;
}

/**
 * Non-whitespace text directly inside `<system>` is an error (G5). Upstream
 * checks the element's own text (its first child, if that is text: reported
 * at `<system>`), then each text node by itself (its name is '', at its start).
 */
function checkNoText(system: XmlElement): void {
  for (const child of system.children) {
    if (child.kind !== 'text' || child.text.trim() === '') continue;
    throw child.first ? sdfUnexpectedText('system', system.location) : sdfUnexpectedText('', child.location);
  }
}

/**
 * DFS pre-order flattening (a PD, then its subtree), checking each parent's
 * child ids first (S1, S2), as upstream's pd_tree_to_list.
 */
function flattenProtectionDomains(trees: readonly ProtectionDomainTree[], sink: DiagnosticSink | undefined): ProtectionDomain[] {
  const out: ProtectionDomain[] = [];
  const visit = (tree: ProtectionDomainTree, parent: number | undefined): number => {
    recover(sink, () => checkChildIds(tree));
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
  const seen = new Map<bigint, ProtectionDomainTree>();
  const vcpus = tree.pd.virtualMachine?.vcpus ?? [];
  for (const child of tree.children) {
    const id = child.pd.childId!;
    const first = seen.get(id);
    if (first !== undefined) {
      throw sdfErrorAt('SDF_DUPLICATE_CHILD_ID', `duplicate id: ${id} in protection domain: '${tree.pd.name}'`, child.pd.location, {
        attribute: 'id',
        related: [{ location: first.pd.location, attribute: 'id', label: `child '${first.pd.name}' has id ${id}` }],
      });
    }
    const vcpu = vcpus.find((v) => v.id === id);
    if (vcpu !== undefined) {
      throw sdfErrorAt(
        'SDF_DUPLICATE_CHILD_ID',
        `duplicate id: ${id} clashes with virtual machine vcpu id in protection domain: '${tree.pd.name}'`,
        child.pd.location,
        { attribute: 'id', related: [{ location: vcpu.location, attribute: 'id', label: `vcpu ${id}` }] },
      );
    }
    seen.set(id, child);
  }
}

/**
 * PDs nested more than MAX_PDS deep are more than MAX_PDS PDs, upstream's error. It is reported here, with
 * every PD counted without recursion, because parsing such a tree recursively overflows the stack (20,000
 * levels was "internal error: Maximum call stack size exceeded").
 */
function checkPdNesting(root: XmlElement): void {
  let count = 0;
  let deepest = 0;
  const pending: [XmlElement, number][] = [[root, 0]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [el, depth] = next;
    for (const child of childElements(el)) {
      if (child.tag !== 'protection_domain') continue;
      count++;
      deepest = Math.max(deepest, depth + 1);
      pending.push([child, depth + 1]);
    }
  }
  if (deepest > MAX_PDS) throw sdfTooManyProtectionDomains(root, count);
}
