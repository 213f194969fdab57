/*
 * A host simulation of what examples/x86-iommu-dma/dma.c talks to under
 * QEMU: PCI configuration mechanism #1 with the edu device at 00:04.0, the
 * edu registers and DMA engine with QEMU 7.2's bound check (a device-buffer
 * range must end strictly before the buffer's end; QEMU aborts otherwise),
 * and an IOMMU that maps only the <iomap> of x86-iommu-dma.system (IO
 * address 0x1000000, two pages) and drops every other DMA with a fault.
 *
 * SIM_IOMMU_LEAK=1 simulates a broken IOMMU that lets a DMA past the map land
 * in the buffer's second page: the example's negative check must catch it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "microkit.h"

extern seL4_Word edu_regs_vaddr, dma_buffer_vaddr, dma_buffer_size, edu_bar0_paddr, pci_config_ioport;
void init(void);

#define IOVA 0x1000000UL
#define BUFFER_SIZE 0x2000UL
#define EDU_BUFFER 0x40000UL
#define EDU_BUFFER_SIZE 0x1000UL

/* The DMA buffer, at the PD's vaddr of the SDF (0x3000000) when the host lets us, so the output is the README's. */
static uint8_t *ram;
static uint8_t edu_buffer[EDU_BUFFER_SIZE];
static uint32_t config_address, pci_command, liveness;
static uint64_t dma_src, dma_dst, dma_cnt;

void microkit_dbg_puts(const char *s) { fputs(s, stdout); }
void microkit_dbg_put32(uint32_t x) { printf("%u", x); }

void microkit_x86_ioport_write_32(microkit_ioport id, seL4_Word port, seL4_Word value)
{
    (void)id;
    if (port == 0xcf8) config_address = (uint32_t)value;
    else if (port == 0xcfc && (config_address & 0xfc) == 0x04) pci_command = (uint32_t)value & 0xffff;
}

uint32_t microkit_x86_ioport_read_32(microkit_ioport id, seL4_Word port)
{
    (void)id;
    if (port != 0xcfc || (config_address & ~0xffu) != (0x80000000u | (4u << 11))) return 0xffffffffu;
    switch (config_address & 0xfc) {
    case 0x00: return 0x11e81234u;
    case 0x04: return pci_command;
    case 0x10: return 0xfea00000u;
    default: return 0;
    }
}

/* QEMU 7.2 hw/misc/edu.c: within() is start <= addr < end, applied to the range's end too. */
static void edu_check_range(uint64_t addr, uint64_t size)
{
    uint64_t end = addr + size;
    if (EDU_BUFFER <= addr && addr < EDU_BUFFER + EDU_BUFFER_SIZE && end > addr && EDU_BUFFER <= end && end < EDU_BUFFER + EDU_BUFFER_SIZE) return;
    fprintf(stderr, "qemu: hardware error: EDU: DMA range 0x%016lx-0x%016lx out of bounds (0x%016lx-0x%016lx)!\n",
            (unsigned long)addr, (unsigned long)(end - 1), EDU_BUFFER, EDU_BUFFER + EDU_BUFFER_SIZE - 1);
    exit(2);
}

/* The IOMMU: the RAM behind an IO address range, or NULL (a fault) when no IO page maps all of it. */
static uint8_t *iommu_translate(uint64_t iova, uint64_t size, int write)
{
    if (iova >= IOVA && iova + size <= IOVA + BUFFER_SIZE) return ram + (iova - IOVA);
    if (getenv("SIM_IOMMU_LEAK") && write && iova == IOVA + BUFFER_SIZE) return ram + 0x1000;
    fprintf(stderr, "IOMMU: DMA %s page fault on address 0x%lx\n", write ? "write" : "read", (unsigned long)iova);
    return NULL;
}

static void edu_run_dma(uint64_t cmd)
{
    if ((pci_command & 0x4) == 0) return; /* no bus mastering: QEMU drops the DMA */
    if (cmd & 0x2) {
        edu_check_range(dma_src, dma_cnt);
        uint8_t *to = iommu_translate(dma_dst, dma_cnt, 1);
        if (to) memcpy(to, edu_buffer + (dma_src - EDU_BUFFER), dma_cnt);
    } else {
        edu_check_range(dma_dst, dma_cnt);
        uint8_t *from = iommu_translate(dma_src, dma_cnt, 0);
        memset(edu_buffer + (dma_dst - EDU_BUFFER), 0, dma_cnt);
        if (from) memcpy(edu_buffer + (dma_dst - EDU_BUFFER), from, dma_cnt);
    }
}

uint32_t edu_read32(uint64_t reg)
{
    if (reg == 0x00) return 0x010000edu;
    if (reg == 0x04) return ~liveness;
    return 0xffffffffu;
}

void edu_write32(uint64_t reg, uint32_t value)
{
    if (reg == 0x04) liveness = value;
}

uint64_t edu_read64(uint64_t reg)
{
    return reg == 0x98 ? 0 : 0xffffffffffffffffull; /* the DMA is done by the time it is polled */
}

void edu_write64(uint64_t reg, uint64_t value)
{
    if (reg == 0x80) dma_src = value;
    else if (reg == 0x88) dma_dst = value;
    else if (reg == 0x90) dma_cnt = value;
    else if (reg == 0x98 && (value & 1)) edu_run_dma(value);
}

int main(void)
{
    void *at = mmap((void *)0x3000000, BUFFER_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    ram = at == MAP_FAILED ? calloc(1, BUFFER_SIZE) : at;
    edu_regs_vaddr = 0x2000000;
    dma_buffer_vaddr = (seL4_Word)(uintptr_t)ram;
    dma_buffer_size = BUFFER_SIZE;
    edu_bar0_paddr = 0xfea00000;
    pci_config_ioport = 0;
    init();
    return 0;
}
