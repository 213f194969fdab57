/**
 * `microkit inspect` through the CLI, on images this tool builds: the ELF
 * image type (no golden dump of its own: everything but the container must
 * equal the binary image's golden dump), a prefill in a 2 MiB page (a
 * non-embedded frame whose data is deflated, which no golden run has), the
 * summary, and clean failures.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePlainJson } from '../../core/util/json-plain.js';
import type { PlainJson } from '../../core/util/json-plain.js';
import { EXAMPLES } from '../conformance/golden.js';
import { cli } from '../support/cli.js';
import { HAS_SHARED, SHARED_SDK } from '../support/paths.js';
import { semantic } from './support.js';

const env = { MICROKIT_SDK: SHARED_SDK };
const GOLDEN = join(EXAMPLES, 'golden');

function withoutImage(dump: PlainJson): PlainJson {
  const { image: _image, ...rest } = semantic(dump) as { [k: string]: PlainJson };
  return rest;
}

describe.skipIf(!HAS_SHARED)('microkit inspect', () => {
  it('reads an ELF loader image this tool wrote like the binary image of the same system', async () => {
    const out = mkdtempSync(join(tmpdir(), 'mk-inspect-'));
    const run = join(GOLDEN, 'qemu_virt_aarch64/debug/hello');
    const build = await cli(
      [
        'systems/hello/hello.system',
        '--board',
        'qemu_virt_aarch64',
        '--config',
        'debug',
        '--search-path',
        'golden/qemu_virt_aarch64/debug/hello/imgs',
        'systems/hello',
        '--image-type',
        'elf',
        '-o',
        join(out, 'loader.elf'),
        '-r',
        join(out, 'report.txt'),
      ],
      { cwd: EXAMPLES, env },
    );
    expect(build.code, build.stderr).toBe(0);
    const r = await cli(['inspect', join(out, 'loader.elf'), '--board', 'qemu_virt_aarch64', '--config', 'debug', '--json'], { cwd: out, env });
    expect(r.code, r.stderr).toBe(0);
    const ours = parsePlainJson(r.stdout) as { image: { kind: string; arch: string } };
    expect(ours.image.kind).toBe('elf');
    expect(ours.image.arch).toBe('aarch64');
    expect(withoutImage(ours)).toEqual(withoutImage(parsePlainJson(readFileSync(join(run, 'image-dump.json'), 'utf8'))));
  });

  it('decodes deflated data of a prefilled 2 MiB page and hashes what the initialiser will see', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mk-inspect-'));
    const fill = readFileSync(join(EXAMPLES, 'systems/mr_prefill/fill.bin'));
    writeFileSync(join(dir, 'fill.bin'), fill);
    writeFileSync(
      join(dir, 'big.system'),
      `<?xml version="1.0" encoding="UTF-8"?>
<system>
    <memory_region name="prefilled" size="0x200000" page_size="0x200000" prefill_path="fill.bin" />
    <protection_domain name="mr_prefill" priority="100">
        <program_image path="mr_prefill.elf" />
        <map mr="prefilled" vaddr="0x20000000" setvar_vaddr="filled_mr" setvar_prefill_size="filled_mr_data_size"/>
    </protection_domain>
</system>
`,
    );
    const imgs = join(GOLDEN, 'qemu_virt_aarch64/debug/mr_prefill/imgs');
    const build = await cli(
      ['big.system', '--board', 'qemu_virt_aarch64', '--config', 'debug', '--search-path', imgs, '-o', 'loader.img', '-r', 'report.txt'],
      { cwd: dir, env },
    );
    expect(build.code, build.stderr).toBe(0);
    const r = await cli(['inspect', 'loader.img', '--board', 'qemu_virt_aarch64', '--config', 'debug', '--json', '-o', 'dump.json'], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    const dump = parsePlainJson(readFileSync(join(dir, 'dump.json'), 'utf8')) as {
      checks: { errors: string[] };
      spec: { objects: { name: string; object: { Frame?: { size_bits: bigint; content_sha256: string; init: { Fill?: { entries: PlainJson[] } } } } }[] };
    };
    expect(dump.checks.errors).toEqual([]);
    const frame = dump.spec.objects.find((o) => o.object.Frame?.size_bits === 21n)!.object.Frame!;
    const data = (frame.init.Fill!.entries[0] as { content: { Data: { len: bigint; sha256: string; layout: { encoding: string } } } }).content.Data;
    expect(data.layout.encoding).toBe('deflate');
    expect(data.len).toBe(BigInt(fill.length));
    expect(data.sha256).toBe(createHash('sha256').update(fill).digest('hex'));
    const page = Buffer.alloc(0x200000);
    fill.copy(page);
    expect(frame.content_sha256).toBe(createHash('sha256').update(page).digest('hex'));
  });

  it('summarises regions, objects, threads, maps and caps', async () => {
    const img = join(GOLDEN, 'qemu_virt_aarch64/debug/passive_server/loader.img');
    const r = await cli(['inspect', img, '--board', 'qemu_virt_aarch64', '--config', 'debug'], { cwd: EXAMPLES, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Image: .*\(binary, aarch64, /);
    expect(r.stdout).toMatch(/initialiser \(spec\)/);
    expect(r.stdout).toMatch(/^ {2}Frame +\d+ +\S+/m);
    expect(r.stdout).toMatch(/^ {2}server: priority \d+ /m);
    expect(r.stdout).toMatch(/^ {2}client: priority/m);
    expect(r.stdout).toMatch(/address space \S+: \d+ mappings/);
    expect(r.stdout).toMatch(/Checks: 0 integrity errors/);
  });

  it('summarises IO spaces with their IO maps, and I/O ports', async () => {
    const img = join(GOLDEN, 'x86_64_generic/debug/x86_64_iommu_dma_test/loader.img');
    const r = await cli(['inspect', img, '--board', 'x86_64_generic', '--config', 'debug'], { cwd: EXAMPLES, env });
    expect(r.code, r.stderr).toBe(0);
    // The SDF maps dma_buffer at iovaddr 0x100000 for PCI device 00:04.0, and gives the PD ports 0xcf8..0xcff.
    expect(r.stdout).toMatch(/^ {2}iospace_QEMU EDU: PCI 00:04\.0, domain 1, 1 IO maps\n {4}0x100000 +4 KiB +RW- uncached +frame_mr_dma_buffer_000000000$/m);
    expect(r.stdout).toMatch(/^ {2}ioports_0xcf8_\S+: 0xcf8\.\.0xcff/m);
    expect(r.stdout).toMatch(/^ {2}IOSpace +1 +0 bytes$/m);
  });

  it('exits 3 when the image fails an integrity check against the SDK', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mk-inspect-'));
    const bytes = new Uint8Array(readFileSync(join(GOLDEN, 'qemu_virt_aarch64/debug/hello/loader.img')));
    bytes[0x8000 + 64 + 7 * 32 + 100] ^= 0xff; // a byte of the kernel region
    writeFileSync(join(dir, 'bad.img'), bytes);
    const r = await cli(['inspect', 'bad.img', '--board', 'qemu_virt_aarch64', '--config', 'debug'], { cwd: dir, env });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/integrity error.*kernel region 0 differs/);
    expect(r.stdout).toMatch(/error: kernel region 0 differs/);
  });

  it.each([
    [['inspect', 'missing.img'], /^microkit: error: could not read image 'missing.img': no such file or directory$/m],
    // A device is refused, not read forever.
    [['inspect', '/dev/zero'], /^microkit: error: could not read image '\/dev\/zero': not a regular file$/m],
    [['inspect', '.'], /^microkit: error: could not read image '.': is a directory$/m],
    [['inspect', 'golden/qemu_virt_aarch64/debug/hello/report.txt'], /^microkit: error: '.*report.txt': no Microkit loader header/],
    [['inspect', 'golden/qemu_virt_aarch64/debug/hello/loader.img', '--board', 'qemu_virt_aarch64'], /^microkit: error: --board and --config go together/],
    [['inspect', 'golden/qemu_virt_aarch64/debug/hello/loader.img', '--board', 'nope', '--config', 'debug'], /^microkit: error: the SDK has no board 'nope'/],
    [['inspect', 'golden/qemu_virt_aarch64/debug/hello/loader.img', '--arch', 'mips'], /^microkit: error: unknown architecture 'mips'/],
  ])('fails cleanly: %j', async (argv, message) => {
    const r = await cli(argv, { cwd: EXAMPLES, env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/internal error|at .*\.ts:/);
  });
});
