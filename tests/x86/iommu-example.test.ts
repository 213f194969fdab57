/**
 * The IOMMU example's program (examples/x86-iommu-dma/dma.c), compiled for
 * the host against a simulation of edu (with QEMU 7.2's bound check) and of
 * an IOMMU that maps only the SDF's <iomap>: its output is the README's,
 * a whole-buffer transfer is what QEMU 7.2 aborts on, and a leaking IOMMU
 * fails the negative check.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../support/paths.js';

const EXAMPLE = join(REPO, 'examples/x86-iommu-dma');
const SIM = join(REPO, 'tests/x86/iommu-example');
const HAS_CC = spawnSync('cc', ['--version']).status === 0;

function compile(source: string): string {
  const out = join(mkdtempSync(join(tmpdir(), 'dma-sim-')), 'sim');
  const r = spawnSync('cc', ['-std=gnu11', '-Wall', '-Werror', '-O1', '-DDMA_HOST_SIMULATION', `-I${SIM}`, source, join(SIM, 'sim.c'), '-o', out], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`cc failed: ${r.stderr}`);
  return out;
}

function run(bin: string, env: Record<string, string> = {}) {
  return spawnSync(bin, [], { encoding: 'utf8', env: { ...process.env, ...env } });
}

/** The `dma:` lines of the README's "Expected output" block. */
function readmeExpected(): string[] {
  const readme = readFileSync(join(EXAMPLE, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Expected output'));
  return section
    .split('\n')
    .filter((l) => /^ {4}dma: /.test(l))
    .map((l) => l.trim());
}

describe.skipIf(!HAS_CC)('the IOMMU example program against simulated edu and IOMMU', () => {
  it("prints exactly the README's expected output, the negative check included", () => {
    const r = run(compile(join(EXAMPLE, 'dma.c')));
    expect(r.status, r.stderr).toBe(0);
    const expected = readmeExpected();
    expect(expected.length).toBeGreaterThanOrEqual(11);
    expect(r.stdout.trimEnd().split('\n')).toEqual(expected);
    // The blocked DMA is the one past the <iomap>; nothing else faults.
    expect(r.stderr.trim()).toBe('IOMMU: DMA write page fault on address 0x1002000');
  });

  it('keeps every edu transfer strictly inside the device buffer: the full 4 KiB is what QEMU 7.2 aborts on', () => {
    const source = readFileSync(join(EXAMPLE, 'dma.c'), 'utf8');
    expect(source).toContain('#define EDU_TRANSFER_SIZE (EDU_DEVICE_BUFFER_SIZE - 8)');
    const whole = join(mkdtempSync(join(tmpdir(), 'dma-4096-')), 'dma.c');
    writeFileSync(whole, source.replace('(EDU_DEVICE_BUFFER_SIZE - 8)', 'EDU_DEVICE_BUFFER_SIZE'));
    const r = run(compile(whole));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      'qemu: hardware error: EDU: DMA range 0x0000000000040000-0x0000000000040fff out of bounds (0x0000000000040000-0x0000000000040fff)!',
    );
  });

  it('fails the negative check when a DMA past the map reaches the buffer', () => {
    const r = run(compile(join(EXAMPLE, 'dma.c')), { SIM_IOMMU_LEAK: '1' });
    expect(r.stdout).toContain('dma: FAIL: a DMA to an unmapped IO address reached the buffer, at offset 0x0000000000000000');
    expect(r.stdout).not.toContain('the IOMMU blocked');
  });
});
