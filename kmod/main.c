// SPDX-License-Identifier: GPL-2.0
/*
 * jailhouse.ko: loads the partitioning hypervisor under a running Linux. This file holds the
 * module life cycle, /dev/jailhouse and the sysfs root /sys/devices/jailhouse.
 */
#include <linux/module.h>
#include <linux/miscdevice.h>
#include <linux/fs.h>
#include <linux/device.h>
#include <linux/cpumask.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "arch.h"
#include "hypercall.h"
#include "jailhouse.h"
#include "jailhouse_ioctl.h"

#define JH_VERSION "0.1"

void jh_loader_cleanup(void);

static struct device *jh_root_dev;
static struct kobject *jh_stats_kobj;
static struct kobject *jh_cpu_kobj[NR_CPUS];
static const char *const exit_names[NUM_EXIT_REASONS] = HV_EXIT_STAT_NAMES;

/*
 * One management request at a time, whole: a destroy finishes (CPUs back online, sysfs entry
 * gone) before a create can reuse its id and CPUs, and disable sees the cells as they are.
 * Readers (sysfs, console) take only jh_lock, so removing sysfs files under this lock cannot
 * wait for a reader that waits for us.
 */
static DEFINE_MUTEX(jh_manage_lock);

static long jh_manage(unsigned int cmd, unsigned long arg)
{
	struct jailhouse_enable req;

	switch (cmd) {
	case JAILHOUSE_ENABLE:
		if (copy_from_user(&req, (void __user *)arg, sizeof(req)))
			return -EFAULT;
		if (req.flags)
			return -EINVAL;
		return jh_enable(jh_user_ptr(req.config), req.size, jh_root_dev);
	case JAILHOUSE_DISABLE:
		if (jh_cells_exist()) {
			pr_err("jailhouse: cells exist; destroy them before disabling\n");
			return jh_refuse(HV_R_CELLS_EXIST);
		}
		return jh_disable();
	case JAILHOUSE_CELL_CREATE:
	case JAILHOUSE_CELL_LOAD:
	case JAILHOUSE_CELL_START:
	case JAILHOUSE_CELL_DESTROY:
		return jh_cell_ioctl(cmd, arg);
	}
	return -ENOTTY;
}

/* The fd keeps the reason of its last refused request; private_data holds the number. */
static long jh_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	long ret;

	if (cmd == JAILHOUSE_LAST_REFUSAL)
		return put_user((u32)(unsigned long)file->private_data, (u32 __user *)arg);
	if (mutex_lock_killable(&jh_manage_lock))
		return -EINTR;
	jh_reason = 0;
	ret = jh_manage(cmd, arg);
	file->private_data = (void *)(unsigned long)(ret < 0 ? jh_reason : 0);
	mutex_unlock(&jh_manage_lock);
	return ret;
}

/* The console as a stream: the file position counts bytes since the hypervisor started. */
static ssize_t jh_read(struct file *file, char __user *out, size_t len, loff_t *ppos)
{
	u64 pos = *ppos;
	size_t n;
	char *buf;

	len = min_t(size_t, len, HV_CONSOLE_SIZE);
	buf = kmalloc(len, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	mutex_lock(&jh_lock);
	if (jh_enabled && !jh_console_shared()) {
		mutex_unlock(&jh_lock);
		kfree(buf);
		return -EPERM;
	}
	n = jh_console_read(buf, len, &pos);
	mutex_unlock(&jh_lock);
	if (n && copy_to_user(out, buf, n)) {
		kfree(buf);
		return -EFAULT;
	}
	kfree(buf);
	*ppos = pos;
	return n;
}

/*
 * Writing to the device while enabled puts the bytes on the hypervisor console through
 * DEBUG_CONSOLE_PUTC, e.g. to mark where a test step begins in the hypervisor's log.
 */
static ssize_t jh_write(struct file *file, const char __user *in, size_t len, loff_t *ppos)
{
	char buf[64];
	size_t done = 0, n, i;
	long err = 0;

	mutex_lock(&jh_lock);
	if (!jh_enabled)
		err = -EINVAL;
	while (!err && done < len) {
		n = min(len - done, sizeof(buf));
		if (copy_from_user(buf, in + done, n)) {
			err = -EFAULT;
			break;
		}
		for (i = 0; i < n && !err; i++)
			err = jh_hypercall(HC_DEBUG_CONSOLE_PUTC, buf[i], 0);
		done += n;
	}
	mutex_unlock(&jh_lock);
	return err ? err : done;
}

/* misc_open left the miscdevice in private_data; here it holds the last refusal (none yet). */
static int jh_open(struct inode *inode, struct file *file)
{
	file->private_data = NULL;
	return 0;
}

static const struct file_operations jh_fops = {
	.owner = THIS_MODULE,
	.open = jh_open,
	.unlocked_ioctl = jh_ioctl,
	.compat_ioctl = jh_ioctl,
	.read = jh_read,
	.write = jh_write,
	.llseek = noop_llseek,
};

static struct miscdevice jh_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "jailhouse",
	.fops = &jh_fops,
};

/* el2 (arm64), svm (x86): can the CPUs run the hypervisor, or why not */
static ssize_t virt_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	const char *text;
	unsigned int cpu;
	ssize_t n;

	mutex_lock(&jh_lock);
	if (jh_enabled) {
		n = sysfs_emit(buf, JH_ARCH_VIRT " owned by this hypervisor (enabled)\n");
	} else {
		jh_arch_probe(&cpu, &text);
		n = sysfs_emit(buf, "%s\n", text);
	}
	mutex_unlock(&jh_lock);
	return n;
}
static struct device_attribute dev_attr_virt = {
	.attr = { .name = JH_ARCH_VIRT_ATTR, .mode = 0444 },
	.show = virt_show,
};

static ssize_t enabled_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(jh_enabled));
}
static DEVICE_ATTR_RO(enabled);

static ssize_t console_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	u64 pos;
	size_t n;

	mutex_lock(&jh_lock);
	if (jh_enabled && !jh_console_shared()) {
		mutex_unlock(&jh_lock);
		return -EPERM;	/* the config does not share it while enabled */
	}
	pos = jh_console_tail() - min_t(u64, jh_console_tail(), PAGE_SIZE - 1);
	n = jh_console_read(buf, PAGE_SIZE - 1, &pos);
	mutex_unlock(&jh_lock);
	return n;
}
static DEVICE_ATTR_RO(console);

static ssize_t hv_info_show(char *buf, unsigned long type)
{
	long val = 0;

	mutex_lock(&jh_lock);
	if (jh_enabled)
		val = jh_hypercall(HC_HYPERVISOR_GET_INFO, type, 0);
	mutex_unlock(&jh_lock);
	return sysfs_emit(buf, "%ld\n", val);
}

static ssize_t mem_pool_size_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return hv_info_show(buf, HC_INFO_MEM_POOL_SIZE);
}
static DEVICE_ATTR_RO(mem_pool_size);

static ssize_t mem_pool_used_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return hv_info_show(buf, HC_INFO_MEM_POOL_USED);
}
static DEVICE_ATTR_RO(mem_pool_used);

static struct attribute *jh_attrs[] = {
	&dev_attr_virt.attr,
	&dev_attr_enabled.attr,
	&dev_attr_console.attr,
	&dev_attr_mem_pool_size.attr,
	&dev_attr_mem_pool_used.attr,
	NULL,
};
ATTRIBUTE_GROUPS(jh);

static struct jh_stat_attrs cpu_stats;

/* statistics/cpu<N>/vmexits_<reason>: N is the Linux CPU number */
static ssize_t stat_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	unsigned int cpu, n;
	long val = 0;

	if (kstrtouint(kobject_name(kobj) + 3, 10, &cpu))
		return -EINVAL;
	n = jh_stat_reason(&cpu_stats, attr);
	mutex_lock(&jh_lock);
	if (jh_enabled && jh_hv_cpu_id(cpu) >= 0)
		val = jh_hypercall(HC_CPU_GET_INFO, jh_hv_cpu_id(cpu), HC_CPU_INFO_STAT_BASE + n);
	mutex_unlock(&jh_lock);
	return val == -EOPNOTSUPP ? -EOPNOTSUPP : sysfs_emit(buf, "%ld\n", val);
}

int jh_stat_attrs_init(struct jh_stat_attrs *s,
		       ssize_t (*show)(struct kobject *, struct kobj_attribute *, char *))
{
	unsigned int n;

	for (n = 0; n < NUM_EXIT_REASONS; n++) {
		char *name = kasprintf(GFP_KERNEL, "vmexits_%s", exit_names[n]);

		if (!name)
			return -ENOMEM;
		sysfs_attr_init(&s->attr[n].attr);
		s->attr[n].attr.name = name;
		s->attr[n].attr.mode = 0444;
		s->attr[n].show = show;
		s->ptrs[n] = &s->attr[n].attr;
	}
	s->group.attrs = s->ptrs;
	return 0;
}

void jh_stat_attrs_free(struct jh_stat_attrs *s)
{
	unsigned int n;

	for (n = 0; n < NUM_EXIT_REASONS; n++)
		kfree(s->attr[n].attr.name);
}

static void remove_stats(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		kobject_put(jh_cpu_kobj[cpu]);
	kobject_put(jh_stats_kobj);
}

static int create_stats(void)
{
	unsigned int cpu;
	char name[16];
	int err = jh_stat_attrs_init(&cpu_stats, stat_show);

	if (err)
		return err;
	jh_stats_kobj = kobject_create_and_add("statistics", &jh_root_dev->kobj);
	if (!jh_stats_kobj)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		snprintf(name, sizeof(name), "cpu%u", cpu);
		jh_cpu_kobj[cpu] = kobject_create_and_add(name, jh_stats_kobj);
		if (!jh_cpu_kobj[cpu] || sysfs_create_group(jh_cpu_kobj[cpu], &cpu_stats.group))
			return -ENOMEM;
	}
	return 0;
}

static int __init jh_init(void)
{
	const char *text;
	unsigned int cpu;
	int err;

	if (!jh_arch_probe(&cpu, &text)) {
		pr_err("jailhouse: cannot use " JH_ARCH_VIRT " on CPU %u: %s\n", cpu, text);
		return -ENODEV;
	}

	jh_root_dev = root_device_register("jailhouse");
	if (IS_ERR(jh_root_dev))
		return PTR_ERR(jh_root_dev);
	err = sysfs_create_groups(&jh_root_dev->kobj, jh_groups);
	if (err)
		goto err_unregister_root;
	err = create_stats();
	if (!err)
		err = jh_cells_init(&jh_root_dev->kobj);
	if (err)
		goto err_remove_stats;
	err = misc_register(&jh_misc);
	if (err)
		goto err_remove_stats;

	pr_info("jailhouse: %s on all %u online CPUs\n", text, num_online_cpus());
	return 0;

err_remove_stats:
	jh_cells_exit();
	remove_stats();
	jh_stat_attrs_free(&cpu_stats);
	sysfs_remove_groups(&jh_root_dev->kobj, jh_groups);
err_unregister_root:
	root_device_unregister(jh_root_dev);
	return err;
}

static void __exit jh_exit(void)
{
	misc_deregister(&jh_misc);
	jh_cells_exit();
	remove_stats();
	jh_stat_attrs_free(&cpu_stats);
	sysfs_remove_groups(&jh_root_dev->kobj, jh_groups);
	root_device_unregister(jh_root_dev);
	jh_loader_cleanup();
}

module_init(jh_init);
module_exit(jh_exit);
MODULE_DESCRIPTION("Loader and manager of the static-partitioning hypervisor");
MODULE_LICENSE("GPL");
MODULE_VERSION(JH_VERSION);
MODULE_FIRMWARE("jailhouse.bin");
