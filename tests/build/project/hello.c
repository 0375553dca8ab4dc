// SPDX-License-Identifier: GPL-2.0
/* The project's own inmate: built against the installed inmate SDK, linked for cell alpha. */
#include <inmate.h>

void inmate_main(void)
{
	printk("hello from the project's own inmate\n");
	while (!comm_region_poll())
		cpu_relax();
	cpu_halt();
}
