// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/ivshmem<N>: a link end for user space (the API: ivshmem_ioctl.h, docs/ivshmem.md).
 * The device can go away under open files (module unload, PCI removal before the hypervisor is
 * disabled): the files keep the struct ivshm_cdev alive, find ->d NULL and fail with -ENODEV;
 * their mappings are zapped, and any later touch of them raises SIGBUS.
 */
#include <linux/fs.h>
#include <linux/kref.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "ivshm.h"
#include "ivshmem_ioctl.h"

struct ivshm_cdev {
	struct kref ref;
	struct miscdevice misc;
	char name[16];
	struct mutex lock;		/* d, files, users */
	struct ivshm_dev *d;		/* NULL once the device is gone */
	struct list_head files;
	unsigned int users;
	wait_queue_head_t wait;
	atomic_t irqs;			/* interrupts so far */
};

struct ivshm_file {
	struct ivshm_cdev *c;
	struct file *file;
	struct list_head node;
	atomic_t seen;			/* irqs at this file's last read */
};

static void cdev_free(struct kref *ref)
{
	kfree(container_of(ref, struct ivshm_cdev, ref));
}

static void cdev_irq(struct ivshm_dev *d)
{
	struct ivshm_cdev *c = d->priv;

	atomic_inc(&c->irqs);
	wake_up_interruptible(&c->wait);
}

/* misc_open() calls us under misc_mtx: the device cannot be deregistered meanwhile */
static int cdev_open(struct inode *inode, struct file *file)
{
	struct ivshm_cdev *c = container_of(file->private_data, struct ivshm_cdev, misc);
	struct ivshm_file *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	mutex_lock(&c->lock);
	if (!c->d) {
		mutex_unlock(&c->lock);
		kfree(f);
		return -ENODEV;
	}
	kref_get(&c->ref);
	f->c = c;
	f->file = file;
	atomic_set(&f->seen, atomic_read(&c->irqs));
	list_add(&f->node, &c->files);
	c->users++;
	mutex_unlock(&c->lock);
	file->private_data = f;
	return 0;
}

/* The state belongs to the users of the end: the last one gone, the peers see it go to 0. */
static int cdev_release(struct inode *inode, struct file *file)
{
	struct ivshm_file *f = file->private_data;
	struct ivshm_cdev *c = f->c;

	mutex_lock(&c->lock);
	list_del(&f->node);
	if (!--c->users && c->d)
		ivshm_set_state(c->d, 0);
	mutex_unlock(&c->lock);
	kfree(f);
	kref_put(&c->ref, cdev_free);
	return 0;
}

static ssize_t cdev_read(struct file *file, char __user *buf, size_t len, loff_t *ppos)
{
	struct ivshm_file *f = file->private_data;
	struct ivshm_cdev *c = f->c;
	u32 now, seen;
	int err;

	if (len < sizeof(u32))
		return -EINVAL;
	for (;;) {
		if (!READ_ONCE(c->d))
			return -ENODEV;
		now = atomic_read(&c->irqs);
		seen = atomic_read(&f->seen);
		/* another thread of this file may take the same interrupts: one wins */
		if (now != seen && atomic_cmpxchg(&f->seen, seen, now) == seen)
			break;
		if (now != seen)
			continue;
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		err = wait_event_interruptible(c->wait, atomic_read(&c->irqs) != seen ||
					       !READ_ONCE(c->d));
		if (err)
			return err;
	}
	if (put_user(now - seen, (u32 __user *)buf))
		return -EFAULT;
	return sizeof(u32);
}

static __poll_t cdev_poll(struct file *file, poll_table *wait)
{
	struct ivshm_file *f = file->private_data;
	struct ivshm_cdev *c = f->c;

	poll_wait(file, &c->wait, wait);
	if (!READ_ONCE(c->d))
		return EPOLLIN | EPOLLERR | EPOLLHUP;
	return atomic_read(&c->irqs) != atomic_read(&f->seen) ? EPOLLIN | EPOLLRDNORM : 0;
}

static ssize_t cdev_write(struct file *file, const char __user *buf, size_t len, loff_t *ppos)
{
	struct ivshm_file *f = file->private_data;
	struct ivshm_cdev *c = f->c;
	struct ivshm_dev *d;
	u32 val, peer;
	ssize_t ret = sizeof(u32);

	if (len != sizeof(u32))
		return -EINVAL;
	if (get_user(val, (const u32 __user *)buf))
		return -EFAULT;
	peer = val >> 16;
	mutex_lock(&c->lock);
	d = c->d;
	if (!d)
		ret = -ENODEV;
	else if ((val & 0xffff) || peer >= d->peers || peer == d->id)
		ret = -EINVAL;
	else
		ivshm_doorbell(d, peer);
	mutex_unlock(&c->lock);
	return ret;
}

static void fill_info(const struct ivshm_dev *d, struct ivshmem_info *info)
{
	memset(info, 0, sizeof(*info));
	info->address = d->phys;
	info->rw_size = d->rw_size;
	info->out_size = d->out_size;
	info->state_size = d->state_size;
	info->id = d->id;
	info->max_peers = d->peers;
	info->protocol = d->protocol;
}

static long cdev_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct ivshm_file *f = file->private_data;
	struct ivshm_cdev *c = f->c;
	void __user *uarg = (void __user *)arg;
	struct ivshmem_info info;
	u32 state;
	long ret = 0;

	if (cmd != IVSHMEM_IOCTL_INFO && cmd != IVSHMEM_IOCTL_SET_STATE)
		return -ENOTTY;
	if (cmd == IVSHMEM_IOCTL_SET_STATE && get_user(state, (u32 __user *)uarg))
		return -EFAULT;
	mutex_lock(&c->lock);
	if (!c->d)
		ret = -ENODEV;
	else if (cmd == IVSHMEM_IOCTL_INFO)
		fill_info(c->d, &info);
	else
		ivshm_set_state(c->d, state);
	mutex_unlock(&c->lock);
	if (!ret && cmd == IVSHMEM_IOCTL_INFO && copy_to_user(uarg, &info, sizeof(info)))
		ret = -EFAULT;
	return ret;
}

/* A region's place and size by its mmap index; -EINVAL for none (or an empty one). */
static int region_of(const struct ivshm_dev *d, unsigned long index, phys_addr_t *phys,
		     u64 *size, bool *writable)
{
	*writable = true;
	if (index == IVSHMEM_MMAP_REGS) {
		*phys = d->regs_phys;
		*size = IVSHMEM_REG_SIZE;
	} else if (index == IVSHMEM_MMAP_STATE) {
		*phys = d->phys;
		*size = d->state_size;
		*writable = false;
	} else if (index == IVSHMEM_MMAP_RW) {
		*phys = d->phys + d->state_size;
		*size = d->rw_size;
	} else if (index >= IVSHMEM_MMAP_OUTPUT(0) && index < IVSHMEM_MMAP_OUTPUT(d->peers)) {
		index -= IVSHMEM_MMAP_OUTPUT(0);
		*phys = d->phys + ivshm_output_offset(d, index);
		*size = d->out_size;
		*writable = index == d->id;
	} else {
		return -EINVAL;
	}
	return *size ? 0 : -EINVAL;
}

/*
 * Pages are inserted on fault, under the lock, from the region the mapping was made for (its
 * index in vm_private_data: vm_pgoff moves when a mapping is split). Once the device is gone
 * the pages are zapped (ivshm_cdev_remove()) and every fault raises SIGBUS, so no mapping
 * outlives the device, however it races with the removal.
 */
static vm_fault_t cdev_vm_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct ivshm_file *f = vma->vm_file->private_data;
	unsigned long index = (unsigned long)vma->vm_private_data;
	struct ivshm_cdev *c = f->c;
	vm_fault_t ret = VM_FAULT_SIGBUS;
	phys_addr_t phys;
	bool writable;
	u64 size, off;

	off = ((u64)(vma->vm_pgoff - index) << PAGE_SHIFT) + (vmf->address - vma->vm_start);
	mutex_lock(&c->lock);
	if (c->d && !region_of(c->d, index, &phys, &size, &writable) && off < PAGE_ALIGN(size))
		ret = vmf_insert_pfn_prot(vma, vmf->address, PHYS_PFN(phys + off),
					  vma->vm_page_prot);
	mutex_unlock(&c->lock);
	return ret;
}

static const struct vm_operations_struct cdev_vm_ops = {
	.fault = cdev_vm_fault,
};

static int map_region(const struct ivshm_dev *d, struct vm_area_struct *vma)
{
	unsigned long len = vma->vm_end - vma->vm_start;
	phys_addr_t phys;
	bool writable;
	u64 size;
	int err;

	/* a private (copy-on-write) view of shared memory makes no sense */
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	err = region_of(d, vma->vm_pgoff, &phys, &size, &writable);
	if (err)
		return err;
	if (len > PAGE_ALIGN(size))
		return -EINVAL;
	if (!writable) {
		/* the hypervisor maps it read-only: a write would be a fault of the whole cell */
		if (vma->vm_flags & VM_WRITE)
			return -EACCES;
		vma->vm_flags &= ~VM_MAYWRITE;
	}
	if (vma->vm_pgoff == IVSHMEM_MMAP_REGS)
		vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
	vma->vm_flags |= VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP;
	vma->vm_private_data = (void *)vma->vm_pgoff;
	vma->vm_ops = &cdev_vm_ops;
	return 0;
}

static int cdev_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct ivshm_file *f = file->private_data;
	struct ivshm_cdev *c = f->c;
	int err = -ENODEV;

	mutex_lock(&c->lock);
	if (c->d)
		err = map_region(c->d, vma);
	mutex_unlock(&c->lock);
	return err;
}

static const struct file_operations cdev_fops = {
	.owner = THIS_MODULE,
	.open = cdev_open,
	.release = cdev_release,
	.read = cdev_read,
	.write = cdev_write,
	.poll = cdev_poll,
	.unlocked_ioctl = cdev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = cdev_mmap,
	.llseek = noop_llseek,
};

int ivshm_cdev_probe(struct ivshm_dev *d)
{
	struct ivshm_cdev *c = kzalloc(sizeof(*c), GFP_KERNEL);
	int err;

	if (!c)
		return -ENOMEM;
	kref_init(&c->ref);
	mutex_init(&c->lock);
	INIT_LIST_HEAD(&c->files);
	init_waitqueue_head(&c->wait);
	c->d = d;
	snprintf(c->name, sizeof(c->name), "ivshmem%d", d->index);
	c->misc.minor = MISC_DYNAMIC_MINOR;
	c->misc.name = c->name;
	c->misc.fops = &cdev_fops;
	c->misc.parent = &d->pdev->dev;
	c->misc.mode = 0600;
	d->priv = c;
	err = misc_register(&c->misc);
	if (err) {
		pci_err(d->pdev, "cannot register /dev/%s (%d)\n", c->name, err);
		kfree(c);
		return err;
	}
	smp_wmb();	/* the handler sees d->priv set */
	WRITE_ONCE(d->irq_fn, cdev_irq);
	pci_info(d->pdev, "/dev/%s\n", c->name);
	return 0;
}

/* The interrupt handler is gone already (ivshm_remove()). */
void ivshm_cdev_remove(struct ivshm_dev *d)
{
	struct ivshm_cdev *c = d->priv;
	struct ivshm_file *f;

	misc_deregister(&c->misc);
	mutex_lock(&c->lock);
	c->d = NULL;
	list_for_each_entry(f, &c->files, node)
		unmap_mapping_range(f->file->f_mapping, 0, 0, 1);
	mutex_unlock(&c->lock);
	wake_up_interruptible_all(&c->wait);
	kref_put(&c->ref, cdev_free);
}
