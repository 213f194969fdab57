import { describe, expect, it } from 'vitest';
import { EM_AARCH64, EM_RISCV, PT_LOAD, SHT_PROGBITS, SHT_STRTAB, loadableSegments, parseElf, segmentData } from '../../core/elf/index.js';
import { buildLoaderImage } from '../../plugins/loader-image/index.js';
import { readelf } from '../elf/helpers.js';
import { aarch64Input, kernelElf, microkitError, referenceCrc32, riscv64Input, riscvLoaderElf, RISCV64_KERNEL } from './fixtures.js';
import { parseLoaderImage, sameBytes } from './golden-image.js';

describe('loader ELF output', () => {
  const binary = buildLoaderImage(aarch64Input());
  const elfBytes = buildLoaderImage(aarch64Input({ imageType: 'elf' }));
  const HEADERS = 64 + 56 + 3 * 64;

  it('is one RWX PT_LOAD at the loader entry holding the binary image', () => {
    expect(elfBytes.length).toBe(HEADERS + binary.length + 1);
    const elf = parseElf(elfBytes, undefined, { requireSymbols: false });
    expect(elf.header).toMatchObject({
      type: 2,
      machine: EM_AARCH64,
      version: 1,
      entry: 0x70000000n,
      phoff: 64n,
      shoff: 120n,
      flags: 0,
      osabi: 0,
      ehsize: 64,
      phentsize: 56,
      phnum: 1,
      shentsize: 64,
      shnum: 3,
      shstrndx: 2,
    });
    expect(elf.programHeaders).toEqual([
      {
        index: 0,
        type: PT_LOAD,
        flags: 7,
        offset: BigInt(HEADERS),
        vaddr: 0x70000000n,
        paddr: 0x70000000n,
        filesz: BigInt(binary.length),
        memsz: BigInt(binary.length),
        align: 0n,
      },
    ]);
    expect(sameBytes(segmentData(elf, loadableSegments(elf)[0]), binary)).toBe(true);
  });

  it("has upstream's section headers (PROGBITS flagged 0x3, a 1-byte STRTAB last)", () => {
    const elf = parseElf(elfBytes, undefined, { requireSymbols: false });
    expect(elf.sections.map((s) => ({ ...s }))).toEqual([
      { index: 0, name: '', type: 0, flags: 0n, addr: 0n, offset: 0n, size: 0n, link: 0, info: 0, addralign: 0n, entsize: 0n },
      {
        index: 1,
        name: '',
        type: SHT_PROGBITS,
        flags: 3n,
        addr: 0x70000000n,
        offset: BigInt(HEADERS),
        size: BigInt(binary.length),
        link: 0,
        info: 0,
        addralign: 0n,
        entsize: 0n,
      },
      {
        index: 2,
        name: '',
        type: SHT_STRTAB,
        flags: 0n,
        addr: 0n,
        offset: BigInt(HEADERS + binary.length),
        size: 1n,
        link: 0,
        info: 0,
        addralign: 0n,
        entsize: 0n,
      },
    ]);
    expect(elfBytes[elfBytes.length - 1]).toBe(0);
  });

  it('takes e_machine from the kernel', () => {
    const elf = parseElf(buildLoaderImage(riscv64Input({ imageType: 'elf' })), undefined, { requireSymbols: false });
    expect(elf.header.machine).toBe(EM_RISCV);
    expect(elf.header.entry).toBe(0x90000000n);
  });

  it('is accepted by readelf', () => {
    const out = readelf(elfBytes, ['-h', '-l', '-S', '-W']);
    if (!out) return;
    expect(out.stderr).toBe('');
    expect(out.stdout).toMatch(/Type:\s+EXEC/);
    expect(out.stdout).toMatch(/Machine:\s+AArch64/);
    expect(out.stdout).toMatch(/Entry point address:\s+0x70000000/);
    expect(out.stdout).toMatch(/LOAD\s+0x000138 0x0000000070000000 0x0000000070000000 0x[0-9a-f]+ 0x[0-9a-f]+ RWE 0/);
    expect(out.stdout).toMatch(/\[ 1\]\s+PROGBITS\s+0000000070000000 000138/);
  });
});

describe('uImage output', () => {
  const binary = buildLoaderImage(riscv64Input());
  const uimage = buildLoaderImage(riscv64Input({ imageType: 'uimage' }));
  const be = new DataView(uimage.buffer, uimage.byteOffset, uimage.byteLength);

  it('wraps the binary image in a Linux RISC-V image header', () => {
    expect(uimage.length).toBe(64 + 64 + binary.length);
    expect(sameBytes(uimage.subarray(128), binary)).toBe(true);
    const lh = uimage.subarray(64, 128);
    const le = new DataView(lh.buffer, lh.byteOffset, 64);
    expect(le.getUint32(0, true)).toBe(0); // code0
    expect(le.getUint32(4, true)).toBe(0); // code1
    expect(le.getBigUint64(8, true)).toBe(0n); // text_offset
    expect(le.getBigUint64(16, true)).toBe(BigInt(binary.length)); // image_size
    expect(le.getBigUint64(24, true)).toBe(0n); // flags
    expect(le.getUint32(32, true)).toBe(2); // version 0.2
    expect(Buffer.from(lh.subarray(48, 56)).toString('latin1')).toBe('RISCV\0\0\0');
    expect(Buffer.from(lh.subarray(56, 60)).toString('latin1')).toBe('RSC\x05');
    expect(lh.subarray(36, 48).every((b) => b === 0) && lh.subarray(60).every((b) => b === 0)).toBe(true);
  });

  it('has a valid U-Boot legacy header', () => {
    expect(be.getUint32(0)).toBe(0x27051956);
    expect(be.getUint32(8)).toBe(0); // time
    expect(be.getUint32(12)).toBe(64 + binary.length);
    expect(be.getUint32(16)).toBe(0x90000000 - 64); // load
    expect(be.getUint32(20)).toBe(0x90000000); // entry
    expect(be.getUint32(24)).toBe(referenceCrc32(uimage.subarray(64)));
    expect([uimage[28], uimage[29], uimage[30], uimage[31]]).toEqual([5, 26, 2, 0]);
    expect(Buffer.from(uimage.subarray(32, 64)).toString('latin1')).toBe('seL4 Microkit'.padEnd(32, '\0'));
    const header = Uint8Array.from(uimage.subarray(0, 64));
    new DataView(header.buffer).setUint32(4, 0);
    expect(be.getUint32(4)).toBe(referenceCrc32(header));
  });

  it('is parsed back by the golden-image reader', () => {
    const parsed = parseLoaderImage(uimage);
    expect(parsed.kind).toBe('uimage');
    expect(parsed.header.uiPRegStart).toBe(0x80400000n);
    expect(parsed.regions[0].loadAddr).toBe(RISCV64_KERNEL.paddr);
  });

  it('rejects a loader linked above 4 GiB', () => {
    const high = riscv64Input({ imageType: 'uimage', loaderElf: riscvLoaderElf({ base: 0x100000000n }), outputPath: 'build/loader.img' });
    const e = microkitError(() => buildLoaderImage(high));
    expect(e.code).toBe('LOADER_UIMAGE');
    expect(e.message).toBe("ERROR: Could not create 'build/loader.img': Loader link address 0x100000000 cannot be above 4G for uImage.");
    // The binary and ELF forms do not have that limit.
    expect(buildLoaderImage({ ...high, imageType: 'binary' }).length).toBeGreaterThan(0);
  });

  it('is not available on AArch64', () => {
    const e = microkitError(() => buildLoaderImage(aarch64Input({ imageType: 'uimage' })));
    expect(e.code).toBe('LOADER_IMAGE_TYPE');
    expect(e.message).toContain("'uimage' is unsupported");
  });

  it('changes with the payload (CRC covers the data)', () => {
    const other = buildLoaderImage(
      riscv64Input({
        imageType: 'uimage',
        kernelElf: kernelElf([{ ...RISCV64_KERNEL, data: new Uint8Array(0x80).fill(1) }], RISCV64_KERNEL.vaddr, EM_RISCV),
      }),
    );
    expect(new DataView(other.buffer).getUint32(24)).not.toBe(be.getUint32(24));
  });
});
