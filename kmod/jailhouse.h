/* SPDX-License-Identifier: GPL-2.0 */
/* Internal interfaces of jailhouse.ko. */
#ifndef JH_KMOD_JAILHOUSE_H
#define JH_KMOD_JAILHOUSE_H

#include <linux/kobject.h>
#include <linux/mutex.h>
#include <linux/sysfs.h>
#include <linux/types.h>

#include "hv_image.h"
#include "hypercall.h"
#include "arch.h"
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
long jh_hv_result(long ret);
int jh_hv_cpu_id(unsigned int cpu);
/* Copy console bytes from stream position *pos on; returns the count. */
size_t jh_console_read(char *dst, size_t len, u64 *pos);
u64 jh_console_tail(void);
bool jh_console_shared(void);

/* statistics directories (main.c): one vmexits_<reason> attribute per exit reason */
struct jh_stat_attrs {
	struct kobj_attribute attr[NUM_EXIT_REASONS];
	struct attribute *ptrs[NUM_EXIT_REASONS + 1];
	struct attribute_group group;
};

int jh_stat_attrs_init(struct jh_stat_attrs *s,
		       ssize_t (*show)(struct kobject *, struct kobj_attribute *, char *));
void jh_stat_attrs_free(struct jh_stat_attrs *s);

/* The exit reason (HC_CPU_INFO_STAT_BASE + it) an attribute of s shows. */
/*
 * The user address in an ioctl's u64 field. One that does not fit this kernel's pointers (32-bit
 * ARM) is none (copying from it fails: EFAULT) rather than truncated into another address.
 */
static inline void __user *jh_user_ptr(u64 addr)
{
	return addr == (uintptr_t)addr ? u64_to_user_ptr(addr) : NULL;
}

static inline unsigned int jh_stat_reason(const struct jh_stat_attrs *s,
					  const struct kobj_attribute *attr)
{
	return attr - s->attr;
}

/* cell.c */
long jh_cell_ioctl(unsigned int cmd, unsigned long arg);
bool jh_cells_exist(void);
int jh_cells_init(struct kobject *parent);
void jh_cells_exit(void);

#endif
