// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * fault-demo: prints, then reads (or with `write`, writes) an address outside its cell. In a
 * cell the hypervisor must stop it as FAILED; bare-metal the access takes a synchronous
 * exception (QEMU: external abort on an unassigned address) that the library reports.
 * Command line: addr=0xdead0000 (inside the lib's Device window, so stage 1 lets it through
 * to the bus or the hypervisor), write, delay-ms=0 (run that long first, answering messages),
 * trap (execute the compiler's trap instruction instead: ARM udf, arm64 brk, x86 ud2; the
 * library's report of an undefined instruction).
 */
#include <inmate.h>

void inmate_main(void)
{
	uintptr_t addr = cmdline_get_u64("addr", 0xdead0000);
	bool write = cmdline_get_bool("write", false);
	u64 end = timer_ticks() + timer_ns_to_ticks(cmdline_get_u64("delay-ms", 0) * 1000000);
	u32 val;

	printk("fault-demo: running, will %s 0x%llx\n", write ? "write" : "read", (u64)addr);
	while (timer_ticks() < end)
		if (comm_region_poll())
			cpu_halt();

	if (cmdline_get_bool("trap", false)) {
		printk("fault-demo: executing a trap instruction now\n");
		__builtin_trap();
	}
	printk("fault-demo: accessing 0x%llx now\n", (u64)addr);
	if (write) {
		mmio_write32(addr, 0xbad);
		val = 0xbad;
	} else {
		val = mmio_read32(addr);
	}
	printk("fault-demo: ERROR: the access did not fault (value 0x%x)\n", val);
	while (!comm_region_poll())
		cpu_relax();
	cpu_halt();
}
