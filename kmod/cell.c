// SPDX-License-Identifier: GPL-2.0
/*
 * Non-root cells: create, load, start, destroy through /dev/jailhouse (their sysfs view is
 * cell_sysfs.c). CPUs change hands through Linux CPU hotplug: offlined
 * before the hypervisor takes them (they park there), onlined again after destroy; PCI functions
 * likewise leave Linux and are rescanned (pci.c). The driver
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
#include "arch.h"
#include "hypercall.h"
#include "jailhouse.h"
#include "jailhouse_ioctl.h"
#include "cell.h"


static LIST_HEAD(cells);

static int linux_cpu_of(unsigned int hv_cpu)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		if (jh_hv_cpu_id(cpu) == (int)hv_cpu)
			return cpu;
	return -1;
}

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
		       JH_ARCH_CELL_RAM_HINT "\n", HVCFG_NAME_LEN - 1, blob->cell.name, start,
		       start + size - 1);
		return jh_refuse(JH_ARCH_R_LINUX_RAM);
	}
	return 0;
}

/*
 * The driver writes the images into the cell's loadable memory through a cacheable mapping
 * (memremap, no struct page needed: RAM above a mem= limit has none); in a hole or a device
 * window that write would fault or reach a device. Such memory must be RAM by the firmware's
 * map. Other regions are the hypervisor's to judge against the root's.
 */
static long check_cell_loadable(const struct hvcfg_cell *blob)
{
	const struct hvcfg_memory_region *mem = cfg_mem_regions(blob, &blob->cell);
	unsigned int n;
	u64 ram_end;

	for (n = 0; n < blob->cell.num_mem_regions; n++) {
		u64 start = mem[n].phys_start, size = mem[n].size;

		if (!(mem[n].flags & HVCFG_MEM_LOADABLE) || mem[n].flags & HVCFG_MEM_IO || !size)
			continue;
		ram_end = jh_arch_firmware_ram_end(start, size);
		if (ram_end == start + size)
			continue;
		pr_err("jailhouse: cell \"%.*s\": loadable memory 0x%llx-0x%llx is not RAM from "
		       "0x%llx on (a hole or a device window by %s): move it into RAM\n",
		       HVCFG_NAME_LEN - 1, blob->cell.name, start, start + size - 1, ram_end,
		       jh_arch_firmware_ram_map());
		return jh_refuse(HV_R_CELL_MEM_NOT_RAM);
	}
	return 0;
}

static long cell_create(const struct jailhouse_cell_create *req)
{
	struct cfg_limits lim = ARCH_CFG_LIMITS(HVCFG_MAX_CPUS);
	/* one request at a time (main.c's jh_manage_lock); too big for the stack at NR_CPUS 8192 */
	static struct cpumask offlined, stranded;
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
	if (copy_from_user(blob, jh_user_ptr(req->config), req->size)) {
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
		if (!err)
			err = check_cell_loadable(blob);
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
	jh_pci_release(blob, req->size);
	err = jh_hv_result(jh_hypercall(HC_CELL_CREATE, virt_to_phys(blob), 0));
	if (err < 0) {
		pr_err("jailhouse: the hypervisor refused cell \"%s\" (%ld); its console says "
		       "why\n", cell->name, err);
		jh_pci_rescan(blob, req->size);
		goto out_online;
	}
	cell->id = err;
	cell->blob = blob;
	cell->size = req->size;
	jh_cell_sysfs_add(cell);
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
	if (copy_from_user(dst, jh_user_ptr(img->source), img->size))
		err = -EFAULT;
	/* the cell may start with its MMU and caches off */
	jh_arch_flush_image(dst, img->size);
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
	err = jh_hv_result(jh_hypercall(HC_CELL_SET_LOADABLE, cell->id, 0));
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
		err = jh_hv_result(jh_hypercall(HC_CELL_START, cell->id, 0));
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
		err = jh_hv_result(jh_hypercall(HC_CELL_DESTROY, cell->id, 0));
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
	jh_pci_rescan(cell->blob, cell->size);
	cpus_back_online(&cell->cpus, &stranded);
	if (cpumask_empty(&stranded))
		pr_info("jailhouse: destroyed cell \"%s\", CPUs %*pbl back with Linux\n",
			cell->name, cpumask_pr_args(&cell->cpus));
	else
		pr_err("jailhouse: destroyed cell \"%s\"; CPUs %*pbl stay offline (see above)\n",
		       cell->name, cpumask_pr_args(&stranded));
	jh_cell_sysfs_put(cell);
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
	return jh_cell_sysfs_init(parent);
}

void jh_cells_exit(void)
{
	jh_cell_sysfs_exit();
}
