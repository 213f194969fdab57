/* The slice of libmicrokit's API dma.c uses, for the host simulation (tests/x86/iommu-example.test.ts). */
#pragma once
#include <stdint.h>

typedef uint64_t seL4_Word;
typedef unsigned int microkit_channel;
typedef unsigned int microkit_ioport;

void microkit_dbg_puts(const char *s);
void microkit_dbg_put32(uint32_t x);
void microkit_x86_ioport_write_32(microkit_ioport id, seL4_Word port, seL4_Word value);
uint32_t microkit_x86_ioport_read_32(microkit_ioport id, seL4_Word port);
