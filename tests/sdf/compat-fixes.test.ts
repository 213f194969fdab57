/**
 * Where upstream crashes or misbehaves on an SDF, we give a clean, located
 * error or deterministic behaviour (docs/compat.md). One test per decision,
 * plus the two upstream fixture files no upstream test uses.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSystem } from '../../core/check.js';
import { isMicrokitError } from '../../core/errors/microkit-error.js';
import type { SystemDescription } from '../../core/sdf/model.js';
import { HAS_SHARED, SHARED } from '../support/paths.js';
import { presetKernel, presetPlugins } from '../support/kernel.js';

async function check(text: string, board = 'qemu_virt_aarch64'): Promise<SystemDescription> {
  return checkSystem(text, { file: 't.system', kernel: presetKernel(board), plugins: presetPlugins(board) });
}

async function error(text: string, board = 'qemu_virt_aarch64'): Promise<string> {
  try {
    await check(text, board);
  } catch (e) {
    expect(isMicrokitError(e), String(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

const pd = (attrs: string, body = '') => `<protection_domain name="p" ${attrs}><program_image path="p.elf"/>${body}</protection_domain>`;
const sys = (...parts: string[]) => `<system>${parts.join('')}</system>`;
const first = (message: string) => message.split('\n')[0];

describe.skipIf(!HAS_SHARED)('upstream fixtures no upstream test uses', () => {
  const dir = join(SHARED, 'conformance/sdf-unit/systems');
  it('vm_invalid_vcpu_cpu.system: upstream panics on cpu 300; we name the range', async () => {
    const msg = await error(readFileSync(join(dir, 'vm_invalid_vcpu_cpu.system'), 'utf8'));
    expect(msg).toBe("Error: cpu core must be less than 1, got 300 on element 'vcpu': t.system:10:13");
  });
  it('ch_missing_pd.system: an end without pd', async () => {
    const msg = await error(readFileSync(join(dir, 'ch_missing_pd.system'), 'utf8'));
    expect(msg).toBe("Error: Missing required attribute 'pd' on element 'end': t.system:15:9");
  });
});

describe('clean errors where upstream crashes', () => {
  it('decimal-only attributes reject hex with a located number error', async () => {
    const msg = await error(sys(pd('', '<irq irq="0x21" id="1"/>')));
    expect(msg.split('\n')[0]).toBe(
      "Error: failed to parse integer '0x21' on element 'irq': invalid digit found in string (this attribute takes a decimal number)",
    );
    expect(msg.split('\n')[1]).toBe('  --> t.system:1:67');
  });

  it('PD cpu above 255', async () => {
    expect(await error(sys(pd('cpu="300"')), 'qemu_virt_aarch64')).toBe(
      "Error: cpu core must be less than 1, got 300 on element 'protection_domain': t.system:1:9",
    );
  });

  it('child ids beyond the child-TCB range', async () => {
    const text = sys(pd('', '<protection_domain name="c" id="64"><program_image path="c.elf"/></protection_domain>'));
    expect(await error(text)).toBe("Error: id must be < 64 on element 'protection_domain': t.system:1:67");
    const ok = await check(text.replace('id="64"', 'id="63"'));
    expect(ok.protectionDomains[1].childId).toBe(63n);
  });

  it('cap map slots the 64-slot root CNode cannot hold', async () => {
    const text = sys(pd('', '<cspace><cap_tcb slot="64" pd="p"/></cspace>'));
    expect(await error(text)).toBe("Error: There are only 64 destination cspace slots available. on element 'cap_tcb': t.system:1:75");
  });

  // Upstream's first lines for these documents (its build printed them): our refusals above come after its own rules.
  it('upstream rules first: a child without a program image, a slot above 127, a channel with one end', async () => {
    expect(first(await error(sys(pd('', '<protection_domain name="c" id="64"/>'))))).toBe("Error: missing 'program_image' element on protection_domain: 'c'");
    expect(first(await error(sys(pd('', '<cspace><cap_tcb slot="200" pd="p"/></cspace>'))))).toBe(
      "Error: There are only 128 destination cspace slots available. on element 'cap_tcb': t.system:1:75",
    );
    expect(first(await error(sys(pd('', '<cspace><cap_tcb slot="100" pd="p"/></cspace>'), '<channel><end pd="p" id="1"/></channel>')))).toBe(
      "Error: exactly two end elements must be specified on element 'channel': t.system:1:132",
    );
  });

  it('a region_paddr naming no memory region', async () => {
    const text = sys(pd('', '<setvar symbol="x" region_paddr="nope"/>'));
    expect(await error(text)).toBe("Error: setvar on symbol 'x' names an unknown memory region 'nope' in 'region_paddr' @ t.system:1:67");
  });

  it('a memory region of size 0', async () => {
    expect(await error(sys('<memory_region name="m" size="0"/>', pd('')))).toBe("Error: size must be greater than 0 on element 'memory_region': t.system:1:9");
  });

  it('a memory region of size 0 is refused after every rule upstream checks (it accepts the region, then crashes)', async () => {
    const empty = '<memory_region name="m" size="0"/>';
    // Upstream's first line for this document (its build printed it): the map's attribute, later in the file.
    expect(await error(sys(empty, pd('', '<map mr="m" vaddr="0x400000" bogus="1"/>')))).toBe(
      "Error: invalid attribute 'bogus' on element 'map': t.system:1:101",
    );
    // Mapped (upstream crashes while building) or not (upstream builds): ours says what is wrong, either way.
    expect(await error(sys(empty, pd('', '<map mr="m" vaddr="0x400000" perms="rw"/>')))).toBe(
      "Error: size must be greater than 0 on element 'memory_region': t.system:1:9",
    );
  });

  it('a root element other than system', async () => {
    expect(await error('<sistem/>')).toBe("Error: the root element must be 'system', found 'sistem': t.system:1:1");
  });

  // Upstream's lookups (roxmltree's attribute("name")) see only attributes without a namespace prefix; its
  // allowed-attribute check sees every local name. Texts as upstream's build printed them for these documents.
  it('a prefixed attribute is not the attribute of that name, but is checked against the allowed names', async () => {
    const ns = (attrs: string) => `<system xmlns:a="u"><protection_domain ${attrs}><program_image path="p.elf"/></protection_domain></system>`;
    expect(await error(ns('a:name="hello"'))).toBe("Error: Missing required attribute 'name' on element 'protection_domain': t.system:1:21");
    expect(await error(ns('name="hello" a:foo="1"'))).toBe("Error: invalid attribute 'foo' on element 'protection_domain': t.system:1:21");
    const system = await check(ns('a:name="x" name="hello" a:priority="300"'));
    expect(system.protectionDomains.map((p) => [p.name, p.priority])).toEqual([['hello', 0]]);
  });

  it('malformed XML is located', async () => {
    const msg = await error('<system>\n  <protection_domain name="a">\n</system>');
    expect(msg).toMatch(/^Could not parse 't\.system': .* at 3:\d+$/);
  });

  it('x86 VMs have exactly one vCPU', async () => {
    const text = sys(pd('', '<virtual_machine name="vm"><vcpu id="0"/><vcpu id="1"/></virtual_machine>'));
    expect(await error(text, 'x86_64_generic_vtx')).toBe(
      "Error: virtual machine 'vm' has 2 vCPUs but x86-64 virtual machines have exactly one @ t.system:1:67",
    );
  });

  it('AArch64 VM priority is range-checked', async () => {
    const text = sys(pd('', '<virtual_machine name="vm" priority="300"><vcpu id="0"/></virtual_machine>'));
    expect(await error(text)).toBe("Error: priority must be between 0 and 254 on element 'virtual_machine': t.system:1:67");
  });
});

describe('deterministic where upstream is not', () => {
  it('auto domain ids in document order, lowest free id first', async () => {
    const doms =
      '<domains><domain name="c"/><domain name="a" id="0"/><domain name="b"/><domain_schedule><schedule_entry domain="a" duration="1 us"/></domain_schedule></domains>';
    const s = await check(sys(doms, pd('domain="b"')));
    expect(s.domainSchedule?.domains).toEqual([
      { name: 'c', id: 1 },
      { name: 'a', id: 0 },
      { name: 'b', id: 2 },
    ]);
    expect(s.protectionDomains[0].domain).toBe(2);
  });

  it('no auto id equals NUM_DOMAINS (upstream allows 17 of 16)', async () => {
    const names = Array.from({ length: 17 }, (_, i) => `<domain name="d${i}"/>`).join('');
    const doms = `<domains>${names}<domain_schedule><schedule_entry domain="d0" duration="1 us"/></domain_schedule></domains>`;
    expect(await error(sys(doms, pd('domain="d0"')))).toBe("Error: Number of domains exceeds 16 on element 'domains': t.system:1:9");
  });

  it('the first clashing cap-map slot in document order is reported', async () => {
    const caps = '<cspace><cap_tcb slot="9" pd="p"/><cap_sc slot="5" pd="p"/><cap_vspace slot="9" pd="p"/><cap_tcb slot="5" pd="p"/></cspace>';
    const msg = await error(sys(pd('', caps)));
    expect(msg.split('\n')[0]).toBe("Error: overlapping user caps in slot 9 of protection domain 'p':");
    expect(msg.split('\n').slice(1)).toEqual(["  type Tcb from 'p' at 't.system:1:75'", "  type VSpace from 'p' at 't.system:1:126'"]);
  });

  it('vCPU setvar_id is honoured', async () => {
    const text = sys(pd('', '<virtual_machine name="vm"><vcpu id="3" setvar_id="vcpu_id"/></virtual_machine>'));
    const s = await check(text);
    expect(s.protectionDomains[0].setvars).toEqual([expect.objectContaining({ symbol: 'vcpu_id', value: { type: 'constant', value: 3n } })]);
  });
});

// Each first line as upstream's build printed it for the same document (roxmltree's text nodes: split by
// comments and PIs, CDATA merged; the element's own text is reported at <system>, a later text node as element '').
describe('text inside <system>, reported as upstream reports it', () => {
  const PD = '<protection_domain name="hello"><program_image path="hello.elf"/></protection_domain>';
  it.each([
    [`<system>x${PD}</system>`, "Error: unexpected text found in element 'system' @ t.system:1:1"],
    [`<system>${PD}<!-- c -->x</system>`, "Error: unexpected text found in element '' @ t.system:1:104"],
    [`<system>${PD} <!-- c -->y</system>`, "Error: unexpected text found in element '' @ t.system:1:105"],
    [`<system>${PD} <?pi?>y</system>`, "Error: unexpected text found in element '' @ t.system:1:101"],
    [`<system><!--c-->x${PD}</system>`, "Error: unexpected text found in element '' @ t.system:1:17"],
    [`<system> <?p?> x${PD}</system>`, "Error: unexpected text found in element '' @ t.system:1:15"],
    [`<system>${PD}<![CDATA[x]]></system>`, "Error: unexpected text found in element '' @ t.system:1:94"],
    [`<system>${PD} <![CDATA[]]><!--c-->z</system>`, "Error: unexpected text found in element '' @ t.system:1:115"],
    [`<system>\r\n  ${PD}\r\n  <?p x?>\r\n  y\r\n</system>\r\n`, "Error: unexpected text found in element '' @ t.system:3:10"],
    [`<?xml version="1.0"?>\n<!-- top -->\n<system>\n  &#x41;\n  ${PD}\n</system>\n`, "Error: unexpected text found in element 'system' @ t.system:3:1"],
  ])('%#', async (text, first) => {
    expect((await error(text)).split('\n')[0]).toBe(first);
  });

  it('accepts whitespace, however split', async () => {
    await check(`\ufeff<system> <!--c--> ${PD} <?p?> <![CDATA[ ]]> <!--d--> </system>`);
  });
});

describe('an <irq> of no known form names the attribute upstream names', () => {
  // Upstream's first lines (its build printed them): the first form the architecture has.
  it.each([
    ['x86_64_generic', 'pin'],
    ['qemu_virt_aarch64', 'irq'],
    ['qemu_virt_riscv64', 'irq'],
  ])('%s: %s', async (board, attribute) => {
    const text = sys(pd('', '<irq id="0" trigger="edge"/>'));
    expect(await error(text, board)).toBe(`Error: Missing required attribute '${attribute}' on element 'irq': t.system:1:67`);
  });
});
