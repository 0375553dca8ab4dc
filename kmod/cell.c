// SPDX-License-Identifier: GPL-2.0
/*
 * Non-root cells: create, load, start, destroy through /dev/jailhouse, and their sysfs view
 * /sys/devices/jailhouse/cells/<id>/. CPUs change hands through Linux CPU hotplug: offlined
 * before the hypervisor takes them (they park there), onlined again after destroy. The driver
 * runs the hypervisor's structural checks first for friendly errors; the hypervisor decides.
 */
#include <linux/cpu.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <asm/cacheflush.h>

#include "comm_region.h"
#include "config_check.h"
#include "../hv/arch/arm64/include/asm/cfg_limits.h"
#include "hypercall.h"
#include "jailhouse.h"
#include "jailhouse_ioctl.h"

struct jh_cell {
	struct kobject kobj;
	struct kobject stats;
	struct list_head list;
	int id;
	char name[HVCFG_NAME_LEN];
	struct hvcfg_cell *blob;	/* kmalloc copy: physically contiguous for the hypervisor */
	u32 size;
	u64 hv_cpus;			/* hypervisor CPU ids */
	struct cpumask cpus;		/* the same as Linux CPU numbers */
	bool loaded;			/* an image went in since create or shutdown */
};

static LIST_HEAD(cells);
static struct kobject *cells_kobj;
static const char *const exit_names[NUM_EXIT_REASONS] = HV_EXIT_STAT_NAMES;

static int linux_cpu_of(unsigned int hv_cpu)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		if (jh_hv_cpu_id(cpu) == (int)hv_cpu)
			return cpu;
	return -1;
}

/* --- sysfs --------------------------------------------------------------------------------- */

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

static struct kobj_attribute cell_kattrs[] = {
	__ATTR_RO(name), __ATTR_RO(state), __ATTR_RO(cpus_assigned), __ATTR_RO(cpus_failed),
};
static struct attribute *cell_attrs[] = {
	&cell_kattrs[0].attr, &cell_kattrs[1].attr, &cell_kattrs[2].attr, &cell_kattrs[3].attr,
	NULL,
};
ATTRIBUTE_GROUPS(cell);

/* statistics/vmexits_<reason>: sum over the cell's CPUs */
static ssize_t stat_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	struct jh_cell *cell = container_of(kobj, struct jh_cell, stats);
	unsigned int n, cpu;
	u64 sum = 0;
	long val = 0;

	for (n = 0; n < NUM_EXIT_REASONS; n++)
		if (!strcmp(attr->attr.name + 8, exit_names[n]))
			break;
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

static struct kobj_attribute stat_attrs[NUM_EXIT_REASONS];
static struct attribute *stat_attr_ptrs[NUM_EXIT_REASONS + 1];
static const struct attribute_group stat_group = { .attrs = stat_attr_ptrs };
static const struct attribute_group *stat_groups[] = { &stat_group, NULL };

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

/* --- operations ---------------------------------------------------------------------------- */

static struct jh_cell *find_cell(const struct jailhouse_cell_id *cid)
{
	struct jh_cell *cell;

	list_for_each_entry(cell, &cells, list)
		if (cid->id >= 0 ? cell->id == cid->id :
		    !strncmp(cell->name, cid->name, sizeof(cell->name)))
			return cell;
	return NULL;
}

/*
 * The cell a load, start or destroy request names, with jh_lock held. Every refusal says why in
 * the kernel log: the hypervisor is not enabled (ENODEV), the request names the root cell, which
 * is not managed this way (EINVAL), or no such cell exists (ENOENT).
 */
static long lookup_cell(const struct jailhouse_cell_id *cid, const char *op,
			struct jh_cell **out)
{
	if (!jh_enabled) {
		pr_err("jailhouse: cell %s: hypervisor not enabled\n", op);
		return jh_refuse(HV_R_NOT_ENABLED);
	}
	if (cid->id == 0) {
		pr_err("jailhouse: cell %s: id 0 is the root cell, which cannot be %sed\n", op,
		       op);
		return jh_refuse(HV_R_ROOT_CELL);
	}
	*out = find_cell(cid);
	if (*out)
		return 0;
	if (cid->id >= 0)
		pr_err("jailhouse: cell %s: no cell with id %d\n", op, cid->id);
	else
		pr_err("jailhouse: cell %s: no cell named \"%.*s\"\n", op,
		       (int)sizeof(cid->name), cid->name);
	return jh_refuse(HV_R_NO_CELL);
}

static void flush_to_poc(void *addr, size_t len)
{
	unsigned long line = 4UL << ((read_sysreg(ctr_el0) >> 16) & 0xf);
	unsigned long p = (unsigned long)addr & ~(line - 1);
	unsigned long end = (unsigned long)addr + len;

	for (; p < end; p += line)
		asm volatile("dc civac, %0" : : "r"(p) : "memory");
	dsb(sy);
}

/* Online the CPUs of mask again; those that would not come back are left in stranded. */
static void cpus_back_online(const struct cpumask *mask, struct cpumask *stranded)
{
	unsigned int cpu;
	int err;

	cpumask_clear(stranded);
	for_each_cpu(cpu, mask) {
		err = add_cpu(cpu);
		if (!err)
			continue;
		pr_err("jailhouse: CPU %u could not be brought back online (%d)\n", cpu, err);
		cpumask_set_cpu(cpu, stranded);
	}
}

/*
 * The hypervisor cannot tell which root RAM Linux uses; we can. A cell region Linux has as
 * System RAM would be scrubbed and written under Linux's feet, so it is refused here.
 */
static long check_cell_ram(const struct hvcfg_cell *blob)
{
	const struct hvcfg_memory_region *mem = cfg_mem_regions(blob, &blob->cell);
	unsigned int n;

	for (n = 0; n < blob->cell.num_mem_regions; n++) {
		u64 start = mem[n].phys_start, size = mem[n].size;

		if (mem[n].flags & HVCFG_MEM_COMM_REGION || !size)
			continue;
		if (region_intersects(start, size, IORESOURCE_SYSTEM_RAM, IORES_DESC_NONE) ==
		    REGION_DISJOINT)
			continue;
		pr_err("jailhouse: cell \"%.*s\": memory 0x%llx-0x%llx is System RAM of Linux: "
		       "reserve it in the root DTB (reserved-memory, no-map), e.g. boot with the "
		       "root DTB configgen made\n", HVCFG_NAME_LEN - 1, blob->cell.name, start,
		       start + size - 1);
		return jh_refuse(HV_R_LINUX_RAM);
	}
	return 0;
}

static long cell_create(const struct jailhouse_cell_create *req)
{
	struct cfg_limits lim = ARCH_CFG_LIMITS(HVCFG_MAX_CPUS);
	struct cpumask offlined, stranded;
	struct jailhouse_cell_id cid = { .id = -1 };
	struct hvcfg_cell *blob;
	struct cfg_status st;
	struct jh_cell *cell;
	unsigned int n;
	long err;
	int cpu;

	if (req->size < sizeof(struct hvcfg_header) || req->size > JAILHOUSE_MAX_CONFIG) {
		pr_err("jailhouse: a cell configuration of %u bytes cannot be valid\n", req->size);
		return jh_refuse(req->size > JAILHOUSE_MAX_CONFIG ? HV_R_BLOB_SIZE : CFG_E_TRUNCATED);
	}
	blob = kmalloc(req->size, GFP_KERNEL);
	cell = kzalloc(sizeof(*cell), GFP_KERNEL);
	if (!blob || !cell) {
		err = -ENOMEM;
		goto out_free;
	}
	if (copy_from_user(blob, u64_to_user_ptr(req->config), req->size)) {
		err = -EFAULT;
		goto out_free;
	}
	if (!jh_debug_skip_driver_checks) {
		err = cfg_check_cell(blob, req->size, &lim, 0, &st);
		if (err) {
			pr_err("jailhouse: cell configuration invalid: %s (0x%llx)\n",
			       cfg_result_text(st.code), (unsigned long long)st.detail);
			err = jh_refuse(st.code);
			goto out_free;
		}
		err = check_cell_ram(blob);
		if (err)
			goto out_free;
	} else if (req->size < sizeof(*blob)) {
		err = jh_refuse(CFG_E_TRUNCATED);
		goto out_free;
	}
	memcpy(cell->name, blob->cell.name, sizeof(cell->name));
	cell->name[sizeof(cell->name) - 1] = 0;
	memcpy(cid.name, cell->name, sizeof(cid.name));
	cpumask_clear(&offlined);

	mutex_lock(&jh_lock);
	if (!jh_enabled) {
		pr_err("jailhouse: cell create: hypervisor not enabled\n");
		err = jh_refuse(HV_R_NOT_ENABLED);
		goto out_unlock;
	}
	if (find_cell(&cid)) {
		pr_err("jailhouse: a cell named \"%s\" exists already\n", cell->name);
		err = jh_refuse(HV_R_NAME_TAKEN);
		goto out_unlock;
	}
	for (n = 0; n < blob->cell.num_cpu_words * 64 && n < HVCFG_MAX_CPUS; n++) {
		if (!cfg_cpu_in_set(blob, &blob->cell, n))
			continue;
		cell->hv_cpus |= n < 64 ? 1ULL << n : 0;
		cpu = linux_cpu_of(n);
		if (cpu < 0)
			continue;	/* the hypervisor will name it */
		cpumask_set_cpu(cpu, &cell->cpus);
		if (!cpu_online(cpu))
			continue;
		err = remove_cpu(cpu);
		if (err) {
			pr_err("jailhouse: cannot take CPU %d from Linux for cell \"%s\" (%ld)\n",
			       cpu, cell->name, err);
			jh_refuse(HV_R_CPU_TAKE);
			goto out_online;
		}
		cpumask_set_cpu(cpu, &offlined);
	}
	err = jh_manage_hypercall(HC_CELL_CREATE, virt_to_phys(blob));
	if (err < 0) {
		pr_err("jailhouse: the hypervisor refused cell \"%s\" (%ld); its console says "
		       "why\n", cell->name, err);
		goto out_online;
	}
	cell->id = err;
	cell->blob = blob;
	cell->size = req->size;
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
		pr_warn("jailhouse: no sysfs entry for cell \"%s\" (%ld)\n", cell->name, err);
	list_add_tail(&cell->list, &cells);
	pr_info("jailhouse: created cell \"%s\" (id %d) on CPUs %*pbl\n", cell->name, cell->id,
		cpumask_pr_args(&cell->cpus));
	err = cell->id;
	mutex_unlock(&jh_lock);
	return err;

out_online:
	cpus_back_online(&offlined, &stranded);
out_unlock:
	mutex_unlock(&jh_lock);
out_free:
	kfree(blob);
	kfree(cell);
	return err;
}

static const struct hvcfg_memory_region *loadable_region(const struct jh_cell *cell, u64 addr,
							 u64 size)
{
	const struct hvcfg_memory_region *mem = cfg_mem_regions(cell->blob, &cell->blob->cell);
	unsigned int n;

	for (n = 0; n < cell->blob->cell.num_mem_regions; n++)
		if (mem[n].flags & HVCFG_MEM_LOADABLE && addr >= mem[n].guest_start &&
		    size <= mem[n].size && addr - mem[n].guest_start <= mem[n].size - size)
			return &mem[n];
	return NULL;
}

static u64 largest_loadable(const struct jh_cell *cell)
{
	const struct hvcfg_memory_region *mem = cfg_mem_regions(cell->blob, &cell->blob->cell);
	unsigned int n;
	u64 max = 0;

	for (n = 0; n < cell->blob->cell.num_mem_regions; n++)
		if (mem[n].flags & HVCFG_MEM_LOADABLE && mem[n].size > max)
			max = mem[n].size;
	return max;
}

/*
 * Every image checked before the cell is stopped: a request that cannot succeed changes
 * nothing. EFBIG: larger than every loadable region; ERANGE: not inside one at its address.
 */
static long check_images(const struct jh_cell *cell,
			 const struct jailhouse_preload_image *images, unsigned int num)
{
	u64 max = largest_loadable(cell);
	unsigned int n;

	for (n = 0; n < num; n++) {
		const struct jailhouse_preload_image *img = &images[n];

		if (img->size > max) {
			pr_err("jailhouse: image %u of %llu bytes is larger than the largest loadable "
			       "region of cell \"%s\" (%llu bytes)\n", n, img->size, cell->name, max);
			return jh_refuse(HV_R_IMAGE_TOO_LARGE);
		}
		if (!img->size || !loadable_region(cell, img->target, img->size)) {
			pr_err("jailhouse: image %u of %llu bytes at 0x%llx is not inside a loadable "
			       "region of cell \"%s\"\n", n, img->size, img->target, cell->name);
			return jh_refuse(HV_R_IMAGE_OUTSIDE);
		}
	}
	return 0;
}

static long load_image(const struct jh_cell *cell, const struct jailhouse_preload_image *img)
{
	const struct hvcfg_memory_region *r = loadable_region(cell, img->target, img->size);
	void *dst;
	long err = 0;

	dst = memremap(r->phys_start + (img->target - r->guest_start), img->size, MEMREMAP_WB);
	if (!dst)
		return -ENOMEM;
	if (copy_from_user(dst, u64_to_user_ptr(img->source), img->size))
		err = -EFAULT;
	/* the cell starts with its MMU off: the image must be in memory, not in our caches */
	flush_to_poc(dst, img->size);
	memunmap(dst);
	return err;
}

static long cell_load(struct jailhouse_cell_load __user *arg)
{
	struct jailhouse_preload_image *images = NULL;
	struct jailhouse_cell_load req;
	struct jh_cell *cell;
	unsigned int n;
	long err;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (req.num_images > JAILHOUSE_MAX_IMAGES) {
		pr_err("jailhouse: cell load: %u images, at most %d\n", req.num_images,
		       JAILHOUSE_MAX_IMAGES);
		return jh_refuse(HV_R_TOO_MANY_IMAGES);
	}
	if (req.num_images) {
		images = memdup_user(arg->image, req.num_images * sizeof(*images));
		if (IS_ERR(images))
			return PTR_ERR(images);
	}
	req.cell_id.name[sizeof(req.cell_id.name) - 1] = 0;
	mutex_lock(&jh_lock);
	err = lookup_cell(&req.cell_id, "load", &cell);
	if (!err)
		err = check_images(cell, images, req.num_images);
	if (err)
		goto out;
	err = jh_manage_hypercall(HC_CELL_SET_LOADABLE, cell->id);
	if (err) {
		pr_err("jailhouse: cell \"%s\" cannot be stopped (%ld)%s\n", cell->name, err,
		       err == -EPERM ? ": it denied the shutdown or a cell is locked" : "");
		goto out;
	}
	for (n = 0; n < req.num_images && !err; n++)
		err = load_image(cell, &images[n]);
	cell->loaded = req.num_images && !err;
out:
	mutex_unlock(&jh_lock);
	kfree(images);
	return err;
}

static long cell_start(const struct jailhouse_cell_id *cid)
{
	struct jh_cell *cell;
	long err;

	mutex_lock(&jh_lock);
	err = lookup_cell(cid, "start", &cell);
	if (!err && !cell->loaded) {
		/* its loadable RAM was scrubbed or never written: it would run zeros */
		pr_err("jailhouse: cell \"%s\" not started: no image loaded since it was created or shut down\n",
		       cell->name);
		err = jh_refuse(HV_R_NO_IMAGE);
	} else if (!err) {
		err = jh_manage_hypercall(HC_CELL_START, cell->id);
		if (err)
			pr_err("jailhouse: cell \"%s\" not started (%ld)\n", cell->name, err);
	}
	mutex_unlock(&jh_lock);
	return err;
}

/*
 * Runs under the management lock (main.c), so no create sees the id or the CPUs before they
 * are back with Linux and the sysfs entry is gone.
 */
static long cell_destroy(const struct jailhouse_cell_id *cid)
{
	struct cpumask stranded;
	struct jh_cell *cell = NULL;
	long err;

	mutex_lock(&jh_lock);
	err = lookup_cell(cid, "destroy", &cell);
	if (!err) {
		err = jh_manage_hypercall(HC_CELL_DESTROY, cell->id);
		if (err)
			pr_err("jailhouse: cell \"%s\" not destroyed (%ld)%s\n", cell->name, err,
			       err == -EPERM ? ": it denied the shutdown or a cell is locked" : "");
		else
			list_del(&cell->list);
	}
	mutex_unlock(&jh_lock);
	if (!cell || err)
		return err;
	/* outside jh_lock: removing the sysfs files waits for readers, which take it */
	cpus_back_online(&cell->cpus, &stranded);
	if (cpumask_empty(&stranded))
		pr_info("jailhouse: destroyed cell \"%s\", CPUs %*pbl back with Linux\n",
			cell->name, cpumask_pr_args(&cell->cpus));
	else
		pr_err("jailhouse: destroyed cell \"%s\"; CPUs %*pbl stay offline (see above)\n",
		       cell->name, cpumask_pr_args(&stranded));
	if (cell->stats.state_in_sysfs)
		kobject_put(&cell->stats);
	kobject_put(&cell->kobj);
	return 0;
}

long jh_cell_ioctl(unsigned int cmd, unsigned long arg)
{
	struct jailhouse_cell_create create;
	struct jailhouse_cell_id cid;

	switch (cmd) {
	case JAILHOUSE_CELL_CREATE:
		if (copy_from_user(&create, (void __user *)arg, sizeof(create)))
			return -EFAULT;
		return cell_create(&create);
	case JAILHOUSE_CELL_LOAD:
		return cell_load((void __user *)arg);
	case JAILHOUSE_CELL_START:
	case JAILHOUSE_CELL_DESTROY:
		if (copy_from_user(&cid, (void __user *)arg, sizeof(cid)))
			return -EFAULT;
		cid.name[sizeof(cid.name) - 1] = 0;
		return cmd == JAILHOUSE_CELL_START ? cell_start(&cid) : cell_destroy(&cid);
	}
	return -ENOTTY;
}

bool jh_cells_exist(void)
{
	return !list_empty(&cells);
}

int jh_cells_init(struct kobject *parent)
{
	unsigned int n;

	for (n = 0; n < NUM_EXIT_REASONS; n++) {
		char *name = kasprintf(GFP_KERNEL, "vmexits_%s", exit_names[n]);

		if (!name)
			return -ENOMEM;
		sysfs_attr_init(&stat_attrs[n].attr);
		stat_attrs[n].attr.name = name;
		stat_attrs[n].attr.mode = 0444;
		stat_attrs[n].show = stat_show;
		stat_attr_ptrs[n] = &stat_attrs[n].attr;
	}
	cells_kobj = kobject_create_and_add("cells", parent);
	return cells_kobj ? 0 : -ENOMEM;
}

void jh_cells_exit(void)
{
	unsigned int n;

	kobject_put(cells_kobj);
	for (n = 0; n < NUM_EXIT_REASONS; n++)
		kfree(stat_attrs[n].attr.name);
}
