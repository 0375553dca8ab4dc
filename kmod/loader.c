// SPDX-License-Identifier: GPL-2.0
/*
 * Enable and disable. The hypervisor image and the system blob are copied into the hypervisor
 * memory (which Linux must not own), the arch prepares it, then every online CPU enters the
 * way the arch says (kmod/arch/<arch>/, arch.h).
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/firmware.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/smp.h>
#include <linux/cpu.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/mm.h>
#include <linux/uaccess.h>

#include "config_check.h"
#include "arch.h"
#include "hypercall.h"
#include "jailhouse.h"
#include "jailhouse_ioctl.h"
#include "cell.h"

#define HV_FIRMWARE	"jailhouse.bin"

bool jh_debug_skip_driver_checks;
module_param_named(debug_skip_driver_checks, jh_debug_skip_driver_checks, bool, 0644);
MODULE_PARM_DESC(debug_skip_driver_checks,
		 "testing: leave config validation to the hypervisor alone");
#define debug_skip_driver_checks jh_debug_skip_driver_checks

DEFINE_MUTEX(jh_lock);
bool jh_enabled;

static int hv_cpu_of[NR_CPUS];
static u64 cpu_hw_id[NR_CPUS];
static long enter_result[NR_CPUS];
static u64 console_phys;
static unsigned int enabled_cpus;

static struct hv_console *console_live;	/* hypervisor ring, while enabled and shared */
static char *console_saved;		/* last ring contents otherwise */
static u32 console_saved_tail;

unsigned int jh_reason;

/* Refuse the request being served for a reason: its errno for the caller. */
long jh_refuse(unsigned int reason)
{
	jh_reason = reason;
	return hv_refusal_errno(reason);
}

/*
 * What the hypervisor answered a request (a hypercall, or hv_entry() on enable): its reason of
 * refusal kept for the caller, its errno (or its result) returned.
 */
long jh_hv_result(long ret)
{
	if (hv_ret_reason(ret))
		jh_reason = hv_ret_reason(ret);
	return hv_ret_errno(ret);
}

int jh_hv_cpu_id(unsigned int cpu)
{
	return cpu < nr_cpu_ids ? hv_cpu_of[cpu] : -1;
}

static void read_hw_id(void *unused)
{
	cpu_hw_id[smp_processor_id()] = jh_arch_cpu_hw_id();
}

static void enter_cpu(void *unused)
{
	unsigned int cpu = smp_processor_id();

	enter_result[cpu] = jh_arch_enter_cpu(hv_cpu_of[cpu]);
}

static void leave_cpu(void *unused)
{
	enter_result[smp_processor_id()] = jh_arch_leave_cpu();
}

static int check_config(const void *blob, u32 size)
{
	struct cfg_limits lim = ARCH_CFG_LIMITS(HVCFG_MAX_CPUS);
	const struct hvcfg_system *sys = blob;
	struct cfg_status st;
	int err;

	if (debug_skip_driver_checks) {
		if (size < sizeof(*sys))
			return -EINVAL;
		pr_warn("jailhouse: driver config checks skipped (debug_skip_driver_checks)\n");
		return 0;
	}
	err = cfg_check_system(blob, size, &lim, &st);
	if (err) {
		pr_err("jailhouse: system configuration invalid: %s (0x%llx)\n",
		       cfg_result_text(st.code), (unsigned long long)st.detail);
		jh_refuse(st.code);
	}
	return err;
}

/*
 * The hypervisor memory must be RAM (by the firmware's map, arch) that Linux does not use as
 * System RAM, whatever kept it from Linux: a reserved-memory no-map node, mem=, memmap=.
 * Not pfn_valid(): mem= leaves the RAM above its limit without a memmap, and a no-map region
 * has one; neither says whether the range is RAM.
 */
static int check_memory(const struct hvcfg_system *sys)
{
	u64 base = sys->hypervisor_mem_base, size = sys->hypervisor_mem_size, ram_end;

	if (!size || !PAGE_ALIGNED(base) || !PAGE_ALIGNED(size) || base + size < base) {
		pr_err("jailhouse: hypervisor memory 0x%llx+0x%llx is not page aligned\n",
		       base, size);
		return -EINVAL;
	}
	if (region_intersects(base, size, IORESOURCE_SYSTEM_RAM, IORES_DESC_NONE) !=
	    REGION_DISJOINT) {
		pr_err("jailhouse: the hypervisor memory 0x%llx-0x%llx is used by Linux: "
		       JH_ARCH_RESERVE_HINT "\n", base, base + size - 1);
		return jh_refuse(JH_ARCH_R_HV_MEM_LINUX);
	}
	ram_end = jh_arch_firmware_ram_end(base, size);
	if (ram_end != base + size) {
		pr_err("jailhouse: the hypervisor memory 0x%llx-0x%llx is not RAM from 0x%llx on "
		       "(a hole or a device window by %s): put hypervisor_memory in RAM that "
		       "Linux does not use\n", base, base + size - 1, ram_end,
		       jh_arch_firmware_ram_map());
		return jh_refuse(HV_R_HV_MEM_NOT_RAM);
	}
	return 0;
}

static int check_image(const struct firmware *fw, const struct hvcfg_system *sys,
		       u64 *config_offset)
{
	const struct hv_header *h = (const void *)fw->data;
	u64 mem = sys->hypervisor_mem_size;

	if (fw->size < sizeof(*h) || memcmp(h->signature, HV_IMAGE_SIGNATURE, 8) ||
	    h->abi_version != HV_IMAGE_ABI || h->header_size != sizeof(*h) ||
	    h->image_size > fw->size || h->image_size < sizeof(*h) ||
	    h->arch != JH_ARCH_IMAGE_ARCH || h->entry_offset >= h->image_size ||
	    !PAGE_ALIGNED(h->console_offset) || h->core_size < h->image_size ||
	    !jh_arch_image_ok(h)) {
		pr_err("jailhouse: %s is not a hypervisor image for this driver\n", HV_FIRMWARE);
		return jh_refuse(HV_R_FIRMWARE_MISMATCH);
	}
	*config_offset = PAGE_ALIGN(h->core_size);
	if (*config_offset + sys->header.total_size + 16 * PAGE_SIZE > mem) {
		pr_err("jailhouse: hypervisor memory of %llu KiB is too small\n", mem >> 10);
		return jh_refuse(HV_R_HV_MEM_SMALL);
	}
	if (sys->num_cpus > h->max_cpus) {
		pr_err("jailhouse: configuration has %u CPUs, the hypervisor was built for %u "
		       "(CONFIG_MAX_CPUS)\n", sys->num_cpus, h->max_cpus);
		return jh_refuse(HV_R_BUILD_CPUS);
	}
	return 0;
}

/* Which hypervisor CPU (index in the config's CPU table) each online Linux CPU is. */
static int map_cpus(const struct hvcfg_system *sys)
{
	const struct hvcfg_cpu *table = cfg_cpus(sys);
	unsigned int cpu, n, root_cpus = 0;

	on_each_cpu(read_hw_id, NULL, 1);
	for (n = 0; n < sys->num_cpus; n++)
		root_cpus += cfg_cpu_in_set(sys, &sys->root_cell, n);
	for_each_online_cpu(cpu) {
		hv_cpu_of[cpu] = -1;
		if (debug_skip_driver_checks) {
			hv_cpu_of[cpu] = cpu;
			continue;
		}
		for (n = 0; n < sys->num_cpus; n++)
			if (table[n].hw_id == cpu_hw_id[cpu])
				hv_cpu_of[cpu] = n;
		if (hv_cpu_of[cpu] < 0) {
			pr_err("jailhouse: CPU %u (" JH_ARCH_HW_ID " 0x%llx) is not in the system "
			       "configuration\n", cpu, cpu_hw_id[cpu]);
			return jh_refuse(HV_R_CPU_UNKNOWN);
		}
	}
	if (!debug_skip_driver_checks && num_online_cpus() != root_cpus) {
		pr_err("jailhouse: the root cell has %u CPUs but %u are online: bring all of them "
		       "online first\n", root_cpus, num_online_cpus());
		return jh_refuse(HV_R_CPUS_OFFLINE);
	}
	return 0;
}

static void save_console(const struct hv_console *con)
{
	if (!console_saved)
		console_saved = kzalloc(HV_CONSOLE_SIZE, GFP_KERNEL);
	if (!console_saved)
		return;
	memcpy(console_saved, con->buf, HV_CONSOLE_SIZE);
	console_saved_tail = con->tail;
}

static int load_image(void *mem, u64 phys, const struct firmware *fw, const void *blob, u32 size,
		      u64 config_offset, u64 mem_size)
{
	struct hv_header *h = mem;

	memcpy(mem, fw->data, ((const struct hv_header *)fw->data)->image_size);
	memset(mem + h->image_size, 0, mem_size - h->image_size);
	memcpy(mem + config_offset, blob, size);
	h->mem_size = mem_size;
	h->config_offset = config_offset;
	h->config_size = size;
	h->online_cpus = num_online_cpus();
	return jh_arch_prepare(mem, h, phys);
}

static int enter_all(void)
{
	unsigned int cpu;
	long err = 0;

	on_each_cpu(enter_cpu, NULL, 1);
	for_each_online_cpu(cpu) {
		if (enter_result[cpu] && !err)
			err = enter_result[cpu];
	}
	enabled_cpus = num_online_cpus();
	return (int)jh_hv_result(err);	/* the hypervisor's own config check may have refused */
}

static int do_enable(const void *blob, u32 size, struct device *dev)
{
	const struct hvcfg_system *sys = blob;
	const struct firmware *fw;
	const char *why;
	u64 config_offset;
	unsigned int cpu;
	void *mem;
	int err;

	err = check_config(blob, size);
	if (err)
		return err;
	if (!jh_arch_probe(&cpu, &why)) {
		pr_err("jailhouse: cannot use " JH_ARCH_VIRT " on CPU %u: %s\n", cpu, why);
		return jh_refuse(JH_ARCH_R_NO_VIRT);
	}
	err = check_memory(sys);
	if (err)
		return err;
	err = request_firmware(&fw, HV_FIRMWARE, dev);
	if (err) {
		pr_err("jailhouse: hypervisor image /lib/firmware/%s not found\n", HV_FIRMWARE);
		return jh_refuse(HV_R_NO_FIRMWARE);
	}
	err = check_image(fw, sys, &config_offset);
	if (err)
		goto out_fw;
	mem = memremap(sys->hypervisor_mem_base, sys->hypervisor_mem_size, MEMREMAP_WB);
	if (!mem) {
		pr_err("jailhouse: cannot map the hypervisor memory\n");
		err = -ENOMEM;
		goto out_fw;
	}
	/* the hypervisor memory becomes unreadable for us once enabled: take what we need now */
	console_phys = sys->hypervisor_mem_base +
		       ((const struct hv_header *)fw->data)->console_offset;
	cpus_read_lock();
	err = map_cpus(sys);
	if (!err)
		err = load_image(mem, sys->hypervisor_mem_base, fw, blob, size, config_offset,
				 sys->hypervisor_mem_size);
	if (!err)
		err = enter_all();
	cpus_read_unlock();

	if (err) {
		save_console(mem + (console_phys - sys->hypervisor_mem_base));
		pr_err("jailhouse: enabling failed (%d); `jailhouse console` shows the "
		       "hypervisor's messages\n", err);
	} else {
		/* readable while enabled only if the config shares it with the root */
		if (sys->flags & HVCFG_SYS_VIRTUAL_DEBUG_CONSOLE)
			console_live = memremap(console_phys,
						PAGE_ALIGN(sizeof(struct hv_console)),
						MEMREMAP_WB);
	}
	/* from here on the hypervisor memory is out of the root's reach: drop the mapping */
	memunmap(mem);
	if (!err)
		pr_info("jailhouse: hypervisor enabled on %u CPUs, Linux runs as root cell "
			"\"%s\"\n", enabled_cpus, sys->root_cell.name);
out_fw:
	release_firmware(fw);
	return err;
}

int jh_enable(const void __user *config, u32 size, struct device *dev)
{
	void *blob;
	int err;

	if (size < sizeof(struct hvcfg_header) || size > JAILHOUSE_MAX_CONFIG) {
		pr_err("jailhouse: a system configuration of %u bytes cannot be valid\n", size);
		return -EINVAL;
	}
	blob = vmalloc(size);
	if (!blob)
		return -ENOMEM;
	if (copy_from_user(blob, config, size)) {
		vfree(blob);
		return -EFAULT;
	}
	mutex_lock(&jh_lock);
	if (jh_enabled) {
		pr_err("jailhouse: the hypervisor is already enabled\n");
		err = jh_refuse(HV_R_ALREADY_ENABLED);
	} else {
		err = do_enable(blob, size, dev);
		if (!err) {
			jh_enabled = true;
			__module_get(THIS_MODULE);
			jh_pci_ends_save(blob, size);
		}
	}
	mutex_unlock(&jh_lock);
	vfree(blob);
	/* the drivers of the root's link ends probe outside jh_lock: they may read sysfs */
	if (!err)
		jh_pci_ends_add();
	return err;
}

int jh_disable(void)
{
	unsigned int cpu;
	long err = 0;

	mutex_lock(&jh_lock);
	if (!jh_enabled) {
		pr_err("jailhouse: the hypervisor is not enabled\n");
		err = jh_refuse(HV_R_NOT_ENABLED);
		goto out;
	}
	/* Linux lets go of the root's link ends while they still answer */
	jh_pci_ends_remove();
	cpus_read_lock();
	if (num_online_cpus() != enabled_cpus) {
		pr_err("jailhouse: %u of %u CPUs are offline; bring them online before disabling\n",
		       enabled_cpus - num_online_cpus(), enabled_cpus);
		err = jh_refuse(HV_R_CPUS_OFFLINE);
	} else {
		on_each_cpu(leave_cpu, NULL, 1);
		for_each_online_cpu(cpu)
			if (enter_result[cpu] && !err)
				err = enter_result[cpu];
	}
	cpus_read_unlock();
	if (err) {
		pr_err("jailhouse: the hypervisor refused to disable (%ld)\n", err);
		mutex_unlock(&jh_lock);
		jh_pci_ends_add();
		return (int)err;
	}
	/* the whole hypervisor memory is Linux's to read again: keep the last messages */
	if (!console_live)
		console_live = memremap(console_phys, PAGE_ALIGN(sizeof(struct hv_console)),
					MEMREMAP_WB);
	if (console_live) {
		save_console(console_live);
		memunmap(console_live);
		console_live = NULL;
	}
	jh_enabled = false;
	module_put(THIS_MODULE);
	pr_info("jailhouse: hypervisor disabled, all CPUs back with Linux\n");
out:
	mutex_unlock(&jh_lock);
	return (int)err;
}

/* Lock-free against the hypervisor's writer: retry while it was busy or moved on. */
static size_t read_ring(const char *buf, const volatile u32 *tailp, const volatile u32 *busyp,
			char *dst, size_t len, u64 *pos)
{
	u32 busy, tail, start, n;

	do {
		busy = READ_ONCE(*busyp);
		smp_rmb();
		tail = READ_ONCE(*tailp);
		/* a reader that fell behind by more than the ring restarts at the oldest byte */
		start = *pos > tail || tail - *pos > HV_CONSOLE_SIZE ?
			tail - min_t(u32, tail, HV_CONSOLE_SIZE) : (u32)*pos;
		for (n = 0; n < len && start + n != tail; n++)
			dst[n] = buf[(start + n) % HV_CONSOLE_SIZE];
		smp_rmb();
	} while ((busy & 1) || READ_ONCE(*busyp) != busy);
	*pos = start + n;
	return n;
}

size_t jh_console_read(char *dst, size_t len, u64 *pos)
{
	static const u32 idle;

	if (console_live)
		return read_ring(console_live->buf, &console_live->tail, &console_live->busy, dst,
				 len, pos);
	if (!console_saved)
		return 0;
	return read_ring(console_saved, &console_saved_tail, &idle, dst, len, pos);
}

bool jh_console_shared(void)
{
	return console_live;
}

u64 jh_console_tail(void)
{
	return console_live ? READ_ONCE(console_live->tail) : console_saved_tail;
}

void jh_loader_cleanup(void)
{
	kfree(console_saved);
}
