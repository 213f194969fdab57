/*
 * The `dma` PD: DMA through the IOMMU with QEMU's `edu` PCI device.
 *
 * 1. Find the device in PCI configuration space (I/O ports 0xcf8/0xcfc),
 *    check its BAR0 is where the SDF assumes, enable memory decoding and
 *    bus mastering (QEMU drops a device's DMA until bus mastering is on).
 * 2. Check the device over MMIO: identification and liveness registers.
 * 3. Write a pattern into page 0 of the DMA buffer, DMA it from RAM into
 *    the device's internal buffer (device address 0x40000), then DMA the
 *    device buffer back into page 1 of the DMA buffer, and compare.
 * 4. The negative check: DMA from the device to an IO address just past the
 *    buffer's <iomap>, which no IO page maps. The IOMMU must block it (a
 *    debug seL4 prints an "IOMMU: DMA write page fault"), so neither page
 *    of the buffer may change.
 *
 * Every transfer ends strictly inside the device's 4 KiB buffer: QEMU up to
 * 7.2 rejects a range that ends exactly at its end (an off-by-one in edu's
 * bound check, fixed in later QEMU) with "EDU: DMA range ... out of bounds"
 * and aborts, so transfers are EDU_TRANSFER_SIZE = 4088 bytes, not 4096.
 *
 * The device only ever sees IO virtual addresses (DMA_BUFFER_IOVA): the
 * IOMMU translates them with the IO page tables built from the SDF. The
 * edu device's internal buffer is not readable over MMIO (QEMU answers
 * all-ones there), so the round trip back to RAM is how we read it.
 *
 * Build with a real Microkit SDK and an x86-64 cross compiler:
 *   make MICROKIT_SDK=/path/to/microkit-sdk
 * The committed dma.elf is a stub image with the same symbols (make-stub.mjs)
 * so the example builds with the TypeScript tool without a compiler.
 */
#include <stdint.h>
#include <stdbool.h>
#include <microkit.h>

/* Patched by the Microkit tool: see the setvar attributes in x86-iommu-dma.system. */
seL4_Word edu_regs_vaddr;
seL4_Word dma_buffer_vaddr;
seL4_Word dma_buffer_size;
seL4_Word edu_bar0_paddr;
seL4_Word pci_config_ioport;

/*
 * The DMA buffer's IO virtual address. There is no setvar for an IO address,
 * so this constant must equal the iovaddr of the buffer's <iomap> in
 * x86-iommu-dma.system.
 */
#define DMA_BUFFER_IOVA 0x1000000UL

/* PCI location of the device (QEMU: -device edu,bus=pcie.0,addr=0x04.0; SDF peripheral_id="0:4.0"). */
#define EDU_PCI_BUS 0
#define EDU_PCI_DEV 4
#define EDU_PCI_FN 0
#define EDU_VENDOR_DEVICE 0x11e81234u /* device 0x11e8, vendor 0x1234 (QEMU) */

/* PCI configuration mechanism #1. */
#define PCI_CONFIG_ADDRESS 0xcf8
#define PCI_CONFIG_DATA 0xcfc
#define PCI_REG_ID 0x00
#define PCI_REG_COMMAND 0x04
#define PCI_REG_BAR0 0x10
#define PCI_COMMAND_MEMORY 0x2
#define PCI_COMMAND_MASTER 0x4

/* edu registers (offsets into BAR0). 32-bit below 0x80; the DMA registers take 32- or 64-bit accesses. */
#define EDU_REG_ID 0x00      /* 0xRRrr00ed: major RR, minor rr */
#define EDU_REG_LIVENESS 0x04 /* reads back the bitwise inverse of what was written */
#define EDU_REG_DMA_SRC 0x80
#define EDU_REG_DMA_DST 0x88
#define EDU_REG_DMA_COUNT 0x90
#define EDU_REG_DMA_CMD 0x98
#define EDU_DMA_START 0x1
#define EDU_DMA_TO_RAM 0x2 /* direction: device buffer -> RAM; clear: RAM -> device buffer */
#define EDU_DMA_IRQ 0x4    /* raise an interrupt when done (not used: we poll) */

/* The device's internal DMA buffer, in its own DMA address space. */
#define EDU_DEVICE_BUFFER 0x40000UL
#define EDU_DEVICE_BUFFER_SIZE 0x1000UL
/* One 8-byte word short of the device buffer: see the note at the top (QEMU <= 7.2's bound check). */
#define EDU_TRANSFER_SIZE (EDU_DEVICE_BUFFER_SIZE - 8)

#define PAGE_SIZE 0x1000UL
/* What page 1 holds before the negative check: a DMA that got through would overwrite it. */
#define CANARY 0xa5
/* QEMU completes a DMA about 100 ms (virtual time) after the command; give up long after that. */
#define DMA_POLL_LIMIT 200000000UL

/* The test pattern: differs per page offset and per 256-byte block. */
static uint8_t pattern(uint64_t i)
{
    return (uint8_t)((i * 7 + 3) ^ (i >> 8));
}

static void put_hex(uint64_t value)
{
    char text[19];
    text[0] = '0';
    text[1] = 'x';
    for (int i = 0; i < 16; i++) {
        unsigned nibble = (value >> (60 - 4 * i)) & 0xf;
        text[2 + i] = nibble < 10 ? '0' + nibble : 'a' + nibble - 10;
    }
    text[18] = '\0';
    microkit_dbg_puts(text);
}

static void say(const char *text, uint64_t value)
{
    microkit_dbg_puts("dma: ");
    microkit_dbg_puts(text);
    put_hex(value);
    microkit_dbg_puts("\n");
}

static uint32_t pci_config_address(uint32_t reg)
{
    return 0x80000000u | (EDU_PCI_BUS << 16) | (EDU_PCI_DEV << 11) | (EDU_PCI_FN << 8) | (reg & 0xfc);
}

static uint32_t pci_config_read(uint32_t reg)
{
    microkit_x86_ioport_write_32(pci_config_ioport, PCI_CONFIG_ADDRESS, pci_config_address(reg));
    return microkit_x86_ioport_read_32(pci_config_ioport, PCI_CONFIG_DATA);
}

static void pci_config_write(uint32_t reg, uint32_t value)
{
    microkit_x86_ioport_write_32(pci_config_ioport, PCI_CONFIG_ADDRESS, pci_config_address(reg));
    microkit_x86_ioport_write_32(pci_config_ioport, PCI_CONFIG_DATA, value);
}

#ifdef DMA_HOST_SIMULATION
/* tests/x86/iommu-example: the host simulation of edu and the IOMMU provides the register accesses. */
uint32_t edu_read32(uint64_t reg);
void edu_write32(uint64_t reg, uint32_t value);
uint64_t edu_read64(uint64_t reg);
void edu_write64(uint64_t reg, uint64_t value);
#else
static uint32_t edu_read32(uint64_t reg)
{
    return *(volatile uint32_t *)(edu_regs_vaddr + reg);
}

static void edu_write32(uint64_t reg, uint32_t value)
{
    *(volatile uint32_t *)(edu_regs_vaddr + reg) = value;
}

static uint64_t edu_read64(uint64_t reg)
{
    return *(volatile uint64_t *)(edu_regs_vaddr + reg);
}

static void edu_write64(uint64_t reg, uint64_t value)
{
    *(volatile uint64_t *)(edu_regs_vaddr + reg) = value;
}
#endif

/* One DMA transfer; true when the device finished it. */
static bool edu_dma(uint64_t src, uint64_t dst, uint64_t count, uint64_t command)
{
    /* Our buffer writes must be visible before the device starts reading. */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    edu_write64(EDU_REG_DMA_SRC, src);
    edu_write64(EDU_REG_DMA_DST, dst);
    edu_write64(EDU_REG_DMA_COUNT, count);
    edu_write64(EDU_REG_DMA_CMD, command | EDU_DMA_START);
    for (uint64_t i = 0; i < DMA_POLL_LIMIT; i++) {
        if ((edu_read64(EDU_REG_DMA_CMD) & EDU_DMA_START) == 0) {
            __atomic_thread_fence(__ATOMIC_SEQ_CST);
            return true;
        }
    }
    return false;
}

static bool check_pci(void)
{
    uint32_t id = pci_config_read(PCI_REG_ID);
    if (id != EDU_VENDOR_DEVICE) {
        say("no edu device at PCI 00:04.0; vendor/device read as ", id);
        return false;
    }
    uint64_t bar0 = pci_config_read(PCI_REG_BAR0) & ~0xfull;
    say("edu BAR0 (from PCI config space) = ", bar0);
    if (bar0 != edu_bar0_paddr) {
        say("the SDF maps edu_bar0 at phys_addr ", edu_bar0_paddr);
        microkit_dbg_puts("dma: FAIL: BAR0 differs; set phys_addr of edu_bar0 in x86-iommu-dma.system to the BAR0 above\n");
        return false;
    }
    /* Write the command register only; zeros leave the status register's write-1-to-clear bits alone. */
    uint32_t command = pci_config_read(PCI_REG_COMMAND) & 0xffff;
    pci_config_write(PCI_REG_COMMAND, command | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
    return true;
}

static bool check_device(void)
{
    uint32_t id = edu_read32(EDU_REG_ID);
    if ((id & 0xff) != 0xed) {
        say("FAIL: unexpected edu identification register ", id);
        return false;
    }
    microkit_dbg_puts("dma: edu device version ");
    microkit_dbg_put32(id >> 24);
    microkit_dbg_puts(".");
    microkit_dbg_put32((id >> 16) & 0xff);
    microkit_dbg_puts("\n");
    const uint32_t probe = 0x5e14c0deu;
    edu_write32(EDU_REG_LIVENESS, probe);
    uint32_t answer = edu_read32(EDU_REG_LIVENESS);
    if (answer != (uint32_t)~probe) {
        say("FAIL: liveness check answered ", answer);
        return false;
    }
    microkit_dbg_puts("dma: edu liveness check passed\n");
    return true;
}

/*
 * The negative check: the device still holds the pattern; DMA it to the first
 * IO address past the buffer's <iomap>. No IO page maps it, so the IOMMU
 * must drop the write: page 0 keeps the pattern and page 1 the canary.
 */
static void check_unmapped_dma_blocked(volatile uint8_t *source, volatile uint8_t *result, uint64_t count)
{
    const uint64_t unmapped = DMA_BUFFER_IOVA + dma_buffer_size;
    for (uint64_t i = 0; i < count; i++) {
        result[i] = CANARY;
    }
    say("DMA device -> unmapped IO vaddr ", unmapped);
    if (!edu_dma(EDU_DEVICE_BUFFER, unmapped, count, EDU_DMA_TO_RAM)) {
        microkit_dbg_puts("dma: FAIL: DMA to the unmapped IO address did not complete\n");
        return;
    }
    for (uint64_t i = 0; i < count; i++) {
        if (result[i] != CANARY || source[i] != pattern(i)) {
            say("FAIL: a DMA to an unmapped IO address reached the buffer, at offset ", i);
            return;
        }
    }
    microkit_dbg_puts("dma: PASS: the IOMMU blocked the DMA to the unmapped IO address; the buffer is untouched\n");
}

void init(void)
{
    microkit_dbg_puts("dma: starting\n");
    if (dma_buffer_size < 2 * PAGE_SIZE) {
        say("FAIL: the DMA buffer must be at least two pages, it is ", dma_buffer_size);
        return;
    }
    if (!check_pci() || !check_device()) {
        return;
    }

    volatile uint8_t *source = (volatile uint8_t *)dma_buffer_vaddr;
    volatile uint8_t *result = (volatile uint8_t *)(dma_buffer_vaddr + PAGE_SIZE);
    const uint64_t count = EDU_TRANSFER_SIZE;
    for (uint64_t i = 0; i < count; i++) {
        source[i] = pattern(i);
        result[i] = 0;
    }
    say("buffer at vaddr ", dma_buffer_vaddr);
    say("buffer at IO vaddr ", DMA_BUFFER_IOVA);

    if (!edu_dma(DMA_BUFFER_IOVA, EDU_DEVICE_BUFFER, count, 0)) {
        microkit_dbg_puts("dma: FAIL: DMA RAM -> device did not complete\n");
        return;
    }
    microkit_dbg_puts("dma: DMA RAM -> device done\n");
    if (!edu_dma(EDU_DEVICE_BUFFER, DMA_BUFFER_IOVA + PAGE_SIZE, count, EDU_DMA_TO_RAM)) {
        microkit_dbg_puts("dma: FAIL: DMA device -> RAM did not complete\n");
        return;
    }
    microkit_dbg_puts("dma: DMA device -> RAM done\n");

    for (uint64_t i = 0; i < count; i++) {
        if (result[i] != source[i]) {
            say("FAIL: mismatch at offset ", i);
            say("expected ", source[i]);
            say("read back ", result[i]);
            microkit_dbg_puts("dma: (an IOMMU fault above, or all zeros, means the device could not reach the buffer)\n");
            return;
        }
    }
    microkit_dbg_puts("dma: PASS: ");
    microkit_dbg_put32((uint32_t)count);
    microkit_dbg_puts(" bytes went RAM -> edu -> RAM through the IOMMU intact\n");

    check_unmapped_dma_blocked(source, result, count);
}

void notified(microkit_channel ch)
{
}
