/**
 * `microkit graph` on every example system: the SVG (laid out by Graphviz)
 * has a node for every PD and an edge for every channel; shared regions,
 * IRQs, I/O ports and IOMMU devices appear where the system has them; HTML
 * is one self-contained file; errors are clean.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../conformance/golden.js';
import { cli } from '../support/cli.js';
import { HAS_SHARED, SHARED_SDK } from '../support/paths.js';
import { exampleSystems, graphArgs, sdfFacts } from './support.js';

const env = { MICROKIT_SDK: SHARED_SDK };
const systems = exampleSystems();

describe.skipIf(!HAS_SHARED)('microkit graph', () => {
  it('has example systems to draw', () => {
    expect(systems.length).toBeGreaterThanOrEqual(15);
  });

  it.each(systems.map((r) => [r.system, r] as const))('draws %s', async (_name, run) => {
    const r = await cli(['graph', ...graphArgs(run)], { cwd: EXAMPLES, env });
    expect(r.code, r.stderr).toBe(0);
    const svg = r.stdout;
    expect(svg).toMatch(/^<\?xml[\s\S]*<svg[\s\S]*<\/svg>\s*$/);
    const facts = sdfFacts(run);
    expect(facts.pds.length).toBeGreaterThan(0);
    for (const pd of facts.pds) expect(svg).toContain(`<g id="pd:${pd}" class="node mk_pd">`);
    for (let i = 0; i < facts.channels; i++) expect(svg).toMatch(new RegExp(`<g id="channel:${i}" class="edge mk_(notification|pp)">`));
    expect(svg).not.toContain(`id="channel:${facts.channels}"`);
    const text = readFileSync(join(EXAMPLES, run.system), 'utf8');
    if (/<irq\s/.test(text)) expect(svg).toContain('class="node mk_irq"');
    if (/<ioport\s/.test(text)) expect(svg).toContain('class="node mk_ioport"');
    if (/<io_address_space\s/.test(text)) expect(svg).toMatch(/class="node mk_device"[\s\S]*class="edge mk_iomap"/);
    if (/<virtual_machine\s/.test(text)) expect(svg).toContain('class="node mk_vm"');
  });

  it('writes one self-contained HTML file with the details of every node and edge', async () => {
    const run = systems.find((r) => r.system.includes('iommu'))!;
    const out = join(mkdtempSync(join(tmpdir(), 'mk_graph-')), 'system.html');
    const r = await cli(['graph', ...graphArgs(run), '-o', out], { cwd: EXAMPLES, env });
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/);
    expect(html).toContain('"device:QEMU EDU":["IO address space QEMU EDU"');
  });

  it('writes DOT, and refuses unknown formats and broken systems cleanly', async () => {
    const run = systems[0];
    const dot = await cli(['graph', ...graphArgs(run), '--format', 'dot'], { cwd: EXAMPLES, env });
    expect(dot.stdout).toMatch(/^digraph system \{/);
    const bad = await cli(['graph', ...graphArgs(run), '-o', 'x.png'], { cwd: EXAMPLES, env });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^microkit: error: cannot tell the format of 'x.png'/);
    const dir = mkdtempSync(join(tmpdir(), 'mk_graph-'));
    const missing = await cli(['graph', 'nope.system', '--board', 'qemu_virt_aarch64'], { cwd: dir, env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope.system' does not exist/);
  });
});
