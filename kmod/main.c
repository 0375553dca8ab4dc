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

#include "el2.h"

#define JH_VERSION "0.1"

static struct device *jh_root_dev;

static long jh_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	return -ENOTTY;
}

static const struct file_operations jh_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = jh_ioctl,
	.compat_ioctl = jh_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice jh_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "jailhouse",
	.fops = &jh_fops,
};

static ssize_t el2_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	unsigned int cpu;

	return sysfs_emit(buf, "%s\n", jh_el2_explain(jh_el2_probe_all_cpus(&cpu)));
}
static DEVICE_ATTR_RO(el2);

static ssize_t enabled_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "0\n");
}
static DEVICE_ATTR_RO(enabled);

static struct attribute *jh_attrs[] = {
	&dev_attr_el2.attr,
	&dev_attr_enabled.attr,
	NULL,
};
ATTRIBUTE_GROUPS(jh);

static int __init jh_init(void)
{
	enum jh_el2_state state;
	unsigned int cpu;
	int err;

	state = jh_el2_probe_all_cpus(&cpu);
	if (state != JH_EL2_STUB) {
		pr_err("jailhouse: cannot use EL2 on CPU %u: %s\n", cpu, jh_el2_explain(state));
		return -ENODEV;
	}

	jh_root_dev = root_device_register("jailhouse");
	if (IS_ERR(jh_root_dev))
		return PTR_ERR(jh_root_dev);
	err = sysfs_create_groups(&jh_root_dev->kobj, jh_groups);
	if (err)
		goto err_unregister_root;
	err = misc_register(&jh_misc);
	if (err)
		goto err_remove_groups;

	pr_info("jailhouse: %s on all %u online CPUs\n", jh_el2_explain(state), num_online_cpus());
	return 0;

err_remove_groups:
	sysfs_remove_groups(&jh_root_dev->kobj, jh_groups);
err_unregister_root:
	root_device_unregister(jh_root_dev);
	return err;
}

static void __exit jh_exit(void)
{
	misc_deregister(&jh_misc);
	sysfs_remove_groups(&jh_root_dev->kobj, jh_groups);
	root_device_unregister(jh_root_dev);
}

module_init(jh_init);
module_exit(jh_exit);
MODULE_DESCRIPTION("Loader and manager of the static-partitioning hypervisor");
MODULE_LICENSE("GPL");
MODULE_VERSION(JH_VERSION);
