// SPDX-License-Identifier: GPL-2.0
/*
 * The sysfs view of non-root cells: /sys/devices/jailhouse/cells/<id>/{name,state,
 * cpus_assigned,cpus_failed,interrupt_delivery} and statistics/vmexits_<reason> (summed over
 * the cell's CPUs).
 * Readers take only jh_lock, never the management lock, so removing these files under the
 * management lock cannot wait for a reader that waits for it.
 */
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "comm_region.h"
#include "hypercall.h"
#include "jailhouse.h"
#include "cell.h"

static struct kobject *cells_kobj;
static struct jh_stat_attrs cell_stats;

static const char *state_name(long state)
{
	switch (state) {
	case HV_CELL_RUNNING:
		return "running";
	case HV_CELL_RUNNING_LOCKED:
		return "running/locked";
	case HV_CELL_SHUT_DOWN:
		return "shut down";
	case HV_CELL_FAILED:
		return "failed";
	case HV_CELL_FAILED_COMM_REV:
		return "failed/comm-revision";
	}
	return "invalid";
}

static struct jh_cell *to_cell(struct kobject *kobj)
{
	return container_of(kobj, struct jh_cell, kobj);
}

static ssize_t name_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", to_cell(kobj)->name);
}

static ssize_t state_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	long state;

	mutex_lock(&jh_lock);
	state = jh_enabled ? jh_hypercall(HC_CELL_GET_STATE, to_cell(kobj)->id, 0) : -ENODEV;
	mutex_unlock(&jh_lock);
	return sysfs_emit(buf, "%s\n", state_name(state));
}

static ssize_t cpus_assigned_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%*pbl\n", cpumask_pr_args(&to_cell(kobj)->cpus));
}

static ssize_t cpus_failed_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	struct jh_cell *cell = to_cell(kobj);
	struct cpumask failed;
	unsigned int cpu;

	cpumask_clear(&failed);
	mutex_lock(&jh_lock);
	for_each_cpu(cpu, &cell->cpus)
		if (jh_enabled && jh_hypercall(HC_CPU_GET_INFO, jh_hv_cpu_id(cpu),
					       HC_CPU_INFO_STATE) == HC_CPU_FAILED)
			cpumask_set_cpu(cpu, &failed);
	mutex_unlock(&jh_lock);
	return sysfs_emit(buf, "%*pbl\n", cpumask_pr_args(&failed));
}

/* "direct" or "trap": how the cell's interrupts reach its CPUs (its configuration says it) */
static ssize_t interrupt_delivery_show(struct kobject *kobj, struct kobj_attribute *attr,
				       char *buf)
{
	return sysfs_emit(buf, "%s\n", JH_ARCH_IRQ_DELIVERY(to_cell(kobj)->blob->cell.flags));
}

static struct kobj_attribute cell_kattrs[] = {
	__ATTR_RO(name), __ATTR_RO(state), __ATTR_RO(cpus_assigned), __ATTR_RO(cpus_failed),
	__ATTR_RO(interrupt_delivery),
};
static struct attribute *cell_attrs[] = {
	&cell_kattrs[0].attr, &cell_kattrs[1].attr, &cell_kattrs[2].attr, &cell_kattrs[3].attr,
	&cell_kattrs[4].attr, NULL,
};
ATTRIBUTE_GROUPS(cell);

/* statistics/vmexits_<reason>: sum over the cell's CPUs */
static ssize_t stat_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	struct jh_cell *cell = container_of(kobj, struct jh_cell, stats);
	unsigned int n, cpu;
	u64 sum = 0;
	long val = 0;

	n = jh_stat_reason(&cell_stats, attr);
	mutex_lock(&jh_lock);
	for_each_cpu(cpu, &cell->cpus) {
		val = jh_enabled ? jh_hypercall(HC_CPU_GET_INFO, jh_hv_cpu_id(cpu),
						HC_CPU_INFO_STAT_BASE + n) : 0;
		if (val == -EOPNOTSUPP)
			break;
		sum += val > 0 ? val : 0;
	}
	mutex_unlock(&jh_lock);
	/* compiled out of the hypervisor: reading fails rather than showing zeros */
	return val == -EOPNOTSUPP ? -EOPNOTSUPP : sysfs_emit(buf, "%llu\n", sum);
}

static const struct attribute_group *stat_groups[] = { &cell_stats.group, NULL };

static void cell_release(struct kobject *kobj)
{
	struct jh_cell *cell = to_cell(kobj);

	kfree(cell->blob);
	kfree(cell);
}

static void stats_release(struct kobject *kobj)
{
	/* lives inside the cell, which holds a reference until the stats are gone */
	kobject_put(&container_of(kobj, struct jh_cell, stats)->kobj);
}

static struct kobj_type cell_ktype = {
	.release = cell_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = cell_groups,
};

static struct kobj_type stats_ktype = {
	.release = stats_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = stat_groups,
};

void jh_cell_sysfs_add(struct jh_cell *cell)
{
	int err;

	kobject_init(&cell->kobj, &cell_ktype);
	kobject_init(&cell->stats, &stats_ktype);
	err = kobject_add(&cell->kobj, cells_kobj, "%d", cell->id);
	if (!err) {
		kobject_get(&cell->kobj);
		err = kobject_add(&cell->stats, &cell->kobj, "statistics");
		if (err)
			kobject_put(&cell->stats);
	}
	if (err)
		pr_warn("jailhouse: no sysfs entry for cell \"%s\" (%d)\n", cell->name, err);
}

void jh_cell_sysfs_put(struct jh_cell *cell)
{
	if (cell->stats.state_in_sysfs)
		kobject_put(&cell->stats);
	kobject_put(&cell->kobj);
}

int jh_cell_sysfs_init(struct kobject *parent)
{
	int err = jh_stat_attrs_init(&cell_stats, stat_show);

	if (err)
		return err;
	cells_kobj = kobject_create_and_add("cells", parent);
	return cells_kobj ? 0 : -ENOMEM;
}

void jh_cell_sysfs_exit(void)
{
	kobject_put(cells_kobj);
	jh_stat_attrs_free(&cell_stats);
}
