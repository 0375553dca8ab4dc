/* SPDX-License-Identifier: GPL-2.0 */
/* Internal interfaces of jailhouse.ko. */
#ifndef JH_KMOD_JAILHOUSE_H
#define JH_KMOD_JAILHOUSE_H

#include <linux/mutex.h>
#include <linux/types.h>

#include "hv_image.h"
#include "refusal.h"

struct device;

extern struct mutex jh_lock;
extern bool jh_enabled;
extern bool jh_debug_skip_driver_checks;

int jh_enable(const void __user *config, u32 size, struct device *dev);
int jh_disable(void);
long jh_hypercall(unsigned long code, unsigned long arg1, unsigned long arg2);

/*
 * Why the management request being served (one at a time, under main.c's lock) was refused:
 * a reason of refusal.h, handed to the fd that asked (JAILHOUSE_LAST_REFUSAL).
 */
extern unsigned int jh_reason;
long jh_refuse(unsigned int reason);
long jh_manage_hypercall(unsigned long code, unsigned long arg1);
int jh_hv_cpu_id(unsigned int cpu);
/* Copy console bytes from stream position *pos on; returns the count. */
size_t jh_console_read(char *dst, size_t len, u64 *pos);
u64 jh_console_tail(void);
bool jh_console_shared(void);

/* cell.c */
struct kobject;
long jh_cell_ioctl(unsigned int cmd, unsigned long arg);
bool jh_cells_exist(void);
int jh_cells_init(struct kobject *parent);
void jh_cells_exit(void);

#endif
