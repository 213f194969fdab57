/*
 * The hello PD. With a real Microkit SDK and an AArch64 cross compiler:
 *   make -f Makefile MICROKIT_SDK=/path/to/sdk
 * The committed hello.elf is a stub image with the same symbols (made by
 * scripts/make-example-images.mjs) so the example builds without a compiler.
 */
#include <stdint.h>
#include <microkit.h>

void init(void)
{
    microkit_dbg_puts("hello, world\n");
}

void notified(microkit_channel ch)
{
}
